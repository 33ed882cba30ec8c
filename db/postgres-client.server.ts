// The postgres.js pool's settings for outages, and the one retry of a read on a connection the
// server closed. Used by the postgres.js branch of connect() in db/client.server.ts.
import type postgres from "postgres";

import type { Env } from "./env.server";

type Sql = postgres.Sql;
type PoolEnv = Pick<
  Env,
  | "DB_POOL_MAX"
  | "DB_CONNECT_TIMEOUT_S"
  | "DB_IDLE_TIMEOUT_S"
  | "DB_MAX_LIFETIME_S"
  | "DB_STATEMENT_TIMEOUT_MS"
  | "DB_POOLER"
>;

/** the longest wait before a reconnect attempt, in seconds */
export const RECONNECT_BACKOFF_CAP_S = 1;

/**
 * postgres.js calls `backoff(retries)` with one failure counter for the whole pool (reset by a
 * successful connect), and its default grows to 20 s: after a restart that drops every connection
 * at once, requests waited 10–20 s. Ours: 0.1 s, 0.2 s, 0.4 s, then at most 1 s, with jitter.
 */
export function reconnectBackoff(retries: number): number {
  const base = Math.min(0.05 * 2 ** Math.max(1, retries), RECONNECT_BACKOFF_CAP_S);
  return base * (0.5 + Math.random() / 2);
}

/**
 * What postgres.js must not do through PgBouncer in transaction mode, which hands each transaction
 * to any server connection (docs/decisions/008), for every client the app opens:
 * - prepare statements by name: one prepared on a server connection is missing on the next
 *   ("prepared statement ... does not exist");
 * - pipeline: it writes a query without parameters behind the one its connection waits on, and
 *   PgBouncer 1.18 releases the server connection at the first answer's end, so what was written
 *   behind it runs for another client and the query hangs or fails. `max_pipeline: 0` (read by
 *   postgres.js, omitted from its types) sends one at a time; the patch of decisions/004 keeps a
 *   transaction's BEGIN reserving its connection then (tests/fault/pooler-pipelining.test.ts).
 */
function pgBouncerSafe(e: Pick<Env, "DB_POOLER">): { prepare: boolean; max_pipeline?: number } {
  return e.DB_POOLER === "pgbouncer" ? { prepare: false, max_pipeline: 0 } : { prepare: true };
}

export function postgresPoolOptions(e: PoolEnv): postgres.Options<Record<string, postgres.PostgresType>> {
  // PgBouncer also refuses startup parameters it does not track, statement_timeout among them (008)
  const pooled = e.DB_POOLER === "pgbouncer";
  return {
    ...pgBouncerSafe(e),
    max: e.DB_POOL_MAX,
    connect_timeout: e.DB_CONNECT_TIMEOUT_S,
    idle_timeout: e.DB_IDLE_TIMEOUT_S,
    // postgres.js takes a function here too (its default is one), evaluated per connection: up to
    // half again at random, so that connections opened together are not all replaced together
    max_lifetime: (e.DB_MAX_LIFETIME_S > 0
      ? () => e.DB_MAX_LIFETIME_S * (1 + Math.random() / 2)
      : 0) as unknown as number,
    backoff: reconnectBackoff,
    onnotice: () => {},
    connection: {
      application_name: "shequ",
      // 0 = no limit; sent in the startup message, so every session of the pool has it
      ...(e.DB_STATEMENT_TIMEOUT_MS > 0 && !pooled ? { statement_timeout: e.DB_STATEMENT_TIMEOUT_MS } : {}),
    },
  };
}

/** connections of the job queue's own pool (docs/decisions/012) */
export const JOB_QUEUE_POOL_MAX = 2;

/**
 * The job queue's own pool, apart from the requests': pg-boss holds a connection through its
 * BEGIN … COMMIT blocks (waiting on its advisory lock up to 30 s at a first start), and a session it
 * left in a failed transaction must never serve a request.
 */
export function jobQueuePoolOptions(e: PoolEnv): postgres.Options<Record<string, postgres.PostgresType>> {
  const options = postgresPoolOptions(e);
  return {
    ...options,
    max: JOB_QUEUE_POOL_MAX,
    connection: { ...options.connection, application_name: "shequ-jobs" },
    types: {
      // node-postgres sends JSON it is given as text as it is (pg-boss passes some already
      // stringified); postgres.js would stringify the string again. drizzle patches the app's pool
      // the same way.
      json: {
        to: 114,
        from: [114, 3802],
        serialize: (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value)),
        parse: (text: string) => JSON.parse(text) as unknown,
      },
    },
  };
}

