// Runs before the app starts: migrate, and on an empty database load the reference data
// (and with --demo the demo data). A database that already has them starts in seconds.
import { sql } from "drizzle-orm";

import { closeDb, dbDriver, queryRows } from "./client.server";
import { env } from "./env.server";
import { countAppliedMigrations, migrateDatabase } from "./migrate.server";
import { computeUncomputedMeasures } from "./queries/living-circle.server";
import { hasDemoData, loadDemoData } from "./seed/demo.server";
import { loadReferenceData } from "./seed/load-reference.server";

const withDemo = process.argv.includes("--demo");
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

try {
  const where = dbDriver === "pglite" ? `embedded PGlite in ${env.PGLITE_DATA_DIR}` : "PostgreSQL (DATABASE_URL)";
  console.log(`shequ: database ${where}`);
  if (dbDriver === "postgres") {
    // migrations and the seed write: on a standby they fail halfway, with a message about read-only
    const [server] = await queryRows<{ standby: boolean }>(sql`select pg_is_in_recovery() as standby`);
    if (server?.standby)
      throw new Error(
        "DATABASE_URL is a standby (a read replica): point it at the primary; replicas go in DATABASE_REPLICA_URL",
      );
  }
  await migrateDatabase();
  console.log(`shequ: ${await countAppliedMigrations()} migrations applied (${elapsed()})`);

  const [regions] = await queryRows<{ n: number }>(sql`select count(*)::int as n from regions`);
  if (!regions?.n) {
    console.log("shequ: empty database, loading Shandong's divisions and boundaries (first start only)");
    await loadReferenceData();
  }
  if (withDemo && !(await hasDemoData())) {
    console.log("shequ: generating the demo data set (first start only)");
    await loadDemoData();
  }
  // living-circle reach: after new demo data, for a measure new in the vocabulary, or on a
  // database upgraded from before the table
  const [listings] = await queryRows<{ facilities: boolean }>(
    sql`select exists (select 1 from facilities) as facilities`,
  );
  if (listings?.facilities) {
    const livingCircleStarted = performance.now();
    const { measures, rows } = await computeUncomputedMeasures();
    if (measures.length > 0) {
      console.log(
        `shequ: living-circle reach computed for ${measures.join(", ")}: ${rows} rows (${((performance.now() - livingCircleStarted) / 1000).toFixed(1)} s)`,
      );
    }
  }
  console.log(`shequ: database ready (${elapsed()})`);
} catch (error) {
  console.error(`shequ: database setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
