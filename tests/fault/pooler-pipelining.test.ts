// The app's postgres.js pool through PgBouncer in transaction mode, with many queries at once
// (docs/decisions/008). postgres.js writes a query without parameters to a busy connection before
// the one ahead of it is answered (pipelining). PgBouncer 1.18 gives the server connection back to
// its pool at the first ReadyForQuery, so what was written behind it ran on a server connection
// now serving another client: the client waited for answers that never came (a request's
// deadline: 503), or its Bind reached a server connection without its Parse ("unnamed prepared
// statement does not exist": 500). Seen once in CI by tests/fault/pooler.test.ts under load; here
// made likely: one server connection, two app pools, a few hundred mixed queries at once.
import postgres from "postgres";

import { postgresPoolOptions } from "../../db/postgres-client.server";
import { startPgBouncer, type PgBouncerInstance } from "./pgbouncer-instance";
import { startPostgresInstance, type PostgresInstance } from "./postgres-instance";

const POOLED = {
  DB_POOLER: "pgbouncer" as const,
  DB_POOL_MAX: 4,
  DB_CONNECT_TIMEOUT_S: 4,
  DB_IDLE_TIMEOUT_S: 60,
  DB_MAX_LIFETIME_S: 0,
  DB_STATEMENT_TIMEOUT_MS: 0,
};
const ROUNDS = 5;
const PER_ROUND = 60;

let pg: PostgresInstance;
let bouncer: PgBouncerInstance;
let pools: postgres.Sql[] = [];

beforeAll(async () => {
  pg = await startPostgresInstance();
  const admin = postgres(pg.url(), { max: 1, onnotice: () => {} });
  await admin`create database shequ`;
  await admin.end();
  bouncer = await startPgBouncer({ serverPort: pg.port, databases: ["shequ"], poolSize: 1 });
  // two app processes, as WEB_CONCURRENCY=2 runs them
  pools = [0, 1].map(() => postgres(bouncer.url("shequ"), postgresPoolOptions(POOLED)));
});

afterAll(async () => {
  await Promise.all(pools.map((sql) => sql.end({ timeout: 1 }).catch(() => {})));
  await bouncer?.stop();
  pg?.destroy();
});

/** settles with the value, or rejects naming what did not answer within `ms` */
function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

describe("the app's pool through PgBouncer in transaction mode", () => {
  it("answers each of many queries at once, with and without parameters, with its own result", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const queries = Array.from({ length: PER_ROUND }, (_, i) => {
        const sql = pools[i % pools.length];
        const n = round * PER_ROUND + i;
        // without parameters (pipelined by postgres.js), with one, and a transaction
        const kind = i % 3;
        const query =
          kind === 0
            ? sql.unsafe<{ n: number }[]>(`select ${n}::int as n`)
            : kind === 1
              ? sql<{ n: number }[]>`select ${n}::int as n`
              : sql.begin((tx) => tx<{ n: number }[]>`select ${n}::int as n`);
        return query.then(
          (rows) => ({ n, got: rows[0]?.n as number | undefined, error: undefined as string | undefined }),
          (error: unknown) => ({ n, got: undefined, error: String(error) }),
        );
      });
      const outcomes = await within(20_000, Promise.all(queries), `round ${round}`).catch((error: unknown) => {
        throw new Error(`${String(error)}\npgbouncer:\n${bouncer.log().slice(-2000)}`);
      });
      const wrong = outcomes.filter((o) => o.got !== o.n);
      expect(wrong, `round ${round}: ${JSON.stringify(wrong.slice(0, 5))}`).toEqual([]);
    }
  });
});
