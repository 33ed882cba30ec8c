import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";

import { db, dbDriver, queryRows, type Database, type DbDriver } from "./client.server";
import { migrationsFolder } from "./paths.server";

export async function migrateDatabase(database: Database = db, driver: DbDriver = dbDriver) {
  const config = { migrationsFolder };
  // each migrator wants its own driver's database type; ours is the shared supertype
  if (driver === "pglite") await migratePglite(database as unknown as Parameters<typeof migratePglite>[0], config);
  else await migratePostgres(database as unknown as Parameters<typeof migratePostgres>[0], config);
}

/** How many migrations the database has applied (0 before the first run). */
export async function countAppliedMigrations(database: Database = db): Promise<number> {
  const [exists] = await queryRows<{ present: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
    database,
  );
  if (!exists?.present) return 0;
  const [row] = await queryRows<{ n: number }>(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    database,
  );
  return row?.n ?? 0;
}
