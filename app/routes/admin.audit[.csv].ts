import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";
import { auditExportTable } from "~/domains/audit/audit-export.server";
import { readAuditLog } from "~/domains/audit/audit.server";
import { csvResponse, tableCsv } from "~/utils/csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireAnyScope(request, "manage_users");
  const log = await readAuditLog(request, reader, { pageSize: 50_000 });
  return csvResponse(tableCsv(auditExportTable(log)), "shequ-audit.csv");
}
