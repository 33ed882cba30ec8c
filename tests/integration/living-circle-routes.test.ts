import { sql } from "drizzle-orm";

import { action as adminAction, loader as adminLoader } from "~/routes/admin.living-circle";
import { loader as sitesApiLoader } from "~/routes/api.v1.living-circle.$code.sites";
import { loader as boundaryLoader } from "~/routes/api.v1.regions.$code.boundary";
import { loader as pageLoader } from "~/routes/dashboard.$code.living-circle";
import { loader as csvLoader } from "~/routes/dashboard.$code.living-circle[.csv]";
import { loader as geojsonLoader } from "~/routes/dashboard.$code.living-circle[.geojson]";

import { queryRows } from "../../db/client.server";
import { LIVING_CIRCLE_MEASURES, type Role } from "../../db/identifiers";
import { runLivingCircleRecomputes } from "../../db/queries/living-circle.server";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import {
  clearLivingCircleCommunities,
  GAP_BIG,
  GAP_SMALL,
  placeLivingCircleCommunities,
} from "../utils/living-circle-fixture";
import { callAction, callLoader, callLoaderAs } from "../utils/routes";

// 解放路街道, 历下区: 解放桥 covered by a canteen 300 m away, 历山路 and 十亩园 not, 后坡街 without a point

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

beforeAll(async () => {
  await placeLivingCircleCommunities();
});

afterAll(async () => {
  await clearLivingCircleCommunities();
});

