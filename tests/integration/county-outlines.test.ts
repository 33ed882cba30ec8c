// The residents' map's county outlines: a file of their own with an entity tag and a long cache
// life, never inlined in the residents' pages.
import type { FeatureCollection, MultiPolygon } from "geojson";

import { loader as residentLayout } from "~/routes/_resident";
import { loader as countyOutlines } from "~/routes/regions.counties[.geojson]";

import { callLoader } from "../utils/routes";

type Outlines = FeatureCollection<MultiPolygon, { code: string; name: string }>;

async function countiesUrl() {
  const response = await callLoader(residentLayout, "/");
  return ((await response.json()) as { countiesUrl: string }).countiesUrl;
}

describe("county outlines", () => {
  it("are not in the residents' pages' data: the layout gives their versioned address only", async () => {
    const response = await callLoader(residentLayout, "/");
    const text = await response.text();
    expect(text).not.toContain("coordinates");
    expect(text.length).toBeLessThan(200);
    expect(JSON.parse(text)).toEqual({
      countiesUrl: expect.stringMatching(/^\/regions\/counties\.geojson\?v=[\w-]+$/),
    });
  });

  it("are every county of the province, with 3 decimals at most, as GeoJSON with an entity tag", async () => {
    const url = await countiesUrl();
    const response = await callLoader(countyOutlines, url);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/geo+json");
    expect(response.headers.get("ETag")).toMatch(/^"[\w-]+"$/);
    const body = await response.text();
    const outlines = JSON.parse(body) as Outlines;
    expect(outlines.features.length).toBe(136);
    expect(outlines.features[0].geometry.type).toBe("MultiPolygon");
    expect(body).not.toMatch(/\d\.\d{4,}/);
  });

  it("are cached for a year at the versioned address, an hour without it", async () => {
    const url = await countiesUrl();
    const versioned = await callLoader(countyOutlines, url);
    expect(versioned.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const plain = await callLoader(countyOutlines, "/regions/counties.geojson");
    expect(plain.headers.get("Cache-Control")).toBe("public, max-age=3600");
    const stale = await callLoader(countyOutlines, "/regions/counties.geojson?v=old");
    expect(stale.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(stale.headers.get("ETag")).toBe(versioned.headers.get("ETag"));
  });

  it("answer 304 without a body to a browser holding the same version, 200 to one holding another", async () => {
    const url = await countiesUrl();
    const etag = (await callLoader(countyOutlines, url)).headers.get("ETag")!;
    const request = (ifNoneMatch: string) =>
      countyOutlines({
        request: new Request(new URL(url, "http://localhost"), { headers: { "If-None-Match": ifNoneMatch } }),
        params: {},
        context: { clientIp: "127.0.0.1" },
      });
    const same = await request(etag);
    expect(same.status).toBe(304);
    expect(await same.text()).toBe("");
    expect(same.headers.get("ETag")).toBe(etag);
    expect((await request(`W/${etag}, "other"`)).status).toBe(304);
    const other = await request('"something-else"');
    expect(other.status).toBe(200);
    expect((await other.text()).length).toBeGreaterThan(1000);
  });
});
