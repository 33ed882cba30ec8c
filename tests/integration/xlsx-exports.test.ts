import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";

import { todayInChina } from "~/domains/coverage/coverage";
import { LISTING_COLUMNS } from "~/domains/listings/listing-csv";
import { measureLabelKey } from "~/domains/living-circle/living-circle";
import { createI18n, type Locale } from "~/i18n";
import { loader as auditCsvLoader } from "~/routes/admin.audit[.csv]";
import { loader as auditXlsxLoader } from "~/routes/admin.audit[.xlsx]";
import { loader as facilitiesLoader } from "~/routes/api.v1.facilities";
import { loader as gapsCsvLoader } from "~/routes/dashboard.$code.living-circle[.csv]";
import { loader as gapsXlsxLoader } from "~/routes/dashboard.$code.living-circle[.xlsx]";
import { loader as planCsvLoader } from "~/routes/dashboard.$code.plan[.csv]";
import { loader as planXlsxLoader } from "~/routes/dashboard.$code.plan[.xlsx]";
import { loader as tableCsvLoader } from "~/routes/dashboard.$code.table[.csv]";
import { loader as tableXlsxLoader } from "~/routes/dashboard.$code.table[.xlsx]";
import { loader as reviewPageLoader } from "~/routes/review._index";
import { loader as reviewCsvLoader } from "~/routes/review[.csv]";
import { loader as reviewXlsxLoader } from "~/routes/review[.xlsx]";
import { neutralizeCell } from "~/utils/csv.server";
import { XLSX_CONTENT_TYPE } from "~/utils/xlsx.server";

import { db } from "../../db/client.server";
import {
  ASSESSMENT_STATES,
  ASSESSMENT_TIERS,
  COVERAGE_STATUSES,
  LIVING_CIRCLE_MEASURES,
  REGION_LEVELS,
  type Role,
} from "../../db/identifiers";
import { createFacility } from "../../db/queries/listings.server";
import { assessments } from "../../db/schema";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import {
  clearLivingCircleCommunities,
  COVERED,
  GAP_BIG,
  GAP_SMALL,
  placeLivingCircleCommunities,
} from "../utils/living-circle-fixture";
import { callLoaderAs } from "../utils/routes";

type Loader = Parameters<typeof callLoaderAs>[0];

const EVIL = '=HYPERLINK("http://evil.example","点我")';
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

async function sheetOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe(XLSX_CONTENT_TYPE);
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0];
}

const csvRowsOf = async (response: Response): Promise<string[][]> => {
  expect(response.status).toBe(200);
  return parse((await response.text()).replace(/^\uFEFF/, ""));
};

/** an identifier column's labels in the sheet's language, back to the identifiers the CSV holds */
function identifiersOf(identifiers: readonly string[], key: (identifier: string) => string, locale: Locale = "zh-CN") {
  const t = createI18n(locale).t as unknown as (key: string) => string;
  return Object.fromEntries(identifiers.map((id) => [t(key(id)), id]));
}
const LEVELS = identifiersOf(REGION_LEVELS, (l) => `levels.${l}`);
const STATUSES = identifiersOf(COVERAGE_STATUSES, (s) => `coverage.statuses.${s}`);
const MEASURES = identifiersOf(LIVING_CIRCLE_MEASURES, (m) => measureLabelKey(m as never));
const STATES = identifiersOf(ASSESSMENT_STATES, (s) => `assessment.states.${s}`);
const TIERS = identifiersOf(ASSESSMENT_TIERS, (t) => `assessment.tiers.${t}`);