describe("/dashboard/:code/living-circle", () => {
  it("shows the district's figures, gaps and suggested sites, inside the reader's scope only", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const response = await callLoaderAs(pageLoader, "/dashboard/370102/living-circle?measure=elderly_care", cookie, {
      code: "370102",
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.query).toEqual({ measure: "elderly_care", includeVillages: false });
    const care = body.summary.measures.find((m: { measure: string }) => m.measure === "elderly_care");
    expect(care).toMatchObject({
      communities: 139,
      covered: 1,
      population60: 1300,
      population60Covered: 300,
      thresholdM: 1000,
    });
    // every measure of the vocabulary, in its order (9 today)
    expect(body.summary.measures.map((m: { measure: string }) => m.measure)).toEqual([...LIVING_CIRCLE_MEASURES]);
    expect(body.gaps.total).toBe(138);
    expect(body.gaps.gaps).toHaveLength(138);
    expect(body.gaps.gaps.slice(0, 2).map((g: { code: string }) => g.code)).toEqual([GAP_BIG, GAP_SMALL]);
    // the two gaps with a point are 5 km apart: each is its own site, the bigger first
    type Site = { candidate: { ref: string }; newlyCovered60: number };
    expect(body.sites.sites.slice(0, 2).map((s: Site) => [s.candidate.ref, s.newlyCovered60])).toEqual([
      [GAP_BIG, 900],
      [GAP_SMALL, 100],
    ]);
    expect(body.sites).toMatchObject({
      k: 3,
      method: "exact",
      optimal: true,
      covered60Before: 300,
      covered60After: 1300,
    });
    expect(body.summary.distance).toEqual({ detourFactor: 1.3, networks: [] });

    expect((await callLoaderAs(pageLoader, "/dashboard/370103/living-circle", cookie, { code: "370103" })).status).toBe(
      403,
    );
    expect((await callLoaderAs(pageLoader, "/dashboard/3701/living-circle", cookie, { code: "3701" })).status).toBe(
      403,
    );
    const anonymous = await callLoader(pageLoader, "/dashboard/370102/living-circle", { code: "370102" });
    expect(anonymous.headers.get("Location") ?? "").toMatch(/^\/login/);
  });

  it("draws the region's outline on the map: the district's own, and its district's for a township", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const outlineOf = async (code: string) => {
      const response = await callLoaderAs(pageLoader, `/dashboard/${code}/living-circle`, cookie, { code });
      return (await response.json()).boundaryUrl as string;
    };
    expect(await outlineOf("370102")).toBe("/api/v1/regions/370102/boundary");
    expect(await outlineOf("370102001")).toBe("/api/v1/regions/370102/boundary");
    expect(await outlineOf("3701")).toBe("/api/v1/regions/3701/boundary");
    const boundary = await callLoader(boundaryLoader, "/api/v1/regions/370102/boundary", { code: "370102" });
    expect(boundary.status).toBe(200);
    const feature = await boundary.json();
    expect(feature).toMatchObject({ type: "Feature", properties: { code: "370102" } });
    expect(feature.geometry.type).toBe("MultiPolygon");
  });

  it("chooses sites in a township but not a city, refuses a bad measure, k or code, and 404s an unknown region", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const township = await (
      await callLoaderAs(pageLoader, "/dashboard/370102001/living-circle?measure=elderly_day_care&villages=1", cookie, {
        code: "370102001",
      })
    ).json();
    expect(township.sites).toMatchObject({ measure: "elderly_day_care", k: 3 });
    const city = await (
      await callLoaderAs(pageLoader, "/dashboard/3701/living-circle", cookie, { code: "3701" })
    ).json();
    expect(city.sites).toBeNull();
    // a bad k or point is shown beside the form, which keeps what was typed
    const refused = await callLoaderAs(pageLoader, "/dashboard/370102/living-circle?k=11&proposed=1,2", cookie, {
      code: "370102",
    });
    expect(refused.status).toBe(200);
    const refusedBody = await refused.json();
    expect(refusedBody.sites).toBeNull();
    expect(refusedBody.sitesForm).toEqual({
      k: "11",
      capacity: "",
      proposed: "1,2",
      errors: ["livingCircle.kRange", "livingCircle.proposedInvalid"],
    });
    // a capacity and a point of one's own
    const own = await (
      await callLoaderAs(
        pageLoader,
        "/dashboard/370102/living-circle?measure=elderly_care&k=1&capacity=50&proposed=36.6201,117.0001",
        cookie,
        { code: "370102" },
      )
    ).json();
    expect(own.sites).toMatchObject({ capacity: 50, k: 1 });
    expect(own.sites.covered60After - own.sites.covered60Before).toBe(50);
    expect(township.query).toEqual({ measure: "elderly_day_care", includeVillages: true });
    expect(township.thresholdM).toBe(300);
    expect(township.gaps.total).toBe(5);
    expect(
      (await callLoaderAs(pageLoader, "/dashboard/370102/living-circle?measure=bowling", cookie, { code: "370102" }))
        .status,
    ).toBe(400);
    expect((await callLoaderAs(pageLoader, "/dashboard/37x/living-circle", cookie, { code: "37x" })).status).toBe(400);
    expect((await callLoaderAs(pageLoader, "/dashboard/3799/living-circle", cookie, { code: "3799" })).status).toBe(
      404,
    );
  });

  it("exports the full gap list as CSV and GeoJSON", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    const csv = await callLoaderAs(csvLoader, "/dashboard/370102001/living-circle.csv?measure=elderly_care", cookie, {
      code: "370102001",
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toContain("shequ-access-gaps-370102001-elderly_care.csv");
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("code,name,township,population_60,measure,threshold_m,include_villages,lat,lng");
    expect(lines).toHaveLength(5); // four uncovered communities in the township
    expect(lines[1]).toBe(`${GAP_BIG},十亩园社区居民委员会,解放路街道,900,elderly_care,1000,false,36.66,117.09`);
    expect(lines[4]).toMatch(/^370102001009,青龙街社区居民委员会,解放路街道,,elderly_care,1000,false,,$/);

    const geojson = await callLoaderAs(
      geojsonLoader,
      "/dashboard/370102001/living-circle.geojson?measure=elderly_care",
      cookie,
      { code: "370102001" },
    );
    expect(geojson.headers.get("Content-Type")).toContain("application/geo+json");
    const collection = await geojson.json();
    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features).toHaveLength(4);
    expect(collection.features[0]).toEqual({
      type: "Feature",
      properties: {
        code: GAP_BIG,
        name: "十亩园社区居民委员会",
        township: "解放路街道",
        population60: 900,
        measure: "elderly_care",
        thresholdM: 1000,
      },
      geometry: { type: "Point", coordinates: [117.09, 36.66] },
    });
    expect(collection.features[3].geometry).toBeNull();

    expect((await callLoaderAs(csvLoader, "/dashboard/3702/living-circle.csv", cookie, { code: "3702" })).status).toBe(
      403,
    );
    expect(
      (await callLoaderAs(geojsonLoader, "/dashboard/3702/living-circle.geojson", cookie, { code: "3702" })).status,
    ).toBe(403);
  });
});

