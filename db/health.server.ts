import { sql } from "drizzle-orm";

import { db, dbDriver, queryRows, type Database, type DbDriver } from "./client.server";
import { countAppliedMigrations } from "./migrate.server";

export type DatabaseHealth =
  | { ok: true; db: DbDriver; migrations: number }
  | { ok: false; db: DbDriver; error: string };

// drizzle wraps driver errors ("Failed query: ..."); the driver's own message says what is wrong.
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause) current = current.cause;
  if (current instanceof Error) {
    const code = (current as { code?: string }).code;
    return code && !current.message.includes(code) ? `${code}: ${current.message}` : current.message;
  }
  return String(current);
}

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
    return { ok: false, db: driver, error: rootCause(error) };
  } finally {
    clearTimeout(timer);
  }
}
