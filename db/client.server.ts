import { PGlite } from "@electric-sql/pglite";
import { postgis } from "@electric-sql/pglite-postgis";
import { type SQL } from "drizzle-orm";
import { type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { mkdirSync } from "node:fs";
import postgres from "postgres";

import { env } from "./env.server";
import { registerOpenPglite } from "./pglite-backup.server";
import { acquirePgliteLock, PgliteLockError, type PgliteLock } from "./pglite-lock.server";
import { jobQueuePoolOptions, postgresPoolOptions, retryReadsOnce } from "./postgres-client.server";
import { openReplicas, type ReplicaStatus } from "./replicas.server";
import * as schema from "./schema";

/** One type for both drivers, so queries never know which one runs. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbDriver = "pglite" | "postgres";

/** A statement's rows, in the shape libraries written for node-postgres expect. */
export type RawResult = { rows: Record<string, unknown>[] };
/** One statement with $1… parameters, or (without parameters) several separated by semicolons. */
export type ExecuteRawSql = (text: string, values?: unknown[]) => Promise<RawResult>;

export type Connection = {
  db: Database;
  /** reads that may come from a replica (docs/decisions/010): `db` itself when there is none */
  readDb: Database;
  driver: DbDriver;
  /** raw SQL for a library that brings its own (the job queue): its own small pool, or PGlite */
  executeSql: ExecuteRawSql;
  /** each replica's state, for /healthz */
  replicas: () => ReplicaStatus[];
  /** the app server checks its replicas from the start (scripts never read from them) */
  startReplicaChecks: () => void;
  close: () => Promise<void>;
};

export function connect(options: { url?: string; dataDir?: string; replicaUrls?: string[] }): Connection {
  if (options.url) {
    // outage settings (capped backoff, timeouts) and one retry of a read on a closed session:
    // db/postgres-client.server.ts; postgres.js itself is patched at install (docs/decisions/004)
    const client = postgres(options.url, postgresPoolOptions(env));
    const primary = retryReadsOnce(client);
    const database = drizzlePostgres(primary, { schema }) as unknown as Database;
    const replicas = options.replicaUrls?.length ? openReplicas(primary, options.replicaUrls, env) : null;
    // postgres.js connects on the first query: a script that never runs a job opens none of these
    const jobs = postgres(options.url, jobQueuePoolOptions(env));
    return {
      db: database,
      readDb: replicas ? (drizzlePostgres(replicas.sql, { schema }) as unknown as Database) : database,
      driver: "postgres",
      executeSql: (text, values) => executeOnPostgres(jobs, text, values),
      replicas: () => replicas?.status() ?? [],
      startReplicaChecks: () => replicas?.start(),
      close: async () => {
        await replicas?.close();
        await Promise.all([client.end({ timeout: 5 }), jobs.end({ timeout: 5 })]);
      },
    };
  }
  const dataDir = options.dataDir ?? env.PGLITE_DATA_DIR;
  const inFolder = !dataDir.includes("://");
  // one process per folder: a second one would corrupt it; it waits a few seconds, then refuses
  const lock: PgliteLock | undefined = inFolder ? acquirePgliteLock(dataDir) : undefined;
  let client: PGlite;
  try {
    if (inFolder) mkdirSync(dataDir, { recursive: true });
    client = new PGlite(dataDir, { extensions: { postgis } });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const unregister = inFolder ? registerOpenPglite(dataDir, client) : () => {};
  const database = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db: database,
    readDb: database,
    driver: "pglite",
    executeSql: async (text, values) => {
      if (values?.length) return (await client.query(text, values)) as RawResult;
      // exec runs several statements; the last one's rows are the answer
      try {
        const results = await client.exec(text);
        return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
      } catch (error) {
        // PGlite is one session: left in a failed BEGIN … COMMIT, every query of the app would fail
        await client.exec("ROLLBACK").catch(() => {});
        throw error;
      }
    },
    replicas: () => [],
    startReplicaChecks: () => {},
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        unregister();
        lock?.release();
      }
    },
  };
}

/** Raw SQL for a library written for node-postgres, on a postgres.js pool of its own. */
async function executeOnPostgres(client: postgres.Sql, text: string, values?: unknown[]): Promise<RawResult> {
  if (values?.length) return { rows: [...(await client.unsafe(text, values.map(asNodePostgresParameter) as never[]))] };
  // Without parameters postgres.js uses the simple protocol, which takes several statements,
  // a BEGIN … COMMIT among them; on a pool it allows that only on a reserved connection.
  const reserved = await client.reserve();
  try {
    const result = (await reserved.unsafe(text)) as unknown as unknown[];
    // several statements answer one result each: the last one's rows are the answer
    const last = Array.isArray(result[0]) ? (result.at(-1) as unknown[]) : result;
    return { rows: [...last] as Record<string, unknown>[] };
  } catch (error) {
    // a statement that failed inside BEGIN … COMMIT leaves the session in the aborted
    // transaction: back in the pool as it is, every later query on it would fail (25P02)
    await reserved.unsafe("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    reserved.release();
  }
}

/**
 * A parameter as node-postgres sends it (text the server casts by context): postgres.js would
 * send an object as "[object Object]" and type an array by its first element.
 */
export function asNodePostgresParameter(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array || typeof value !== "object") return value;
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(",")}}`;
  return JSON.stringify(value);
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(",")}}`;
  const text =
    value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function connectOrExit(): Connection {
  try {
    return connect({ url: env.DATABASE_URL, dataDir: env.PGLITE_DATA_DIR, replicaUrls: env.DATABASE_REPLICA_URL });
  } catch (error) {
    // a second server or script on the same folder: the message says it all, a stack trace would not
    if (!(error instanceof PgliteLockError)) throw error;
    console.error(`shequ: ${error.message}`);
    process.exit(1);
  }
}

const connection = connectOrExit();

/** The one database client of the app, scripts and tests. */
export const db = connection.db;
export const dbDriver = connection.driver;
export const executeRawSql = connection.executeSql;
/**
 * Reads a route opted into (residents' search, public coverage, dashboards): from a streaming
 * replica when one is in use, else the primary. Routes pick it per request, with the
 * read-your-writes rule (app/utils/read-database.server.ts); writes always go through `db`.
 */
export const readDb = connection.readDb;
export const replicaStatus = connection.replicas;
export const startReplicaChecks = connection.startReplicaChecks;

let closing: Promise<void> | undefined;
export function closeDb() {
  closing ??= connection.close();
  return closing;
}

/** Raw SQL rows: PGlite answers `{rows}`, postgres.js an array; callers never see the difference. */
export async function queryRows<T>(query: SQL, database: Database = db): Promise<T[]> {
  const result = (await database.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

// An open PGlite or postgres.js pool keeps the process alive; a server must still stop on a signal.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    closeDb()
      .catch(() => {})
      .finally(() => process.exit(0));
  });
}
