import { basemapFor } from "../../db/env.server";

// Which basemap the maps use: OpenStreetMap by default, Tianditu with a key (and its approval
// number, which the law requires on a public map in China), or an explicit MAP_TILE_URL.

const OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors";

describe("the basemap", () => {
  it("is OpenStreetMap without a Tianditu key", () => {
    expect(basemapFor({ MAP_TILE_ATTRIBUTION: OSM_ATTRIBUTION })).toEqual({
      kind: "osm",
      layers: [{ url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png" }],
      attribution: OSM_ATTRIBUTION,
    });
  });

  it("is Tianditu's vector map under its annotation with a key, with the approval number in the attribution", () => {
    const basemap = basemapFor({
      MAP_TILE_ATTRIBUTION: OSM_ATTRIBUTION,
      TIANDITU_KEY: "server-key",
      TIANDITU_BROWSER_KEY: "browser key",
      TIANDITU_APPROVAL_NUMBER: "GS(2099)0001号",
    });
    if ("error" in basemap) throw new Error(basemap.error);
    expect(basemap.kind).toBe("tianditu");
    expect(basemap.layers.map((l) => new URL(l.url.replace("{s}", "0")).searchParams.get("LAYER"))).toEqual([
      "vec",
      "cva",
    ]);
    // the browser key, never the server's, goes into the page
    expect(basemap.layers.every((l) => l.url.endsWith("tk=browser%20key") && !l.url.includes("server-key"))).toBe(true);
    expect(basemap.layers[0].url).toMatch(/^https:\/\/t\{s\}\.tianditu\.gov\.cn\/vec_w\/wmts\?/);
    expect(basemap.layers[0].subdomains).toBe("01234567");
    expect(basemap.attribution).toContain("审图号：GS(2099)0001号");
  });

  it("refuses a Tianditu key without the approval number, naming what to set", () => {
    const basemap = basemapFor({ MAP_TILE_ATTRIBUTION: OSM_ATTRIBUTION, TIANDITU_KEY: "k" });
    expect(basemap).toEqual({ error: expect.stringContaining("TIANDITU_APPROVAL_NUMBER") });
  });

  it("is MAP_TILE_URL when set, key or not", () => {
    expect(
      basemapFor({ MAP_TILE_URL: "/tiles/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION: "ours", TIANDITU_KEY: "k" }),
    ).toEqual({ kind: "custom", layers: [{ url: "/tiles/{z}/{x}/{y}.png" }], attribution: "ours" });
  });
});
