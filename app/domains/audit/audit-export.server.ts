import { defineExportTable, filterMessages, type ExportColumn } from "~/utils/export-table";

import type { AuditRow } from "../../../db/queries/audit.server";
import { todayInChina } from "../coverage/coverage";
import type { readAuditLog } from "./audit.server";

const AUDIT_COLUMNS: ExportColumn<AuditRow>[] = [
  { key: "at", type: "datetime", value: (e) => e.at },
  { key: "actor", type: "text", value: (e) => e.actor },
  { key: "action", type: "text", value: (e) => e.action },
  { key: "object_type", type: "text", value: (e) => e.objectType },
  { key: "object_id", type: "text", value: (e) => e.objectId },
  { key: "region_code", type: "text", value: (e) => e.regionCode },
  { key: "before", type: "json", value: (e) => e.before },
  { key: "after", type: "json", value: (e) => e.after },
];

const day = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : undefined);

/** The audit entries the reader may read, filtered as the page is, for audit.csv and audit.xlsx. */
export function auditExportTable({ entries, filter }: Awaited<ReturnType<typeof readAuditLog>>) {
  return defineExportTable({
    id: "audit",
    region: null,
    asOf: todayInChina(),
    filters: filterMessages({
      action: filter.action,
      objectType: filter.objectType,
      actor: filter.actor,
      from: day(filter.from),
      to: day(filter.to),
    }),
    columns: AUDIT_COLUMNS,
    rows: entries,
  });
}
