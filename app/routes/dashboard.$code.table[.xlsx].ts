import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { coverageExportTable } from "~/domains/coverage/coverage-export.server";
import { loadCoverageReport } from "~/domains/coverage/coverage.server";
import { significantCode } from "~/domains/regions/regions";
import { parseExportLocale, xlsxResponse } from "~/utils/xlsx.server";

// table.csv as an Excel sheet: the same columns and rows (coverage-export.server.ts)
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const locale = parseExportLocale(request);
  const { report } = await loadCoverageReport(request, code, params.code);
  const filename = `shequ-coverage-${significantCode(report.region.code)}-${report.asOf}.xlsx`;
  return xlsxResponse(coverageExportTable(report), locale, filename);
}
