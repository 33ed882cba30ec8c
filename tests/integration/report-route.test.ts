import { sql } from "drizzle-orm";

import { loader as dashboardLoader } from "~/routes/dashboard.$code._index";
import { loader as livingCircleLoader } from "~/routes/dashboard.$code.living-circle";
import { loader as reportLoader } from "~/routes/dashboard.$code.report";

import { db, queryRows } from "../../db/client.server";
import { LIVING_CIRCLE_MEASURES, type Role } from "../../db/identifiers";
import { assessments } from "../../db/schema";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { clearLivingCircleCommunities, COVERED, placeLivingCircleCommunities } from "../utils/living-circle-fixture";
import { callLoader, callLoaderAs } from "../utils/routes";

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

type ReportBody = {
  report: { figures: unknown; children: { code: string; name: string; certified: number }[]; trend: unknown[] };
  map: { width: number; height: number; shapes: { code: string; kind: string; d?: string }[] } | null;
  livingCircle: {
    measures: { measure: string; gaps: number; communities: number }[];
    perChild: { code: string; gaps: Record<string, number> }[] | null;
    lists: { measure: string; total: number; gaps: { code: string }[] }[];
  };
  demo: boolean;
  url: string;
};

beforeAll(async () => {
  await queryRows(
    sql`truncate table community_access, services, facilities, assessment_transitions, assessments cascade`,
  );
  await db.insert(assessments).values({
    id: "report-1",
    communityCode: COVERED,
    standardVersion: 1,
    state: "approved",
    tier: "basic",
    score: 70,
    effectiveAt: new Date("2022-06-01T02:00:00Z"),
  });
  await placeLivingCircleCommunities();
});

afterAll(async () => {
  await clearLivingCircleCommunities();
  await queryRows(
    sql`truncate table community_access, services, facilities, assessment_transitions, assessments cascade`,
  );
});

