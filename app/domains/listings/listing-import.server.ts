import { parse, type Options } from "csv-parse/sync";
import type { ZodIssue } from "zod";

import { FACILITY_TYPES, SERVICE_CATEGORIES } from "../../../db/identifiers";
import {
  findCommunities,
  placePoints,
  type ImportFacility,
  type PointToPlace,
} from "../../../db/queries/listing-import.server";
import { type FacilityFields, type ServiceFields } from "../../../db/queries/listings.server";
import { zhCN } from "../../i18n/zh-CN";
import {
  columnForHeader,
  HOURS_COLUMNS,
  LISTING_COLUMNS,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type ListingColumn,
} from "./listing-csv";
import { facilityInputSchema, serviceInputSchema } from "./listing-schema";

// Reads a listing CSV (the columns of listing-csv.ts) into facilities with their services, or
// says everything that is wrong with it, row by row, in catalogue keys. Nothing is written here.

export type ImportIssue = {
  /** 1 = the header row, data from 2 (the spreadsheet's row numbers); 0 = the whole file */
  row: number;
  /** column key, or null for the row or the file */
  column: ListingColumn | null;
  /** a message catalogue key */
  reason: string;
  params?: Record<string, string | number>;
};

export type ImportParse =
  | { ok: true; facilities: ImportFacility[]; rows: number; warnings: ImportIssue[] }
  | { ok: false; status: 400 | 413 | 422; errors: ImportIssue[] };

export type { ImportFacility };

export const MAX_IMPORT_ISSUES = 500;

const FACILITY_COLUMNS = [
  "community_code",
  "facility_name",
  "facility_type",
  "address",
  "lat",
  "lng",
  "phone",
  ...Object.keys(HOURS_COLUMNS),
  "holiday_note",
  "hours_exceptions",
] as ListingColumn[];

const SERVICE_COLUMNS = [
  "service_name",
  "category",
  "sub_type",
  "description",
  "min_age",
  "max_age",
  "residents_only",
  "eligibility_note",
  "fee",
  "capacity",
  "contact",
  "valid_from",
  "valid_to",
] as const satisfies readonly ListingColumn[];

const COLUMN_ORDER = new Map<string, number>(LISTING_COLUMNS.map((c, i) => [c.key, i]));
const REQUIRED = LISTING_COLUMNS.filter((c) => c.required);

const DAY_COLUMN = Object.fromEntries(Object.entries(HOURS_COLUMNS).map(([column, day]) => [day, column])) as Record<
  string,
  ListingColumn
>;

const FACILITY_PATHS: Record<string, ListingColumn> = {
  name: "facility_name",
  type: "facility_type",
  address: "address",
  phone: "phone",
  lat: "lat",
  lng: "lng",
};

const SERVICE_PATHS: Record<string, ListingColumn> = {
  name: "service_name",
  category: "category",
  subType: "sub_type",
  description: "description",
  minAge: "min_age",
  maxAge: "max_age",
  residentsOnly: "residents_only",
  eligibilityNote: "eligibility_note",
  fee: "fee",
  capacity: "capacity",
  contact: "contact",
  validFrom: "valid_from",
  validTo: "valid_to",
};

function facilityColumnOf(path: (string | number)[]): ListingColumn | null {
  const [first, second, third] = path.map(String);
  if (first === "openingHours") {
    if (second === "holidayNote") return "holiday_note";
    if (second === "exceptions") return "hours_exceptions";
    if (second === "week" && third && DAY_COLUMN[third]) return DAY_COLUMN[third];
    return null;
  }
  return FACILITY_PATHS[first] ?? null;
}

const serviceColumnOf = (path: (string | number)[]): ListingColumn | null => SERVICE_PATHS[String(path[0])] ?? null;

/** "=…" and "@…" run in a spreadsheet, so do "+…" and "-…" unless a number follows (phones, -1). */
const isFormula = (cell: string) => /^(?:[=@]|[+-][^0-9])/.test(cell.trimStart());

const TRUE_WORDS = new Set(["是", "yes", "true", "1", "y"]);
const FALSE_WORDS = new Set(["否", "no", "false", "0", "n", ""]);

