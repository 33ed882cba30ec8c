import { sql } from "drizzle-orm";

import { shadingOf } from "~/components/coverage-view";
import { action as targetsAction, loader as targetsLoader } from "~/routes/admin.targets";
import { loader as apiLoader } from "~/routes/api.v1.coverage.$code";
import { loader as publicLoader } from "~/routes/coverage.$code._index";
import { loader as shapesLoader } from "~/routes/coverage.$code.shapes[.geojson]";
import { loader as dashboardLoader } from "~/routes/dashboard.$code._index";
import { loader as csvLoader } from "~/routes/dashboard.$code.table[.csv]";
import { loader as geojsonLoader } from "~/routes/dashboard.$code.table[.geojson]";
import { loader as dashboardIndexLoader } from "~/routes/dashboard._index";

import { db, queryRows } from "../../db/client.server";
import type { Role } from "../../db/identifiers";
import { assessments } from "../../db/schema";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoader, callLoaderAs } from "../utils/routes";

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

beforeEach(async () => {
  await db.execute(sql`truncate table assessment_transitions, assessments cascade`);
  await db.insert(assessments).values([
    {
      id: "r-1",
      communityCode: "370102001002",
      standardVersion: 1,
      state: "approved",
      tier: "basic",
      score: 70,
      effectiveAt: new Date("2022-06-01T02:00:00Z"),
    },
    {
      id: "r-2",
      communityCode: "370202001001",
      standardVersion: 1,
      state: "approved",
      tier: "growth",
      score: 80,
      effectiveAt: new Date("2022-07-01T02:00:00Z"),
    },
    {
      id: "r-3",
      communityCode: "370102001003",
      standardVersion: 1,
      state: "submitted",
      score: 75,
      submittedAt: new Date("2026-10-01T02:00:00Z"),
    },
  ]);
});

describe("the officials' dashboard", () => {
  it("opens on the reader's own region, inside their scope only", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const opened = await callLoaderAs(dashboardIndexLoader, "/dashboard?asOf=2022-12-31", cookie);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe("/dashboard/370102?asOf=2022-12-31");

    const own = await callLoaderAs(dashboardLoader, "/dashboard/370102?asOf=2022-12-31", cookie, { code: "370102" });
    expect(own.status).toBe(200);
    const body = await own.json();
    expect(body.report.figures).toMatchObject({ communities: 139, certified: 1 });
    expect(body.report.children).toHaveLength(13);
    expect(body.canReview).toBe(true);
    // the submitted one waits in the district's queue and is not counted
    expect(body.pendingReviews).toBe(1);
    // the breadcrumb opens only what the reader may see
    expect(body.pathInScope).toEqual(["370102000000"]);

    expect((await callLoaderAs(dashboardLoader, "/dashboard/370103", cookie, { code: "370103" })).status).toBe(403);
    expect((await callLoaderAs(dashboardLoader, "/dashboard/3701", cookie, { code: "3701" })).status).toBe(403);
    const anonymous = await callLoader(dashboardLoader, "/dashboard/370102", { code: "370102" });
    expect(anonymous.headers.get("Location") ?? "").toMatch(/^\/login/);
  });

  it("shows community staff their own community and nothing above it", async () => {
    const { cookie } = await signedIn("community_staff", "370102001002");
    const own = await callLoaderAs(dashboardLoader, "/dashboard/370102001002", cookie, { code: "370102001002" });
    expect(own.status).toBe(200);
    expect((await own.json()).report.figures.certified).toBe(1);
    expect((await callLoaderAs(dashboardLoader, "/dashboard/370102001", cookie, { code: "370102001" })).status).toBe(
      403,
    );
  });

  it("reports a bad date and shows today's figures instead; a bad code is a 400", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const response = await callLoaderAs(dashboardLoader, "/dashboard/37?asOf=2022-02-30&year=abc", cookie, {
      code: "37",
    });
    const body = await response.json();
    expect(body.errors).toEqual({ asOf: "coverage.asOfFormat", year: "coverage.yearFormat" });
    expect(body.report.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await callLoaderAs(dashboardLoader, "/dashboard/37x", cookie, { code: "37x" })).status).toBe(400);
    expect((await callLoaderAs(dashboardLoader, "/dashboard/3799", cookie, { code: "3799" })).status).toBe(404);
    const future = await (
      await callLoaderAs(dashboardLoader, "/dashboard/37?asOf=2999-01-01", cookie, { code: "37" })
    ).json();
    expect(future.errors.asOf).toBe("coverage.asOfInFuture");
  });

  it("gives a region with no communities no status, in the table as on the map", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const response = await callLoaderAs(dashboardLoader, "/dashboard/370124?asOf=2022-12-31", cookie, {
      code: "370124",
    });
    const { report } = await response.json();
    const empty = report.children.filter((c: { communities: number }) => c.communities === 0);
    expect(empty.length).toBeGreaterThan(0);
    for (const row of empty) {
      expect(row.target?.targetCount).toBe(0);
      expect(row).toMatchObject({ rate: null, gap: null, status: null });
      expect(shadingOf(row)).toBe("none");
    }
    // the others still have one, and the map says achieved exactly where the table does
    for (const row of report.children) {
      expect(shadingOf(row) === "achieved").toBe(row.status === "achieved");
    }
    expect(report.children.some((c: { status: string | null }) => c.status !== null)).toBe(true);
  });

  it("exports the table as CSV and GeoJSON with the same figures", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const csv = await callLoaderAs(csvLoader, "/dashboard/3701/table.csv?asOf=2022-12-31", cookie, { code: "3701" });
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toBe(
      "code,name,level,as_of,include_villages,communities,certified,rate,urban_communities,urban_certified,villages,villages_certified,target_year,target_rate,target_count,target_deadline,gap,status,satisfaction_responses,satisfaction_rate",
    );
    expect(lines[1]).toMatch(/^3701,济南市,city,2022-12-31,false,1067,1,/);
    expect(lines).toHaveLength(1 + 1 + 13);
    expect(lines.find((l) => l.startsWith("370102,"))).toMatch(/^370102,历下区,county,2022-12-31,false,139,1,/);

    const geojson = await (
      await callLoaderAs(geojsonLoader, "/dashboard/3701/table.geojson?asOf=2022-12-31", cookie, { code: "3701" })
    ).json();
    expect(geojson.type).toBe("FeatureCollection");
    expect(geojson.features).toHaveLength(13);
    const lixia = geojson.features.find((f: { properties: { code: string } }) => f.properties.code === "370102");
    expect(lixia.properties).toMatchObject({ communities: 139, certified: 1, level: "county" });
    expect(lixia.geometry.type).toMatch(/Polygon$/);

    expect((await callLoaderAs(csvLoader, "/dashboard/3702/table.csv", cookie, { code: "3702" })).status).toBe(403);
  });
});

