import { sharedLimiter } from "../../db/queries/rate-limits.server";
import { env } from "./env.server";
import { toResponse, type PlainAnswer } from "./http-cache.server";
import { take } from "./rate-limit.server";
import { apiErrorAnswer } from "./responses.server";

// The public API (residents' search, no account) is open to anyone: a per-address allowance per
// minute keeps one client from taking the server. Counted in the database like the sign-in limits
// (rate-limit.server.ts): one allowance per address however many app servers answer it.

export const PUBLIC_API_PER_MINUTE = env.API_RATE_LIMIT_PER_MINUTE;

const publicApiByIp = sharedLimiter({
  keyPrefix: "public-api-ip",
  points: PUBLIC_API_PER_MINUTE,
  duration: 60,
});

/** Counts one request from this address: null within the minute's allowance, else the 429 answer (with Retry-After). */
export async function publicApiRefusal(ip: string): Promise<PlainAnswer | null> {
  // open while the database is away: the search behind it answers 503 then anyway
  const allowance = await take(publicApiByIp, ip, { openWhenDatabaseAway: true });
  if (!allowance.limited) return null;
  const seconds = allowance.retryAfterSeconds;
  return apiErrorAnswer(429, `too many requests: try again in ${seconds} s`, undefined, {
    "Retry-After": String(seconds),
  });
}

/** Counts one request from this address; throws 429 JSON with Retry-After once the minute's allowance is used. */
export async function requirePublicApiAllowance(ip: string) {
  const refusal = await publicApiRefusal(ip);
  if (refusal) throw toResponse(refusal);
}
