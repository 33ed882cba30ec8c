// npm run db:seed [-- --demo]: reference data (idempotent), and with --demo the demo data set.
import { closeDb, dbDriver } from "../client.server";
import { recomputeLivingCircle } from "../queries/living-circle.server";
import { loadDemoData } from "./demo.server";
import { loadReferenceData } from "./load-reference.server";

const withDemo = process.argv.includes("--demo");
try {
  console.log(`reference data → ${dbDriver}`);
  const reference = await loadReferenceData();
  console.log(`reference data loaded in ${reference.seconds.toFixed(1)} s`);
  if (withDemo) {
    console.log("demo data (generated, labelled demo)");
    const demo = await loadDemoData();
    console.log(`demo data ready in ${demo.seconds.toFixed(1)} s`);
    // the living-circle table follows the listings; the demo's arrive in bulk
    const started = performance.now();
    const { rows } = await recomputeLivingCircle();
    console.log(`living-circle reach: ${rows} rows (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
} catch (error) {
  console.error(`seed failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
