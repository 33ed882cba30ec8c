import { defineExportTable, filterMessages, type ExportCellType } from "~/utils/export-table";

import { toStoredCode } from "../../../db/identifiers";
import { listFacilitiesWithServices, type ListingFilter } from "../../../db/queries/listings.server";
import { getRegion } from "../../../db/queries/regions.server";
import { todayInChina } from "../coverage/coverage";
import { significantCode } from "../regions/regions";
import { LISTING_COLUMNS, type ListingColumn } from "./listing-csv";
import { listingCsvRows } from "./listing-json";

type Row = ReturnType<typeof listingCsvRows>[number];

const COLUMN_TYPES: Partial<Record<ListingColumn, ExportCellType>> = {
  lat: "number",
  lng: "number",
  min_age: "integer",
  max_age: "integer",
  capacity: "integer",
  valid_from: "date",
  valid_to: "date",
};

// The listing import's own headers (Chinese, or the column keys in English, as the template has
// them), so that an exported sheet's header row is one the import reads.
const LISTING_EXPORT_COLUMNS = LISTING_COLUMNS.map((c) => ({
  key: c.key,
  type: COLUMN_TYPES[c.key] ?? ("text" as const),
  value: (row: Row) => row[c.key],
  header: { "zh-CN": c.zh, en: c.key },
}));

/**
 * The facilities and services under a region code (2–12 digits) with the staff page's filters, one
 * row per service, for the API's format=csv and format=xlsx.
 */
export async function loadListingExport(scope: string, filter: Omit<ListingFilter, "prefix">) {
  const [items, region] = await Promise.all([
    listFacilitiesWithServices({ prefix: significantCode(scope), ...filter }),
    getRegion(toStoredCode(scope)),
  ]);
  return defineExportTable({
    id: "listings",
    region: region?.name ?? null,
    asOf: todayInChina(),
    filters: filterMessages({
      status: filter.status && { key: `statuses.${filter.status}` },
      type: filter.type && { key: `facilityTypes.${filter.type}` },
      category: filter.category && { key: `categories.${filter.category}` },
      q: filter.q,
    }),
    columns: LISTING_EXPORT_COLUMNS,
    rows: listingCsvRows(items),
  });
}
