import { parseAccessQuery } from "./access";
import { getAccessSummary, listAccessGaps } from "./db.server";
import { parseRegionCodeParam } from "./region-code";
import { textError } from "./responses.server";
import { requireScope } from "./scope.server";

/**
 * The guard and the parsing every access view shares: a valid code in the reader's view scope,
 * a known measure; then the region's summary. Throws 400/401/403/404.
 */
export async function loadScopedAccess(request: Request, codeParam: string | undefined) {
  const code = parseRegionCodeParam(codeParam);
  if (!code.ok) throw textError(400, code.error);
  const authenticated = await requireScope(request, code.stored, "view");
  const query = parseAccessQuery(new URL(request.url));
  if (!query.success) throw textError(400, query.error.issues[0]?.message ?? "access.measureInvalid");
  const summary = await getAccessSummary(code.stored, { includeVillages: query.data.includeVillages });
  if (!summary) throw textError(404, "no such region");
  const thresholdM = summary.measures.find((m) => m.measure === query.data.measure)!.thresholdM;
  return { authenticated, query: query.data, summary, thresholdM };
}

/** Every uncovered community of the region for the measure (the exports). */
export async function loadAllGaps(request: Request, codeParam: string | undefined) {
  const loaded = await loadScopedAccess(request, codeParam);
  const gaps = await listAccessGaps(loaded.summary.region.code, loaded.query.measure, {
    includeVillages: loaded.query.includeVillages,
  });
  return { ...loaded, gaps: gaps?.gaps ?? [] };
}
