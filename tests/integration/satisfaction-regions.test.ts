import { sql } from "drizzle-orm";

import { sortRows } from "~/components/coverage-view";
import { getCoverageReport, type CoverageReport } from "~/domains/coverage/coverage.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.settings";
import { loader as apiLoader } from "~/routes/api.v1.coverage.$code";
import { loader as csvLoader } from "~/routes/dashboard.$code.table[.csv]";

import { db, queryRows } from "../../db/client.server";
import { LEVEL_CODE_LENGTH, type Role } from "../../db/identifiers";
import { saveSatisfactionMinResponses } from "../../db/queries/feedback.server";
import { facilities, serviceFeedback, services } from "../../db/schema";
import { mulberry32 } from "../../db/seed/random";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoader, callLoaderAs } from "../utils/routes";

// Officials' satisfaction beside coverage (docs/figures.md, Satisfaction): a region's responses
// and satisfied are its children's sums at every level, counted over the 12 months before the
// request whatever the as-of date, and its share is shown only from the province's minimum.

const NOW = new Date("2026-11-15T04:00:00Z");
const MONTH = 30 * 86_400_000;
const random = mulberry32(20261115);

type Opinion = { code: string; satisfied: boolean; givenAt: Date };
let opinions: Opinion[] = [];

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

async function insertOpinions(rows: Opinion[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insert(serviceFeedback).values(
      rows.slice(i, i + 500).map((o) => ({
        serviceId: "sat-s",
        communityCode: o.code,
        satisfied: o.satisfied,
        givenAt: o.givenAt,
      })),
    );
  }
}

/** the opinions under a code prefix counted on `now`, the plain way */
function recount(prefix: string, now = NOW) {
  const from = new Date(now);
  from.setUTCMonth(from.getUTCMonth() - 12);
  const counted = opinions.filter((o) => o.code.startsWith(prefix) && o.givenAt > from && o.givenAt <= now);
  return { responses: counted.length, satisfied: counted.filter((o) => o.satisfied).length };
}

function expectSums(r: CoverageReport) {
  const label = `${r.region.code} (${r.childrenLevel})`;
  const responses = r.children.reduce((s, c) => s + c.satisfaction.responses, 0);
  const satisfied = r.children.reduce((s, c) => s + c.satisfaction.satisfied, 0);
  expect(r.figures.satisfaction.responses, label).toBe(responses);
  expect(r.figures.satisfaction.satisfied, label).toBe(satisfied);
  for (const c of [r.figures, ...r.children]) {
    const { responses: n, satisfied: s, rate } = c.satisfaction;
    expect(rate, `${label}: rate of ${n}`).toBe(n >= 10 ? Math.round((s / n) * 10000) / 10000 : null);
  }
}

const report = (code: string, options: { asOf?: string; children?: "county" } = {}, now = NOW) =>
  getCoverageReport(code.padEnd(12, "0"), { includeVillages: false, ...options }, undefined, now).then((r) => r!);

beforeEach(async () => {
  await db.execute(sql`truncate table service_feedback, services, facilities cascade`);
  await db.execute(sql`delete from province_settings`);
  await db.insert(facilities).values({
    id: "sat-f",
    communityCode: "370102001002",
    name: "解放桥社区日间照料中心",
    type: "elderly_day_care",
  });
  await db.insert(services).values({ id: "sat-s", facilityId: "sat-f", name: "助餐", category: "elderly_care" });
});

