import { getAccessSummary, listAccessGaps } from "../../../db/queries/living-circle.server";
import { textError } from "../../utils/responses.server";
import { parseAccessQuery } from "./living-circle";

// The living circle on the server: gaps, suggested sites and thresholds from
// db/queries/living-circle.server.ts, and below, the scoped reads the pages and exports share.
export {
  ACCESS_THRESHOLD_MAX,
  ACCESS_THRESHOLD_MIN,
  listAccessGaps,
  listAccessThresholdSettings,
  setAccessThreshold,
  suggestSites,
} from "../../../db/queries/living-circle.server";

/**
 * The parsing every access view shares, for a region the route's guard (requireRegionScope) has
 * let the reader see: a known measure, then the region's summary. Throws 400/404.
 */
export async function loadScopedAccess(request: Request, storedCode: string) {
  const query = parseAccessQuery(new URL(request.url));
  if (!query.success) throw textError(400, query.error.issues[0]?.message ?? "access.measureInvalid");
  const summary = await getAccessSummary(storedCode, { includeVillages: query.data.includeVillages });
  if (!summary) throw textError(404, "no such region");
  const thresholdM = summary.measures.find((m) => m.measure === query.data.measure)!.thresholdM;
  return { query: query.data, summary, thresholdM };
}

/** Every uncovered community of the region for the measure (the exports). */
export async function loadAllGaps(request: Request, storedCode: string) {
  const loaded = await loadScopedAccess(request, storedCode);
  const gaps = await listAccessGaps(loaded.summary.region.code, loaded.query.measure, {
    includeVillages: loaded.query.includeVillages,
  });
  return { ...loaded, gaps: gaps?.gaps ?? [] };
}
