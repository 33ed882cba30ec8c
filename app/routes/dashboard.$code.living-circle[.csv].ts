import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { gapsExportTable } from "~/domains/living-circle/living-circle-export.server";
import { loadAllGaps } from "~/domains/living-circle/living-circle.server";
import { significantCode } from "~/domains/regions/regions";
import { csvResponse, tableCsv } from "~/utils/csv.server";

// The full gap list for the measure: uncovered communities, most residents aged 60+ first.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const gaps = await loadAllGaps(request, code);
  const filename = `shequ-access-gaps-${significantCode(gaps.summary.region.code)}-${gaps.query.measure}.csv`;
  return csvResponse(tableCsv(gapsExportTable(gaps)), filename);
}
