import { sql } from "drizzle-orm";

import { LISTING_COLUMNS, MAX_IMPORT_ROWS, type ListingColumn } from "~/domains/listings/listing-csv";
import { parseListingCsv, type ImportIssue, type ImportParse } from "~/domains/listings/listing-import.server";
import { action as importAction, loader as importLoader } from "~/routes/manage.import";
import { loader as templateLoader } from "~/routes/manage.template[.csv]";

import { queryRows } from "../../db/client.server";
import { importListings } from "../../db/queries/listing-import.server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { callLoader, callLoaderAs } from "../utils/routes";

const LIXIA_COMMUNITY = "370102001002"; // 解放桥社区, 历下区, 济南
const OTHER_LIXIA_COMMUNITY = "370102001003"; // 历山路社区
const QINGDAO_COMMUNITY = "370202001001"; // 云霄路社区, 市南区
const STAFF = { editPrefixes: [LIXIA_COMMUNITY] };
const DISTRICT = { editPrefixes: ["370102"] };

type Row = Partial<Record<ListingColumn, string>>;

const facilityRow: Row = {
  facility_ref: "F1",
  community_code: LIXIA_COMMUNITY,
  facility_name: "解放桥社区日间照料中心",
  facility_type: "elderly_day_care",
  address: "解放路 100 号",
  lat: "36.6660",
  lng: "117.0420",
  phone: "0531-86123456",
  hours_mon: "08:00-11:30, 13:30-17:30",
  hours_sat: "09:00-11:30",
};
const mealService: Row = {
  service_name: "老年助餐",
  category: "elderly_care",
  sub_type: "meal_assistance",
  min_age: "60",
  capacity: "80",
};
const dayCareService: Row = {
  service_name: "日间照料",
  category: "elderly_care",
  sub_type: "day_care",
  residents_only: "是",
};

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** CSV text with every column, English (default) or Chinese headers. */
function csvText(rows: Row[], lang: "en" | "zh" = "en") {
  const header = LISTING_COLUMNS.map((c) => (lang === "en" ? c.key : c.zh));
  const lines = [header, ...rows.map((row) => LISTING_COLUMNS.map((c) => row[c.key] ?? ""))];
  return lines.map((cells) => cells.map(quote).join(",")).join("\r\n") + "\r\n";
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const parseRows = (rows: Row[], scope = STAFF) => parseListingCsv(utf8(csvText(rows)), scope);

function errorsOf(result: ImportParse): ImportIssue[] {
  if (result.ok) throw new Error(`expected errors, got ${result.facilities.length} facilities`);
  return result.errors;
}
const pick = (issues: ImportIssue[]) => issues.map(({ row, column, reason }) => ({ row, column, reason }));

async function counts() {
  const [row] = await queryRows<{ facilities: number; services: number; audit: number }>(sql`
    select (select count(*)::int from facilities) as facilities, (select count(*)::int from services) as services,
           (select count(*)::int from audit_entries) as audit`);
  return row;
}

/**
 * GBK bytes for the characters the tests use, found by running GB18030's decoder over the
 * two-byte code space (iconv-lite is not installed); anchored to known GB2312 codes below.
 */
function gbkEncoder() {
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail);
  }
  const chars = [...new TextDecoder("gb18030").decode(new Uint8Array(pairs))];
  expect(chars.length).toBe(pairs.length / 2);
  const codes = new Map<string, number[]>();
  chars.forEach((c, i) => {
    if (!codes.has(c)) codes.set(c, [pairs[2 * i], pairs[2 * i + 1]]);
  });
  return (text: string) =>
    Uint8Array.from(
      [...text].flatMap((c) => {
        if (c.charCodeAt(0) < 0x80) return [c.charCodeAt(0)];
        const code = codes.get(c);
        if (!code) throw new Error(`no GBK code for ${c}`);
        return code;
      }),
    );
}

