import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import {
  directionsLinks,
  gcj02ToBd09,
  inSearchArea,
  latInSearchArea,
  lngInSearchArea,
  outOfChina,
  SEARCH_AREA,
  SEARCH_MARGIN_DEGREES,
  SHANDONG_EXTENT,
  wgs84ToBd09,
  wgs84ToGcj02,
  type LngLat,
} from "~/domains/regions/coordinates";

const close = (actual: LngLat, expected: LngLat, within = 1e-5) => {
  expect(Math.abs(actual.lng - expected.lng)).toBeLessThan(within);
  expect(Math.abs(actual.lat - expected.lat)).toBeLessThan(within);
};

function metresBetween(a: LngLat, b: LngLat) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

describe("WGS84 to GCJ-02", () => {
  // the reference values of wandergis/coordtransform (README) and googollee/eviltransform (tests)
  it.each([
    ["Tiananmen (coordtransform)", { lng: 116.404, lat: 39.915 }, { lng: 116.41024449916938, lat: 39.91640428150164 }],
    [
      "Beijing (eviltransform)",
      { lng: 116.377817, lat: 39.911954 },
      { lng: 116.38404722455657, lat: 39.91334545536069 },
    ],
    [
      "Shanghai (eviltransform)",
      { lng: 121.5272106, lat: 31.1774276 },
      { lng: 121.531541859215, lat: 31.17530398364597 },
    ],
    ["Tiananmen flag (widely quoted)", { lng: 116.397428, lat: 39.90923 }, { lng: 116.403672, lat: 39.910627 }],
    // computed with coordtransform 2.1.2, an independent implementation
    ["Jinan, Lixia district", { lng: 117.021, lat: 36.661 }, { lng: 117.02693125712024, lat: 36.66132118553296 }],
  ])("%s", (_label, wgs, gcj) => {
    close(wgs84ToGcj02(wgs), gcj);
  });

  it("leaves points outside China unchanged", () => {
    for (const point of [
      { lng: -0.1276, lat: 51.5072 }, // London
      { lng: 139.6917, lat: 56.5 }, // north of the rectangle
      { lng: 151.2093, lat: -33.8688 }, // Sydney
    ]) {
      expect(outOfChina(point)).toBe(true);
      expect(wgs84ToGcj02(point)).toEqual(point);
    }
    expect(outOfChina({ lng: 117.021, lat: 36.661 })).toBe(false);
  });

  it("moves a point in Shandong by a few hundred metres", () => {
    for (const wgs of [
      { lng: 117.021, lat: 36.661 }, // Jinan
      { lng: 120.3826, lat: 36.0671 }, // Qingdao
      { lng: 118.3564, lat: 35.1047 }, // Linyi
    ]) {
      const offset = metresBetween(wgs, wgs84ToGcj02(wgs));
      expect(offset).toBeGreaterThan(100);
      expect(offset).toBeLessThan(1000);
    }
  });
});

describe("GCJ-02 to BD-09", () => {
  it("matches the published example", () => {
    close(gcj02ToBd09({ lng: 116.404, lat: 39.915 }), { lng: 116.41036949371029, lat: 39.92133699351021 });
  });

  it("composes from WGS84", () => {
    close(wgs84ToBd09({ lng: 116.404, lat: 39.915 }), { lng: 116.41662724378733, lat: 39.922699552216216 });
    close(wgs84ToBd09({ lng: 117.021, lat: 36.661 }), gcj02ToBd09(wgs84ToGcj02({ lng: 117.021, lat: 36.661 })), 1e-12);
  });

  it("adds roughly another kilometre on top of GCJ-02", () => {
    const gcj = wgs84ToGcj02({ lng: 117.021, lat: 36.661 });
    const offset = metresBetween(gcj, gcj02ToBd09(gcj));
    expect(offset).toBeGreaterThan(500);
    expect(offset).toBeLessThan(1500);
  });
});

