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
import { postgresPoolOptions, retryReadsOnce } from "./postgres-client.server";
import { openReplicas, type ReplicaStatus } from "./replicas.server";
import * as schema from "./schema";

/** One type for both drivers, so queries never know which one runs. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbDriver = "pglite" | "postgres";

export type Connection = {
  db: Database;
  /** reads that may come from a replica (docs/decisions/010): `db` itself when there is none */
  readDb: Database;
  driver: DbDriver;
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
    return {
      db: database,
      readDb: replicas ? (drizzlePostgres(replicas.sql, { schema }) as unknown as Database) : database,
      driver: "postgres",
      replicas: () => replicas?.status() ?? [],
      startReplicaChecks: () => replicas?.start(),
      close: async () => {
        await replicas?.close();
        await client.end({ timeout: 5 });
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
