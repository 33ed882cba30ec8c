import { sql } from "drizzle-orm";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { action as roadsAction, loader as roadsLoader } from "~/routes/dashboard.$code.roads";

import { queryRows } from "../../db/client.server";
import type { LivingCircleMeasure } from "../../db/identifiers";
import { createFacility, createService, setFacilityStatus, updateFacility } from "../../db/queries/listings.server";
import {
  getLivingCircleSummary,
  listLivingCircleGaps,
  loadRoadNetwork,
  recomputeLivingCircle,
  runLivingCircleRecomputes,
  unloadRoadNetwork,
} from "../../db/queries/living-circle.server";
import { getCoveringInput } from "../../db/queries/planning.server";
import { getDistanceModel } from "../../db/queries/road-network.server";
import { getPublicService, searchServices } from "../../db/queries/search.server";
import { OsmFileError, readWalkableNetwork } from "../../db/road-network-osm.server";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { resetDatabase } from "../utils/database";
import { callAction, callLoaderAs } from "../utils/routes";
import { writeStreetGrid, type StreetGrid } from "../utils/street-grid";

// Walking distance along a street network (pgRouting; PostgreSQL only). A 21 × 21 grid of streets
// 100 m apart in 历下区, with a river between rows 9 and 10 that only a footbridge at the east
// end crosses on foot.

const C1 = "370102001002";
const C2 = "370102001003";
const C3 = "370102001006";
const ORIGIN = { lat: 36.64, lng: 117.04 };

let dir: string;
let file: string;
let grid: StreetGrid;
let actor: { userId: string };

async function placeCommunity(code: string, at: { lat: number; lng: number }, population60 = 100) {
  await queryRows(sql`
    update regions set point = ST_SetSRID(ST_MakePoint(${at.lng}::float8, ${at.lat}::float8), 4326),
      population_60 = ${population60}, is_demo = true
    where code = ${code}`);
}

async function elderlyCare(code: string, at: { lat: number; lng: number }) {
  const created = await createFacility(actor, code, {
    name: "日间照料中心",
    type: "elderly_day_care",
    address: "",
    lat: at.lat,
    lng: at.lng,
  });
  await createService(actor, created.id, {
    name: "助餐",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  });
  return created;
}

async function rowOf(code: string, measure: LivingCircleMeasure) {
  const [row] = await queryRows<{ facility_id: string; distance_m: number }>(
    sql`select facility_id, distance_m from community_access where community_code = ${code} and measure = ${measure}`,
  );
  return row ?? null;
}

const rows = () =>
  queryRows<{ community_code: string; measure: string; facility_id: string; distance_m: number }>(
    sql`select community_code, measure, facility_id, distance_m from community_access order by community_code, measure`,
  );

async function expectMatchesFullRecompute() {
  const kept = await rows();
  await recomputeLivingCircle();
  expect(kept).toEqual(await rows());
}

async function loadGrid() {
  const loaded = await loadRoadNetwork("grid", "grid.osm", await readWalkableNetwork(file));
  await runLivingCircleRecomputes();
  return loaded;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "shequ-roads-"));
  file = path.join(dir, "grid.osm");
  grid = writeStreetGrid(file, { origin: ORIGIN, size: 21, spacingM: 100, riverBelowRow: 9 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  await resetDatabase();
  actor = { userId: (await createTestUser({ role: "province_admin", regionCode: "37" })).id };
});

describe("reading an OpenStreetMap extract", () => {
  it("keeps the walkable ways only, cut into segments between consecutive nodes", async () => {
    const network = await readWalkableNetwork(file);
    // 21 rows, 42 half-columns and the footbridge; the motorway and the river are not walkable
    expect(network.ways).toBe(21 + 42 + 1);
    expect(network.skippedWays).toBe(2);
    expect(network.segments).toHaveLength(grid.edges);
    expect(network.nodes.size).toBe(21 * 21);
  });

  it("refuses a file that is not OpenStreetMap XML, and loads nothing", async () => {
    const bad = path.join(dir, "bad.osm");
    writeFileSync(bad, "<html><body>not a map</body></html>");
    await expect(readWalkableNetwork(bad)).rejects.toThrow(OsmFileError);
    writeFileSync(bad, "<osm><node id='1' lat='36' lon='117'>");
    await expect(readWalkableNetwork(bad)).rejects.toThrow(OsmFileError);
  });
});