describe("GET /api/v1/living-circle/:code/sites", () => {
  const get = (code: string, query: string, cookie?: string) =>
    callLoaderAs(sitesApiLoader, `/api/v1/living-circle/${code}/sites${query}`, cookie ?? "", { code });

  it("answers the best k sites, exact with greedy beside it, in the reader's scope", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const response = await get("370102", "?measure=elderly_care&k=2&method=exact", cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      code: "370102",
      measure: "elderly_care",
      k: 2,
      method: "exact",
      optimal: true,
      covered60Before: 300,
      covered60After: 1300,
    });
    expect(body.sites).toHaveLength(2);
    expect(body.sites[0]).toEqual({
      lat: expect.any(Number),
      lng: expect.any(Number),
      name: expect.any(String),
      candidate: { kind: "community", ref: GAP_BIG },
      newlyCovered60: 900,
      communities: [GAP_BIG],
    });
    expect(body.greedy.covered60After).toBe(1300);
    const greedy = await (await get("370102", "?measure=elderly_care&k=1&method=greedy", cookie)).json();
    expect(greedy).toMatchObject({ method: "greedy", optimal: false, greedy: null, covered60After: 1200 });
    // a proposed point next to the small gap, with a capacity of 50 seniors a site
    const proposed = await (
      await get("370102", "?measure=elderly_care&k=1&capacity=50&proposed=36.6201,117.0001", cookie)
    ).json();
    expect(proposed.covered60After - proposed.covered60Before).toBe(50);
  });

  it("refuses bad input with JSON errors, outside scope, above township level and unknown codes", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    for (const [query, field] of [
      ["?k=0", "k"],
      ["?k=11", "k"],
      ["?k=abc", "k"],
      ["?method=best", "method"],
      ["?measure=bowling", "measure"],
      ["?capacity=-5", "capacity"],
      ["?proposed=1,2", "proposed"],
      ["?proposed=36.6,117;oops", "proposed"],
      [`?proposed=${Array.from({ length: 21 }, (_, i) => `36.6,117.${i}`).join(";")}`, "proposed"],
    ]) {
      const refused = await get("370102", query, cookie);
      expect(refused.status).toBe(400);
      const body = await refused.json();
      expect(body.error).toBe("invalid query");
      expect(Object.keys(body.fields)).toEqual([field]);
    }
    expect((await get("370103", "", cookie)).status).toBe(403);
    expect((await get("370102", "")).status).toBe(401);
    const admin = await signedIn("province_admin", "37");
    const city = await get("3701", "", admin.cookie);
    expect(city.status).toBe(400);
    expect((await city.json()).error).toMatch(/county or a township/);
    expect((await get("37x", "", admin.cookie)).status).toBe(400);
    expect((await get("3799", "", admin.cookie)).status).toBe(404);
  });
});

