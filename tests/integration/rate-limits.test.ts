import { sql } from "drizzle-orm";
import { RateLimiterRes } from "rate-limiter-flexible";

import { requirePublicApiAllowance, PUBLIC_API_PER_MINUTE } from "~/utils/api-rate-limit.server";
import { take } from "~/utils/rate-limit.server";

import { connect, db, queryRows } from "../../db/client.server";
import { isDatabaseUnavailable } from "../../db/errors.server";
import { sharedLimiter } from "../../db/queries/rate-limits.server";

// The limits' counters are rows of rate_limits (issue 14, part 2): every limiter on the database,
// in this process or another server, counts into one budget per key. tests/fault/shared-limits
// shows it with two production servers; here, the store on this run's driver (PGlite by default,
// PostgreSQL with TEST_DATABASE_URL).

let prefixes = 0;
/** a limiter name no other test uses, and two limiters on it, as two app servers would hold */
const twoServers = (points: number, duration = 60) => {
  const keyPrefix = `test-${++prefixes}`;
  return {
    keyPrefix,
    a: sharedLimiter({ keyPrefix, points, duration }),
    b: sharedLimiter({ keyPrefix, points, duration }),
  };
};

const row = async (key: string) =>
  (
    await queryRows<{ points: number; seconds_left: number }>(sql`
      select points, extract(epoch from expire - now())::float8 as seconds_left from rate_limits where key = ${key}`)
  )[0];

describe("the shared rate-limit store", () => {
  it("two limiters on one key share one budget: the next point after it is refused by either, with the time left", async () => {
    const { a, b } = twoServers(6);
    for (let i = 0; i < 6; i++) expect(await take(i % 2 ? b : a, "198.51.100.10")).toEqual({ limited: false });
    for (const limiter of [a, b]) {
      const refused = await take(limiter, "198.51.100.10");
      expect(refused.limited).toBe(true);
      if (refused.limited) expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      if (refused.limited) expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    expect(await take(a, "198.51.100.11")).toEqual({ limited: false });
  });

  it("loses no point under concurrency: 60 consumes at once across two limiters let exactly 20 through", async () => {
    const { keyPrefix, a, b } = twoServers(20);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => take(i % 2 ? b : a, "198.51.100.12", {})));
    expect(results.filter((r) => !r.limited)).toHaveLength(20);
    expect((await row(`${keyPrefix}:198.51.100.12`)).points).toBe(60);
  });

  it("one key's consumes at once in one process share statements, and each is let through in its place", async () => {
    const { keyPrefix, a } = twoServers(4);
    const upserts = vi.spyOn(a as unknown as { _upsert: (...args: unknown[]) => Promise<unknown> }, "_upsert");
    const results = await Promise.all(Array.from({ length: 10 }, () => take(a, "198.51.100.40")));
    // the first goes alone; the nine that came meanwhile go together and count 2..10
    expect(results.map((r) => r.limited)).toEqual([false, false, false, false, true, true, true, true, true, true]);
    expect(upserts).toHaveBeenCalledTimes(2);
    expect((await row(`${keyPrefix}:198.51.100.40`)).points).toBe(10);
    // past the budget, this process refuses without a statement
    expect((await take(a, "198.51.100.40")).limited).toBe(true);
    expect(upserts).toHaveBeenCalledTimes(2);
  });

  it("a second client of the database (its own pool on PostgreSQL) shares the budget too", async () => {
    const url = process.env.DATABASE_URL;
    // one process holds a PGlite folder: there the second client is this one
    const other = url ? connect({ url }) : null;
    try {
      const { keyPrefix } = twoServers(3);
      const here = sharedLimiter({ keyPrefix, points: 3, duration: 60 });
      const there = sharedLimiter({ keyPrefix, points: 3, duration: 60 }, other?.db ?? db);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => take(i % 2 ? there : here, "198.51.100.13")),
      );
      expect(results.filter((r) => !r.limited)).toHaveLength(3);
    } finally {
      await other?.close();
    }
  });

  it("starts a new window once the old one has passed (its row is reset by the next point)", async () => {
    const { keyPrefix, a } = twoServers(2);
    const key = `${keyPrefix}:198.51.100.14`;
    await take(a, "198.51.100.14");
    await take(a, "198.51.100.14");
    const first = await row(key);
    expect(first.points).toBe(2);
    expect(first.seconds_left).toBeGreaterThan(0);
    expect(first.seconds_left).toBeLessThanOrEqual(60);
    await db.execute(sql`update rate_limits set expire = now() - interval '1 second' where key = ${key}`);
    expect(await take(a, "198.51.100.14")).toEqual({ limited: false });
    expect((await row(key)).points).toBe(1);
  });

  it("gives back a point (reward) and forgets a key (delete) in the table", async () => {
    const { keyPrefix, a, b } = twoServers(2);
    const key = `${keyPrefix}:198.51.100.15`;
    await take(a, "198.51.100.15");
    await take(a, "198.51.100.15");
    await b.reward("198.51.100.15", 1);
    expect((await row(key)).points).toBe(1);
    expect(await take(a, "198.51.100.15")).toEqual({ limited: false });
    await b.delete("198.51.100.15");
    expect(await row(key)).toBeUndefined();
  });

  it("the public API's allowance is counted in the database, where any other server reads it", async () => {
    const address = "198.51.100.16";
    for (let i = 0; i < PUBLIC_API_PER_MINUTE; i++) await requirePublicApiAllowance(address);
    expect((await row(`public-api-ip:${address}`)).points).toBe(PUBLIC_API_PER_MINUTE);
    const anotherServer = sharedLimiter({ keyPrefix: "public-api-ip", points: PUBLIC_API_PER_MINUTE, duration: 60 });
    expect((await take(anotherServer, address)).limited).toBe(true);
  });
});

describe("a limit while the database cannot be reached", () => {
  // a server that refuses connections: every statement fails as connection-class, at once
  const away = connect({ url: "postgres://postgres@127.0.0.1:1/none" });
  afterAll(() => away.close());
  const unreachable = () => sharedLimiter({ keyPrefix: `test-away-${++prefixes}`, points: 1, duration: 60 }, away.db);

  it("throws (the server answers 503) for sign-in and problem reports", async () => {
    const rejection = await take(unreachable(), "198.51.100.17").catch((error: unknown) => error);
    expect(rejection).not.toBeInstanceOf(RateLimiterRes);
    expect(isDatabaseUnavailable(rejection)).toBe(true);
  });

  it("lets the request through when the limit is open while the database is away (the public pages and API)", async () => {
    expect(await take(unreachable(), "198.51.100.17", { openWhenDatabaseAway: true })).toEqual({ limited: false });
  });
});
