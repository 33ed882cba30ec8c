import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { gapsExportTable } from "~/domains/living-circle/living-circle-export.server";
import { loadAllGaps } from "~/domains/living-circle/living-circle.server";
import { significantCode } from "~/domains/regions/regions";
import { parseExportLocale, xlsxResponse } from "~/utils/xlsx.server";

// living-circle.csv as an Excel sheet: the same columns and rows (living-circle-export.server.ts)
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const locale = parseExportLocale(request);
  const gaps = await loadAllGaps(request, code);
  const filename = `shequ-access-gaps-${significantCode(gaps.summary.region.code)}-${gaps.query.measure}.xlsx`;
  return xlsxResponse(gapsExportTable(gaps), locale, filename);
}