describe("/dashboard/:code/roads", () => {
  const upload = (code: string, cookie: string, body: string, name = "") => {
    const multipart = new FormData();
    multipart.set("file", new File([body], "grid.osm"));
    multipart.set("name", name);
    return callAction(roadsAction, `/dashboard/${code}/roads`, { params: { code }, multipart, cookie });
  };

  it("lets a district official load a network inside the district (audited, recomputed), and remove it", async () => {
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { cookie } = await sessionCookieFor(official.id);
    await placeCommunity(C1, grid.at(5, 11), 300);
    await elderlyCare(C1, grid.at(5, 7));
    expect(await rowOf(C1, "elderly_care")).not.toBeNull();

    const audits = await auditCount();
    const loaded = await upload("370102", cookie, readFileSync(file, "utf8"), "试点");
    expect(loaded.status).toBe(302);
    expect(loaded.headers.get("Set-Cookie")).toContain("shequ_toast=");
    expect(await auditCount()).toBe(audits + 1);
    const page = await (await callLoaderAs(roadsLoader, "/dashboard/370102/roads", cookie, { code: "370102" })).json();
    expect(page.networks).toEqual([
      expect.objectContaining({
        name: "370102-试点",
        sourceFile: "grid.osm",
        edges: grid.edges,
        regionCode: "370102000000",
        removable: true,
      }),
    ]);
    // the recompute runs in the background: here, by hand
    await runLivingCircleRecomputes();
    expect(await rowOf(C1, "elderly_care")).toBeNull();

    // bad files and names, each with its reason; nothing loaded
    for (const [body, name, error] of [
      ["<html></html>", "", "livingCircle.roads_notOsm"],
      ['<osm version="0.6"><node id="1" lat="36.64" lon="117.04"/></osm>', "", "livingCircle.roads_empty"],
      [readFileSync(file, "utf8"), "a/b", "livingCircle.roadsNameInvalid"],
    ]) {
      const refused = await upload("370102", cookie, body, name);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toBe(error);
    }
    // a grid laid over 青岛 is outside 历下区
    const far = path.join(dir, "far.osm");
    writeStreetGrid(far, { origin: { lat: 36.07, lng: 120.38 }, size: 5, spacingM: 100 });
    const outside = await upload("370102", cookie, readFileSync(far, "utf8"));
    expect(outside.status).toBe(400);
    expect((await outside.json()).error).toBe("livingCircle.roads_outside");
    expect((await getDistanceModel()).networks).toHaveLength(1);

    // another district's official can neither see the page nor remove it
    const other = await createTestUser({ role: "district_official", regionCode: "370103" });
    const otherCookie = (await sessionCookieFor(other.id)).cookie;
    expect((await callLoaderAs(roadsLoader, "/dashboard/370102/roads", otherCookie, { code: "370102" })).status).toBe(
      403,
    );
    const notTheirs = await callAction(roadsAction, "/dashboard/370103/roads", {
      params: { code: "370103" },
      form: { intent: "remove", name: "370102-试点" },
      cookie: otherCookie,
    });
    expect(notTheirs.status).toBe(404);

    const removed = await callAction(roadsAction, "/dashboard/370102/roads", {
      params: { code: "370102" },
      form: { intent: "remove", name: "370102-试点" },
      cookie,
    });
    expect(removed.status).toBe(302);
    expect(await auditCount()).toBe(audits + 2);
    await runLivingCircleRecomputes();
    expect(await rowOf(C1, "elderly_care")).not.toBeNull();
  });
});

