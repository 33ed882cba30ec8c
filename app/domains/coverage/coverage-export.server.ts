import { defineExportTable, filterMessages, villagesFilter, type ExportCellType } from "~/utils/export-table";

import { coverageExportRows, type CoverageReport } from "./coverage.server";

type Row = ReturnType<typeof coverageExportRows>[number];

const COLUMN_TYPES: Record<keyof Row, ExportCellType> = {
  code: "text",
  name: "text",
  level: "text",
  as_of: "date",
  include_villages: "boolean",
  communities: "integer",
  certified: "integer",
  rate: "percent",
  urban_communities: "integer",
  urban_certified: "integer",
  villages: "integer",
  villages_certified: "integer",
  target_year: "integer",
  target_rate: "percent",
  target_count: "integer",
  target_deadline: "date",
  gap: "integer",
  status: "text",
  satisfaction_responses: "integer",
  satisfaction_rate: "percent",
};

const LABEL_KEYS: Partial<Record<keyof Row, (identifier: string) => string>> = {
  level: (level) => `levels.${level}`,
  status: (status) => `coverage.statuses.${status}`,
};

/** The dashboard's table (the region, then each child) for table.csv and table.xlsx. */
export function coverageExportTable(report: CoverageReport) {
  return defineExportTable({
    id: "coverage",
    region: report.region.name,
    asOf: report.asOf,
    filters: [villagesFilter(report.includeVillages), ...filterMessages({ year: report.year })],
    columns: (Object.keys(COLUMN_TYPES) as (keyof Row)[]).map((key) => ({
      key,
      type: COLUMN_TYPES[key],
      value: (row: Row) => row[key],
      labelKey: LABEL_KEYS[key],
    })),
    rows: coverageExportRows(report),
  });
}
