// npm run db:restore -- FILE: replaces the embedded database (PGLITE_DATA_DIR) with a backup from
// `npm run db:backup`. Refuses while a process (the app server) holds the folder. The current
// folder is kept beside it (printed); the backup's schema is brought up to date by the migrations.
import { sql } from "drizzle-orm";
import path from "node:path";

import { env } from "./env.server";
import { loadPgliteDump } from "./pglite-backup.server";
import { acquirePgliteLock, type PgliteLock } from "./pglite-lock.server";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run db:restore -- FILE (a backup from npm run db:backup)");
  process.exit(2);
}
if (env.DATABASE_URL) {
  console.error("db:restore restores the embedded database; with DATABASE_URL use pg_restore");
  process.exit(1);
}

const dataDir = path.resolve(env.PGLITE_DATA_DIR);
let lock: PgliteLock | undefined;
try {
  // shareable: the database client opened below for the migrations works under this same lock
  lock = acquirePgliteLock(dataDir, { waitMs: 0, shareable: true });
  const started = performance.now();
  const { movedTo } = await loadPgliteDump(dataDir, file);
  console.log(`shequ: ${path.resolve(file)} loaded into ${dataDir}`);
  if (movedTo) console.log(`shequ: the database it replaced is kept in ${movedTo} (delete it when no longer needed)`);

  const { closeDb, queryRows } = await import("./client.server");
  try {
    const { countAppliedMigrations, migrateDatabase } = await import("./migrate.server");
    await migrateDatabase();
    const [regions] = await queryRows<{ n: number }>(sql`select count(*)::int as n from regions`);
    console.log(
      `shequ: restored: ${await countAppliedMigrations()} migrations applied, ${regions?.n ?? 0} regions ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await closeDb();
  }
} catch (error) {
  console.error(`shequ: restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  lock?.release();
}
