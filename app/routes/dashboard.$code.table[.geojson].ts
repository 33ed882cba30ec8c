import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { coverageExportRows, loadCoverageReport, getChildShapes } from "~/domains/coverage/coverage.server";
import { significantCode } from "~/domains/regions/regions";
import { geoJsonResponse } from "~/utils/geojson.server";
import { readDatabaseFor } from "~/utils/read-database.server";

// The dashboard table's children as features: boundary or point, with the same properties as the CSV.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { report } = await loadCoverageReport(request, code, params.code);
  const descendants =
    report.region.level === "province" && report.childrenLevel === "county"
      ? ({ parentLevel: "province", level: "county" } as const)
      : undefined;
  const shapes = new Map(
    (await getChildShapes(report.region.code, descendants, readDatabaseFor(request))).map((s) => [
      significantCode(s.code),
      s.geometry,
    ]),
  );
  const [, ...children] = coverageExportRows(report);
  const body = {
    type: "FeatureCollection",
    features: children.map((row) => ({ type: "Feature", properties: row, geometry: shapes.get(row.code) ?? null })),
  };
  return geoJsonResponse(body, {
    filename: `shequ-coverage-${significantCode(report.region.code)}-${report.asOf}.geojson`,
  });
}
