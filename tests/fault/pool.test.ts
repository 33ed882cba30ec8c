// The app's postgres.js pool (db/postgres-client.server.ts) against a server that restarts, stops
// and kills sessions: reconnects within about a second, retries a read cut off by a closed session
// once (never a write, never inside a transaction), and cancels statements past the timeout.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { isDatabaseUnavailable } from "../../db/errors.server";
import { postgresPoolOptions, retryReadsOnce } from "../../db/postgres-client.server";
import { startPostgresInstance, type PostgresInstance } from "./postgres-instance";

const poolEnv = {
  DB_POOL_MAX: 4,
  DB_CONNECT_TIMEOUT_S: 5,
  DB_IDLE_TIMEOUT_S: 60,
  DB_MAX_LIFETIME_S: 1800,
  DB_STATEMENT_TIMEOUT_MS: 30_000,
  DB_POOLER: "none" as const,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the app's PostgreSQL pool in an outage", () => {
  let pg: PostgresInstance;
  let admin: postgres.Sql;
  const pools: postgres.Sql[] = [];

  function pool(overrides: Partial<typeof poolEnv> = {}) {
    const client = postgres(pg.url(), postgresPoolOptions({ ...poolEnv, ...overrides }));
    pools.push(client);
    return { client, db: drizzle(retryReadsOnce(client)) };
  }

  /** terminate the backend running a statement that contains `marker`, once it runs */
  async function terminateWhenRunning(marker: string) {
    for (let i = 0; i < 200; i++) {
      const [row] = await admin<{ n: number }[]>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = 'shequ' and state = 'active' and query like ${`%${marker}%`} and pid <> pg_backend_pid()`;
      if (row.n > 0) return;
      await sleep(20);
    }
    throw new Error(`no running statement with ${marker}`);
  }

  beforeAll(async () => {
    pg = await startPostgresInstance();
    admin = postgres(pg.url(), { max: 1, onnotice: () => {}, backoff: () => 0.1 });
    await admin`create table probe (id serial primary key, note text)`;
  });
  afterAll(async () => {
    await Promise.all([admin, ...pools].map((p) => p?.end({ timeout: 1 }).catch(() => {})));
    pg?.destroy();
  });

  it("retries a read once when its session is terminated under it", async () => {
    const { db } = pool();
    // drizzle's queries are lazy: `then` sends it
    const read = db.execute(sql`select 'read-1' as marker, pg_sleep(0.4) as slept, 42 as answer`).then((rows) => rows);
    await terminateWhenRunning("read-1");
    const rows = (await read) as unknown as { answer: number }[];
    expect(rows[0].answer).toBe(42);
  });

  it("does not retry a write: it fails as connection-class, and runs once", async () => {
    const { db } = pool();
    const write = db.execute(sql`insert into probe (note) select 'write-1' from pg_sleep(0.4) returning id`).then(
      () => "resolved",
      (error: unknown) => error,
    );
    await terminateWhenRunning("write-1");
    const outcome = await write;
    expect(outcome).not.toBe("resolved");
    expect(isDatabaseUnavailable(outcome)).toBe(true);
    const [{ n }] = await admin<{ n: number }[]>`select count(*)::int as n from probe where note = 'write-1'`;
    expect(n).toBe(0);
  });

  it("does not retry inside a transaction: the whole transaction fails and nothing of it stays", async () => {
    const { db } = pool();
    const tx = db
      .transaction(async (t) => {
        await t.execute(sql`insert into probe (note) values ('tx-1')`);
        await t.execute(sql`select 'tx-read-1', pg_sleep(0.4)`);
      })
      .then(
        () => "resolved",
        (error: unknown) => error,
      );
    await terminateWhenRunning("tx-read-1");
    const outcome = await tx;
    expect(isDatabaseUnavailable(outcome)).toBe(true);
    const [{ n }] = await admin<{ n: number }[]>`select count(*)::int as n from probe where note = 'tx-1'`;
    expect(n).toBe(0);
  });

  it("cancels a statement past DB_STATEMENT_TIMEOUT_MS", async () => {
    const { db } = pool({ DB_STATEMENT_TIMEOUT_MS: 300 });
    const started = performance.now();
    const error = await db.execute(sql`select pg_sleep(5)`).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as { cause?: { code?: string } })?.cause?.code).toBe("57014");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("fails fast while the server is down and serves within 2 s of its return (backoff capped at 1 s)", async () => {
    const { db } = pool();
    await db.execute(sql`select 1`);
    await pg.stop("fast");
    try {
      // many failures: postgres.js's own backoff would now wait 10–20 s before each attempt
      for (let i = 0; i < 12; i++) {
        const started = performance.now();
        const error = await db.execute(sql`select 1`).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isDatabaseUnavailable(error), String(error)).toBe(true);
        expect(performance.now() - started).toBeLessThan(2500);
      }
    } finally {
      await pg.start();
    }
    const back = performance.now();
    let ok = false;
    while (!ok && performance.now() - back < 10_000) {
      ok = await db.execute(sql`select 1`).then(
        () => true,
        () => false,
      );
      if (!ok) await sleep(50);
    }
    const recovery = performance.now() - back;
    console.log(`pool: first success ${Math.round(recovery)} ms after the server was back`);
    expect(ok).toBe(true);
    expect(recovery).toBeLessThan(2000);
  });

  it("serves every pooled connection after pg_ctl restart -m immediate (no stale 57P01 later)", async () => {
    const { db } = pool();
    // open all four connections
    await Promise.all([1, 2, 3, 4].map(() => db.execute(sql`select pg_sleep(0.1)`)));
    await pg.restart("immediate");
    await sleep(200);
    const results: string[] = [];
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(() =>
          db.execute(sql`select pg_sleep(0.05)`).then(
            () => "ok",
            (e: unknown) => String((e as { cause?: { code?: string } }).cause?.code ?? e),
          ),
        ),
      );
      results.push(...outcomes);
    }
    expect(results.filter((r) => r !== "ok")).toEqual([]);
  });
});
