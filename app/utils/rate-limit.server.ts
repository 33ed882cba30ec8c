import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

// Process-local counters: right for one app server; with several, move them to PostgreSQL
// (rate-limiter-flexible has a store for it) so they add up across servers.

const WINDOW_SECONDS = 15 * 60;

/** failed sign-ins per account before it is locked for the rest of the window */
export const ACCOUNT_FAILURES = 5;
/** sign-in attempts per client address per window, successful or not */
export const IP_ATTEMPTS = 30;

const accountFailures = new RateLimiterMemory({ keyPrefix: "signin-account", points: ACCOUNT_FAILURES, duration: WINDOW_SECONDS });
const ipAttempts = new RateLimiterMemory({ keyPrefix: "signin-ip", points: IP_ATTEMPTS, duration: WINDOW_SECONDS });

export type Limited = { limited: true; retryAfterSeconds: number } | { limited: false };

const secondsLeft = (res: RateLimiterRes | null) => Math.max(1, Math.ceil((res?.msBeforeNext ?? 0) / 1000));

/** Is either limit already used up? Asked before the password is looked at. */
export async function checkSignInLimits(username: string, ip: string): Promise<Limited> {
  const [account, address] = await Promise.all([accountFailures.get(username.toLowerCase()), ipAttempts.get(ip)]);
  const blocked = [
    account && account.consumedPoints >= ACCOUNT_FAILURES ? account : null,
    address && address.consumedPoints >= IP_ATTEMPTS ? address : null,
  ].filter((r): r is RateLimiterRes => r !== null);
  if (blocked.length === 0) return { limited: false };
  return { limited: true, retryAfterSeconds: Math.max(...blocked.map(secondsLeft)) };
}

export async function recordSignInAttempt(username: string, ip: string, succeeded: boolean) {
  await ipAttempts.penalty(ip, 1);
  if (succeeded) await accountFailures.delete(username.toLowerCase());
  else await accountFailures.penalty(username.toLowerCase(), 1);
}

/** residents' problem reports per client address per hour */
export const REPORTS_PER_HOUR = 5;
const reportsByIp = new RateLimiterMemory({ keyPrefix: "problem-report-ip", points: REPORTS_PER_HOUR, duration: 60 * 60 });

/** Counts one report from this address; `limited` once the hour's allowance is used up. */
export async function consumeReportAllowance(ip: string): Promise<Limited> {
  try {
    await reportsByIp.consume(ip, 1);
    return { limited: false };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { limited: true, retryAfterSeconds: secondsLeft(rejection) };
    throw rejection;
  }
}
