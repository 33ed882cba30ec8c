// The listing CSV: one row per service, its facility's columns repeated (a facility without
// services has one row with the service columns empty). Rows with the same facility_ref belong to
// one facility. Import and export share these columns; headers may be English or Chinese.

export const LISTING_COLUMNS = [
  { key: "facility_ref", zh: "设施编号", required: true },
  { key: "community_code", zh: "社区代码", required: true },
  { key: "facility_name", zh: "设施名称", required: true },
  { key: "facility_type", zh: "设施类型", required: true },
  { key: "address", zh: "地址", required: false },
  { key: "lat", zh: "纬度", required: false },
  { key: "lng", zh: "经度", required: false },
  { key: "phone", zh: "电话", required: false },
  { key: "hours_mon", zh: "周一时间", required: false },
  { key: "hours_tue", zh: "周二时间", required: false },
  { key: "hours_wed", zh: "周三时间", required: false },
  { key: "hours_thu", zh: "周四时间", required: false },
  { key: "hours_fri", zh: "周五时间", required: false },
  { key: "hours_sat", zh: "周六时间", required: false },
  { key: "hours_sun", zh: "周日时间", required: false },
  { key: "holiday_note", zh: "节假日说明", required: false },
  { key: "hours_exceptions", zh: "特殊日期", required: false },
  { key: "service_name", zh: "服务名称", required: false },
  { key: "category", zh: "服务类别", required: false },
  { key: "sub_type", zh: "服务子类", required: false },
  { key: "description", zh: "服务说明", required: false },
  { key: "min_age", zh: "最低年龄", required: false },
  { key: "max_age", zh: "最高年龄", required: false },
  { key: "residents_only", zh: "仅限本社区居民", required: false },
  { key: "eligibility_note", zh: "资格说明", required: false },
  { key: "fee", zh: "收费", required: false },
  { key: "capacity", zh: "容量", required: false },
  { key: "contact", zh: "联系人", required: false },
  { key: "valid_from", zh: "有效期起", required: false },
  { key: "valid_to", zh: "有效期止", required: false },
] as const;

export type ListingColumn = (typeof LISTING_COLUMNS)[number]["key"];

/** ISO weekday number of each hours column */
export const HOURS_COLUMNS: Record<string, "1" | "2" | "3" | "4" | "5" | "6" | "7"> = {
  hours_mon: "1",
  hours_tue: "2",
  hours_wed: "3",
  hours_thu: "4",
  hours_fri: "5",
  hours_sat: "6",
  hours_sun: "7",
};

/** header text (either language, any case, trimmed) → column key */
export function columnForHeader(header: string): ListingColumn | null {
  const h = header.replace(/^\uFEFF/, "").trim();
  const found = LISTING_COLUMNS.find((c) => c.key === h.toLowerCase() || c.zh === h);
  return found?.key ?? null;
}

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;
