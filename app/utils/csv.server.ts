import { stringify } from "csv-stringify/sync";

import type { ExportTable } from "./export-table";
import { PRIVATE_NO_STORE } from "./http-cache.server";
import { attachmentDisposition } from "./responses.server";

// A cell starting with one of these is a formula to Excel and LibreOffice: prefix it with an
// apostrophe so a spreadsheet shows it as text (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** CSV with a BOM (Excel then reads UTF-8 Chinese correctly), one header row, neutralized cells. */
export function toCsv<T>(rows: T[], columns: { header: string; value: (row: T) => unknown }[]) {
  const body = stringify([
    columns.map((c) => c.header),
    ...rows.map((row) => columns.map((c) => neutralizeCell(c.value(row)))),
  ]);
  return `\uFEFF${body}`;
}

export function csvResponse(csv: string, filename: string) {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentDisposition(filename),
      "Cache-Control": PRIVATE_NO_STORE,
    },
  });
}

/** An export table (export-table.ts) as CSV: its column keys as the header, every cell as text. */
export function tableCsv<T>(table: ExportTable<T>) {
  return toCsv(
    [...table.rows],
    table.columns.map((c) => ({ header: c.key, value: c.value })),
  );
}
