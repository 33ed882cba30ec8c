import { sharedLimiter } from "../../db/queries/rate-limits.server";
import { env } from "./env.server";
import { take } from "./rate-limit.server";
import { apiError } from "./responses.server";

// The public API (residents' search, no account) is open to anyone: a per-address allowance per
// minute keeps one client from taking the server. Counted in the database like the sign-in limits
// (rate-limit.server.ts): one allowance per address however many app servers answer it.

export const PUBLIC_API_PER_MINUTE = env.API_RATE_LIMIT_PER_MINUTE;

const publicApiByIp = sharedLimiter({
  keyPrefix: "public-api-ip",
  points: PUBLIC_API_PER_MINUTE,
  duration: 60,
});

/** Counts one request from this address; throws 429 JSON with Retry-After once the minute's allowance is used. */
export async function requirePublicApiAllowance(ip: string) {
  // open while the database is away: the search behind it answers 503 then anyway
  const allowance = await take(publicApiByIp, ip, { openWhenDatabaseAway: true });
  if (!allowance.limited) return;
  const seconds = allowance.retryAfterSeconds;
  throw apiError(429, `too many requests: try again in ${seconds} s`, undefined, {
    headers: { "Retry-After": String(seconds) },
  });
}
