import { sql } from "drizzle-orm";

import { notificationMessage } from "~/domains/notifications/notifications";
import { createI18n } from "~/i18n";
import { action as planAction, loader as planLoader } from "~/routes/dashboard.$code.plan";
import { loader as csvLoader } from "~/routes/dashboard.$code.plan[.csv]";
import { loader as geojsonLoader } from "~/routes/dashboard.$code.plan[.geojson]";
import { loader as compareLoader } from "~/routes/dashboard.$code.plan_.compare";
import { action as manageAction, loader as manageLoader } from "~/routes/manage.$code._index";
import { action as newFacilityAction, loader as newFacilityLoader } from "~/routes/manage.$code.facilities.new";

import { queryRows } from "../../db/client.server";
import type { Role } from "../../db/identifiers";
import { createScenario } from "../../db/queries/scenarios.server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import {
  clearLivingCircleCommunities,
  COVERED,
  GAP_BIG,
  placeLivingCircleCommunities,
} from "../utils/living-circle-fixture";
import { callAction, callLoaderAs } from "../utils/routes";

// 解放路街道, 历下区 (as in living-circle-routes.test.ts): 解放桥 covered by a canteen 300 m away,
// 十亩园 (900 aged 60+) and 历山路 (100) not, 5 km apart
const NEXT_TO_BIG = "36.6605,117.0905";
const OTHER_DISTRICT_COMMUNITY = "370103002001";

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

const auditActions = async (objectId: string) =>
  (
    await queryRows<{ action: string; region_code: string }>(
      sql`select action, region_code from audit_entries where object_id = ${objectId} order by id`,
    )
  ).map((r) => `${r.action}@${r.region_code}`);

const scenarioIdFrom = (response: Response) =>
  new URL(response.headers.get("Location") ?? "", "http://localhost").searchParams.get("scenario");

const plan = (code: string, cookie: string, form: Record<string, string>) =>
  callAction(planAction, `/dashboard/${code}/plan`, { params: { code }, form, cookie });

beforeAll(async () => {
  await placeLivingCircleCommunities();
});

afterAll(async () => {
  await clearLivingCircleCommunities();
});