/** the sheet's data rows as the CSV writes them: typed cells back to text, words back to true/false */
function sheetAsCsv(
  sheet: ExcelJS.Worksheet,
  booleanColumns: number[] = [],
  labelled: Record<number, Record<string, string>> = {},
) {
  const rows: string[][] = [];
  const width = sheet.getRow(2).cellCount;
  for (let r = 3; r <= sheet.rowCount; r++) {
    const row: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = sheet.getCell(r, c);
      const value = cell.value;
      expect(cell.formula).toBeUndefined();
      if (value === null || value === undefined) row.push("");
      else if (value instanceof Date)
        row.push(
          String(cell.numFmt).includes("hh")
            ? new Date(value.getTime() - CHINA_OFFSET_MS).toISOString()
            : value.toISOString().slice(0, 10),
        );
      else if (typeof value === "number") row.push(String(value));
      else if (typeof value === "string" && labelled[c]) {
        // the sheet shows a label where the CSV has the identifier: a label it does not know fails
        expect(labelled[c][value], `${cell.address} ${value} is a label`).toBeDefined();
        row.push(labelled[c][value]);
      } else if (typeof value === "string" && booleanColumns.includes(c))
        row.push(value === "是" ? "true" : value === "否" ? "false" : value);
      else if (typeof value === "string") row.push(neutralizeCell(value));
      else throw new Error(`cell ${cell.address} holds ${JSON.stringify(value)}`);
    }
    rows.push(row);
  }
  return rows;
}

/** an anonymous reader of a page's export is sent to sign in (the API answers 401) */
function expectSignInAsked(response: Response) {
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toMatch(/^\/login/);
}

const headersOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(2).values as unknown[]).slice(1);

function expectLayout(sheet: ExcelJS.Worksheet, title: string) {
  expect(sheet.getCell("A1").value).toBe(title);
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
  const last = sheet.getRow(2).cellCount;
  expect(sheet.autoFilter).toBe(`A2:${sheet.getColumn(last).letter}2`);
  // every header is in the catalogue (i18next would show a missing one's key)
  for (const header of headersOf(sheet)) expect(String(header)).not.toMatch(/^exportTables\./);
}

beforeAll(async () => {
  const { owner } = await placeLivingCircleCommunities({ capacity: 80, validFrom: "2024-01-01" });
  await createFacility({ userId: owner.id }, COVERED, {
    name: EVIL,
    type: "culture_room",
    address: "+1 解放路",
    lat: 36.6651,
    lng: 117.0403,
  });
  await db.execute(sql`truncate table assessment_transitions, assessments cascade`);
  await db.insert(assessments).values([
    {
      id: "x-1",
      communityCode: COVERED,
      standardVersion: 1,
      state: "approved",
      tier: "basic",
      score: 70,
      effectiveAt: new Date("2022-06-01T02:00:00Z"),
    },
    {
      id: "x-2",
      communityCode: GAP_SMALL,
      standardVersion: 1,
      state: "submitted",
      score: 75.5,
      submittedAt: new Date("2026-10-01T02:00:00Z"),
    },
    {
      id: "x-3",
      communityCode: "370202001001",
      standardVersion: 1,
      state: "submitted",
      score: 61,
      submittedAt: new Date("2026-10-02T03:30:00Z"),
    },
  ]);
});

afterAll(async () => {
  await clearLivingCircleCommunities();
  await db.execute(sql`truncate table assessment_transitions, assessments cascade`);
});