/**
 * A one-connection client for checks (the readiness probe, the replicas' checks), outside the
 * request pool: a busy pool must not make a healthy server look down. It gives up connecting after
 * 2 s and retries at once, since it is the one that must see the server return.
 */
export function probeOptions(
  e: Pick<Env, "DB_POOLER">,
  applicationName: string,
): postgres.Options<Record<string, postgres.PostgresType>> {
  return {
    max: 1,
    connect_timeout: 2,
    idle_timeout: 60,
    max_lifetime: 30 * 60,
    backoff: () => 0,
    ...pgBouncerSafe(e),
    onnotice: () => {},
    connection: { application_name: applicationName },
  };
}

/** errors after which the statement surely did not finish on a live session: the session is gone */
const CLOSED_SESSION_CODES = new Set(["57P01", "57P02", "CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]);

export function isClosedSession(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CLOSED_SESSION_CODES.has(code);
}

const WRITING = new RegExp(
  String.raw`\b(insert|update|delete|merge|into|returning|nextval|setval|lock|refresh|vacuum|analyze|call|copy|do|` +
    String.raw`notify|listen|pg_notify|pg_advisory\w*|set_config|pg_terminate_backend|pg_cancel_backend|txid_current|` +
    String.raw`create|alter|drop|truncate|grant|revoke|comment|reindex|cluster|prepare|execute|discard|reset|set)\b|` +
    String.raw`\bfor\s+(no\s+key\s+)?update\b|\bfor\s+(key\s+)?share\b`,
  "i",
);

/**
 * A statement that only reads: it starts with SELECT or WITH and names nothing that writes or
 * changes the session. Conservative on purpose (a word in a string literal makes it "writing"):
 * a statement wrongly taken for a write is merely not retried.
 */
export function isReadOnlyStatement(statement: string): boolean {
  const text = statement
    .replace(/--[^\n]*/g, " ")
    .replace(/\/\*[^]*?\*\//g, " ")
    .trim();
  return /^(select|with)\b/i.test(text) && !WRITING.test(text);
}

export type UnsafeArgs = Parameters<Sql["unsafe"]>;

/** one statement as drizzle sends it outside a transaction: rows as arrays when it asked `.values()` */
export function sendUnsafe(sql: Sql, args: UnsafeArgs, values: boolean): Promise<unknown> {
  const query = sql.unsafe(...args);
  return values ? query.values() : query;
}

/**
 * What `unsafe` returns to drizzle when the statement may go to more than one place: drizzle calls
 * `.values()` (rows as arrays) or awaits the query itself, and `run` starts once, when awaited.
 */
export function deferredQuery(run: (values: boolean) => Promise<unknown>) {
  let values = false;
  let settled: Promise<unknown> | undefined;
  const start = () => (settled ??= run(values));
  const pending = {
    values() {
      values = true;
      return pending;
    },
    then<A = unknown, B = never>(
      onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ) {
      return start().then(onFulfilled, onRejected);
    },
    catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null) {
      return start().catch(onRejected);
    },
    finally(onFinally?: (() => void) | null) {
      return start().finally(onFinally);
    },
  };
  return pending;
}

/**
 * The pool as drizzle sees it, with `unsafe` (the only way drizzle's session sends a statement
 * outside a transaction) retrying a read-only statement once when it failed because the server
 * closed the session (57P01 after a restart or pg_terminate_backend, CONNECTION_CLOSED on a pooled
 * connection whose socket had gone). The retry takes another or a fresh connection. Transactions
 * are untouched: drizzle runs them through `begin`, whose scoped client is not this one, and a
 * transaction cut off must fail as a whole. Writes are never retried: their commit may have
 * happened before the session closed.
 */
export function retryReadsOnce(sql: Sql): Sql {
  const unsafe = (...args: UnsafeArgs) =>
    deferredQuery(async (values) => {
      try {
        return await sendUnsafe(sql, args, values);
      } catch (error) {
        if (!isClosedSession(error) || !isReadOnlyStatement(args[0])) throw error;
        return await sendUnsafe(sql, args, values);
      }
    });
  return withUnsafe(sql, unsafe);
}

/** `sql` with its `unsafe` replaced; everything else (`begin`, `end`, `options`) is the pool's own */
export function withUnsafe(sql: Sql, unsafe: (...args: UnsafeArgs) => unknown): Sql {
  return new Proxy(sql, {
    get(target, property) {
      if (property === "unsafe") return unsafe;
      return Reflect.get(target, property, target);
    },
  });
}