describe("the public coverage view", () => {
  it("shows the province, cities and counties to anyone, and nothing per community", async () => {
    const province = await callLoader(publicLoader, "/coverage/37?asOf=2022-12-31", { code: "37" });
    expect(province.status).toBe(200);
    expect((await province.json()).report.children).toHaveLength(16);
    const counties = await (
      await callLoader(publicLoader, "/coverage/37?asOf=2022-12-31&children=county", { code: "37" })
    ).json();
    expect(counties.report.children).toHaveLength(151);
    expect(
      counties.report.children
        .filter((c: { certified: number }) => c.certified > 0)
        .map((c: { code: string }) => c.code)
        .sort(),
    ).toEqual(["370102000000", "370202000000"]);
    expect((await callLoader(publicLoader, "/coverage/370102", { code: "370102" })).status).toBe(200);
    expect((await callLoader(publicLoader, "/coverage/370102001", { code: "370102001" })).status).toBe(403);
    expect((await callLoader(publicLoader, "/coverage/1101", { code: "1101" })).status).toBe(404);
  });

  it("serves the children's shapes: city outlines, township points", async () => {
    const cities = await (await callLoader(shapesLoader, "/coverage/37/shapes.geojson", { code: "37" })).json();
    expect(cities.features).toHaveLength(16);
    expect(cities.features[0].geometry.type).toMatch(/Polygon/);
    const counties = await (await callLoader(shapesLoader, "/coverage/3701/shapes.geojson", { code: "3701" })).json();
    expect(counties.features.length).toBeGreaterThanOrEqual(12);
    // the province's 136 county outlines at once
    const all = await (
      await callLoader(shapesLoader, "/coverage/37/shapes.geojson?level=county", { code: "37" })
    ).json();
    expect(
      all.features.filter((f: { geometry: { type: string } }) => f.geometry.type.endsWith("Polygon")),
    ).toHaveLength(136);
  });
});

describe("GET /api/v1/coverage/:code", () => {
  it("returns the figures and the children in the documented shape", async () => {
    const response = await callLoader(apiLoader, "/api/v1/coverage/37?asOf=2022-12-31", { code: "37" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      code: "37",
      name: "山东省",
      level: "province",
      asOf: "2022-12-31",
      communities: 7084,
      certified: 2,
      target: { year: 2022, rate: 0.2, count: 1417, deadline: "2022-12-31" },
      gap: 1415,
      status: "off_track",
    });
    expect(body.children).toHaveLength(16);
    expect(Object.keys(body.children[0]).sort()).toEqual([
      "certified",
      "code",
      "communities",
      "gap",
      "level",
      "name",
      "rate",
      "satisfaction",
      "status",
    ]);
    expect(body.children[0]).toMatchObject({ code: "3701", name: "济南市", certified: 1, gap: 199 }); // Jinan's own 2022 count: 200
    const sum = body.children.reduce((s: number, c: { communities: number }) => s + c.communities, 0);
    expect(sum).toBe(body.communities);

    const withVillages = await (
      await callLoader(apiLoader, "/api/v1/coverage/37?asOf=2022-12-31&includeVillages=true", { code: "37" })
    ).json();
    expect(withVillages.communities).toBe(62074);
  });

  it("refuses bad input clearly, and per-community figures without scope", async () => {
    const bad = await callLoader(apiLoader, "/api/v1/coverage/37?asOf=31-12-2022", { code: "37" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: "invalid query",
      fields: { asOf: expect.stringMatching(/year-month-day/) },
    });
    expect((await callLoader(apiLoader, "/api/v1/coverage/3799", { code: "3799" })).status).toBe(404);
    expect((await callLoader(apiLoader, "/api/v1/coverage/370102001", { code: "370102001" })).status).toBe(401);
    const { cookie } = await signedIn("district_official", "370102");
    expect((await callLoaderAs(apiLoader, "/api/v1/coverage/370102001", cookie, { code: "370102001" })).status).toBe(
      200,
    );
    expect((await callLoaderAs(apiLoader, "/api/v1/coverage/370103002", cookie, { code: "370103002" })).status).toBe(
      403,
    );
    // out of scope, whether or not the code exists
    expect((await callLoaderAs(apiLoader, "/api/v1/coverage/370103999", cookie, { code: "370103999" })).status).toBe(
      403,
    );
  });
});