// the identifiers, or their Chinese names as the catalogue spells them
function choiceAliases<T extends string>(ids: readonly T[], names: Record<string, string>) {
  const aliases = new Map<string, T>();
  for (const id of ids) {
    aliases.set(id, id);
    if (names[id]) aliases.set(names[id], id);
  }
  return (cell: string) => (cell === "" ? undefined : (aliases.get(cell) ?? aliases.get(cell.toLowerCase()) ?? cell));
}
export const facilityTypeOf = choiceAliases(FACILITY_TYPES, zhCN.facilityTypes);
export const categoryOf = choiceAliases(SERVICE_CATEGORIES, zhCN.categories);

// spreadsheets write 2024/1/5 and 8:00; the schema wants 2024-01-05 and 08:00
const isoDateOf = (cell: string) =>
  cell.replace(
    /^(\d{4})[/.\-年](\d{1,2})[/.\-月](\d{1,2})日?$/,
    (_, y: string, m: string, d: string) => `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`,
  );
const hoursOf = (cell: string) =>
  cell.replace(/(^|\D)(\d)[:：](\d\d)/g, (_, before: string, h: string, m: string) => `${before}0${h}:${m}`);

type Decoded = { text: string; gbk: boolean };

function hasListingHeaders(text: string) {
  const firstLine = text.slice(0, 4096).split(/\r?\n/, 1)[0] ?? "";
  const keys = new Set(firstLine.split(",").map((h) => columnForHeader(h.replace(/^\s*"|"\s*$/g, ""))));
  return REQUIRED.every((c) => keys.has(c.key));
}

function decode(bytes: Uint8Array): Decoded | null {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), gbk: false };
  } catch {
    // Excel on Chinese Windows saves "CSV" in the ANSI code page: GBK, which GB18030 contains
    try {
      const text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
      return hasListingHeaders(text) ? { text, gbk: true } : null;
    } catch {
      return null;
    }
  }
}

type CsvRecord = { row: number; cells: string[] } | { row: number; error: string; found?: number };

function readRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let row = 0;
  const options: Options & { on_skip: (error: { code?: string; record?: unknown[] } | undefined) => void } = {
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (cells: string[]) => {
      records.push({ row: ++row, cells });
      return null;
    },
    on_skip: (error) => {
      records.push({ row: ++row, error: error?.code ?? "CSV_ERROR", found: error?.record?.length });
    },
  };
  parse(text, options);
  return records;
}

type Group = {
  ref: string;
  firstRow: number;
  cells: Partial<Record<ListingColumn, string>>;
  communityCode: string | null;
  fields: FacilityFields | null;
  services: ServiceFields[];
};

const fail = (status: 400 | 413 | 422, issue: ImportIssue): ImportParse => ({ ok: false, status, errors: [issue] });

function byPosition(a: ImportIssue, b: ImportIssue) {
  if (a.row !== b.row) return a.row - b.row;
  return (
    (a.column === null ? -1 : COLUMN_ORDER.get(a.column)!) - (b.column === null ? -1 : COLUMN_ORDER.get(b.column)!)
  );
}

function capped(issues: ImportIssue[]) {
  const sorted = [...issues].sort(byPosition);
  if (sorted.length <= MAX_IMPORT_ISSUES) return sorted;
  return [
    {
      row: 0,
      column: null,
      reason: "import.tooManyErrors",
      params: { shown: MAX_IMPORT_ISSUES - 1, total: sorted.length },
    },
    ...sorted.slice(0, MAX_IMPORT_ISSUES - 1),
  ];
}

/**
 * The import's rules in one place: size, encoding (UTF-8, or GBK from Excel), the columns, each
 * row against the facility and service schemas, formulas, rows of one facility agreeing, the
 * communities (existing, in `scope`) and the points (in Shandong; outside the county warns).
 */
