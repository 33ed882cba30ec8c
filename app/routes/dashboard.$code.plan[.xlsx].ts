import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { planExportTable } from "~/domains/living-circle/living-circle-export.server";
import { loadPlanExport } from "~/domains/living-circle/scenarios.server";
import { parseExportLocale, xlsxResponse } from "~/utils/xlsx.server";

// plan.csv as an Excel sheet: the same columns and rows (living-circle-export.server.ts)
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const locale = parseExportLocale(request);
  const plan = await loadPlanExport(request, code);
  return xlsxResponse(planExportTable(plan), locale, `${plan.filename}.xlsx`);
}
