import type { Geometry } from "geojson";

import { LEVEL_CODE_LENGTH, LIVING_CIRCLE_MEASURES } from "../../../db/identifiers";
import {
  countLivingCircleGapsByChild,
  getLivingCircleSummary,
  listLivingCircleGaps,
} from "../../../db/queries/living-circle.server";
import { getRegionBoundary, hasDemoCommunities } from "../../../db/queries/regions.server";
import { readDatabaseFor } from "../../utils/read-database.server";
import { getChildShapes, loadCoverageReport } from "./coverage.server";
import { gapsByChild, projectReportMap, REPORT_GAP_LIST_LIMIT } from "./report";

// The printed region report (/dashboard/:code/report): the dashboard's figures (the same
// loadCoverageReport), the children's map as SVG, the living circle's gaps and the sources.

/** the levels whose report lists the uncovered communities themselves (above them: counts per child) */
const LISTS_GAPS = new Set(["county", "township", "community"]);

/**
 * Everything the report shows, for a region the route's guard let through: 404 for an unknown
 * code; bad query values are reported in `errors` and left at their default, as on the dashboard.
 */
export async function loadRegionReport(request: Request, storedCode: string, codeParam: string | undefined) {
  const { report, errors } = await loadCoverageReport(request, storedCode, codeParam);
  const database = readDatabaseFor(request);
  const { region } = report;
  const options = { includeVillages: report.includeVillages };
  const countyChildren = region.level === "province" && report.childrenLevel === "county";
  const listsGaps = LISTS_GAPS.has(region.level);
  const childDigits = report.childrenLevel ? LEVEL_CODE_LENGTH[report.childrenLevel] : null;
  const [shapes, summary, perChild, lists, demo] = await Promise.all([
    report.children.length > 0
      ? getChildShapes(region.code, countyChildren ? { parentLevel: "province", level: "county" } : undefined, database)
      : [],
    getLivingCircleSummary(region.code, options, database),
    !listsGaps && childDigits !== null ? countLivingCircleGapsByChild(region.code, childDigits, options, database) : [],
    listsGaps
      ? Promise.all(
          LIVING_CIRCLE_MEASURES.map(async (measure) => ({
            measure,
            list: await listLivingCircleGaps(
              region.code,
              measure,
              { ...options, limit: REPORT_GAP_LIST_LIMIT },
              database,
            ),
          })),
        )
      : [],
    hasDemoCommunities(region.code, region.level, database),
  ]);
  // townships are known by a point: the county's own outline around them
  const needsOutline = shapes.some((s) => s.geometry.type === "Point") && ["city", "county"].includes(region.level);
  const outline = needsOutline ? ((await getRegionBoundary(region.code))?.geometry ?? null) : null;
  const byChild = gapsByChild(perChild);
  return {
    report,
    errors,
    map: projectReportMap(shapes, outline as Geometry | null),
    livingCircle: summary
      ? {
          distance: summary.distance,
          measures: summary.measures.map((m) => ({
            measure: m.measure,
            thresholdM: m.thresholdM,
            communities: m.communities,
            gaps: m.communities - m.covered,
          })),
          perChild: listsGaps
            ? null
            : report.children.map((c) => ({ code: c.code, name: c.name, gaps: byChild.get(c.code) ?? {} })),
          lists: lists.map((l) => ({ measure: l.measure, total: l.list?.total ?? 0, gaps: l.list?.gaps ?? [] })),
        }
      : null,
    demo,
    printedAt: new Date().toISOString(),
    url: pageUrl(request),
  };
}

/** the report's own address as printed on it, without the dashboard link's ?print=1 */
function pageUrl(request: Request) {
  const url = new URL(request.url);
  url.searchParams.delete("print");
  return url.toString();
}

export type RegionReport = Awaited<ReturnType<typeof loadRegionReport>>;