describe("/dashboard/:code/plan", () => {
  it("shows what a proposed site next to a gap would newly cover, before and after, keeping the good sites of a bad URL", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const response = await callLoaderAs(
      planLoader,
      `/dashboard/370102/plan?m=elderly_care&m=health&s=${NEXT_TO_BIG}&s=abc&s=40.1,117.0&m=bowling`,
      cookie,
      { code: "370102" },
    );
    expect(response.status).toBe(200);
    const { plan } = await response.json();
    expect(plan.state.sites).toEqual([{ lat: 36.6605, lng: 117.0905 }]);
    expect(plan.state.measures).toEqual(["elderly_care", "health"]);
    expect(plan.errors.map((e: { key: string }) => e.key)).toEqual([
      "livingCircle.planMeasureUnknown",
      "livingCircle.planSiteFormat",
      "livingCircle.planSiteOutside",
    ]);
    const care = plan.results[0];
    expect(care).toMatchObject({
      measure: "elderly_care",
      communities: 139,
      population60: 1300,
      before: { covered: 1, population60Covered: 300 },
      after: { covered: 2, population60Covered: 1200 },
    });
    expect(care.after.share).toBeGreaterThan(care.before.share);
    expect(care.after.share60).toBeCloseTo(1200 / 1300);
    expect(care.sites[0]).toEqual({
      newlyCovered60: 900,
      communities: [{ code: GAP_BIG, name: "十亩园社区居民委员会", population60: 900 }],
    });
    // nothing offers health: the same site newly covers 十亩园 there too, from nothing before
    expect(plan.results[1]).toMatchObject({ before: { covered: 0 }, after: { covered: 1, population60Covered: 900 } });
    expect(plan.gaps.map((g: { code: string }) => g.code)).toContain(GAP_BIG);
  });

  it("adds a typed point by a redirect to the URL that names it, and keeps a refused one to correct", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const added = await callLoaderAs(
      planLoader,
      `/dashboard/370102/plan?m=health&s=${NEXT_TO_BIG}&lat=36.62&lng=117.0`,
      cookie,
      { code: "370102" },
    );
    expect(added.status).toBe(302);
    const location = new URL(added.headers.get("Location")!, "http://localhost");
    expect(location.pathname).toBe("/dashboard/370102/plan");
    expect(location.searchParams.getAll("s")).toEqual([NEXT_TO_BIG, "36.62,117"]);
    expect(location.searchParams.getAll("m")).toEqual(["health"]);

    const refused = await callLoaderAs(
      planLoader,
      `/dashboard/370102/plan?m=health&s=${NEXT_TO_BIG}&lat=36.62&lng=east`,
      cookie,
      { code: "370102" },
    );
    expect(refused.status).toBe(200);
    const { plan } = await refused.json();
    expect(plan.adding).toEqual({ lat: "36.62", lng: "east" });
    expect(plan.errors).toEqual([{ key: "livingCircle.planSiteFormat", params: { value: "36.62,east" } }]);
    expect(plan.state.sites).toHaveLength(1);
  });

  it("takes the suggestions: the exact best sites for the first measure added to the plan's", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const taken = await callLoaderAs(
      planLoader,
      `/dashboard/370102/plan?m=elderly_care&s=36.62,117&k=1&take=1`,
      cookie,
      { code: "370102" },
    );
    expect(taken.status).toBe(302);
    const location = new URL(taken.headers.get("Location")!, "http://localhost");
    // the best single site is 十亩园's own point (900 aged 60+), after the one already there
    expect(location.searchParams.getAll("s")).toEqual(["36.62,117", "36.66,117.09"]);
    expect(location.searchParams.getAll("m")).toEqual(["elderly_care"]);
    expect(location.searchParams.get("take")).toBeNull();
    const bad = await callLoaderAs(planLoader, `/dashboard/370102/plan?m=elderly_care&k=11&take=1`, cookie, {
      code: "370102",
    });
    expect(bad.status).toBe(200);
    expect((await bad.json()).plan.errors).toEqual([{ key: "livingCircle.kRange" }]);
  });

  it("is for officials in scope, at a county or township; a city gets a message instead", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    expect((await callLoaderAs(planLoader, "/dashboard/370103/plan", cookie, { code: "370103" })).status).toBe(403);
    const staff = await signedIn("community_staff", COVERED);
    expect((await callLoaderAs(planLoader, "/dashboard/370102/plan", staff.cookie, { code: "370102" })).status).toBe(
      403,
    );
    const city = await signedIn("city_official", "3701");
    const cityPage = await (
      await callLoaderAs(planLoader, "/dashboard/3701/plan", city.cookie, { code: "3701" })
    ).json();
    expect(cityPage.plan).toBeNull();
    const township = await (
      await callLoaderAs(planLoader, "/dashboard/370102001/plan?m=elderly_care", city.cookie, { code: "370102001" })
    ).json();
    expect(township.plan.results[0].communities).toBeGreaterThan(0);
    expect(
      (await plan("370103", cookie, { intent: "save", name: "越权", m: "elderly_care", s: NEXT_TO_BIG })).status,
    ).toBe(403);
  });
});

