import { sql } from "drizzle-orm";

import { chooseSites } from "../../app/domains/living-circle/planning.server";
import { pickSitesGreedy } from "../../app/domains/living-circle/site-selection.server";
import { db, queryRows } from "../../db/client.server";
import type { FacilityType, ServiceCategory } from "../../db/identifiers";
import { importListings } from "../../db/queries/listing-import.server";
import {
  createFacility,
  createService,
  setFacilityStatus,
  setServiceStatus,
  updateCommunityProfile,
  updateFacility,
  updateService,
} from "../../db/queries/listings.server";
import {
  getLivingCircleSummary,
  getLivingCircleThresholds,
  listLivingCircleGaps,
  computeUncomputedMeasures,
  recomputeLivingCircle,
  listLivingCircleRecomputes,
  runLivingCircleRecomputes,
  setDetourFactor,
  setLivingCircleThreshold,
  updateLivingCircleAfterImport,
} from "../../db/queries/living-circle.server";
import { getCoveringInput } from "../../db/queries/planning.server";
import { auditCount, createTestUser } from "../utils/accounts";

// 解放路街道, 历下区: five urban communities; 城郡/洪家园 in 历城区 for a village.
const C1 = "370102001002";
const C2 = "370102001003";
const C3 = "370102001006";
const C4 = "370102001008";
const C5 = "370102001009";
const URBAN_LICHENG = "370112007001";
const VILLAGE_LICHENG = "370112007201";
const BASE = { lat: 36.65, lng: 117.05 };

let actor: { userId: string };

/** a point `metres` from (lat, lng) towards `azimuth` degrees, on the spheroid */
async function project(from: { lat: number; lng: number }, metres: number, azimuth = 0) {
  const [row] = await queryRows<{ lat: number; lng: number }>(sql`
    select ST_Y(p::geometry) as lat, ST_X(p::geometry) as lng
    from (select ST_Project(ST_SetSRID(ST_MakePoint(${from.lng}::float8, ${from.lat}::float8), 4326)::geography, ${metres}::float8, radians(${azimuth}::float8)) as p) x`);
  return { lat: Number(row.lat), lng: Number(row.lng) };
}

/** a community's point and population 60+, labelled demo so the next file's reset clears it */
async function placeCommunity(
  code: string,
  at: { lat: number; lng: number } | null,
  population60: number | null = 100,
) {
  await queryRows(sql`
    update regions set point = ${at ? sql`ST_SetSRID(ST_MakePoint(${at.lng}::float8, ${at.lat}::float8), 4326)` : sql`null`},
      population_60 = ${population60}, is_demo = true
    where code = ${code}`);
}

async function facility(
  code: string,
  at: { lat: number; lng: number } | null,
  type: FacilityType = "culture_room",
  categories: ServiceCategory[] = [],
) {
  const created = await createFacility(actor, code, {
    name: `设施 ${type}`,
    type,
    address: "",
    ...(at ? { lat: at.lat, lng: at.lng } : {}),
  });
  const services = [];
  for (const category of categories) {
    services.push(
      (await createService(actor, created.id, {
        name: `服务 ${category}`,
        category,
        description: "",
        residentsOnly: false,
      }))!,
    );
  }
  return { ...created, services };
}

async function livingCircleRows() {
  return queryRows<{ community_code: string; measure: string; facility_id: string; distance_m: number }>(
    sql`select community_code, measure, facility_id, distance_m from community_access order by community_code, measure`,
  );
}

async function rowOf(code: string, measure: string) {
  const [row] = await queryRows<{ facility_id: string; distance_m: number }>(
    sql`select facility_id, distance_m from community_access where community_code = ${code} and measure = ${measure}`,
  );
  return row ?? null;
}

/** the table as kept incrementally must equal a full recompute */
async function expectMatchesFullRecompute() {
  const kept = await livingCircleRows();
  await recomputeLivingCircle();
  expect(kept).toEqual(await livingCircleRows());
}

