import ExcelJS from "exceljs";

import { createI18n, type Locale } from "~/i18n";

import { isCalendarDate } from "./calendar-date";
import { exportLocale, type ExportCellType, type ExportMessage, type ExportTable } from "./export-table";
import { PRIVATE_NO_STORE } from "./http-cache.server";
import { attachmentDisposition, errorResponse } from "./responses.server";

// The one Excel writer (docs/decisions/017-xlsx-exports.md): an export table (export-table.ts) as
// one sheet — a title row, then the header row (frozen, with an autofilter), then typed cells.
// Every text cell is written as a plain string value: nothing here makes a `{ formula }` cell, so
// "=HYPERLINK(…)" from a facility's name stays text that no spreadsheet runs.

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const NUMBER_FORMATS: Partial<Record<ExportCellType, string>> = {
  integer: "0",
  percent: "0.0%",
  date: "yyyy-mm-dd",
  datetime: "yyyy-mm-dd hh:mm:ss",
};

// Excel keeps no time zone: an instant is written as the wall-clock time in China (UTC+8)
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
// the most characters Excel keeps in one cell
const MAX_CELL_TEXT = 32_767;
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

type Cell = string | number | Date | null;

function asText(value: unknown): string {
  const text =
    value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > MAX_CELL_TEXT ? text.slice(0, MAX_CELL_TEXT) : text;
}

/** a value as the cell of its column's type; anything that does not fit the type is kept as text */
export function xlsxCell(type: ExportCellType, value: unknown, words: { yes: string; no: string }): Cell {
  if (value === null || value === undefined || value === "") return null;
  switch (type) {
    case "integer":
    case "number":
    case "percent": {
      const n = typeof value === "number" ? value : Number(value);
      return typeof value !== "boolean" && Number.isFinite(n) ? n : asText(value);
    }
    case "date": {
      const day = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      return isCalendarDate(day) ? new Date(`${day}T00:00:00Z`) : asText(value);
    }
    case "datetime": {
      const at = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(at.getTime()) ? asText(value) : new Date(at.getTime() + CHINA_OFFSET_MS);
    }
    case "boolean":
      return value === true || value === "true"
        ? words.yes
        : value === false || value === "false"
          ? words.no
          : asText(value);
    default:
      return asText(value);
  }
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** how many columns of a fixed-width font a text takes: CJK and full-width characters count double */
export function displayWidth(text: string) {
  let width = 0;
  for (const char of text) width += WIDE.test(char) || char.codePointAt(0)! > 0xffff ? 2 : 1;
  return width;
}

function shownText(type: ExportCellType, cell: Cell) {
  if (cell === null) return "";
  if (cell instanceof Date) return type === "datetime" ? "0000-00-00 00:00:00" : "0000-00-00";
  if (typeof cell === "number" && type === "percent") return `${(cell * 100).toFixed(1)}%`;
  // a long text wraps at the widest column rather than widening it: its first line counts
  return String(cell).split("\n")[0];
}

function translate(t: (key: string, values?: Record<string, unknown>) => string, message: ExportMessage) {
  const values = Object.fromEntries(
    Object.entries(message.values ?? {}).map(([name, v]) => [name, typeof v === "object" ? t(v.key) : v]),
  );
  return t(message.key, { ...values, nest: false });
}

/** the title row: the table, the region, the filters applied and the as-of date */
export function xlsxTitle<T>(table: ExportTable<T>, locale: Locale) {
  const t = createI18n(locale).t as unknown as (key: string, values?: Record<string, unknown>) => string;
  const details = [...table.filters.map((f) => translate(t, f)), t("exportTables.asOf", { date: table.asOf })].join(
    t("exportTables.separator"),
  );
  return [t(`exportTables.tables.${table.id}`), table.region, details].filter(Boolean).join(" · ");
}

/** the sheet's headers in the language: the catalogue's, or the column's own */
export function xlsxHeaders<T>(table: ExportTable<T>, locale: Locale) {
  const t = createI18n(locale).t as unknown as (key: string) => string;
  return table.columns.map((c) => c.header?.[locale] ?? t(`exportTables.columns.${table.id}.${c.key}`));
}

/** An export table as an .xlsx workbook of one sheet. */
export async function toXlsx<T>(table: ExportTable<T>, locale: Locale): Promise<ArrayBuffer> {
  const t = createI18n(locale).t as unknown as (key: string) => string;
  const words = { yes: t("exportTables.yes"), no: t("exportTables.no") };
  const headers = xlsxHeaders(table, locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("app.name");
  workbook.created = new Date();
  const name = t(`exportTables.tables.${table.id}`)
    .replace(/[[\]:*?/\\]/g, " ")
    .slice(0, 31);
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: "frozen", xSplit: 0, ySplit: 2, topLeftCell: "A3", activeCell: "A3" }],
  });

  const titleRow = sheet.addRow([xlsxTitle(table, locale)]);
  titleRow.font = { bold: true, size: 12 };
  if (headers.length > 1) sheet.mergeCells(1, 1, 1, headers.length);
  const headerRow = sheet.addRow(headers);
  headerRow.font = { bold: true };
  headerRow.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF4" } };
  });
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: Math.max(headers.length, 1) } };

  const widths = headers.map((h) => displayWidth(h));
  for (const row of table.rows) {
    const cells = table.columns.map((c) => {
      const value = c.value(row);
      return xlsxCell(c.type, c.labelKey && typeof value === "string" && value ? t(c.labelKey(value)) : value, words);
    });
    sheet.addRow(cells);
    cells.forEach((cell, i) => {
      widths[i] = Math.max(widths[i], displayWidth(shownText(table.columns[i].type, cell)));
    });
  }
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widths[i] + 2));
    const format = NUMBER_FORMATS[c.type];
    if (!format) return;
    // the format on the data cells only: the header and the title stay text
    for (let r = 3; r <= sheet.rowCount; r++) sheet.getCell(r, i + 1).numFmt = format;
  });
  // a Node Buffer at run time, which a Response sends as it is
  return workbook.xlsx.writeBuffer();
}

/** The .xlsx download of an export table, with the CSV's headers: private, never stored. */
export async function xlsxResponse<T>(table: ExportTable<T>, locale: Locale, filename: string) {
  return new Response(await toXlsx(table, locale), {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": attachmentDisposition(filename),
      "Cache-Control": PRIVATE_NO_STORE,
    },
  });
}

/** the sheet's language from ?lang= (export-table.ts), or a 400 naming the choices */
export function parseExportLocale(request: Request): Locale {
  const locale = exportLocale(new URL(request.url));
  if (!locale) throw errorResponse(request, 400, "lang must be zh or en");
  return locale;
}
