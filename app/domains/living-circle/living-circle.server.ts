import { dbDriver } from "../../../db/client.server";
import type { LivingCircleMeasure } from "../../../db/identifiers";
import {
  getLivingCircleSummary,
  listLivingCircleGaps,
  loadRoadNetwork,
  unloadRoadNetwork,
  setDetourFactor as saveDetourFactor,
  setLivingCircleThreshold as saveLivingCircleThreshold,
} from "../../../db/queries/living-circle.server";
import { readWalkableNetwork } from "../../../db/road-network-osm.server";
import { readDatabaseFor } from "../../utils/read-database.server";
import { textError } from "../../utils/responses.server";
import { JOBS } from "../jobs/job-names";
import { sendJob } from "../jobs/job-queue.server";
import { parseLivingCircleQuery } from "./living-circle";

// The living circle on the server: gaps, suggested sites and thresholds from
// db/queries/living-circle.server.ts, and below, the scoped reads the pages and exports share.
export {
  LIVING_CIRCLE_THRESHOLD_MAX,
  LIVING_CIRCLE_THRESHOLD_MIN,
  listLivingCircleGaps,
  listLivingCircleRecomputes,
  listLivingCircleThresholdSettings,
} from "../../../db/queries/living-circle.server";
export {
  getDistanceModel,
  hasPgRouting,
  listRoadNetworksIn,
  RoadNetworkUnavailable,
} from "../../../db/queries/road-network.server";
export { OsmFileError } from "../../../db/road-network-osm.server";

/** Street networks need PostgreSQL with pgRouting: never the embedded database. */
export const streetNetworksPossible = () => dbDriver === "postgres";

/**
 * An official loads a street network for their region from an OpenStreetMap file (audited; it
 * must lie inside the region); the living circle is recomputed in the background.
 */
export async function loadRegionRoadNetwork(
  actor: { userId: string },
  regionCode: string,
  name: string,
  file: string,
  sourceFile: string,
) {
  const network = await readWalkableNetwork(file);
  const loaded = await loadRoadNetwork(name, sourceFile, network, { code: regionCode, actor });
  await sendJob(JOBS.recomputeLivingCircle);
  return loaded;
}

/** Removes a network an official loaded inside their scope (audited); null when there is none. */
export async function removeRegionRoadNetwork(actor: { userId: string }, prefix: string, name: string) {
  const removed = await unloadRoadNetwork(name, { prefix, actor });
  if (removed) await sendJob(JOBS.recomputeLivingCircle);
  return removed;
}

/** The province admin sets a threshold (audited); the measure is recomputed in the background. */
export async function setLivingCircleThreshold(
  actor: { userId: string },
  measure: LivingCircleMeasure,
  metres: number,
) {
  const result = await saveLivingCircleThreshold(actor, measure, metres);
  await sendJob(JOBS.recomputeLivingCircle);
  return result;
}

/** The province admin sets the detour factor (audited); every measure is recomputed in the background. */
export async function setDetourFactor(actor: { userId: string }, factor: number) {
  const result = await saveDetourFactor(actor, factor);
  await sendJob(JOBS.recomputeLivingCircle);
  return result;
}

/**
 * The parsing every living-circle view shares, for a region the route's guard (requireRegionScope) has
 * let the reader see: a known measure, then the region's summary. Throws 400/404. `database`: where
 * the request's reads go (a replica unless it must see the primary: readDatabaseFor).
 */
export async function loadScopedLivingCircle(request: Request, storedCode: string) {
  const query = parseLivingCircleQuery(new URL(request.url));
  if (!query.success) throw textError(400, query.error.issues[0]?.message ?? "livingCircle.measureInvalid");
  const database = readDatabaseFor(request);
  const summary = await getLivingCircleSummary(storedCode, { includeVillages: query.data.includeVillages }, database);
  if (!summary) throw textError(404, "no such region");
  const thresholdM = summary.measures.find((m) => m.measure === query.data.measure)!.thresholdM;
  return { query: query.data, summary, thresholdM, database };
}

/** Every uncovered community of the region for the measure (the exports). */
export async function loadAllGaps(request: Request, storedCode: string) {
  const loaded = await loadScopedLivingCircle(request, storedCode);
  const gaps = await listLivingCircleGaps(
    loaded.summary.region.code,
    loaded.query.measure,
    { includeVillages: loaded.query.includeVillages },
    loaded.database,
  );
  return { ...loaded, gaps: gaps?.gaps ?? [] };
}
