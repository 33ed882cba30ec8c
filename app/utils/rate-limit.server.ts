import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";

import { isDatabaseUnavailable } from "../../db/errors.server";
import { sharedLimiter } from "../../db/queries/rate-limits.server";

// The counters live in the database (db/queries/rate-limits.server.ts), so that every app server
// on it shares one budget per key: several servers do not multiply a client's allowance.

const WINDOW_SECONDS = 15 * 60;

/** failed sign-ins per account from one client address before that pair is locked for the window */
export const PAIR_FAILURES = 5;
/** failed sign-ins per account from all addresses together before the account is locked everywhere */
export const ACCOUNT_FAILURES = 50;
/** sign-in attempts per client address per window, successful or not */
export const IP_ATTEMPTS = 30;

const ipAttempts = sharedLimiter({ keyPrefix: "signin-ip", points: IP_ATTEMPTS, duration: WINDOW_SECONDS });
const pairFailures = sharedLimiter({
  keyPrefix: "signin-pair",
  points: PAIR_FAILURES,
  duration: WINDOW_SECONDS,
});
const accountFailures = sharedLimiter({
  keyPrefix: "signin-account",
  points: ACCOUNT_FAILURES,
  duration: WINDOW_SECONDS,
});

export type Limited = { limited: true; retryAfterSeconds: number } | { limited: false };

const secondsLeft = (res: RateLimiterRes | null) => Math.max(1, Math.ceil((res?.msBeforeNext ?? 0) / 1000));

/**
 * Takes one point, or says how long until there is one; the count is one atomic statement.
 * A database that cannot be reached throws (the server answers 503), unless `openWhenDatabaseAway`:
 * then the request goes on, and meets the outage in its own query if it has one.
 */
export async function take(
  limiter: RateLimiterAbstract,
  key: string,
  options: { openWhenDatabaseAway?: boolean } = {},
): Promise<Limited> {
  try {
    await limiter.consume(key, 1);
    return { limited: false };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { limited: true, retryAfterSeconds: secondsLeft(rejection) };
    if (options.openWhenDatabaseAway && isDatabaseUnavailable(rejection)) return { limited: false };
    throw rejection;
  }
}

export type SignInAttempt =
  { limited: true; retryAfterSeconds: number } | { limited: false; settle: (succeeded: boolean) => Promise<void> };

/**
 * Counts a sign-in attempt before the password is looked at, so parallel attempts cannot all pass
 * a check made before any of them is counted: the address's attempt, then a failure for the
 * account at this address, then one for the account everywhere. Each counter is reached only
 * if the one before it had room, so one address locked out of an account adds nothing to the
 * account's total, and cannot lock its owner out elsewhere. `settle(true)` gives back the failures.
 */
export async function beginSignInAttempt(username: string, ip: string): Promise<SignInAttempt> {
  const account = username.toLowerCase();
  // an address holds no "|": the pair key is unambiguous
  const pair = `${ip}|${account}`;
  for (const [limiter, key] of [
    [ipAttempts, ip],
    [pairFailures, pair],
    [accountFailures, account],
  ] as const) {
    const taken = await take(limiter, key);
    if (taken.limited) return taken;
  }
  return {
    limited: false,
    async settle(succeeded) {
      if (!succeeded) return;
      await pairFailures.delete(pair);
      await accountFailures.reward(account, 1);
    },
  };
}

/** residents' problem reports per client address per hour */
export const REPORTS_PER_HOUR = 5;
const reportsByIp = sharedLimiter({
  keyPrefix: "problem-report-ip",
  points: REPORTS_PER_HOUR,
  duration: 60 * 60,
});

/** Counts one report from this address; `limited` once the hour's allowance is used up. */
export function consumeReportAllowance(ip: string): Promise<Limited> {
  return take(reportsByIp, ip);
}
