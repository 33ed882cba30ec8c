import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { planExportTable } from "~/domains/living-circle/living-circle-export.server";
import { loadPlanExport } from "~/domains/living-circle/scenarios.server";
import { csvResponse, tableCsv } from "~/utils/csv.server";

// The current view (?m=…&s=…) or a saved scenario (?scenario=ID): one row per site and measure.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const plan = await loadPlanExport(request, code);
  return csvResponse(tableCsv(planExportTable(plan)), `${plan.filename}.csv`);
}
