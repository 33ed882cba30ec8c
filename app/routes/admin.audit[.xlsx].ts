import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";
import { auditExportTable } from "~/domains/audit/audit-export.server";
import { readAuditLog } from "~/domains/audit/audit.server";
import { parseExportLocale, xlsxResponse } from "~/utils/xlsx.server";

// audit.csv as an Excel sheet: the same columns and rows (audit-export.server.ts)
export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireAnyScope(request, "manage_users");
  const locale = parseExportLocale(request);
  const log = await readAuditLog(request, reader, { pageSize: 50_000 });
  return xlsxResponse(auditExportTable(log), locale, "shequ-audit.xlsx");
}
