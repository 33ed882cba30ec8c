import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";

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

type Waiter = { resolve: (res: RateLimiterRes) => void; reject: (reason: unknown) => void };

/**
 * RateLimiterDrizzle that sends one key's consumes from this process one statement at a time: the
 * ones that arrive while a statement is on its way wait for it, then go together as one
 * (`points + n`), and each learns its own place in the count. Every request still adds its point
 * to the row before it is answered, and each is let through exactly when it would have been had
 * the batch's consumes run one after another, so the budget stays one across processes and
 * servers. What it saves: many requests from one address at once (a carrier's NAT, a busy app)
 * cost one statement per round trip instead of one each queued on the row's lock.
 */
class BatchingLimiter extends RateLimiterDrizzle {
  private readonly lines = new Map<string | number, Waiter[]>();

  consume(key: string | number, pointsToConsume = 1, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    if (pointsToConsume !== 1 || options !== undefined) return super.consume(key, pointsToConsume, options);
    return new Promise((resolve, reject) => {
      const waiting = this.lines.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else {
        this.lines.set(key, []);
        this.send(key, [{ resolve, reject }]);
      }
    });
  }

  private send(key: string | number, batch: Waiter[]) {
    const settle = (outcome: unknown) => {
      const next = this.lines.get(key) ?? [];
      if (next.length > 0) {
        this.lines.set(key, []);
        this.send(key, next);
      } else this.lines.delete(key);
      batch.forEach((waiter, i) => this.answer(waiter, outcome, batch.length, i));
    };
    super.consume(key, batch.length).then(settle, settle);
  }

  /** the i-th of n consumes sent together: its own count is the row's minus those after it */
  private answer(waiter: Waiter, outcome: unknown, n: number, i: number) {
    if (!(outcome instanceof RateLimiterRes)) return waiter.reject(outcome);
    // a key blocked in memory is refused without a statement (consumedPoints 0): all of them are
    if (outcome.consumedPoints < n) return waiter.reject(outcome);
    const mine = outcome.consumedPoints - n + i + 1;
    const res = new RateLimiterRes(
      Math.max(this.points - mine, 0),
      outcome.msBeforeNext,
      mine,
      outcome.isFirstInDuration && i === 0,
    );
    if (mine <= this.points) waiter.resolve(res);
    else waiter.reject(res);
  }
}

/**
 * A limiter whose counters are rows of `rate_limits`, so every app server on this database counts
 * into one budget per key. Each consume is one atomic upsert (insert, or add to the row, or start
 * a new window when the row's has passed), so concurrent requests on any server never lose a point;
 * one key's concurrent consumes in this process share a statement (BatchingLimiter).
 */
export function sharedLimiter(options: SharedLimiterOptions, database: Database = db) {
  return new BatchingLimiter({
    storeClient: database,
    schema: rateLimits,
    ...options,
    // a key past its budget is refused by this process until its window ends, without a write:
    // a client that keeps knocking costs nothing more. Nothing lifts a key once it is past (a
    // sign-in's reward or reset needs an attempt that got through), so no server refuses wrongly.
    inMemoryBlockOnConsumed: options.points + 1,
  });
}