afterAll(async () => {
  await queryRows(sql`update living_circle_settings set detour_factor = 1.3 where id = 1`);
  // updateCommunityProfile labels a community's figures as its own: put back the reference state
  await queryRows(sql`update regions set point = null, households = null, population = null, population_60 = null, is_demo = false
    where code in (${C1}, ${C2}, ${C3}, ${C4}, ${C5}, ${URBAN_LICHENG}, ${VILLAGE_LICHENG}, '370102002002')`);
});

beforeEach(async () => {
  await queryRows(sql`truncate table community_access, access_thresholds, services, facilities cascade`);
  // these tests place facilities at straight-line distances; the detour factor has its own tests
  await queryRows(sql`update living_circle_settings set detour_factor = 1 where id = 1`);
  await queryRows(sql`update regions set point = null, population_60 = null, is_demo = false where is_demo`);
  actor = { userId: (await createTestUser({ role: "province_admin", regionCode: "37" })).id };
  await placeCommunity(C1, BASE, 300);
});

describe("walking distance: the straight line times the detour factor", () => {
  it("measures walking distance as the straight line times the factor, which the province admin sets (audited, recomputed)", async () => {
    await queryRows(sql`update living_circle_settings set detour_factor = 1.3 where id = 1`);
    // 800 m in a straight line is 1,040 m on foot at 1.3: beyond the 1,000 m circle
    const station = await facility(C1, await project(BASE, 800, 0), "elderly_service_station", ["elderly_care"]);
    const near = await facility(C1, await project(BASE, 700, 180), "elderly_canteen", ["health"]);
    expect(await rowOf(C1, "elderly_care")).toBeNull();
    expect((await rowOf(C1, "health"))!.distance_m).toBeCloseTo(910, 0);
    expect(await rowOf(C1, "health")).toMatchObject({ facility_id: near.id });
    await expectMatchesFullRecompute();
    expect((await listLivingCircleGaps("370102", "elderly_care"))!.gaps.map((g) => g.code)).toContain(C1);

    const audits = await auditCount();
    expect(await setDetourFactor(actor, 1.2)).toMatchObject({ before: 1.3, detourFactor: 1.2 });
    expect(await auditCount()).toBe(audits + 1);
    // every measure is recomputed by the job queue
    expect(await rowOf(C1, "elderly_care")).toBeNull();
    expect(await runLivingCircleRecomputes()).toBe(1);
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: station.id });
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(960, 0);
    expect((await rowOf(C1, "health"))!.distance_m).toBeCloseTo(840, 0);
    expect((await listLivingCircleGaps("370102", "elderly_care"))!.gaps.map((g) => g.code)).not.toContain(C1);
    await expectMatchesFullRecompute();

    for (const bad of [0.9, 3.5, Number.NaN]) await expect(setDetourFactor(actor, bad)).rejects.toThrow(RangeError);
    expect(await auditCount()).toBe(audits + 1);
  });

  it("keeps the nearest on foot, which the incremental step finds like a full recompute", async () => {
    await queryRows(sql`update living_circle_settings set detour_factor = 1.3 where id = 1`);
    const a = await facility(C1, await project(BASE, 500, 0), "elderly_service_station", ["elderly_care"]);
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(650, 0);
    const b = await facility(C1, await project(BASE, 450, 90), "elderly_canteen", ["elderly_care"]);
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: b.id });
    await setFacilityStatus(actor, b.id, b.version, "closed");
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: a.id });
    await expectMatchesFullRecompute();
  });
});