describe("satisfaction per region", () => {
  beforeEach(async () => {
    const communities = await queryRows<{ code: string }>(
      sql`select code from regions where level = 'community' order by code`,
    );
    const focus = communities.filter((c) => /^(370102|370114|3702)/.test(c.code));
    const chosen = new Set<string>(["370102001002", "370102001003"]);
    while (chosen.size < 120) {
      const list = random() < 0.6 ? focus : communities;
      chosen.add(list[Math.floor(random() * list.length)].code);
    }
    opinions = [];
    for (const code of chosen) {
      const n = 1 + Math.floor(random() * 25);
      for (let i = 0; i < n; i++) {
        // most within the 12 months, some older (not counted)
        const givenAt = new Date(NOW.getTime() - random() * 14 * MONTH);
        opinions.push({ code, satisfied: random() < 0.8, givenAt });
      }
    }
    await insertOpinions(opinions);
  });

  it("adds up from the communities to the province, over the 12 months before the request", async () => {
    const province = await report("37");
    expect(province.children).toHaveLength(16);
    expectSums(province);
    expect(province.figures.satisfaction).toMatchObject(recount("37"));
    expect(province.figures.satisfaction.responses).toBeLessThan(opinions.length);

    // the province's county-level units at once add up to the same
    const counties = await report("37", { children: "county" });
    expect(counties.children).toHaveLength(151);
    expectSums(counties);
    expect(counties.figures.satisfaction).toEqual(province.figures.satisfaction);

    // down to the communities: each region's own figure is its row in its parent's table
    for (const code of ["3701", "3702", "370102", "370114", "370102001"]) {
      const r = await report(code);
      expectSums(r);
      expect(r.figures.satisfaction, code).toMatchObject(recount(code.slice(0, LEVEL_CODE_LENGTH[r.region.level])));
      for (const child of r.children.filter((c) => c.satisfaction.responses > 0).slice(0, 3)) {
        const below = await report(child.code);
        expect(below.figures.satisfaction, child.code).toEqual(child.satisfaction);
      }
    }
    const community = await report("370102001002");
    expect(community.children).toEqual([]);
    expect(community.figures.satisfaction).toMatchObject(recount("370102001002"));
  });

  it("counts on the day it is read, whatever the as-of date", async () => {
    const today = await report("370102");
    const past = await report("370102", { asOf: "2022-12-31" });
    expect(past.figures.satisfaction).toEqual(today.figures.satisfaction);
    expect(past.children.map((c) => c.satisfaction)).toEqual(today.children.map((c) => c.satisfaction));
    // read three months later, the older opinions have left the window
    const later = new Date(NOW.getTime() + 3 * MONTH);
    const r = await report("370102", {}, later);
    expect(r.figures.satisfaction).toMatchObject(recount("370102", later));
    expectSums(r);
  });
});

describe("the 12-month window and the minimum of responses", () => {
  const twelveMonthsBefore = new Date("2025-11-15T04:00:00Z");

  it("counts an opinion given just inside 12 months and not one given 12 months before", async () => {
    await insertOpinions([
      { code: "370102001002", satisfied: true, givenAt: twelveMonthsBefore },
      { code: "370102001002", satisfied: true, givenAt: new Date(twelveMonthsBefore.getTime() + 1000) },
      { code: "370102001003", satisfied: false, givenAt: new Date(NOW.getTime() - 1000) },
    ]);
    const r = await report("370102001");
    expect(r.figures.satisfaction).toEqual({ responses: 2, satisfied: 1, rate: null });
    expect(r.children.find((c) => c.code === "370102001002")?.satisfaction).toEqual({
      responses: 1,
      satisfied: 1,
      rate: null,
    });
  });

  it("shows a share from the province's minimum (default 10), for the region and each child", async () => {
    const at = new Date(NOW.getTime() - MONTH);
    const nine = Array.from({ length: 9 }, (_, i) => ({ code: "370102001002", satisfied: i < 6, givenAt: at }));
    await insertOpinions(nine);
    let r = await report("370102001");
    expect(r.satisfactionMinResponses).toBe(10);
    expect(r.figures.satisfaction).toEqual({ responses: 9, satisfied: 6, rate: null });

    await insertOpinions([{ code: "370102001003", satisfied: true, givenAt: at }]);
    r = await report("370102001");
    expect(r.figures.satisfaction).toEqual({ responses: 10, satisfied: 7, rate: 0.7 });
    // the child with 9 has no share; its parent with 10 has one
    expect(r.children.find((c) => c.code === "370102001002")?.satisfaction.rate).toBeNull();

    const { user } = await signedIn("province_admin", "37");
    await saveSatisfactionMinResponses({ userId: user.id }, 9);
    r = await report("370102001");
    expect(r.satisfactionMinResponses).toBe(9);
    expect(r.children.find((c) => c.code === "370102001002")?.satisfaction).toEqual({
      responses: 9,
      satisfied: 6,
      rate: 0.6667,
    });
    expect(r.children.find((c) => c.code === "370102001003")?.satisfaction.rate).toBeNull();
  });
});