describe("parseListingCsv: a valid file", () => {
  it("reads facilities with their services from English headers", async () => {
    const result = await parseRows([
      { ...facilityRow, ...mealService },
      { facility_ref: "F1", ...dayCareService },
      {
        facility_ref: "F2",
        community_code: LIXIA_COMMUNITY,
        facility_name: "党群服务中心",
        facility_type: "party_service_center",
      },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toBe(3);
    expect(result.warnings).toEqual([]);
    expect(result.facilities).toHaveLength(2);
    const [f1, f2] = result.facilities;
    expect(f1.communityCode).toBe(LIXIA_COMMUNITY);
    expect(f1.fields).toMatchObject({
      name: "解放桥社区日间照料中心",
      type: "elderly_day_care",
      lat: 36.666,
      lng: 117.042,
      phone: "0531-86123456",
    });
    expect(f1.fields.openingHours).toEqual({ week: { "1": ["08:00-11:30", "13:30-17:30"], "6": ["09:00-11:30"] } });
    expect(f1.services.map((s) => [s.name, s.subType, s.residentsOnly, s.minAge, s.schedule])).toEqual([
      ["老年助餐", "meal_assistance", false, 60, undefined],
      ["日间照料", "day_care", true, undefined, undefined],
    ]);
    expect(f2.services).toEqual([]);
    expect(f2.fields.lat).toBeUndefined();
  });

  it("reads Chinese headers, Chinese type names, spreadsheet dates and 8:00-style hours", async () => {
    const text = csvText(
      [
        {
          ...facilityRow,
          facility_type: "日间照料中心",
          hours_tue: "8:00-11:30",
          ...mealService,
          category: "养老服务",
          valid_from: "2024/1/5",
        },
      ],
      "zh",
    );
    const result = await parseListingCsv(utf8(`\uFEFF${text}`), STAFF);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.facilities[0].fields.type).toBe("elderly_day_care");
    expect(result.facilities[0].fields.openingHours?.week["2"]).toEqual(["08:00-11:30"]);
    expect(result.facilities[0].services[0]).toMatchObject({ category: "elderly_care", validFrom: "2024-01-05" });
  });

  it("lets phones and negative-looking numbers through the formula check", async () => {
    const result = await parseRows([{ ...facilityRow, phone: "+86 531 8612 3456" }]);
    expect(result.ok).toBe(true);
    const ages = errorsOf(await parseRows([{ ...facilityRow, ...mealService, min_age: "-1" }]));
    expect(pick(ages)).toEqual([{ row: 2, column: "min_age", reason: "listing.ageFormat" }]);
  });

  it("ignores rows that are all empty cells, as spreadsheets leave them", async () => {
    const text = csvText([{ ...facilityRow }]) + ",".repeat(LISTING_COLUMNS.length - 1) + "\r\n\r\n";
    const result = await parseListingCsv(utf8(text), STAFF);
    expect(result.ok && result.rows).toBe(1);
  });

  it("warns, without refusing, about a point outside the community's county", async () => {
    // 青岛市南区 is in Shandong but not in 历下区
    const result = await parseRows([{ ...facilityRow, lat: "36.0671", lng: "120.3826" }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(pick(result.warnings)).toEqual([{ row: 2, column: "lat", reason: "import.outsideCounty" }]);
  });

  it("accepts the template in both languages without a warning", async () => {
    for (const lang of ["zh", "en"]) {
      const response = await callLoader(templateLoader, `/manage/template.csv?lang=${lang}`);
      expect(response.headers.get("Content-Type")).toMatch(/text\/csv/);
      const text = await response.text();
      expect(text.split(/\r?\n/)[0]).toContain(lang === "zh" ? "设施编号" : "facility_ref");
      const result = await parseListingCsv(utf8(text), STAFF);
      expect(result).toMatchObject({ ok: true, rows: 2, warnings: [] });
      if (result.ok) expect(result.facilities.map((f) => f.services.length)).toEqual([2]);
    }
  });
});

describe("parseListingCsv: the bad-input corpus", () => {
  it("names every missing required column", async () => {
    const result = await parseListingCsv(utf8("facility_ref,community_code,address\nF1,370102001002,x\n"), STAFF);
    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(pick(errorsOf(result))).toEqual([
      { row: 1, column: "facility_name", reason: "import.missingColumn" },
      { row: 1, column: "facility_type", reason: "import.missingColumn" },
    ]);
  });

  it("refuses unknown and duplicate columns", async () => {
    const header = "facility_ref,community_code,facility_name,facility_type,colour,设施名称";
    const result = await parseListingCsv(utf8(`${header}\nF1,${LIXIA_COMMUNITY},a,other,red,b\n`), STAFF);
    expect(result).toMatchObject({ ok: false, status: 422 });
    const errors = errorsOf(result);
    expect(errors).toContainEqual({
      row: 1,
      column: null,
      reason: "import.unknownColumn",
      params: { header: "colour" },
    });
    expect(errors).toContainEqual({
      row: 1,
      column: "facility_name",
      reason: "import.duplicateColumn",
      params: { header: "设施名称" },
    });
  });

  it("checks coordinates: text, out of range, only one of the two, outside Shandong", async () => {
    const result = await parseRows([
      { ...facilityRow, facility_ref: "A", lat: "north" },
      { ...facilityRow, facility_ref: "B", lat: "95", lng: "200" },
      { ...facilityRow, facility_ref: "C", lng: "" },
      { ...facilityRow, facility_ref: "D", lat: "39.9087", lng: "116.3975" }, // Beijing
    ]);
    expect(result).toMatchObject({ ok: false, status: 422 });
    expect(pick(errorsOf(result))).toEqual([
      { row: 2, column: "lat", reason: "listing.latFormat" },
      { row: 3, column: "lat", reason: "listing.latFormat" },
      { row: 3, column: "lng", reason: "listing.lngFormat" },
      { row: 4, column: "lng", reason: "listing.pointIncomplete" },
      { row: 5, column: "lat", reason: "import.outsideShandong" },
    ]);
  });

  it("checks choices, hours and ages with the listing schemas", async () => {
    const result = await parseRows([
      { ...facilityRow, facility_ref: "A", facility_type: "spaceport" },
      { ...facilityRow, facility_ref: "B", hours_wed: "8-12" },
      { ...facilityRow, facility_ref: "C", ...mealService, category: "cooking" },
      { ...facilityRow, facility_ref: "D", ...mealService, min_age: "70", max_age: "60" },
      { ...facilityRow, facility_ref: "E", ...mealService, residents_only: "maybe" },
      { ...facilityRow, facility_ref: "F", facility_name: "" },
      { ...facilityRow, facility_ref: "G", category: "health" },
    ]);
    expect(pick(errorsOf(result))).toEqual([
      { row: 2, column: "facility_type", reason: "form.invalidChoice" },
      { row: 3, column: "hours_wed", reason: "listing.hoursFormat" },
      { row: 4, column: "category", reason: "form.invalidChoice" },
      { row: 5, column: "max_age", reason: "listing.ageRange" },
      { row: 6, column: "residents_only", reason: "import.booleanFormat" },
      { row: 7, column: "facility_name", reason: "form.required" },
      { row: 8, column: "service_name", reason: "form.required" },
    ]);
  });

  it("reads a facility's special dates, and names the column when one cannot be read", async () => {
    const result = await parseRows([
      { ...facilityRow, hours_exceptions: "2026-10-01~2026-10-07 休息; 2026-10-08 09:00-12:00" },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.facilities[0].fields.openingHours?.exceptions).toEqual([
      { from: "2026-10-01", to: "2026-10-07", hours: [] },
      { from: "2026-10-08", to: "2026-10-08", hours: ["09:00-12:00"] },
    ]);
    const bad = await parseRows([{ ...facilityRow, hours_exceptions: "国庆 休息" }]);
    expect(pick(errorsOf(bad))).toEqual([{ row: 2, column: "hours_exceptions", reason: "listing.exceptionsFormat" }]);
  });

  it("refuses cells a spreadsheet would run as formulas, once per cell", async () => {
    const result = await parseRows([
      { ...facilityRow, facility_name: '=HYPERLINK("http://x","y")', ...mealService, description: "@SUM(A1)" },
      { facility_ref: "F1", ...dayCareService, fee: "+cmd|' /C calc'!A0", contact: "-x" },
    ]);
    expect(pick(errorsOf(result))).toEqual([
      { row: 2, column: "facility_name", reason: "import.formula" },
      { row: 2, column: "description", reason: "import.formula" },
      { row: 3, column: "fee", reason: "import.formula" },
      { row: 3, column: "contact", reason: "import.formula" },
    ]);
  });

  it("checks communities in one go: format, unknown, out of scope", async () => {
    const result = await parseRows(
      [
        { ...facilityRow, facility_ref: "A", community_code: "3701020010" },
        { ...facilityRow, facility_ref: "B", community_code: "370102999999" },
        { ...facilityRow, facility_ref: "C", community_code: QINGDAO_COMMUNITY, lat: "", lng: "" },
        { ...facilityRow, facility_ref: "D", community_code: OTHER_LIXIA_COMMUNITY },
      ],
      DISTRICT,
    );
    expect(errorsOf(result)).toEqual([
      { row: 2, column: "community_code", reason: "import.communityFormat", params: { code: "3701020010" } },
      { row: 3, column: "community_code", reason: "import.communityUnknown", params: { code: "370102999999" } },
      { row: 4, column: "community_code", reason: "import.outOfScope", params: { code: QINGDAO_COMMUNITY } },
    ]);
    // a community's staff may import only into their own community
    const staff = await parseRows([{ ...facilityRow, community_code: OTHER_LIXIA_COMMUNITY }], STAFF);
    expect(pick(errorsOf(staff))).toEqual([{ row: 2, column: "community_code", reason: "import.outOfScope" }]);
  });

  it("requires the rows of one facility_ref to agree on the facility", async () => {
    const result = await parseRows([
      { ...facilityRow, ...mealService },
      { ...facilityRow, facility_name: "另一个名字", ...dayCareService },
      { facility_ref: "F1", community_code: OTHER_LIXIA_COMMUNITY, service_name: "上门探访", category: "elderly_care" },
      { facility_ref: "F1", address: "解放路 100 号", service_name: "健康检查", category: "health" },
    ]);
    expect(errorsOf(result)).toEqual([
      { row: 3, column: "facility_name", reason: "import.facilityMismatch", params: { ref: "F1", row: 2 } },
      { row: 4, column: "community_code", reason: "import.facilityMismatch", params: { ref: "F1", row: 2 } },
    ]);
  });

  it("reports a row with the wrong number of cells, and keeps reading", async () => {
    const text = csvText([{ ...facilityRow }, { ...facilityRow, facility_ref: "F2", lat: "x" }]);
    const lines = text.split("\r\n");
    lines.splice(2, 0, "F9,370102001002,short row");
    const result = await parseListingCsv(utf8(lines.join("\r\n")), STAFF);
    expect(errorsOf(result)).toEqual([
      { row: 3, column: null, reason: "import.cellCount", params: { expected: LISTING_COLUMNS.length, found: 3 } },
      { row: 4, column: "lat", reason: "listing.latFormat" },
    ]);
  });

  it("collects all the errors of a file, capped at 500", async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({
      ...facilityRow,
      facility_ref: `R${i}`,
      facility_type: "nope",
    }));
    const errors = errorsOf(await parseRows(rows));
    expect(errors).toHaveLength(500);
    expect(errors[0]).toMatchObject({ row: 0, reason: "import.tooManyErrors", params: { total: 600 } });
    expect(errors[499]).toMatchObject({ row: 500, column: "facility_type" });
  });

  it("answers 413 for a file over the size limit and for too many rows", async () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x41);
    expect(await parseListingCsv(big, STAFF)).toEqual({
      ok: false,
      status: 413,
      errors: [{ row: 0, column: null, reason: "import.tooLarge", params: { max: 5 } }],
    });
    const minimal = ["facility_ref,community_code,facility_name,facility_type"];
    for (let i = 0; i <= MAX_IMPORT_ROWS; i++) minimal.push(`F${i},${LIXIA_COMMUNITY},n${i},other`);
    const many = await parseListingCsv(utf8(minimal.join("\n")), STAFF);
    expect(many).toMatchObject({ ok: false, status: 413, errors: [{ row: 0, reason: "import.tooManyRows" }] });
  });

  it("decodes a GBK file from Excel, with a warning", async () => {
    const gbk = gbkEncoder();
    // GB2312 codes from the standard's table: 设 C9E8, 施 CAA9, 社 C9E7, 区 C7F8
    expect([...gbk("设施社区")]).toEqual([0xc9, 0xe8, 0xca, 0xa9, 0xc9, 0xe7, 0xc7, 0xf8]);
    const bytes = gbk(csvText([{ ...facilityRow, ...mealService }], "zh"));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expect(new TextDecoder("gb18030", { fatal: true }).decode(bytes)).toContain("设施编号,社区代码");
    const result = await parseListingCsv(bytes, STAFF);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(pick(result.warnings)).toEqual([{ row: 0, column: null, reason: "import.decodedGbk" }]);
    expect(result.facilities[0].fields.name).toBe("解放桥社区日间照料中心");
    expect(result.facilities[0].services[0].name).toBe("老年助餐");
  });

  it("refuses bytes that are neither UTF-8 nor GBK, and binary files", async () => {
    const neither = await parseListingCsv(Uint8Array.from([0x66, 0x61, 0xff, 0xfe, 0xfd, 0x0a, 0x80, 0xff]), STAFF);
    expect(neither).toEqual({ ok: false, status: 400, errors: [{ row: 0, column: null, reason: "import.encoding" }] });
    // GB18030-decodable bytes without the listing's headers are not taken for GBK
    const latin1 = await parseListingCsv(Uint8Array.from([0x6e, 0x61, 0x6d, 0xe9, 0x2c, 0x78, 0x0a]), STAFF);
    expect(latin1).toMatchObject({ ok: false, status: 400, errors: [{ reason: "import.encoding" }] });
    // an .xlsx (a zip) or UTF-16 text has NUL bytes
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(await parseListingCsv(zip, STAFF)).toMatchObject({
      ok: false,
      status: 400,
      errors: [{ reason: "import.notCsv" }],
    });
    expect(await parseListingCsv(new Uint8Array(), STAFF)).toMatchObject({
      ok: false,
      status: 422,
      errors: [{ reason: "import.empty" }],
    });
  });
});

