import { sql } from "drizzle-orm";

import { db, dbDriver, queryRows, type Database, type DbDriver } from "./client.server";
import { countAppliedMigrations } from "./migrate.server";

export type DatabaseHealth =
  | { ok: true; db: DbDriver; migrations: number }
  | { ok: false; db: DbDriver; error: string };

/** Answers within `timeoutMs` either way: a dead server must not hang the health check. */
export async function checkDatabase(
  { database = db, driver = dbDriver, timeoutMs = 3000 }: { database?: Database; driver?: DbDriver; timeoutMs?: number } = {},
): Promise<DatabaseHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const migrations = await Promise.race([
      queryRows(sql`select 1`, database).then(() => countAppliedMigrations(database)),
      timeout,
    ]);
    return { ok: true, db: driver, migrations };
  } catch (error) {
    return { ok: false, db: driver, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
