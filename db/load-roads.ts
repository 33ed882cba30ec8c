// npm run db:load-roads -- FILE.osm [--name NAME] [--background]
// npm run db:load-roads -- --remove NAME
// Loads the walkable ways of an OpenStreetMap XML extract as a street network (PostgreSQL with
// pgRouting only: the embedded database measures with the detour factor), then recomputes the
// living circle with walking distances along it. --background leaves the recompute to the app
// server's job queue (progress on /admin/living-circle); a network loaded again under the same
// name replaces the old one.
import path from "node:path";
import { parseArgs } from "node:util";

import { env } from "./env.server";

const usage = "usage: npm run db:load-roads -- FILE.osm [--name NAME] [--background] | --remove NAME";
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    remove: { type: "string" },
    background: { type: "boolean", default: false },
  },
});

if (!env.DATABASE_URL) {
  console.error(
    "shequ: a street network needs PostgreSQL with pgRouting (set DATABASE_URL); the embedded database measures walking distance as the straight line times the detour factor",
  );
  process.exit(1);
}
const file = positionals[0];
if (!values.remove && !file) {
  console.error(usage);
  process.exit(1);
}

const { closeDb } = await import("./client.server");
const { loadRoadNetwork, runLivingCircleRecomputes, unloadRoadNetwork } =
  await import("./queries/living-circle.server");
const { OsmFileError, readWalkableNetwork } = await import("./road-network-osm.server");
const { RoadNetworkUnavailable } = await import("./queries/road-network.server");

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

try {
  if (values.remove) {
    const removed = await unloadRoadNetwork(values.remove);
    if (!removed) {
      console.error(`shequ: no street network named "${values.remove}"`);
      process.exitCode = 1;
    } else console.log(`shequ: street network "${values.remove}" removed; its area is measured with the detour factor`);
  } else {
    const name = values.name ?? path.basename(file!, path.extname(file!));
    const network = await readWalkableNetwork(file!);
    console.log(
      `shequ: ${path.resolve(file!)}: ${network.ways} walkable ways (${network.skippedWays} other ways skipped), ` +
        `${network.nodes.size} nodes, ${network.segments.length} segments` +
        (network.missingNodes ? `; ${network.missingNodes} node references outside the file cut their ways` : "") +
        ` (${elapsed()})`,
    );
    const loaded = await loadRoadNetwork(name, path.basename(file!), network);
    console.log(
      `shequ: street network "${loaded.name}" loaded: ${loaded.vertices} vertices, ${loaded.edges} edges, ` +
        `${(loaded.lengthM / 1000).toFixed(1)} km of walkable ways (${elapsed()})`,
    );
  }
  if (values.background) {
    console.log("shequ: the app server's job queue recomputes the living circle; progress at /admin/living-circle");
  } else {
    await runLivingCircleRecomputes();
    console.log(`shequ: living circle recomputed with walking distances (${elapsed()})`);
  }
} catch (error) {
  const known = error instanceof OsmFileError || error instanceof RoadNetworkUnavailable;
  console.error(`shequ: ${known ? "" : "loading the street network failed: "}${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