describe("/admin/living-circle", () => {
  it("lets the province admin set a threshold (audited, recomputed, toast) and explains bad input", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const page = await (await callLoaderAs(adminLoader, "/admin/living-circle", cookie)).json();
    expect(page.settings.map((s: { measure: string }) => s.measure)).toEqual([...LIVING_CIRCLE_MEASURES]);
    expect(page.settings.find((s: { measure: string }) => s.measure === "elderly_day_care")).toMatchObject({
      metres: 300,
      defaultMetres: 300,
      updatedAt: null,
    });

    for (const [metres, error] of [
      ["50", "livingCircle.thresholdRange"],
      ["5001", "livingCircle.thresholdRange"],
      ["800.5", "livingCircle.thresholdRange"],
      ["abc", "livingCircle.thresholdRange"],
      ["", "form.required"],
    ]) {
      const refused = await callAction(adminAction, "/admin/living-circle", {
        cookie,
        form: { measure: "elderly_care", metres },
      });
      expect(refused.status).toBe(400);
      const body = await refused.json();
      expect(body.measure).toBe("elderly_care");
      expect(body.result.error.metres).toEqual([error]);
    }
    const unknown = await callAction(adminAction, "/admin/living-circle", {
      cookie,
      form: { measure: "bowling", metres: "800" },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).result.error.measure).toEqual(["livingCircle.measureInvalid"]);

    // 十亩园 is about 3.6 km from the canteen in a straight line, 4.7 km on foot at the default
    // detour factor (1.3): 5,000 m covers it, 4,000 m would not
    const audits = await auditCount();
    const saved = await callAction(adminAction, "/admin/living-circle", {
      cookie,
      form: { measure: "elderly_care", metres: "5000" },
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/admin/living-circle");
    expect(saved.headers.get("Set-Cookie")).toContain("shequ_toast=");
    expect(await auditCount()).toBe(audits + 1);
    const after = await (await callLoaderAs(adminLoader, "/admin/living-circle", cookie)).json();
    expect(after.settings.find((s: { measure: string }) => s.measure === "elderly_care")).toMatchObject({
      metres: 5000,
      defaultMetres: 1000,
    });
    expect(after.settings.find((s: { measure: string }) => s.measure === "elderly_care").updatedAt).not.toBeNull();
    // recomputed by the job queue: the page shows it waiting, then done
    expect(after.recomputes).toEqual([
      expect.objectContaining({ measures: ["elderly_care"], reason: "threshold", state: "queued", partsDone: 0 }),
    ]);
    expect(await runLivingCircleRecomputes()).toBe(1);
    const done = await (await callLoaderAs(adminLoader, "/admin/living-circle", cookie)).json();
    expect(done.recomputes[0]).toMatchObject({ measures: ["elderly_care"], state: "done" });
    expect(done.recomputes[0].partsDone).toBe(done.recomputes[0].partsTotal);
    const [row] = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from community_access where measure = 'elderly_care' and community_code = ${GAP_BIG}`,
    );
    expect(row.n).toBe(1);

    await callAction(adminAction, "/admin/living-circle", {
      cookie,
      form: { measure: "elderly_care", metres: "1000" },
    });
    await runLivingCircleRecomputes();
  });

  it("lets the province admin set the detour factor (audited, recomputed) and explains bad input", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const page = await (await callLoaderAs(adminLoader, "/admin/living-circle", cookie)).json();
    expect(page.distance).toMatchObject({ detourFactor: 1.3, networks: [] });
    for (const [detourFactor, error] of [
      ["0.9", "livingCircle.detourRange"],
      ["3.1", "livingCircle.detourRange"],
      ["abc", "livingCircle.detourRange"],
      ["", "form.required"],
    ]) {
      const refused = await callAction(adminAction, "/admin/living-circle", {
        cookie,
        form: { intent: "detour", detourFactor },
      });
      expect(refused.status).toBe(400);
      expect((await refused.json()).result.error.detourFactor).toEqual([error]);
    }
    const audits = await auditCount();
    const saved = await callAction(adminAction, "/admin/living-circle", {
      cookie,
      form: { intent: "detour", detourFactor: "1.25" },
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Set-Cookie")).toContain("shequ_toast=");
    expect(await auditCount()).toBe(audits + 1);
    const after = await (await callLoaderAs(adminLoader, "/admin/living-circle", cookie)).json();
    expect(after.distance.detourFactor).toBe(1.25);
    expect(after.recomputes[0]).toMatchObject({ reason: "detour", state: "queued" });
    await runLivingCircleRecomputes();
    // the living-circle page says how it measured
    const living = await (
      await callLoaderAs(pageLoader, "/dashboard/370102/living-circle", cookie, { code: "370102" })
    ).json();
    expect(living.summary.distance).toMatchObject({ detourFactor: 1.25, networks: [] });
    await callAction(adminAction, "/admin/living-circle", { cookie, form: { intent: "detour", detourFactor: "1.3" } });
    await runLivingCircleRecomputes();
  });

  it("is the province admin's only", async () => {
    const { cookie } = await signedIn("city_official", "3701");
    expect((await callLoaderAs(adminLoader, "/admin/living-circle", cookie)).status).toBe(403);
    const audits = await auditCount();
    expect(
      (
        await callAction(adminAction, "/admin/living-circle", {
          cookie,
          form: { measure: "elderly_care", metres: "800" },
        })
      ).status,
    ).toBe(403);
    expect(await auditCount()).toBe(audits);
  });
});