describe("importListings", () => {
  it("creates facilities, services and an audit entry for each, in one transaction", async () => {
    const user = await createTestUser({ role: "community_staff", regionCode: LIXIA_COMMUNITY });
    const parsed = await parseRows([
      { ...facilityRow, ...mealService },
      { facility_ref: "F1", ...dayCareService, max_age: "90", eligibility_note: "需登记" },
      {
        facility_ref: "F2",
        community_code: LIXIA_COMMUNITY,
        facility_name: "文化活动室",
        facility_type: "culture_room",
      },
    ]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const before = await counts();
    expect(await importListings({ userId: user.id }, parsed.facilities)).toEqual({
      facilities: 2,
      services: 2,
      recompute: null,
    });
    expect(await counts()).toEqual({
      facilities: before.facilities + 2,
      services: before.services + 2,
      audit: before.audit + 4,
    });

    const facilities = await queryRows<{
      id: string;
      name: string;
      lat: number | null;
      lng: number | null;
      srid: number | null;
      opening_hours: unknown;
      verified: boolean;
      status: string;
    }>(sql`
      select id, name, ST_Y(point) as lat, ST_X(point) as lng, ST_SRID(point) as srid, opening_hours,
             last_verified_at is not null as verified, status::text as status
      from facilities where community_code = ${LIXIA_COMMUNITY} order by name`);
    const dayCare = facilities.find((f) => f.name === "解放桥社区日间照料中心")!;
    expect(dayCare).toMatchObject({ lat: 36.666, lng: 117.042, srid: 4326, verified: true, status: "active" });
    expect(dayCare.opening_hours).toEqual({ week: { "1": ["08:00-11:30", "13:30-17:30"], "6": ["09:00-11:30"] } });
    expect(facilities.find((f) => f.name === "文化活动室")).toMatchObject({ lat: null, lng: null });

    const services = await queryRows<{
      name: string;
      eligibility: unknown;
      schedule: unknown;
      capacity: number | null;
    }>(sql`
      select name, eligibility, schedule, capacity from services where facility_id = ${dayCare.id} order by name collate "C"`);
    expect(services).toEqual([
      {
        name: "日间照料",
        eligibility: { maxAge: 90, residentsOnly: true, text: "需登记" },
        schedule: null,
        capacity: null,
      },
      { name: "老年助餐", eligibility: { minAge: 60 }, schedule: null, capacity: 80 },
    ]);

    const audit = await queryRows<{
      action: string;
      object_type: string;
      object_id: string;
      region_code: string;
      actor_user_id: string;
      after: Record<string, unknown>;
    }>(sql`
      select action, object_type, object_id, region_code, actor_user_id, after from audit_entries
      where action like '%.import' order by id`);
    expect(audit.map((a) => [a.action, a.object_type, a.region_code, a.actor_user_id])).toEqual([
      ["facility.import", "facility", LIXIA_COMMUNITY, user.id],
      ["facility.import", "facility", LIXIA_COMMUNITY, user.id],
      ["service.import", "service", LIXIA_COMMUNITY, user.id],
      ["service.import", "service", LIXIA_COMMUNITY, user.id],
    ]);
    expect(audit[0]).toMatchObject({
      object_id: dayCare.id,
      after: {
        id: dayCare.id,
        name: "解放桥社区日间照料中心",
        lat: 36.666,
        lng: 117.042,
        version: 1,
        status: "active",
      },
    });
    expect(audit[0].after.lastVerifiedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(audit[2].after).toMatchObject({
      facilityId: dayCare.id,
      name: "老年助餐",
      category: "elderly_care",
      subType: "meal_assistance",
      eligibility: { minAge: 60 },
    });
  });

  it("stores nothing when any row fails in the database", async () => {
    const user = await createTestUser({ role: "community_staff", regionCode: LIXIA_COMMUNITY });
    const parsed = await parseRows([
      { ...facilityRow, ...mealService },
      { facility_ref: "F1", ...dayCareService },
    ]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const broken = [
      ...parsed.facilities,
      {
        ...parsed.facilities[0],
        services: [{ ...parsed.facilities[0].services[0], category: "not_a_category" as "health" }],
      },
    ];
    const before = await counts();
    await expect(importListings({ userId: user.id }, broken)).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });
});

describe("/manage/import", () => {
  const post = async (file: File | null, cookie?: string) => {
    const body = new FormData();
    if (file) body.append("file", file);
    const request = new Request("http://localhost/manage/import", {
      method: "POST",
      body,
      headers: cookie ? { Cookie: cookie } : {},
    });
    try {
      return await importAction({ request, params: {}, context: { clientIp: "127.0.0.1" } });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };
  const csvFile = (text: BlobPart, name = "listings.csv") => new File([text], name, { type: "text/csv" });

  it("imports an uploaded file in the staff member's community", async () => {
    const user = await createTestUser({ role: "community_staff", regionCode: LIXIA_COMMUNITY });
    const { cookie } = await sessionCookieFor(user.id);
    expect((await callLoaderAs(importLoader, "/manage/import", cookie)).status).toBe(200);
    const before = await counts();
    const response = await post(
      csvFile(
        csvText(
          [
            { ...facilityRow, ...mealService },
            { facility_ref: "F1", ...dayCareService },
          ],
          "zh",
        ),
      ),
      cookie,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      imported: { facilities: 1, services: 2, rows: 2, recomputing: false },
      warnings: [],
      errors: [],
    });
    expect(await counts()).toEqual({
      facilities: before.facilities + 1,
      services: before.services + 2,
      audit: before.audit + 3,
    });
  });

  it("answers the errors and stores nothing when a row is wrong", async () => {
    const user = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { cookie } = await sessionCookieFor(user.id);
    const before = await counts();
    const response = await post(
      csvFile(
        csvText([
          { ...facilityRow, ...mealService },
          { ...facilityRow, facility_ref: "F2", community_code: QINGDAO_COMMUNITY },
        ]),
      ),
      cookie,
    );
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.imported).toBeNull();
    expect(pick(body.errors)).toEqual([{ row: 3, column: "community_code", reason: "import.outOfScope" }]);
    expect(await counts()).toEqual(before);
  });

  it("answers 413 for a 10 MB upload, 400 for no file or bad bytes", async () => {
    const user = await createTestUser({ role: "community_staff", regionCode: LIXIA_COMMUNITY });
    const { cookie } = await sessionCookieFor(user.id);
    const before = await counts();
    const big = await post(csvFile(new Uint8Array(10 * 1024 * 1024).fill(0x41)), cookie);
    expect(big.status).toBe(413);
    expect((await big.json()).errors).toEqual([
      { row: 0, column: null, reason: "import.tooLarge", params: { max: 5 } },
    ]);
    expect((await post(null, cookie)).status).toBe(400);
    expect((await post(csvFile(""), cookie)).status).toBe(400);
    const bad = await post(csvFile(Uint8Array.from([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00])), cookie);
    expect(bad.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("requires an account that may edit somewhere", async () => {
    const file = csvFile(csvText([{ ...facilityRow }]));
    expect([302, 401]).toContain((await post(file)).status);
    const nobody = await createTestUser();
    const { cookie } = await sessionCookieFor(nobody.id);
    expect((await post(file, cookie)).status).toBe(403);
    expect((await callLoaderAs(importLoader, "/manage/import", cookie)).status).toBe(403);
  });
});
