import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import type { CommunityKind } from "../identifiers";
import { referenceDataDir as dataDir } from "../paths.server";

// The reference files in db/data/, exactly as copied from the sources named in db/data/README.md.

export type DivisionsFile = {
  meta: { counts: Record<string, unknown> };
  province: { code: string; adcode: string; name: string };
  cities: { code: string; adcode: string; name: string }[];
  counties: { code: string; name: string; cityCode: string; gbt2260: boolean }[];
  streets: {
    code: string;
    name: string;
    countyCode: string;
    type: "subdistrict" | "town" | "township" | "other";
  }[];
  villages: { code: string; name: string; streetCode: string; kind: CommunityKind }[];
};

export type BoundaryProperties = { adcode: string; name: string; parentAdcode: string };
export type BoundaryCollection = FeatureCollection<Polygon | MultiPolygon, BoundaryProperties>;

function readGzipJson<T>(file: string): T {
  return JSON.parse(gunzipSync(readFileSync(path.join(dataDir, file))).toString("utf8")) as T;
}

export const readDivisions = () => readGzipJson<DivisionsFile>("shandong-divisions.json.gz");
export const readCountyBoundaries = () => readGzipJson<BoundaryCollection>("shandong-districts.geojson.gz");
export const readCityBoundaries = () => readGzipJson<BoundaryCollection>("shandong-cities.geojson.gz");
