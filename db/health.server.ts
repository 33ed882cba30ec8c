import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { db, dbDriver, queryRows, replicaStatus, type Database, type DbDriver } from "./client.server";
import { env } from "./env.server";
import { errorChain } from "./errors.server";
import { countAppliedMigrations } from "./migrate.server";
import { probeOptions } from "./postgres-client.server";
import type { ReplicaStatus } from "./replicas.server";

/** the replicas, when DATABASE_REPLICA_URL names any: reported, never a reason to fail (the primary is) */
type WithReplicas = { replicas?: ReplicaStatus[] };

export type DatabaseHealth = WithReplicas &
  ({ ok: true; db: DbDriver; migrations: number } | { ok: false; db: DbDriver; cause: ReadinessCause; error: string });

/** What an operator needs to know first: is the server not there, slow, or refusing us? */
export type ReadinessCause = "refused" | "timeout" | "authentication" | "database_missing" | "error";

function causeOf(error: unknown): ReadinessCause {
  const codes = errorChain(error).map((link) => link.code);
  if (codes.some((code) => code === "ECONNREFUSED" || code === "ENOENT" || code === "57P03")) return "refused";
  if (codes.some((code) => code === "CONNECT_TIMEOUT" || code === "ETIMEDOUT" || code === "HEALTH_TIMEOUT"))
    return "timeout";
  if (codes.some((code) => code === "28P01" || code === "28000")) return "authentication";
  if (codes.some((code) => code === "3D000")) return "database_missing";
  return "error";
}

// drizzle wraps driver errors ("Failed query: ..."); the driver's own message says what is wrong.
function rootCause(error: unknown): string {
  const last = errorChain(error).at(-1);
  if (!last || typeof last.message !== "string") return String(error);
  const { code, message } = last;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

// The readiness check has its own connection, outside the request pool: a busy pool must not
// make a healthy database look down (an orchestrator would kill a healthy instance), and a broken
// pool must not hide a database that is back.
let probe: { client: postgres.Sql; database: Database } | null = null;

function probeDatabase(): Database {
  if (dbDriver !== "postgres" || !env.DATABASE_URL) return db;
  if (!probe) {
    const client = postgres(env.DATABASE_URL, probeOptions(env, "shequ-health"));
    probe = { client, database: drizzlePostgres(client) as unknown as Database };
  }
  return probe.database;
}

function dropProbe() {
  const stale = probe;
  probe = null;
  stale?.client.end({ timeout: 0 }).catch(() => {});
}

export async function closeHealthProbe() {
  const stale = probe;
  probe = null;
  await stale?.client.end({ timeout: 1 }).catch(() => {});
}

/** Answers within `timeoutMs` either way: a dead server must not hang the health check. */
export async function checkDatabase({
  database,
  driver = dbDriver,
  timeoutMs = 2000,
}: { database?: Database; driver?: DbDriver; timeoutMs?: number } = {}): Promise<DatabaseHealth> {
  const ownProbe = database === undefined;
  const target = database ?? probeDatabase();
  // the state of the replicas' own checks (every 2 s), not a query of their own here
  const status = ownProbe ? replicaStatus() : [];
  const replicas = status.length ? { replicas: status } : {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "HEALTH_TIMEOUT" })),
      timeoutMs,
    );
  });
  try {
    const migrations = await Promise.race([
      queryRows(sql`select 1`, target).then(() => countAppliedMigrations(target)),
      timeout,
    ]);
    return { ok: true, db: driver, migrations, ...replicas };
  } catch (error) {
    // a probe that failed may be stuck on a dead socket: the next check starts afresh
    if (ownProbe) dropProbe();
    return { ok: false, db: driver, cause: causeOf(error), error: rootCause(error), ...replicas };
  } finally {
    clearTimeout(timer);
  }
}