describe("targets", () => {
  it("lets the province admin set, change and delete a county's target, audited", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const before = await auditCount();
    const saved = await callAction(targetsAction, "/admin/targets", {
      cookie,
      form: {
        intent: "save",
        regionCode: "370102",
        year: "2026",
        ratePercent: "25",
        count: "",
        deadline: "2026-12-31",
      },
    });
    expect(saved.status).toBe(302);
    const [row] = await queryRows<{ id: string; rate: string; count: number | null }>(
      sql`select id, rate::text as rate, count from targets where region_code = '370102000000' and year = 2026`,
    );
    expect(Number(row.rate)).toBe(0.25);
    expect(row.count).toBeNull();
    await callAction(targetsAction, "/admin/targets", {
      cookie,
      form: {
        intent: "save",
        regionCode: "370102",
        year: "2026",
        ratePercent: "",
        count: "40",
        deadline: "2026-12-31",
      },
    });
    const [changed] = await queryRows<{ rate: string | null; count: number }>(
      sql`select rate::text as rate, count from targets where region_code = '370102000000' and year = 2026`,
    );
    expect(changed).toEqual({ rate: null, count: 40 });
    const deleted = await callAction(targetsAction, "/admin/targets", {
      cookie,
      form: { intent: "delete", id: row.id },
    });
    expect(deleted.status).toBe(302);
    expect(await auditCount()).toBe(before + 3);
    const listed = await (await callLoaderAs(targetsLoader, "/admin/targets", cookie)).json();
    expect(
      listed.targets.some(
        (t: { regionCode: string; year: number }) => t.regionCode === "370102000000" && t.year === 2026,
      ),
    ).toBe(false);
  });

  it("says what is wrong with a target and saves nothing", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const before = await auditCount();
    const cases: [Record<string, string>, string, string][] = [
      [
        { regionCode: "370102", year: "2026", ratePercent: "", count: "", deadline: "2026-12-31" },
        "ratePercent",
        "coverage.targetNeedsOne",
      ],
      [
        { regionCode: "370102", year: "2026", ratePercent: "120", count: "", deadline: "2026-12-31" },
        "ratePercent",
        "coverage.targetRateRange",
      ],
      [
        { regionCode: "370102", year: "2026", ratePercent: "", count: "2.5", deadline: "2026-12-31" },
        "count",
        "coverage.targetCountRange",
      ],
      [
        { regionCode: "370102001", year: "2026", ratePercent: "20", count: "", deadline: "2026-12-31" },
        "regionCode",
        "coverage.targetRegionLevel",
      ],
      [
        { regionCode: "379999", year: "2026", ratePercent: "20", count: "", deadline: "2026-12-31" },
        "regionCode",
        "coverage.targetRegionUnknown",
      ],
      [
        { regionCode: "370102", year: "2026", ratePercent: "20", count: "", deadline: "2025-12-31" },
        "deadline",
        "coverage.targetDeadlineYear",
      ],
      [
        { regionCode: "370102", year: "2026", ratePercent: "20", count: "", deadline: "2026-02-30" },
        "deadline",
        "coverage.targetDeadlineFormat",
      ],
    ];
    for (const [form, field, message] of cases) {
      const response = await callAction(targetsAction, "/admin/targets", { cookie, form: { intent: "save", ...form } });
      expect(response.status, JSON.stringify(form)).toBe(400);
      const body = await response.json();
      expect(body.result.error[field], JSON.stringify(form)).toContain(message);
    }
    expect(await auditCount()).toBe(before);
  });

  it("is the province admin's alone", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    expect((await callLoaderAs(targetsLoader, "/admin/targets", cookie)).status).toBe(403);
    const response = await callAction(targetsAction, "/admin/targets", {
      cookie,
      form: { intent: "save", regionCode: "3701", year: "2026", ratePercent: "30", deadline: "2026-12-31" },
    });
    expect(response.status).toBe(403);
  });
});
