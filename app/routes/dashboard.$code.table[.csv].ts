import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { coverageExportRows, loadCoverageReport } from "~/domains/coverage/coverage.server";
import { significantCode } from "~/domains/regions/regions";
import { csvResponse, toCsv } from "~/utils/csv.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { report } = await loadCoverageReport(request, code, params.code);
  const rows = coverageExportRows(report);
  const columns = Object.keys(rows[0]) as (keyof (typeof rows)[number])[];
  const csv = toCsv(
    rows,
    columns.map((key) => ({ header: key, value: (row) => row[key] })),
  );
  return csvResponse(csv, `shequ-coverage-${significantCode(report.region.code)}-${report.asOf}.csv`);
}
