import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { coverageExportTable } from "~/domains/coverage/coverage-export.server";
import { loadCoverageReport } from "~/domains/coverage/coverage.server";
import { significantCode } from "~/domains/regions/regions";
import { csvResponse, tableCsv } from "~/utils/csv.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { report } = await loadCoverageReport(request, code, params.code);
  const csv = tableCsv(coverageExportTable(report));
  return csvResponse(csv, `shequ-coverage-${significantCode(report.region.code)}-${report.asOf}.csv`);
}