describe("living-circle reach", () => {
  it("records the nearest active facility offering the category within its threshold, with the distance", async () => {
    const far = await facility(C1, await project(BASE, 600, 0), "elderly_service_station", ["elderly_care"]);
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: far.id });
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(600, 0);

    const near = await facility(C1, await project(BASE, 400, 180), "elderly_canteen", ["elderly_care", "health"]);
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: near.id });
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(400, 0);
    expect(await rowOf(C1, "health")).toMatchObject({ facility_id: near.id });
    // no facility offers these
    expect(await rowOf(C1, "industry")).toBeNull();
    expect(await rowOf(C1, "elderly_day_care")).toBeNull();
    await expectMatchesFullRecompute();
  });

  it("computes on setup a measure that has no stored pair (new in the vocabulary), and leaves the others alone", async () => {
    const canteen = await facility(C1, await project(BASE, 400, 180), "elderly_canteen", ["elderly_care", "health"]);
    const before = await livingCircleRows();
    // as if "health" had just been added to the vocabulary: the table has never held it
    await queryRows(sql`delete from community_access where measure = 'health'`);
    const computed = await computeUncomputedMeasures();
    expect(computed.measures).toContain("health");
    expect(computed.measures).not.toContain("elderly_care");
    expect(await rowOf(C1, "health")).toMatchObject({ facility_id: canteen.id });
    expect(await livingCircleRows()).toEqual(before);
    // a measure nobody offers ("industry" here) has nothing to compute, so it is not computed again
    expect((await computeUncomputedMeasures()).measures).not.toContain("industry");
  });

  it("leaves a community uncovered beyond the threshold, until the threshold is raised (audited, recomputed)", async () => {
    const station = await facility(C1, await project(BASE, 1200, 90), "party_service_center", ["party_building"]);
    expect(await rowOf(C1, "party_building")).toBeNull();
    expect((await getLivingCircleThresholds()).party_building).toBe(1000);

    const audits = await auditCount();
    const result = await setLivingCircleThreshold(actor, "party_building", 1500);
    expect(result).toMatchObject({ before: 1000, metres: 1500 });
    // the recompute is the job queue's: until it runs, the table keeps the old reach
    expect(await rowOf(C1, "party_building")).toBeNull();
    expect(await runLivingCircleRecomputes()).toBe(1);
    expect(await auditCount()).toBe(audits + 1);
    const [audit] = await queryRows<{ action: string; object_id: string; before: unknown; after: unknown }>(
      sql`select action, object_id, before, after from audit_entries order by id desc limit 1`,
    );
    expect(audit).toMatchObject({
      action: "access_threshold.update",
      object_id: "party_building",
      before: { metres: 1000 },
      after: { metres: 1500 },
    });
    expect(await rowOf(C1, "party_building")).toMatchObject({ facility_id: station.id });
    // other measures keep their defaults
    expect((await getLivingCircleThresholds()).elderly_care).toBe(1000);

    await setLivingCircleThreshold(actor, "party_building", 1100);
    await runLivingCircleRecomputes();
    expect(await rowOf(C1, "party_building")).toBeNull();
    await expect(setLivingCircleThreshold(actor, "party_building", 50)).rejects.toThrow(RangeError);
    await expect(setLivingCircleThreshold(actor, "party_building", 1000.5)).rejects.toThrow(RangeError);
  });

  it("does not count suspended or closed facilities, suspended services, or other categories", async () => {
    const here = await project(BASE, 300, 45);
    const f = await facility(C1, here, "culture_room", ["culture_education"]);
    expect(await rowOf(C1, "culture_education")).toMatchObject({ facility_id: f.id });

    const suspended = await setFacilityStatus(actor, f.id, 1, "suspended");
    expect(suspended.ok).toBe(true);
    expect(await rowOf(C1, "culture_education")).toBeNull();
    const restored = await setFacilityStatus(actor, f.id, 2, "active");
    expect(restored.ok).toBe(true);
    expect(await rowOf(C1, "culture_education")).toMatchObject({ facility_id: f.id });

    const service = f.services[0];
    await setServiceStatus(actor, service.id, service.version, "suspended");
    expect(await rowOf(C1, "culture_education")).toBeNull();
    await setServiceStatus(actor, service.id, service.version + 1, "active");
    expect(await rowOf(C1, "culture_education")).toMatchObject({ facility_id: f.id });

    // the service moves to another category: the old one is lost, the new one gained
    const updated = await updateService(actor, service.id, service.version + 2, {
      name: "绿色课堂",
      category: "green_low_carbon",
      description: "",
      residentsOnly: false,
    });
    expect(updated.ok).toBe(true);
    expect(await rowOf(C1, "culture_education")).toBeNull();
    expect(await rowOf(C1, "green_low_carbon")).toMatchObject({ facility_id: f.id });

    await setFacilityStatus(actor, f.id, 3, "closed");
    expect(await rowOf(C1, "green_low_carbon")).toBeNull();
    // a facility with no point offers nothing
    await facility(C1, null, "culture_room", ["culture_education"]);
    expect(await rowOf(C1, "culture_education")).toBeNull();
    await expectMatchesFullRecompute();
  });

  it("measures the 5-minute day-care circle by facility type, at 300 m", async () => {
    const near = await facility(C1, await project(BASE, 250, 270), "elderly_day_care");
    await facility(C1, await project(BASE, 350, 0), "elderly_day_care", ["elderly_care"]);
    expect(await rowOf(C1, "elderly_day_care")).toMatchObject({ facility_id: near.id });
    // the day-care centre without services offers no category
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(350, 0);
    // a canteen offering elderly care is no day-care centre
    await facility(C1, await project(BASE, 100, 0), "elderly_canteen", ["elderly_care"]);
    expect(await rowOf(C1, "elderly_day_care")).toMatchObject({ facility_id: near.id });
    // moving the day-care centre 100 m further out leaves the circle
    const moved = await updateFacility(actor, near.id, 1, {
      name: near.name,
      type: "elderly_day_care",
      address: "",
      ...(await project(BASE, 350, 270)),
    });
    expect(moved.ok).toBe(true);
    expect(await rowOf(C1, "elderly_day_care")).toBeNull();
    await expectMatchesFullRecompute();
  });

  it("breaks a tie in distance by facility id", async () => {
    const spot = await project(BASE, 500, 30);
    const a = await facility(C1, spot, "health_station", ["health"]);
    const b = await facility(C1, spot, "health_station", ["health"]);
    expect(await rowOf(C1, "health")).toMatchObject({ facility_id: [a.id, b.id].sort()[0] });
    await expectMatchesFullRecompute();
  });

  it("follows a community's own point, and counts only communities with one", async () => {
    await facility(C1, await project(BASE, 200, 0), "health_station", ["health"]);
    expect(await rowOf(C2, "health")).toBeNull();
    await updateCommunityProfile(actor, C2, { ...(await project(BASE, 500, 0)), population60: 80 });
    expect(await rowOf(C2, "health")).not.toBeNull();
    await updateCommunityProfile(actor, C2, { population60: 80 });
    expect(await rowOf(C2, "health")).toBeNull();
    await queryRows(sql`update regions set is_demo = true where code = ${C2}`);
    await expectMatchesFullRecompute();
  });

  it("covers the communities near imported facilities in the import's transaction", async () => {
    await placeCommunity(C2, await project(BASE, 3000, 90), 50);
    await importListings(actor, [
      {
        communityCode: C1,
        fields: { name: "导入站", type: "employment_service_station", address: "", ...(await project(BASE, 700, 0)) },
        services: [{ name: "创业指导", category: "entrepreneurship", description: "", residentsOnly: false }],
      },
      {
        communityCode: C2,
        fields: { name: "导入日照", type: "elderly_day_care", address: "", ...(await project(BASE, 3100, 90)) },
        services: [],
      },
    ]);
    expect((await rowOf(C1, "entrepreneurship"))!.distance_m).toBeCloseTo(700, 0);
    expect((await rowOf(C2, "elderly_day_care"))!.distance_m).toBeCloseTo(100, 0);
    expect(await rowOf(C2, "entrepreneurship")).toBeNull();
    await expectMatchesFullRecompute();
  });

  it("recomputes the measures a big import offers in full, with the same result", async () => {
    const a = await facility(C1, await project(BASE, 500, 0), "elderly_day_care", ["health"]);
    const b = await facility(C1, await project(BASE, 200, 90), "culture_room", ["culture_education"]);
    await queryRows(sql`delete from community_access`);
    // as if both were just imported, over the batch size where the full recompute takes over
    const { recompute } = await updateLivingCircleAfterImport(db, actor, [a.id, b.id], 1);
    // queued for the job queue, not done in the import's transaction
    expect(await rowOf(C1, "health")).toBeNull();
    expect(await listLivingCircleRecomputes()).toContainEqual(
      expect.objectContaining({ id: recompute, state: "queued", reason: "import", partsDone: 0 }),
    );
    expect(await runLivingCircleRecomputes()).toBe(1);
    const [done] = (await listLivingCircleRecomputes()).filter((r) => r.id === recompute);
    expect(done).toMatchObject({ state: "done", measures: expect.arrayContaining(["health", "culture_education"]) });
    expect(done.partsTotal).toBeGreaterThanOrEqual(16);
    expect(done.partsDone).toBe(done.partsTotal);
    expect(await runLivingCircleRecomputes()).toBe(0);
    expect(await rowOf(C1, "health")).toMatchObject({ facility_id: a.id });
    expect(await rowOf(C1, "culture_education")).toMatchObject({ facility_id: b.id });
    expect(await rowOf(C1, "elderly_day_care")).toBeNull();
    await expectMatchesFullRecompute();
  });
});

