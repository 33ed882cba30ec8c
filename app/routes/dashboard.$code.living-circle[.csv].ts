import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { gapExportRows } from "~/domains/living-circle/living-circle";
import { loadAllGaps } from "~/domains/living-circle/living-circle.server";
import { significantCode } from "~/domains/regions/regions";
import { csvResponse, toCsv } from "~/utils/csv.server";

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