export async function parseListingCsv(bytes: Uint8Array, scope: { editPrefixes: string[] }): Promise<ImportParse> {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    return fail(413, {
      row: 0,
      column: null,
      reason: "import.tooLarge",
      params: { max: MAX_IMPORT_BYTES / (1024 * 1024) },
    });
  }
  // a spreadsheet's own format, UTF-16 text or anything binary
  if (bytes.includes(0)) return fail(400, { row: 0, column: null, reason: "import.notCsv" });
  const decoded = decode(bytes);
  if (!decoded) return fail(400, { row: 0, column: null, reason: "import.encoding" });

  let records: CsvRecord[];
  try {
    records = readRecords(decoded.text);
  } catch {
    return fail(400, { row: 0, column: null, reason: "import.notCsv" });
  }
  const warnings: ImportIssue[] = decoded.gbk ? [{ row: 0, column: null, reason: "import.decodedGbk" }] : [];
  const errors: ImportIssue[] = [];

  // the header row
  const header = records[0];
  if (!header) return fail(422, { row: 0, column: null, reason: "import.empty" });
  if ("error" in header) return fail(422, { row: 1, column: null, reason: "import.malformedRow" });
  const columnIndex = new Map<ListingColumn, number>();
  const unnamed: number[] = [];
  header.cells.forEach((text, i) => {
    const name = text.replace(/^\uFEFF/, "").trim();
    if (name === "") return void unnamed.push(i);
    const key = columnForHeader(name);
    if (!key) errors.push({ row: 1, column: null, reason: "import.unknownColumn", params: { header: name } });
    else if (columnIndex.has(key))
      errors.push({ row: 1, column: key, reason: "import.duplicateColumn", params: { header: name } });
    else columnIndex.set(key, i);
  });
  for (const c of REQUIRED) {
    if (!columnIndex.has(c.key))
      errors.push({ row: 1, column: c.key, reason: "import.missingColumn", params: { column: c.key, zh: c.zh } });
  }
  if (errors.length) return { ok: false, status: 422, errors: capped(errors) };

  // rows whose cells are all empty are what spreadsheets leave behind: not data
  const dataRows = records.slice(1).filter((r) => "error" in r || r.cells.some((c) => c.trim() !== ""));
  if (dataRows.length === 0) return fail(422, { row: 0, column: null, reason: "import.empty" });
  if (dataRows.length > MAX_IMPORT_ROWS) {
    return fail(413, {
      row: 0,
      column: null,
      reason: "import.tooManyRows",
      params: { max: MAX_IMPORT_ROWS, found: dataRows.length },
    });
  }

  const groups = new Map<string, Group>();
  for (const record of dataRows) {
    const { row } = record;
    if ("error" in record) {
      errors.push(
        record.error === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH"
          ? {
              row,
              column: null,
              reason: "import.cellCount",
              params: { expected: header.cells.length, found: record.found ?? 0 },
            }
          : { row, column: null, reason: "import.malformedRow" },
      );
      continue;
    }
    const { cells } = record;
    const cell = (key: ListingColumn) => {
      const i = columnIndex.get(key);
      return i === undefined ? "" : cells[i].trim();
    };

    // formulas first: a cell that is one is reported once, as a formula
    const formulas = new Set<ListingColumn>();
    for (const [key, i] of columnIndex) {
      if (isFormula(cells[i])) {
        formulas.add(key);
        errors.push({ row, column: key, reason: "import.formula" });
      }
    }
    for (const i of unnamed) {
      if (cells[i].trim() !== "")
        errors.push({ row, column: null, reason: "import.cellWithoutHeader", params: { position: i + 1 } });
    }
    const report = (issues: ZodIssue[], columnOf: (path: (string | number)[]) => ListingColumn | null) => {
      for (const issue of issues) {
        const column = columnOf(issue.path);
        if (column && formulas.has(column)) continue;
        errors.push({ row, column, reason: issue.message });
      }
    };

    let ref = cell("facility_ref");
    if (ref === "") {
      errors.push({ row, column: "facility_ref", reason: "form.required" });
      ref = `\u0000row ${row}`; // checked on its own
    } else if (ref.length > 100) {
      errors.push({ row, column: "facility_ref", reason: "form.tooLong" });
    }

    let group = groups.get(ref);
    if (!group) {
      const code = cell("community_code");
      const codeOk = /^\d{12}$/.test(code);
      if (!formulas.has("community_code")) {
        if (code === "") errors.push({ row, column: "community_code", reason: "form.required" });
        else if (!codeOk)
          errors.push({ row, column: "community_code", reason: "import.communityFormat", params: { code } });
      }
      const week = Object.fromEntries(
        Object.entries(HOURS_COLUMNS).map(([column, day]) => [day, hoursOf(cell(column as ListingColumn))]),
      );
      const parsed = facilityInputSchema.safeParse({
        name: cell("facility_name"),
        type: facilityTypeOf(cell("facility_type")),
        address: cell("address"),
        phone: cell("phone"),
        lat: cell("lat"),
        lng: cell("lng"),
        openingHours: { week, holidayNote: cell("holiday_note"), exceptions: cell("hours_exceptions") },
      });
      if (!parsed.success) report(parsed.error.issues, facilityColumnOf);
      group = {
        ref,
        firstRow: row,
        cells: Object.fromEntries(FACILITY_COLUMNS.map((c) => [c, cell(c)])),
        communityCode: codeOk ? code : null,
        fields: parsed.success
          ? {
              name: parsed.data.name,
              type: parsed.data.type,
              address: parsed.data.address,
              phone: parsed.data.phone,
              lat: parsed.data.lat,
              lng: parsed.data.lng,
              openingHours: parsed.data.openingHours,
            }
          : null,
        services: [],
      };
      groups.set(ref, group);
    } else {
      // later rows of a facility repeat its columns or leave them empty
      for (const column of FACILITY_COLUMNS) {
        const value = cell(column);
        if (value !== "" && value !== group.cells[column] && !formulas.has(column)) {
          errors.push({ row, column, reason: "import.facilityMismatch", params: { ref, row: group.firstRow } });
        }
      }
    }

    const serviceName = cell("service_name");
    if (serviceName === "") {
      const stray = SERVICE_COLUMNS.find(
        (c) =>
          c !== "service_name" && cell(c) !== "" && !(c === "residents_only" && FALSE_WORDS.has(cell(c).toLowerCase())),
      );
      if (stray) errors.push({ row, column: "service_name", reason: "form.required" });
      continue;
    }
    const residents = cell("residents_only").toLowerCase();
    let residentsOnly = false;
    if (TRUE_WORDS.has(residents)) residentsOnly = true;
    else if (!FALSE_WORDS.has(residents) && !formulas.has("residents_only")) {
      errors.push({
        row,
        column: "residents_only",
        reason: "import.booleanFormat",
        params: { value: cell("residents_only") },
      });
    }
    const parsed = serviceInputSchema.safeParse({
      name: serviceName,
      category: categoryOf(cell("category")),
      subType: cell("sub_type"),
      description: cell("description"),
      minAge: cell("min_age"),
      maxAge: cell("max_age"),
      residentsOnly,
      eligibilityNote: cell("eligibility_note"),
      fee: cell("fee"),
      capacity: cell("capacity"),
      contact: cell("contact"),
      validFrom: isoDateOf(cell("valid_from")),
      validTo: isoDateOf(cell("valid_to")),
    });
    if (!parsed.success) report(parsed.error.issues, serviceColumnOf);
    // schedule stays undefined: the service keeps its facility's hours
    else group.services.push({ ...parsed.data, schedule: undefined });
  }

  // communities: in scope first (out of scope says nothing about existence), then one query
  const inScope = (code: string) => scope.editPrefixes.some((prefix) => code.startsWith(prefix));
  const all = [...groups.values()];
  const known = await findCommunities(
    all.flatMap((g) => (g.communityCode && inScope(g.communityCode) ? [g.communityCode] : [])),
  );
  for (const g of all) {
    if (!g.communityCode) continue;
    if (!inScope(g.communityCode)) {
      errors.push({
        row: g.firstRow,
        column: "community_code",
        reason: "import.outOfScope",
        params: { code: g.communityCode },
      });
    } else if (!known.has(g.communityCode)) {
      errors.push({
        row: g.firstRow,
        column: "community_code",
        reason: "import.communityUnknown",
        params: { code: g.communityCode },
      });
    }
  }

  // points: one statement for all of them
  const points: PointToPlace[] = [];
  all.forEach((g, key) => {
    if (g.fields?.lat !== undefined && g.fields.lng !== undefined) {
      points.push({ key, communityCode: g.communityCode ?? "", lat: g.fields.lat, lng: g.fields.lng });
    }
  });
  const placements = await placePoints(points);
  for (const p of points) {
    const g = all[p.key];
    const placement = placements.get(p.key);
    if (placement === "outside_shandong") {
      errors.push({
        row: g.firstRow,
        column: "lat",
        reason: "import.outsideShandong",
        params: { point: `${p.lat}, ${p.lng}` },
      });
    } else if (placement === "outside_county" && g.communityCode && known.has(g.communityCode)) {
      warnings.push({
        row: g.firstRow,
        column: "lat",
        reason: "import.outsideCounty",
        params: { point: `${p.lat}, ${p.lng}` },
      });
    }
  }

  if (errors.length) return { ok: false, status: 422, errors: capped(errors) };
  return {
    ok: true,
    facilities: all.map((g) => ({ communityCode: g.communityCode!, fields: g.fields!, services: g.services })),
    rows: dataRows.length,
    warnings: capped(warnings),
  };
}
