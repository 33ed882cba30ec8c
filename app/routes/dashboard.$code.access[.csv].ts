import type { LoaderFunctionArgs } from "@remix-run/node";

import { gapExportRows } from "~/utils/access";
import { loadAllGaps } from "~/utils/access.server";
import { csvResponse, toCsv } from "~/utils/csv.server";
import { significantCode } from "~/utils/region-code";
import { requireRegionScope } from "~/utils/scope.server";

// The full gap list for the measure: uncovered communities, most residents aged 60+ first.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { query, summary, thresholdM, gaps } = await loadAllGaps(request, code);
  const rows = gapExportRows(gaps, query.measure, thresholdM);
  const csv = toCsv(rows, [
    { header: "code", value: (r) => r.code },
    { header: "name", value: (r) => r.name },
    { header: "township", value: (r) => r.township },
    { header: "population_60", value: (r) => r.population60 },
    { header: "measure", value: (r) => r.measure },
    { header: "threshold_m", value: (r) => r.thresholdM },
    { header: "include_villages", value: () => query.includeVillages },
    { header: "lat", value: (r) => r.lat },
    { header: "lng", value: (r) => r.lng },
  ]);
  return csvResponse(csv, `shequ-access-gaps-${significantCode(summary.region.code)}-${query.measure}.csv`);
}
