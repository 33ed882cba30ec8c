import { RateLimiterDrizzle } from "rate-limiter-flexible";

import { db, type Database } from "../client.server";
import { rateLimits } from "../schema";

export type SharedLimiterOptions = {
  /** names the limiter in the table's keys: `${keyPrefix}:${key}` */
  keyPrefix: string;
  /** allowed per window */
  points: number;
  /** the window, in seconds, from the key's first point */
  duration: number;
};

/**
 * A limiter whose counters are rows of `rate_limits`, so every app server on this database counts
 * into one budget per key. Each consume is one atomic upsert (insert, or add to the row, or start
 * a new window when the row's has passed), so concurrent requests on any server never lose a point.
 */
export function sharedLimiter(options: SharedLimiterOptions, database: Database = db) {
  return new RateLimiterDrizzle({
    storeClient: database,
    schema: rateLimits,
    ...options,
    // a key past its budget is refused by this process until its window ends, without a write:
    // a client that keeps knocking costs nothing more. Nothing lifts a key once it is past (a
    // sign-in's reward or reset needs an attempt that got through), so no server refuses wrongly.
    inMemoryBlockOnConsumed: options.points + 1,
  });
}
