import type { Locale } from "~/i18n/i18n";

// One definition per exported table, written by both writers: csv.server.ts (every cell as text,
// the column keys as headers) and xlsx.server.ts (typed cells, the catalogue's headers, a title
// row). A column added here reaches both files, so the two cannot differ in columns or rows.

export const EXPORT_TABLES = ["coverage", "gaps", "plan", "audit", "listings", "review"] as const;
export type ExportTableId = (typeof EXPORT_TABLES)[number];

/**
 * How the Excel sheet writes a column's values (the CSV writes all of them as text):
 * `integer`/`number` as numbers, `percent` a fraction shown as 0.0%, `date` a YYYY-MM-DD day,
 * `datetime` an instant shown in China time, `boolean` 是/否 or yes/no, `json` an object as text.
 */
export type ExportCellType = "text" | "integer" | "number" | "percent" | "date" | "datetime" | "boolean" | "json";

export type ExportColumn<T> = {
  /** the CSV's header, and the sheet's header's catalogue key (exportTables.columns.<table>.<key>) */
  key: string;
  type: ExportCellType;
  value: (row: T) => unknown;
  /** the sheet's header when not the catalogue's (the listing import's own headers) */
  header?: Record<Locale, string>;
  /**
   * An identifier column (docs/identifiers.md): the CSV keeps the identifier, which imports and
   * scripts read; the sheet, which people read, shows its label, from this catalogue key.
   */
  labelKey?: (identifier: string) => string;
};

/** a catalogue key and its values; a value `{ key }` is itself translated */
export type ExportMessage = { key: string; values?: Record<string, string | number | { key: string }> };

export type ExportTable<T> = {
  id: ExportTableId;
  /** the region's name for the title row (null: the reader's whole scope) */
  region: string | null;
  /** the day the figures are for (YYYY-MM-DD, China) */
  asOf: string;
  /** the filters applied, as the title row names them */
  filters: ExportMessage[];
  columns: readonly ExportColumn<T>[];
  rows: readonly T[];
};

export const defineExportTable = <T>(table: ExportTable<T>) => table;

/** the sheet's language: `?lang=en` English, `?lang=zh` or none Chinese (the CSV template's rule); null for anything else */
export function exportLocale(url: URL): Locale | null {
  const lang = url.searchParams.get("lang");
  if (lang === null || lang === "" || lang === "zh" || lang === "zh-CN") return "zh-CN";
  return lang === "en" ? "en" : null;
}

/** the filters the title row names, from the ones that are set */
export function filterMessages(filters: Record<string, string | number | { key: string } | null | undefined>) {
  return Object.entries(filters)
    .filter(
      (entry): entry is [string, string | number | { key: string }] =>
        entry[1] !== undefined && entry[1] !== null && entry[1] !== "",
    )
    .map(([name, value]) => ({ key: `exportTables.filters.${name}`, values: { value } }));
}

/** which communities a figure counts: 口径 */
export const villagesFilter = (includeVillages: boolean): ExportMessage => ({
  key: includeVillages ? "exportTables.filters.withVillages" : "exportTables.filters.urbanOnly",
});

/** the address of a table's Excel sheet beside its CSV's, with the page's language when it is English */
export function xlsxHref(path: string, search: string | URLSearchParams, language: string) {
  const query = new URLSearchParams(search);
  if (language === "en") query.set("lang", "en");
  const rest = query.toString();
  return `${path}${rest ? `?${rest}` : ""}`;
}
