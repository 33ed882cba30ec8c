import { loader as regionLoader } from "~/routes/api.v1.regions.$code";
import { loader as boundaryLoader } from "~/routes/api.v1.regions.$code.boundary";

import { readDivisions } from "../../db/seed/reference-data.server";
import { callLoader } from "../utils/routes";

const getRegion = (code: string) => callLoader(regionLoader, `/api/v1/regions/${code}`, { code });
const getBoundary = (code: string) => callLoader(boundaryLoader, `/api/v1/regions/${code}/boundary`, { code });

describe("GET /api/v1/regions/:code", () => {
  it("lists the 16 cities under the province", async () => {
    const response = await getRegion("37");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ code: "37", name: "山东省", level: "province", parentCode: null });
    expect(body.point).toEqual({ lat: expect.any(Number), lng: expect.any(Number) });
    expect(body.children).toHaveLength(16);
    expect(body.children[0]).toEqual({ code: "3701", name: "济南市", level: "city" });
  });

  it("lists Jinan's 13 county-level units", async () => {
    const body = await (await getRegion("3701")).json();
    expect(body).toMatchObject({ code: "3701", level: "city", parentCode: "37" });
    expect(body.children).toHaveLength(13);
    expect(body.children.map((c: { code: string }) => c.code)).toContain("370102");
  });

  it("goes down to a community, with its kind", async () => {
    const county = await (await getRegion("370102")).json();
    expect(county).toMatchObject({ name: "历下区", level: "county", parentCode: "3701" });
    expect(county.children[0]).toEqual({ code: "370102001", name: "解放路街道", level: "township" });

    const township = await (await getRegion("370102001")).json();
    expect(township.parentCode).toBe("370102");
    expect(township.children).toContainEqual({
      code: "370102001002",
      name: "解放桥社区居民委员会",
      level: "community",
      kind: "community",
    });

    const community = await (await getRegion("370102001002")).json();
    expect(community).toMatchObject({ code: "370102001002", kind: "community", parentCode: "370102001" });
    expect(community.children).toEqual([]);
  });

  it("accepts the 12-digit form of any code", async () => {
    const body = await (await getRegion("370100000000")).json();
    expect(body.code).toBe("3701");
    expect(body.children).toHaveLength(13);
  });

  it("matches the data file for every city's and county's child list", async () => {
    const divisions = readDivisions();
    for (const city of divisions.cities) {
      const body = await (await getRegion(city.code)).json();
      const expected = divisions.counties.filter((c) => c.cityCode === city.code).map((c) => c.code);
      expect(body.children.map((c: { code: string }) => c.code)).toEqual(expected.sort());
    }
    const county = divisions.counties.find((c) => c.code === "370283")!;
    const body = await (await getRegion(county.code)).json();
    expect(body.children).toHaveLength(divisions.streets.filter((s) => s.countyCode === "370283").length);
  });

  it("answers 404 JSON for an unknown code and 400 for a malformed one", async () => {
    const missing = await getRegion("3799");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no region with code 3799" });

    for (const bad of ["abc", "370", "3701020010021"]) {
      const response = await getRegion(bad);
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error).toMatch(/region code/);
      expect(body.fields.code).toBe(body.error);
    }
  });
});

describe("GET /api/v1/regions/:code/boundary", () => {
  it("returns a county's boundary as a GeoJSON Feature", async () => {
    const response = await getBoundary("370102");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/geo+json");
    const feature = await response.json();
    expect(feature).toMatchObject({
      type: "Feature",
      properties: { code: "370102", name: "历下区", level: "county", parentCode: "3701" },
      geometry: { type: "MultiPolygon" },
    });
    const [lng, lat] = feature.geometry.coordinates[0][0][0];
    expect(lng).toBeGreaterThan(116.9);
    expect(lat).toBeGreaterThan(36.5);
  });

  it("returns a city's boundary", async () => {
    const feature = await (await getBoundary("3702")).json();
    expect(feature.properties).toMatchObject({ code: "3702", name: "青岛市", level: "city", parentCode: "37" });
  });

  it("answers 404 where there is no boundary and 400 for a malformed code", async () => {
    expect((await getBoundary("370102001")).status).toBe(404);
    expect((await getBoundary("370176")).status).toBe(404);
    expect((await getBoundary("x")).status).toBe(400);
  });
});
