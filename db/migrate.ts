// npm run db:migrate: applies drizzle/ to DATABASE_URL, or to the embedded database.
import { closeDb, dbDriver } from "./client.server";
import { countAppliedMigrations, migrateDatabase } from "./migrate.server";

const started = performance.now();
try {
  await migrateDatabase();
  const applied = await countAppliedMigrations();
  console.log(`migrations: ${applied} applied on ${dbDriver} in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