describe("walking distance along a street network", () => {
  it("does not cover a community 400 m across the river that the straight line covers", async () => {
    // the day-care centre south of the river, 解放桥 400 m north across it, 历山路 400 m east on its side
    await placeCommunity(C1, grid.at(5, 11), 300);
    await placeCommunity(C2, grid.at(9, 7), 200);
    const centre = await elderlyCare(C1, grid.at(5, 7));
    // straight line × 1.3: 520 m, covered
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(520, -1);
    expect(await rowOf(C2, "elderly_care")).toMatchObject({ facility_id: centre.id });

    const loaded = await loadGrid();
    expect(loaded).toMatchObject({ name: "grid", vertices: 21 * 21, edges: grid.edges });
    const model = await getDistanceModel();
    expect(model.networks.map((n) => n.name)).toEqual(["grid"]);
    // on foot: to the footbridge at the east end and back, about 3.4 km
    expect(await rowOf(C1, "elderly_care")).toBeNull();
    expect((await rowOf(C2, "elderly_care"))!.distance_m).toBeCloseTo(400, -1);
    const gaps = (await listLivingCircleGaps("370102", "elderly_care"))!.gaps.map((g) => g.code);
    expect(gaps).toContain(C1);
    expect(gaps).not.toContain(C2);
    await expectMatchesFullRecompute();

    // a resident on 解放桥's doorstep is told the walk over the footbridge, not 400 m × 1.3
    const from = grid.at(5, 11);
    const found = await searchServices({ ...from, category: "elderly_care", limit: 5, now: new Date() });
    const hit = found.services.find((s) => s.facility.id === centre.id)!;
    expect(hit.distanceM).toBeCloseTo(400, -1);
    // 5 columns east to the bridge at column 20 is 1.5 km, 400 m across, 1.5 km back
    expect(hit.walkingM).toBeGreaterThan(3_300);
    expect(hit.walkingM).toBeLessThan(3_500);
    const page = (await getPublicService(hit.id, { now: new Date(), from }))!;
    expect(page.walkingM).toBeCloseTo(hit.walkingM!, 0);
    // from outside the network: the detour factor
    const outside = { lat: grid.at(0, 0).lat - 0.005, lng: grid.at(0, 0).lng };
    const far = (await searchServices({ ...outside, category: "elderly_care", limit: 5, now: new Date() })).services[0];
    expect(far.walkingM).toBeCloseTo(far.distanceM! * 1.3, 0);

    // a centre on the north bank covers it along the streets
    const north = await elderlyCare(C1, grid.at(7, 12));
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: north.id });
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(300, -1);
    await expectMatchesFullRecompute();

    // without the network, the straight line again
    expect(await unloadRoadNetwork("grid")).not.toBeNull();
    await runLivingCircleRecomputes();
    expect((await getDistanceModel()).networks).toEqual([]);
    expect(await rowOf(C2, "elderly_care")).toMatchObject({ facility_id: centre.id });
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(Math.hypot(200, 100) * 1.3, -1);
    expect(await unloadRoadNetwork("grid")).toBeNull();
  });

  it("measures the straight line times the factor where either point is outside the network", async () => {
    await placeCommunity(C1, grid.at(20, 20));
    await loadGrid();
    // 600 m north-east of the grid's corner, outside its bounds
    const outside = { lat: grid.at(20, 20).lat + 400 / 111_320, lng: grid.at(20, 20).lng + 0.0045 };
    const centre = await elderlyCare(C1, outside);
    const [straight] = await queryRows<{ d: number }>(sql`
      select ST_Distance(ST_SetSRID(ST_MakePoint(${outside.lng}::float8, ${outside.lat}::float8), 4326)::geography,
                         r.point::geography) as d from regions r where r.code = ${C1}`);
    expect(await rowOf(C1, "elderly_care")).toMatchObject({ facility_id: centre.id });
    expect((await rowOf(C1, "elderly_care"))!.distance_m).toBeCloseTo(Number(straight.d) * 1.3, 0);
  });

  it("suggests sites by walking distance: none across the river", async () => {
    await loadGrid();
    // 解放桥 north of the river is a gap; 历山路 (south bank, 400 m away) is no site for it on foot
    await placeCommunity(C1, grid.at(5, 11), 300);
    await placeCommunity(C2, grid.at(5, 7), 50);
    await placeCommunity(C3, grid.at(2, 13), 100);
    const input = (await getCoveringInput("370102", "elderly_care", { proposed: [grid.at(5, 9), grid.at(5, 12)] }))!;
    // a point on the south bank next to the river does not reach 解放桥 on foot; one on the north bank does
    expect(input.reach.get("proposed:0") ?? []).not.toContain(C1);
    expect(input.reach.get("proposed:1")).toContain(C1);
    expect(input.reach.get(`community:${C2}`) ?? []).not.toContain(C1);
  });

  it("keeps the table equal to a full recompute through random listing changes (property)", async () => {
    await loadGrid();
    const codes = [C1, C2, C3];
    let seed = 20261203;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const somewhere = () => {
      // on a street or between them, either bank
      const col = random() * 20;
      const row = random() * 20;
      const sw = grid.at(0, 0);
      const ne = grid.at(20, 20);
      return { lat: sw.lat + ((ne.lat - sw.lat) * row) / 20, lng: sw.lng + ((ne.lng - sw.lng) * col) / 20 };
    };
    for (const code of codes) await placeCommunity(code, somewhere());
    const facilities: Array<{ id: string; version: number; code: string }> = [];
    for (let step = 0; step < 24; step++) {
      const choice = random();
      if (choice < 0.45 || facilities.length === 0) {
        const code = codes[Math.floor(random() * codes.length)];
        const created = await elderlyCare(code, somewhere());
        facilities.push({ id: created.id, version: created.version, code });
      } else if (choice < 0.8) {
        const f = facilities[Math.floor(random() * facilities.length)];
        const at = somewhere();
        const result = await updateFacility(actor, f.id, f.version, {
          name: "日间照料中心",
          type: "elderly_day_care",
          address: "",
          lat: at.lat,
          lng: at.lng,
        });
        if (!result.ok) throw new Error(`move failed: ${result.reason}`);
        f.version = result.value.version;
      } else {
        const f = facilities.splice(Math.floor(random() * facilities.length), 1)[0];
        const result = await setFacilityStatus(actor, f.id, f.version, "closed");
        if (!result.ok) throw new Error(`close failed: ${result.reason}`);
      }
      if (step % 6 === 5) await expectMatchesFullRecompute();
    }
    await expectMatchesFullRecompute();
    const summary = (await getLivingCircleSummary("370102"))!;
    expect(summary.measures.find((m) => m.measure === "elderly_care")!.covered).toBe(
      (await rows()).filter((r) => r.measure === "elderly_care").length,
    );
  });
});