describe("living circle per region", () => {
  it("sums communities and population 60+ covered, urban by default and villages on request", async () => {
    await placeCommunity(C2, await project(BASE, 1900, 90), 200);
    await placeCommunity(C3, await project(BASE, 4000, 90), null);
    await placeCommunity(C4, await project(BASE, 6000, 90), 500);
    // C5 has no point: counted, never covered
    await facility(C1, await project(BASE, 950, 90), "elderly_service_station", ["elderly_care"]); // covers C1 and C2 (950 m each way)
    await facility(C1, await project(BASE, 4000, 0), "elderly_service_station", ["elderly_care"]); // covers none

    const township = (await getLivingCircleSummary("370102001"))!;
    expect(township.region).toMatchObject({ code: "370102001000", level: "township" });
    expect(township.withoutPoint).toBe(1);
    expect(township.withoutPopulation60).toBe(2);
    const care = township.measures.find((m) => m.measure === "elderly_care")!;
    expect(care).toEqual({
      measure: "elderly_care",
      thresholdM: 1000,
      communities: 5,
      covered: 2,
      share: 2 / 5,
      population60: 1000,
      population60Covered: 500,
      population60Share: 0.5,
    });
    expect(township.measures.find((m) => m.measure === "health")).toMatchObject({ covered: 0, share: 0 });

    // the county's figures include the township's (its other communities have no point)
    const county = (await getLivingCircleSummary("370102"))!;
    expect(county.measures.find((m) => m.measure === "elderly_care")).toMatchObject({
      communities: 139,
      covered: 2,
      population60Covered: 500,
    });

    const gaps = (await listLivingCircleGaps("370102001", "elderly_care"))!;
    expect(gaps.total).toBe(3);
    // most residents aged 60+ first, no figure last
    expect(gaps.gaps.map((g) => g.code)).toEqual([C4, C3, C5]);
    expect(gaps.gaps[0]).toMatchObject({ name: "十亩园社区居民委员会", township: "解放路街道", population60: 500 });
    expect(gaps.gaps[2]).toMatchObject({ lat: null, lng: null, population60: null });
    expect((await listLivingCircleGaps("370102001", "elderly_care", { limit: 1 }))!).toMatchObject({
      total: 3,
      gaps: [{ code: C4 }],
    });

    // villages: 城郡社区 (urban) and 洪家园村 (village), both within reach of one facility
    const licheng = { lat: 36.7, lng: 117.1 };
    await placeCommunity(URBAN_LICHENG, licheng, 40);
    await placeCommunity(VILLAGE_LICHENG, await project(licheng, 800, 0), 60);
    await facility(URBAN_LICHENG, await project(licheng, 400, 0), "health_station", ["health"]);
    const urbanOnly = (await getLivingCircleSummary("370112007"))!.measures.find((m) => m.measure === "health")!;
    const withVillages = (await getLivingCircleSummary("370112007", { includeVillages: true }))!.measures.find(
      (m) => m.measure === "health",
    )!;
    expect(urbanOnly).toMatchObject({ communities: 10, covered: 1, population60: 40, population60Covered: 40 });
    expect(withVillages).toMatchObject({ communities: 36, covered: 2, population60: 100, population60Covered: 100 });
    expect((await listLivingCircleGaps("370112007", "health"))!.total).toBe(9);
    expect((await listLivingCircleGaps("370112007", "health", { includeVillages: true }))!.total).toBe(34);

    expect(await getLivingCircleSummary("379999")).toBeNull();
  });
});