describe("directions links", () => {
  const place = { lat: 36.661, lng: 117.021, name: "泉城广场 日间照料中心" };
  const links = directionsLinks(place);

  it("walks to the WGS84 point in OpenStreetMap", () => {
    expect(links.osm).toBe(
      "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=%3B36.661000%2C117.021000",
    );
  });

  it("hands AMap the GCJ-02 point, longitude first", () => {
    const url = new URL(links.amap);
    expect(url.origin + url.pathname).toBe("https://uri.amap.com/navigation");
    expect(url.searchParams.get("to")).toBe("117.026931,36.661321,泉城广场 日间照料中心");
    expect(url.searchParams.get("mode")).toBe("walk");
    expect(url.searchParams.get("coordinate")).toBe("gaode");
  });

  it("hands Baidu the BD-09 point, latitude first", () => {
    const bd = wgs84ToBd09(place);
    const url = new URL(links.baidu);
    expect(url.origin + url.pathname).toBe("https://api.map.baidu.com/marker");
    expect(url.searchParams.get("location")).toBe(`${bd.lat.toFixed(6)},${bd.lng.toFixed(6)}`);
    expect(url.searchParams.get("title")).toBe(place.name);
    expect(url.searchParams.get("content")).toBe(place.name);
    expect(url.searchParams.get("coord_type")).toBe("bd09ll");
    expect(url.searchParams.get("output")).toBe("html");
  });

  it("encodes names so they cannot break out of their parameter", () => {
    const tricky = directionsLinks({ lat: 36.661, lng: 117.021, name: "A&B=C #1, 2?" });
    expect(new URL(tricky.baidu).searchParams.get("title")).toBe("A&B=C #1, 2?");
    // AMap's `to` is comma-separated, so an ASCII comma in the name becomes a full-width one
    expect(new URL(tricky.amap).searchParams.get("to")).toBe("117.026931,36.661321,A&B=C #1， 2?");
    expect(tricky.amap).not.toContain("#");
    expect(tricky.baidu).not.toContain(" ");
  });
});

describe("the residents' search area", () => {
  it("is Shandong's extent in the reference data, rounded outward, with a margin of 0.5°", () => {
    // the bounding box of every boundary in db/data (cities and counties agree)
    const box = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
    const walk = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === "number") {
        const [lng, lat] = c as number[];
        box.west = Math.min(box.west, lng);
        box.east = Math.max(box.east, lng);
        box.south = Math.min(box.south, lat);
        box.north = Math.max(box.north, lat);
      } else if (Array.isArray(c)) c.forEach(walk);
    };
    const geojson = JSON.parse(
      gunzipSync(readFileSync(path.resolve("db/data/shandong-districts.geojson.gz"))).toString("utf8"),
    );
    for (const feature of geojson.features) walk(feature.geometry.coordinates);
    expect(SHANDONG_EXTENT.west).toBeLessThanOrEqual(box.west);
    expect(SHANDONG_EXTENT.south).toBeLessThanOrEqual(box.south);
    expect(SHANDONG_EXTENT.east).toBeGreaterThanOrEqual(box.east);
    expect(SHANDONG_EXTENT.north).toBeGreaterThanOrEqual(box.north);
    for (const side of ["west", "south", "east", "north"] as const) {
      expect(Math.abs(SHANDONG_EXTENT[side] - box[side])).toBeLessThan(0.02);
      expect(Math.abs(SEARCH_AREA[side] - SHANDONG_EXTENT[side])).toBeCloseTo(SEARCH_MARGIN_DEGREES, 9);
    }
  });

  it.each([
    ["Jinan", { lat: 36.6512, lng: 117.1201 }, true],
    ["Qingdao", { lat: 36.063, lng: 120.385 }, true],
    ["the Changdao islands", { lat: 38.38, lng: 120.9 }, true],
    ["Xuzhou, Jiangsu (within the margin)", { lat: 34.2, lng: 117.18 }, true],
    ["Beijing", { lat: 39.9087, lng: 116.3975 }, false],
    ["Shanghai", { lat: 31.23, lng: 121.47 }, false],
    ["Seoul", { lat: 37.56, lng: 126.98 }, false],
    ["the South Atlantic", { lat: -45, lng: -60 }, false],
  ])("%s", (_label, point, inside) => {
    expect(inSearchArea(point)).toBe(inside);
    expect(latInSearchArea(point.lat) && lngInSearchArea(point.lng)).toBe(inside);
  });
});
