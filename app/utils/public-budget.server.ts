import { sharedLimiter } from "../../db/queries/rate-limits.server";
import { PUBLIC_API_PER_MINUTE } from "./api-rate-limit.server";
import { take } from "./rate-limit.server";
import { pageBudgetExceeded } from "./responses.server";

// The residents' page `/` is public like the search API and runs the same search: it has a
// per-address budget too, counted apart from the API's (a resident using the page does not use up
// an app's allowance behind the same address) but of the same size, API_RATE_LIMIT_PER_MINUTE.
// Shared by every app server on the database, like the API's.

export const RESIDENT_PAGE_PER_MINUTE = PUBLIC_API_PER_MINUTE;

const residentPageByIp = sharedLimiter({
  keyPrefix: "resident-page-ip",
  points: RESIDENT_PAGE_PER_MINUTE,
  duration: 60,
});

/**
 * Counts one view of the residents' page from this address; past the minute's budget, throws a
 * 429 with Retry-After whose data (`{limited, retryAfterSeconds}`) the route's error boundary
 * turns into a readable message.
 */
export async function requireResidentPageAllowance(ip: string) {
  // open while the database is away: the page before a search needs none, and still serves
  const allowance = await take(residentPageByIp, ip, { openWhenDatabaseAway: true });
  if (allowance.limited) throw pageBudgetExceeded(allowance.retryAfterSeconds);
}