describe("Excel exports beside the CSV ones", () => {
  it("the dashboard table: typed figures, the CSV's rows, Chinese or English headers", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const query = "?asOf=2022-12-31&villages=1";
    const response = await callLoaderAs(tableXlsxLoader, `/dashboard/3701/table.xlsx${query}`, cookie, {
      code: "3701",
    });
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="shequ-coverage-3701-2022-12-31.xlsx"; filename*=UTF-8''shequ-coverage-3701-2022-12-31.xlsx`,
    );
    const sheet = await sheetOf(response);
    expectLayout(sheet, "智慧社区覆盖率 · 济南市 · 口径：含农村社区；目标年份：2022；截至 2022-12-31");
    expect(headersOf(sheet).slice(0, 8)).toEqual([
      "区划代码",
      "名称",
      "层级",
      "截至日期",
      "含农村社区",
      "社区数",
      "已认定智慧社区",
      "覆盖率",
    ]);
    const csv = await csvRowsOf(
      await callLoaderAs(tableCsvLoader, `/dashboard/3701/table.csv${query}`, cookie, { code: "3701" }),
    );
    expect(headersOf(sheet)).toHaveLength(csv[0].length);
    expect(sheetAsCsv(sheet, [5], { 3: LEVELS, 18: STATUSES })).toEqual(csv.slice(1));
    expect(csv.length).toBe(1 + 1 + 13);
    // people read the sheet: the level and the status as words, where the CSV keeps identifiers
    expect(sheet.getCell("C3").value).toBe("市");
    expect(csv[1][2]).toBe("city");

    const city = sheet.getRow(3);
    expect(city.getCell(1).value).toBe("3701");
    expect(city.getCell(4).type).toBe(ExcelJS.ValueType.Date);
    expect(city.getCell(4).numFmt).toBe("yyyy-mm-dd");
    expect(city.getCell(5).value).toBe("是");
    expect(city.getCell(6).type).toBe(ExcelJS.ValueType.Number);
    expect(city.getCell(7).value).toBe(1);
    expect(city.getCell(8).type).toBe(ExcelJS.ValueType.Number);
    expect(city.getCell(8).numFmt).toBe("0.0%");
    expect(city.getCell(8).value).toBeGreaterThan(0);
    expect(city.getCell(8).value).toBeLessThan(0.01);

    const english = await sheetOf(
      await callLoaderAs(tableXlsxLoader, `/dashboard/3701/table.xlsx${query}&lang=en`, cookie, { code: "3701" }),
    );
    expect(english.getCell("A1").value).toBe(
      "Smart-community coverage · 济南市 · counting urban communities and villages; target year: 2022; as of 2022-12-31",
    );
    expect(headersOf(english).slice(0, 3)).toEqual(["Code", "Name", "Level"]);
    expect(english.getCell("E3").value).toBe("yes");

    expect(
      (await callLoaderAs(tableXlsxLoader, "/dashboard/3701/table.xlsx?lang=fr", cookie, { code: "3701" })).status,
    ).toBe(400);
    expect((await callLoaderAs(tableXlsxLoader, "/dashboard/3702/table.xlsx", cookie, { code: "3702" })).status).toBe(
      403,
    );
    expectSignInAsked(await callLoaderAs(tableXlsxLoader, "/dashboard/3701/table.xlsx", undefined, { code: "3701" }));
  });

  it("the living-circle gaps: the CSV's rows, with the measure and threshold in the title", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const query = "?measure=elderly_care";
    const params = { code: "370102001" };
    const response = await callLoaderAs(
      gapsXlsxLoader,
      `/dashboard/370102001/living-circle.xlsx${query}`,
      cookie,
      params,
    );
    expect(response.headers.get("Content-Disposition")).toContain("shequ-access-gaps-370102001-elderly_care.xlsx");
    const sheet = await sheetOf(response);
    expectLayout(
      sheet,
      `15 分钟生活圈未覆盖社区 · 解放路街道 · 服务类别：养老服务；步行距离阈值：1000 米；口径：仅城市社区；截至 ${todayInChina()}`,
    );
    const csv = await csvRowsOf(
      await callLoaderAs(gapsCsvLoader, `/dashboard/370102001/living-circle.csv${query}`, cookie, params),
    );
    expect(csv).toHaveLength(5);
    expect(sheetAsCsv(sheet, [7], { 5: MEASURES })).toEqual(csv.slice(1));
    expect(sheet.getCell("E3").value).toBe("养老服务");
    const big = sheet.getRow(3);
    expect(big.getCell(1).value).toBe(GAP_BIG);
    expect(big.getCell(4).value).toBe(900);
    expect(big.getCell(8).value).toBe(36.66);
    expect(big.getCell(7).value).toBe("否");
    expect(
      (await callLoaderAs(gapsXlsxLoader, "/dashboard/3702/living-circle.xlsx", cookie, { code: "3702" })).status,
    ).toBe(403);
    expectSignInAsked(await callLoaderAs(gapsXlsxLoader, "/dashboard/370102001/living-circle.xlsx", undefined, params));
  });

  it("the plan: the CSV's rows, and the measures and sites in the title", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const query = "?m=elderly_care&m=health&s=36.6605,117.0905&s=36.5,117.5";
    const params = { code: "370102" };
    const response = await callLoaderAs(planXlsxLoader, `/dashboard/370102/plan.xlsx${query}`, cookie, params);
    expect(response.headers.get("Content-Disposition")).toContain("shequ-plan-370102.xlsx");
    const sheet = await sheetOf(response);
    expectLayout(
      sheet,
      `新设施规划方案 · 历下区 · 服务类别：养老服务；服务类别：卫生健康；点位：2 个；口径：仅城市社区；截至 ${todayInChina()}`,
    );
    const csv = await csvRowsOf(
      await callLoaderAs(planCsvLoader, `/dashboard/370102/plan.csv${query}`, cookie, params),
    );
    expect(csv).toHaveLength(5);
    expect(sheetAsCsv(sheet, [], { 4: MEASURES })).toEqual(csv.slice(1));
    expect(sheet.getCell("A3").type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell("F3").value).toBe(900);
    expect(sheet.getCell("G3").value).toBe(GAP_BIG);
    const staff = await signedIn("community_staff", COVERED);
    expect(
      (await callLoaderAs(planXlsxLoader, `/dashboard/370102/plan.xlsx${query}`, staff.cookie, params)).status,
    ).toBe(403);
  });

  it("the facilities: a name that looks like a formula comes back as a string cell", async () => {
    const { cookie } = await signedIn("community_staff", COVERED);
    const url = `/api/v1/facilities?scope=${COVERED}&format=xlsx`;
    const response = await callLoaderAs(facilitiesLoader, url, cookie);
    expect(response.headers.get("Content-Disposition")).toContain(`shequ-facilities-${COVERED}.xlsx`);
    const sheet = await sheetOf(response);
    expectLayout(sheet, `设施与服务 · 解放桥社区居民委员会 · 截至 ${todayInChina()}`);
    expect(headersOf(sheet)).toEqual(LISTING_COLUMNS.map((c) => c.zh));
    const csv = await csvRowsOf(await callLoaderAs(facilitiesLoader, `${url.replace("xlsx", "csv")}`, cookie));
    expect(sheetAsCsv(sheet)).toEqual(csv.slice(1));

    const nameColumn = LISTING_COLUMNS.findIndex((c) => c.key === "facility_name") + 1;
    const evilRow = [...Array(sheet.rowCount - 2).keys()]
      .map((i) => i + 3)
      .find((r) => sheet.getCell(r, nameColumn).value === EVIL);
    expect(evilRow).toBeDefined();
    const evil = sheet.getCell(evilRow!, nameColumn);
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(evil.formula).toBeUndefined();
    expect(evil.value).toBe(EVIL);
    const address = sheet.getCell(evilRow!, LISTING_COLUMNS.findIndex((c) => c.key === "address") + 1);
    expect(address.type).toBe(ExcelJS.ValueType.String);
    expect(address.value).toBe("+1 解放路");

    const canteenRow = evilRow === 3 ? 4 : 3;
    const cell = (key: string) => sheet.getCell(canteenRow, LISTING_COLUMNS.findIndex((c) => c.key === key) + 1);
    expect(cell("capacity").value).toBe(80);
    expect(cell("lat").type).toBe(ExcelJS.ValueType.Number);
    expect(cell("valid_from").value).toEqual(new Date("2024-01-01T00:00:00Z"));
    expect(cell("valid_from").numFmt).toBe("yyyy-mm-dd");

    // the page's filters, the import's English headers
    const english = await sheetOf(await callLoaderAs(facilitiesLoader, `${url}&type=culture_room&lang=en`, cookie));
    expect(headersOf(english)).toEqual(LISTING_COLUMNS.map((c) => c.key));
    expect(english.getCell("A1").value).toBe(
      `Facilities and services · 解放桥社区居民委员会 · facility type: Culture and education room; as of ${todayInChina()}`,
    );
    expect(english.rowCount).toBe(3);
    expect((await callLoaderAs(facilitiesLoader, `${url}&lang=fr`, cookie)).status).toBe(400);
    expect((await callLoaderAs(facilitiesLoader, "/api/v1/facilities?scope=370103&format=xlsx", cookie)).status).toBe(
      403,
    );
    expect((await callLoaderAs(facilitiesLoader, url)).status).toBe(401);
  });

  it("the audit log: instants in China time, objects as text, the CSV's rows, in the reader's scope", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const response = await callLoaderAs(auditXlsxLoader, "/admin/audit.xlsx?objectType=facility", cookie);
    expect(response.headers.get("Content-Disposition")).toContain("shequ-audit.xlsx");
    const sheet = await sheetOf(response);
    expectLayout(sheet, `审计日志 · 对象类型：facility；截至 ${todayInChina()}`);
    expect(headersOf(sheet)).toEqual([
      "时间",
      "操作人",
      "操作",
      "对象类型",
      "对象编号",
      "区划代码",
      "修改前",
      "修改后",
    ]);
    const csv = await csvRowsOf(await callLoaderAs(auditCsvLoader, "/admin/audit.csv?objectType=facility", cookie));
    expect(csv.length).toBeGreaterThanOrEqual(3);
    expect(sheetAsCsv(sheet)).toEqual(csv.slice(1));
    expect(sheet.getCell("A3").type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell("A3").numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    const after = [...Array(sheet.rowCount - 2).keys()].map((i) => sheet.getCell(i + 3, 8));
    expect(after.some((c) => typeof c.value === "string" && c.value.includes("=HYPERLINK"))).toBe(true);
    for (const c of after) expect(c.formula).toBeUndefined();

    const staff = await signedIn("community_staff", COVERED);
    expect((await callLoaderAs(auditXlsxLoader, "/admin/audit.xlsx", staff.cookie)).status).toBe(403);
    expectSignInAsked(await callLoaderAs(auditXlsxLoader, "/admin/audit.xlsx"));
  });

  it("the review queue: CSV and Excel with the page's scope and county filter", async () => {
    const city = await signedIn("city_official", "3701");
    const page = await (await callLoaderAs(reviewPageLoader, "/review", city.cookie)).json();
    const csv = await csvRowsOf(await callLoaderAs(reviewCsvLoader, "/review.csv", city.cookie));
    expect(csv[0]).toEqual([
      "community_code",
      "community",
      "township",
      "county",
      "state",
      "score",
      "suggested_tier",
      "submitted_at",
      "effective_at",
      "demo",
    ]);
    expect(csv.slice(1).map((r) => r[0])).toEqual(page.queue.map((q: { communityCode: string }) => q.communityCode));
    expect(csv.slice(1)).toEqual([
      [
        GAP_SMALL,
        "历山路社区居民委员会",
        "解放路街道",
        "历下区",
        "submitted",
        "75.5",
        "growth",
        "2026-10-01T02:00:00.000Z",
        "",
        "false",
      ],
    ]);
    const sheet = await sheetOf(await callLoaderAs(reviewXlsxLoader, "/review.xlsx", city.cookie));
    expectLayout(sheet, `待审核的自评 · 截至 ${todayInChina()}`);
    expect(sheetAsCsv(sheet, [10], { 5: STATES, 7: TIERS })).toEqual(csv.slice(1));
    expect(sheet.getCell("E3").value).toBe("已提交，待审核");
    expect(sheet.getCell("F3").value).toBe(75.5);
    expect(sheet.getCell("H3").value).toEqual(new Date("2026-10-01T10:00:00Z"));

    const province = await signedIn("province_admin", "37");
    const all = await csvRowsOf(await callLoaderAs(reviewCsvLoader, "/review.csv", province.cookie));
    expect(all.slice(1).map((r) => r[0])).toEqual([GAP_SMALL, "370202001001"]);
    const qingdao = await sheetOf(
      await callLoaderAs(reviewXlsxLoader, "/review.xlsx?county=370202&lang=en", province.cookie),
    );
    expect(qingdao.getCell("A1").value).toBe(`Assessments to review · county: 市南区; as of ${todayInChina()}`);
    const english = {
      5: identifiersOf(ASSESSMENT_STATES, (s) => `assessment.states.${s}`, "en"),
      7: identifiersOf(ASSESSMENT_TIERS, (t) => `assessment.tiers.${t}`, "en"),
    };
    expect(sheetAsCsv(qingdao, [], english)).toEqual([all[2].slice(0, 9).concat("no")]);
    // a county outside the reader's scope does not widen it
    const outside = await csvRowsOf(await callLoaderAs(reviewCsvLoader, "/review.csv?county=370202", city.cookie));
    expect(outside.slice(1).map((r) => r[0])).toEqual([GAP_SMALL]);

    const staff = await signedIn("community_staff", COVERED);
    for (const loader of [reviewCsvLoader, reviewXlsxLoader] as Loader[]) {
      expect((await callLoaderAs(loader, "/review.csv", staff.cookie)).status).toBe(403);
      expectSignInAsked(await callLoaderAs(loader, "/review.csv"));
    }
  });
});