describe("/dashboard/:code/report", () => {
  it("is the dashboard's guard: anonymous readers sign in, another district's official is refused", async () => {
    const anonymous = await callLoader(reportLoader, "/dashboard/370102/report", { code: "370102" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location") ?? "").toMatch(/^\/login/);
    const { cookie } = await signedIn("district_official", "370102");
    for (const code of ["370103", "3701", "37"]) {
      const refused = await callLoaderAs(reportLoader, `/dashboard/${code}/report`, cookie, { code });
      expect(refused.status).toBe(403);
    }
    expect((await callLoaderAs(reportLoader, "/dashboard/370102/report", cookie, { code: "370102" })).status).toBe(200);
    const jinan = await signedIn("city_official", "3701");
    expect((await callLoaderAs(reportLoader, "/dashboard/3702/report", jinan.cookie, { code: "3702" })).status).toBe(
      403,
    );
    const admin = await signedIn("province_admin", "37");
    expect(
      (await callLoaderAs(reportLoader, "/dashboard/379999/report", admin.cookie, { code: "379999" })).status,
    ).toBe(404);
    expect((await callLoaderAs(reportLoader, "/dashboard/37x/report", admin.cookie, { code: "37x" })).status).toBe(400);
  });

  it("shows exactly the dashboard's figures, children and trend, for a district and for a city", async () => {
    for (const [role, code] of [
      ["district_official", "370102"],
      ["city_official", "3701"],
    ] as const) {
      const { cookie } = await signedIn(role, code);
      for (const query of ["?asOf=2022-12-31", "?asOf=2022-12-31&villages=1&year=2022", ""]) {
        const dashboard = await (
          await callLoaderAs(dashboardLoader, `/dashboard/${code}${query}`, cookie, { code })
        ).json();
        const report = (await (
          await callLoaderAs(reportLoader, `/dashboard/${code}/report${query}`, cookie, { code })
        ).json()) as ReportBody;
        expect(report.report).toEqual(dashboard.report);
      }
    }
    const { cookie } = await signedIn("city_official", "3701");
    const city = (await (
      await callLoaderAs(reportLoader, "/dashboard/3701/report?asOf=2022-12-31", cookie, { code: "3701" })
    ).json()) as ReportBody;
    expect(city.report.children.find((c) => c.code === "370102000000")?.certified).toBe(1);
    expect(city.url).toBe("http://localhost/dashboard/3701/report?asOf=2022-12-31");
    const printed = (await (
      await callLoaderAs(reportLoader, "/dashboard/3701/report?print=1", cookie, { code: "3701" })
    ).json()) as ReportBody;
    expect(printed.url).toBe("http://localhost/dashboard/3701/report");
  });

  it("draws every child with a boundary as an SVG path inside the map's frame", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const body = (await (
      await callLoaderAs(reportLoader, "/dashboard/3701/report", cookie, { code: "3701" })
    ).json()) as ReportBody;
    expect(body.map).not.toBeNull();
    const map = body.map!;
    const areas = map.shapes.filter((s) => s.kind === "area");
    // Jinan's county-level units with a boundary (the NBS-only zones have none)
    expect(areas.length).toBeGreaterThanOrEqual(10);
    expect(map.width).toBeLessThanOrEqual(600);
    for (const area of areas) {
      expect(area.d).toMatch(/^M[\d.]+ [\d.]+L/);
      const numbers = (area.d ?? "").match(/[\d.]+/g)!.map(Number);
      for (let i = 0; i < numbers.length; i += 2) {
        expect(numbers[i]).toBeLessThanOrEqual(map.width);
        expect(numbers[i + 1]).toBeLessThanOrEqual(map.height);
      }
    }
    const codes = new Set(body.report.children.map((c) => c.code));
    for (const shape of map.shapes) expect(codes.has(shape.code)).toBe(true);
  });

  it("lists a district's uncovered communities per measure as the living-circle page counts them, capped", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const body = (await (
      await callLoaderAs(reportLoader, "/dashboard/370102/report", cookie, { code: "370102" })
    ).json()) as ReportBody;
    expect(body.livingCircle.perChild).toBeNull();
    expect(body.livingCircle.lists.map((l) => l.measure)).toEqual([...LIVING_CIRCLE_MEASURES]);
    for (const measure of ["elderly_care", "health"]) {
      const page = await (
        await callLoaderAs(livingCircleLoader, `/dashboard/370102/living-circle?measure=${measure}`, cookie, {
          code: "370102",
        })
      ).json();
      const list = body.livingCircle.lists.find((l) => l.measure === measure)!;
      expect(list.total).toBe(page.gaps.total);
      expect(list.gaps.length).toBe(25);
      expect(list.gaps.map((g) => g.code)).toEqual(page.gaps.gaps.slice(0, 25).map((g: { code: string }) => g.code));
      expect(body.livingCircle.measures.find((m) => m.measure === measure)?.gaps).toBe(page.gaps.total);
    }
    const care = body.livingCircle.lists.find((l) => l.measure === "elderly_care")!;
    expect(care.total).toBe(138);
    expect(care.gaps.map((g) => g.code)).not.toContain(COVERED);
    expect(body.livingCircle.lists.find((l) => l.measure === "health")!.total).toBe(139);
    // two of its communities carry demo points
    expect(body.demo).toBe(true);
  });

  it("counts a city's uncovered communities per measure and per child, adding up to the city's", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const body = (await (
      await callLoaderAs(reportLoader, "/dashboard/3701/report", cookie, { code: "3701" })
    ).json()) as ReportBody;
    expect(body.livingCircle.lists).toEqual([]);
    const perChild = body.livingCircle.perChild!;
    expect(perChild.map((c) => c.code)).toEqual(body.report.children.map((c) => c.code));
    for (const m of body.livingCircle.measures) {
      const sum = perChild.reduce((s, c) => s + (c.gaps[m.measure] ?? 0), 0);
      expect(sum).toBe(m.gaps);
    }
    const lixia = perChild.find((c) => c.code === "370102000000")!;
    expect(lixia.gaps.elderly_care).toBe(138);
    expect(lixia.gaps.health).toBe(139);
    // Qingdao's report carries no demo label: none of its communities is demo
    const admin = await signedIn("province_admin", "37");
    const qingdao = (await (
      await callLoaderAs(reportLoader, "/dashboard/3702/report", admin.cookie, { code: "3702" })
    ).json()) as ReportBody;
    expect(qingdao.demo).toBe(false);
  });
});
