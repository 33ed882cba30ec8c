import { RateLimiterMemory } from "rate-limiter-flexible";

import { env } from "./env.server";
import { take } from "./rate-limit.server";
import { apiError } from "./responses.server";

// The public API (residents' search, no account) is open to anyone: a per-address allowance per
// minute keeps one client from taking the server. Process-local like the sign-in limits
// (rate-limit.server.ts); several app servers would move it to PostgreSQL.

export const PUBLIC_API_PER_MINUTE = env.API_RATE_LIMIT_PER_MINUTE;

const publicApiByIp = new RateLimiterMemory({
  keyPrefix: "public-api-ip",
  points: PUBLIC_API_PER_MINUTE,
  duration: 60,
});

/** Counts one request from this address; throws 429 JSON with Retry-After once the minute's allowance is used. */
export async function requirePublicApiAllowance(ip: string) {
  const allowance = await take(publicApiByIp, ip);
  if (!allowance.limited) return;
  const seconds = allowance.retryAfterSeconds;
  throw apiError(429, `too many requests: try again in ${seconds} s`, undefined, {
    headers: { "Retry-After": String(seconds) },
  });
}