describe("scenarios", () => {
  it("are saved, renamed and deleted, audited; a duplicate name is a clear error that keeps what was typed", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const saved = await plan("370102", cookie, { intent: "save", name: "方案甲", m: "elderly_care", s: NEXT_TO_BIG });
    expect(saved.status).toBe(302);
    const id = scenarioIdFrom(saved)!;
    expect(id).toBeTruthy();
    const opened = await (
      await callLoaderAs(planLoader, `/dashboard/370102/plan?scenario=${id}`, cookie, { code: "370102" })
    ).json();
    expect(opened.plan.scenario.name).toBe("方案甲");
    expect(opened.plan.state).toMatchObject({ measures: ["elderly_care"], sites: [{ lat: 36.6605, lng: 117.0905 }] });
    expect(opened.plan.results[0].after.covered).toBe(2);
    expect(opened.plan.scenarios.map((s: { name: string }) => s.name)).toContain("方案甲");

    const duplicate = await plan("370102", cookie, { intent: "save", name: "方案甲", m: "health", s: "36.62,117" });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toEqual({
      form: "save",
      errors: ["livingCircle.planNameTaken"],
      values: { name: "方案甲", note: "", communityCode: "" },
    });
    const second = scenarioIdFrom(await plan("370102", cookie, { intent: "save", name: "方案乙", m: "health" }))!;
    const clash = await plan("370102", cookie, { intent: "rename", scenarioId: second, name: "方案甲" });
    expect(clash.status).toBe(400);
    expect((await clash.json()).errors).toEqual(["livingCircle.planNameTaken"]);
    expect((await plan("370102", cookie, { intent: "save", name: " ", m: "health" })).status).toBe(400);

    expect((await plan("370102", cookie, { intent: "rename", scenarioId: id, name: "方案丙" })).status).toBe(302);
    expect(
      (await plan("370102", cookie, { intent: "update", scenarioId: id, m: "health", s: "36.62,117" })).status,
    ).toBe(302);
    expect((await plan("370102", cookie, { intent: "delete", scenarioId: id })).status).toBe(302);
    expect(await auditActions(id)).toEqual([
      "scenario.create@370102000000",
      "scenario.update@370102000000",
      "scenario.update@370102000000",
      "scenario.delete@370102000000",
    ]);
    const [gone] = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from planning_scenarios where id = ${id}`,
    );
    expect(gone.n).toBe(0);
  });

  it("of another district are out of reach: 403 at its address, 404 through one's own", async () => {
    const other = await signedIn("district_official", "370103");
    const theirs = await createScenario({ userId: other.user.id }, "370103000000", {
      name: "他区方案",
      measures: ["elderly_care"],
      sites: [],
    });
    if (!theirs.ok) throw new Error("not saved");
    const { cookie } = await signedIn("district_official", "370102");
    for (const form of <Record<string, string>[]>[
      { intent: "rename", scenarioId: theirs.value.id, name: "改名" },
      { intent: "delete", scenarioId: theirs.value.id },
    ]) {
      expect((await plan("370102", cookie, form)).status).toBe(404);
      expect((await plan("370103", cookie, form)).status).toBe(403);
    }
    expect(
      (await callLoaderAs(planLoader, `/dashboard/370102/plan?scenario=${theirs.value.id}`, cookie, { code: "370102" }))
        .status,
    ).toBe(404);
    expect(await auditActions(theirs.value.id)).toEqual(["scenario.create@370103000000"]);
  });

  it("compare side by side: each one's after-figures and the difference", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const one = scenarioIdFrom(await plan("370102", cookie, { intent: "save", name: "对比一", m: "elderly_care" }))!;
    const two = scenarioIdFrom(
      await plan("370102", cookie, { intent: "save", name: "对比二", m: "elderly_care", s: NEXT_TO_BIG }),
    )!;
    const response = await callLoaderAs(compareLoader, `/dashboard/370102/plan/compare?a=${one}&b=${two}`, cookie, {
      code: "370102",
    });
    expect(response.status).toBe(200);
    const { comparison } = await response.json();
    expect([comparison.a.name, comparison.b.name]).toEqual(["对比一", "对比二"]);
    expect(comparison.measures).toHaveLength(1);
    expect(comparison.measures[0]).toMatchObject({
      measure: "elderly_care",
      a: { covered: 1, population60Covered: 300 },
      b: { covered: 2, population60Covered: 1200 },
      difference: { covered: 1, population60Covered: 900 },
    });
    expect(comparison.measures[0].difference.share).toBeCloseTo(1 / 139);
    expect(
      (await callLoaderAs(compareLoader, `/dashboard/370102/plan/compare?a=${one}&b=nope`, cookie, { code: "370102" }))
        .status,
    ).toBe(404);
  });

  it("export the view or a scenario as CSV and GeoJSON: a row per site and measure, a point per site", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const csv = await callLoaderAs(
      csvLoader,
      `/dashboard/370102/plan.csv?m=elderly_care&m=health&s=${NEXT_TO_BIG}&s=36.5,117.5`,
      cookie,
      { code: "370102" },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Disposition")).toContain("shequ-plan-370102.csv");
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines).toEqual([
      "site,lat,lng,measure,newly_covered_communities,newly_covered_population_60,community_codes",
      `1,36.6605,117.0905,elderly_care,1,900,${GAP_BIG}`,
      `1,36.6605,117.0905,health,1,900,${GAP_BIG}`,
      "2,36.5,117.5,elderly_care,0,0,",
      "2,36.5,117.5,health,0,0,",
    ]);
    const saved = scenarioIdFrom(
      await plan("370102", cookie, { intent: "save", name: "导出方案", m: "elderly_care", s: NEXT_TO_BIG }),
    )!;
    const geojson = await callLoaderAs(geojsonLoader, `/dashboard/370102/plan.geojson?scenario=${saved}`, cookie, {
      code: "370102",
    });
    expect(geojson.headers.get("Content-Type")).toContain("application/geo+json");
    expect(geojson.headers.get("Content-Disposition")).toContain(`shequ-plan-370102-${saved.slice(0, 8)}.geojson`);
    expect((await geojson.json()).features).toEqual([
      {
        type: "Feature",
        properties: {
          site: 1,
          lat: 36.6605,
          lng: 117.0905,
          measures: [
            { measure: "elderly_care", newlyCoveredCommunities: 1, newlyCovered60: 900, communityCodes: [GAP_BIG] },
          ],
        },
        geometry: { type: "Point", coordinates: [117.0905, 36.6605] },
      },
    ]);
  });
});

describe("a site sent to a community", () => {
  it("becomes an open draft and a notice to its staff; the staff register it from /manage/:code or dismiss it", async () => {
    const official = await signedIn("district_official", "370102");
    const staff = await signedIn("community_staff", GAP_BIG);
    const elsewhere = await signedIn("community_staff", COVERED);
    const scenarioId = scenarioIdFrom(
      await plan("370102", official.cookie, { intent: "save", name: "送达方案", m: "elderly_care", s: NEXT_TO_BIG }),
    )!;
    const [scenario] = await queryRows<{ sites: Array<{ id: string }> }>(
      sql`select sites from planning_scenarios where id = ${scenarioId}`,
    );
    const siteId = scenario.sites[0].id;
    const send = (communityCode: string, note = "") =>
      plan("370102", official.cookie, { intent: "send", scenarioId, siteId, communityCode, note });

    const outside = await send(OTHER_DISTRICT_COMMUNITY, "越界");
    expect(outside.status).toBe(400);
    expect((await outside.json()).errors).toEqual(["livingCircle.planCommunityOutside"]);
    expect(await send(GAP_BIG, "靠近十亩园").then((r) => r.status)).toBe(302);
    expect(await send(GAP_BIG).then((r) => r.status)).toBe(302);
    const drafts = await queryRows<{ id: string; state: string; community_code: string; note: string | null }>(
      sql`select id, state, community_code, note from facility_drafts where scenario_id = ${scenarioId} order by sent_at, note nulls last`,
    );
    expect(drafts.map((d) => [d.community_code, d.state])).toEqual([
      [GAP_BIG, "open"],
      [GAP_BIG, "open"],
    ]);
    const notices = await queryRows<{ user_id: string; link: string; params: Record<string, string> }>(
      sql`select user_id, link, params from notifications where kind = 'site_proposed' and region_code = ${GAP_BIG}`,
    );
    expect(notices.map((n) => n.user_id)).toEqual([staff.user.id, staff.user.id]);
    expect(notices.some((n) => n.user_id === elsewhere.user.id)).toBe(false);
    expect(notices[0].link).toBe(`/manage/${GAP_BIG}#drafts`);
    expect(notices[0].params).toMatchObject({ scenario: "送达方案", measures: "elderly_care" });
    const notice = { kind: "site_proposed" as const, params: notices[0].params };
    expect(notificationMessage(notice, createI18n("zh-CN").t, "zh-CN")).toMatch(
      /^十亩园社区居民委员会：.+在规划方案“送达方案”中建议新设一处养老服务设施，请登记$/,
    );
    expect(notificationMessage(notice, createI18n("en").t, "en")).toMatch(/proposes a new elderly care facility/i);
    expect(await auditActions(scenarioId)).toEqual([
      "scenario.create@370102000000",
      "scenario.send_site@370102000000",
      "scenario.send_site@370102000000",
    ]);

    const workspace = await (
      await callLoaderAs(manageLoader, `/manage/${GAP_BIG}`, staff.cookie, { code: GAP_BIG })
    ).json();
    expect(workspace.drafts).toHaveLength(2);
    expect(workspace.drafts.map((d: { scenarioName: string }) => d.scenarioName)).toEqual(["送达方案", "送达方案"]);
    const noted = drafts.find((d) => d.note === "靠近十亩园")!;
    const other = drafts.find((d) => d.id !== noted.id)!;

    // another community's staff cannot open it
    expect(
      (
        await callLoaderAs(newFacilityLoader, `/manage/${COVERED}/facilities/new?draft=${noted.id}`, elsewhere.cookie, {
          code: COVERED,
        })
      ).status,
    ).toBe(404);
    const form = await (
      await callLoaderAs(newFacilityLoader, `/manage/${GAP_BIG}/facilities/new?draft=${noted.id}`, staff.cookie, {
        code: GAP_BIG,
      })
    ).json();
    expect(form.draft).toMatchObject({ lat: 36.6605, lng: 117.0905, measures: ["elderly_care"] });
    const created = await callAction(newFacilityAction, `/manage/${GAP_BIG}/facilities/new?draft=${noted.id}`, {
      params: { code: GAP_BIG },
      cookie: staff.cookie,
      form: { intent: "save", name: "十亩园助餐点", type: "elderly_canteen", lat: "36.6605", lng: "117.0905" },
    });
    expect(created.status).toBe(302);
    const facilityId = created.headers.get("Location")!.split("/").pop();
    const [registered] = await queryRows<{ state: string; facility_id: string }>(
      sql`select state, facility_id from facility_drafts where id = ${noted.id}`,
    );
    expect(registered).toEqual({ state: "registered", facility_id: facilityId });
    expect(await auditActions(noted.id)).toEqual([`facility_draft.register@${GAP_BIG}`]);

    const dismissed = await callAction(manageAction, `/manage/${GAP_BIG}`, {
      params: { code: GAP_BIG },
      cookie: staff.cookie,
      form: { intent: "dismiss_draft", draftId: other.id },
    });
    expect(dismissed.status).toBe(302);
    const [after] = await queryRows<{ state: string }>(sql`select state from facility_drafts where id = ${other.id}`);
    expect(after.state).toBe("dismissed");
    expect(await auditActions(other.id)).toEqual([`facility_draft.dismiss@${GAP_BIG}`]);
    // handled drafts leave the list and cannot be registered again
    const later = await (
      await callLoaderAs(manageLoader, `/manage/${GAP_BIG}`, staff.cookie, { code: GAP_BIG })
    ).json();
    expect(later.drafts).toEqual([]);
    expect(
      (
        await callLoaderAs(newFacilityLoader, `/manage/${GAP_BIG}/facilities/new?draft=${other.id}`, staff.cookie, {
          code: GAP_BIG,
        })
      ).status,
    ).toBe(404);
  });
});
