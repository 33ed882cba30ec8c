import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";
import { readAuditLog } from "~/domains/audit/audit.server";
import { csvResponse, toCsv } from "~/utils/csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireAnyScope(request, "manage_users");
  const { entries } = await readAuditLog(request, reader, { pageSize: 50_000 });
  const csv = toCsv(entries, [
    { header: "at", value: (e) => e.at },
    { header: "actor", value: (e) => e.actor },
    { header: "action", value: (e) => e.action },
    { header: "object_type", value: (e) => e.objectType },
    { header: "object_id", value: (e) => e.objectId },
    { header: "region_code", value: (e) => e.regionCode },
    { header: "before", value: (e) => e.before },
    { header: "after", value: (e) => e.after },
  ]);
  return csvResponse(csv, "shequ-audit.csv");
}