describe("the API and the export", () => {
  beforeEach(async () => {
    const at = new Date(Date.now() - MONTH);
    await insertOpinions([
      ...Array.from({ length: 12 }, (_, i) => ({ code: "370102001002", satisfied: i !== 0, givenAt: at })),
      ...Array.from({ length: 3 }, () => ({ code: "370202001001", satisfied: false, givenAt: at })),
    ]);
  });

  it("GET /api/v1/coverage/:code gives satisfaction for the region and each child", async () => {
    const body = await (await callLoader(apiLoader, "/api/v1/coverage/37?asOf=2022-12-31", { code: "37" })).json();
    expect(body.satisfaction).toEqual({ responses: 15, satisfied: 11, rate: 0.7333 });
    const byCode = new Map(
      (body.children as { code: string; satisfaction: unknown }[]).map((c) => [c.code, c.satisfaction]),
    );
    expect(byCode.get("3701")).toEqual({ responses: 12, satisfied: 11, rate: 0.9167 });
    expect(byCode.get("3702")).toEqual({ responses: 3, satisfied: 0, rate: null });
    expect(byCode.get("3703")).toEqual({ responses: 0, satisfied: 0, rate: null });
    expect(byCode.size).toBe(16);
  });

  it("sorts the children's table by responses and by share satisfied, no share last", async () => {
    const r = await report("37");
    const bySatisfaction = sortRows(r.children, "satisfaction", "desc").map((c) => c.code.slice(0, 4));
    expect(bySatisfaction.slice(0, 2)).toEqual(["3701", "3702"]);
    const byResponses = sortRows(r.children, "responses", "desc").map((c) => c.code.slice(0, 4));
    expect(byResponses.slice(0, 2)).toEqual(["3701", "3702"]);
    expect(sortRows(r.children, "responses", "asc").at(-1)?.code).toBe("370100000000");
  });

  it("still needs scope below a county", async () => {
    const path = "/api/v1/coverage/370102001";
    expect((await callLoader(apiLoader, path, { code: "370102001" })).status).toBe(401);
    const other = await signedIn("district_official", "370103");
    expect((await callLoaderAs(apiLoader, path, other.cookie, { code: "370102001" })).status).toBe(403);
    const own = await signedIn("district_official", "370102");
    const response = await callLoaderAs(apiLoader, path, own.cookie, { code: "370102001" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.satisfaction).toEqual({ responses: 12, satisfied: 11, rate: 0.9167 });
    expect(body.children.find((c: { code: string }) => c.code === "370102001002").satisfaction).toEqual(
      body.satisfaction,
    );
  });

  it("the dashboard's table export has the responses and the share satisfied", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const response = await callLoaderAs(csvLoader, "/dashboard/370102/table.csv", cookie, { code: "370102" });
    expect(response.status).toBe(200);
    const [header, region, ...children] = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    const columns = header.split(",");
    expect(columns).toEqual(expect.arrayContaining(["satisfaction_responses", "satisfaction_rate"]));
    const cell = (line: string, key: string) => line.split(",")[columns.indexOf(key)];
    expect(cell(region, "satisfaction_responses")).toBe("12");
    expect(Number(cell(region, "satisfaction_rate"))).toBeCloseTo(0.9167, 4);
    const jiefangqiao = children.find((line) => line.startsWith("370102001,"))!;
    expect(cell(jiefangqiao, "satisfaction_responses")).toBe("12");
  });
});

describe("the minimum of responses on /admin/settings", () => {
  it("is set by the province admin, audited, and refused clearly with what was typed kept", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const page = await (await callLoaderAs(settingsLoader, "/admin/settings", cookie)).json();
    expect(page.satisfaction).toEqual({ minResponses: 10 });

    for (const minResponses of ["0", "1001", "2.5", "abc", ""]) {
      const audits = await auditCount();
      const refused = await callAction(settingsAction, "/admin/settings", {
        cookie,
        form: { intent: "satisfaction", minResponses },
      });
      expect(refused.status, minResponses).toBe(400);
      const body = await refused.json();
      expect(body.intent).toBe("satisfaction");
      expect(body.result.error.minResponses, minResponses).toEqual([
        minResponses === "" ? "form.required" : "satisfactionRegions.minResponsesRange",
      ]);
      if (minResponses !== "") expect(body.result.initialValue).toMatchObject({ minResponses });
      expect(await auditCount()).toBe(audits);
    }

    const audits = await auditCount();
    const saved = await callAction(settingsAction, "/admin/settings", {
      cookie,
      form: { intent: "satisfaction", minResponses: "25" },
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/admin/settings");
    expect(await auditCount()).toBe(audits + 1);
    const [entry] = await queryRows<{ action: string; before: unknown; after: unknown }>(
      sql`select action, before, after from audit_entries order by id desc limit 1`,
    );
    expect(entry).toEqual({
      action: "province_settings.satisfaction.update",
      before: { minResponses: 10 },
      after: { minResponses: 25 },
    });
    const after = await (await callLoaderAs(settingsLoader, "/admin/settings", cookie)).json();
    expect(after.satisfaction).toEqual({ minResponses: 25 });
    // the freshness form's intent is untouched
    expect(after.freshness).toMatchObject({ staleDays: 180, hiddenDays: 365 });
  });

  it("is refused to a city official", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const refused = await callAction(settingsAction, "/admin/settings", {
      cookie,
      form: { intent: "satisfaction", minResponses: "5" },
    });
    expect(refused.status).toBe(403);
  });
});