describe("the best new sites", () => {
  it("picks greedily by population 60+ newly covered, then communities, then code", () => {
    const reach = new Map<string, string[]>([
      ["a", ["a", "b"]],
      ["b", ["a", "b", "c"]],
      ["c", ["b", "c"]],
      ["d", ["d", "e"]],
      ["e", ["d", "e"]],
      ["f", ["f"]],
    ]);
    const weight = new Map([
      ["a", 100],
      ["b", 100],
      ["c", 300],
      ["d", 50],
      ["e", 0],
      ["f", 0],
    ]);
    const picks = (k: number) =>
      pickSitesGreedy({ reach, weight }, k).sites.map((s) => [s.candidate, s.newlyCovered60, s.communities]);
    expect(picks(5)).toEqual([
      ["b", 500, ["a", "b", "c"]],
      // d and e tie on both counts: the lower code
      ["d", 50, ["d", "e"]],
      // nobody aged 60+ left, but a community without figures is still listed
      ["f", 0, ["f"]],
    ]);
    expect(picks(1)).toHaveLength(1);
    expect(pickSitesGreedy({ reach: new Map(), weight }, 3).sites).toEqual([]);
  });

  it("chooses among a region's community points and facilities not offering the measure, demand being the uncovered ones", async () => {
    // along a line east of C1: C1 0 m (100), C2 800 m (100), C3 1,600 m (300); C4 far off (50), C5 900 m beyond C4 (none)
    await placeCommunity(C1, BASE, 100);
    await placeCommunity(C2, await project(BASE, 800, 90), 100);
    await placeCommunity(C3, await project(BASE, 1600, 90), 300);
    const far = await project(BASE, 10_000, 0);
    await placeCommunity(C4, far, 50);
    await placeCommunity(C5, await project(far, 900, 90), null);
    // 佛山苑社区 is covered already: not demand, though still a candidate
    const covered = "370102002002";
    await placeCommunity(covered, await project(BASE, 20_000, 180), 1000);
    await facility(covered, await project(BASE, 20_100, 180), "elderly_canteen", ["elderly_care"]);
    // a culture room 100 m beyond C3 offers no elderly care: a candidate
    const room = await facility(C3, await project(BASE, 1700, 90), "culture_room", ["culture_education"]);

    const query = { measure: "elderly_care" as const, proposed: [], includeVillages: false };
    const exact = (await chooseSites("370102", { ...query, k: 5, method: "exact" }))!;
    expect(exact).toMatchObject({ thresholdM: 1000, demand: { communities: 5, population60: 550 }, optimal: true });
    expect(exact.covered60After - exact.covered60Before).toBe(550);
    expect(exact.sites.slice(0, 2).map((s) => [s.candidate, s.newlyCovered60, s.communities])).toEqual([
      [{ kind: "community", ref: C2 }, 500, [C1, C2, C3].sort()],
      [{ kind: "community", ref: C4 }, 50, [C4, C5].sort()],
    ]);
    expect(exact.greedy!.covered60After).toBe(exact.covered60After);

    // one site: C2 covers the most; the culture room reaches C3 (300) and C2 (100) only
    const one = (await chooseSites("370102001", { ...query, k: 1, method: "greedy" }))!;
    expect(one.sites.map((s) => s.candidate)).toEqual([{ kind: "community", ref: C2 }]);
    // a point proposed between C4 and C5 is a candidate too
    const between = await project(far, 450, 90);
    const input = (await getCoveringInput("370102", "elderly_care", { proposed: [between] }))!;
    expect(input.reach.get("proposed:0")?.sort()).toEqual([C4, C5].sort());
    const two = (await chooseSites("370102", { ...query, k: 2, method: "exact", proposed: [between] }))!;
    expect(two.covered60After - two.covered60Before).toBe(550);
    expect(input.reach.get(`facility:${room.id}`)?.sort()).toEqual([C2, C3].sort());
    expect(input.candidates.some((c) => c.kind === "facility" && c.ref !== room.id)).toBe(false);
  });
});
