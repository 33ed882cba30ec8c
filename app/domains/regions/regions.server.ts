// Regions on the server: the administrative tree, boundaries and community lookup, as the
// queries in db/queries/regions.server.ts answer them.
import { z } from "zod";

import { COMMUNITY_KINDS, REGION_LEVELS } from "../../../db/identifiers";
import { getCountyOutlines } from "../../../db/queries/regions.server";
import { versionedFile, type VersionedFile } from "../../utils/responses.server";
import { REGION_CODE_PATTERN } from "./regions";

export {
  getAreaAt,
  getRegion,
  getRegionBoundary,
  getRegionSummary,
  searchCommunities,
  searchRegions,
  type CountyBoundaries,
} from "../../../db/queries/regions.server";

let countyOutlines: Promise<VersionedFile> | null = null;

/**
 * The province's county outlines as one GeoJSON file and its version (a hash of the body). The
 * boundaries are reference data, loaded before the app starts and never edited by it: made once
 * per process (about 50 ms), then served from memory.
 */
export function getCountyOutlinesFile(): Promise<VersionedFile> {
  countyOutlines ??= getCountyOutlines("37").then((outlines) => versionedFile(JSON.stringify(outlines)));
  // a failure (the database away) is not kept: the next request tries again
  countyOutlines.catch(() => {
    countyOutlines = null;
  });
  return countyOutlines;
}

/** `:code` in the API's paths, as parseRegionCodeParam checks it */
export const regionCodeParamSchema = z
  .string()
  .regex(REGION_CODE_PATTERN, "a region code has 2, 4, 6, 9 or 12 digits")
  .describe("a statistical division code: 2 (province), 4 (city), 6 (county), 9 (township) or 12 digits");

const regionSummaryJsonSchema = z.object({
  code: z.string().regex(REGION_CODE_PATTERN),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  kind: z.enum(COMMUNITY_KINDS).optional().describe("communities only: urban community or village"),
});

/** GET /api/v1/regions/:code (db/queries/regions.server.ts getRegion, without isDemoPoint) */
export const regionJsonSchema = regionSummaryJsonSchema.extend({
  parentCode: z.string().regex(REGION_CODE_PATTERN).nullable(),
  point: z.object({ lat: z.number(), lng: z.number() }).optional(),
  children: z.array(regionSummaryJsonSchema),
  demo: z.literal(true).optional().describe("the point is generated demo data"),
});
export type RegionJson = z.infer<typeof regionJsonSchema>;

/** GET /api/v1/regions?search=&level=: the admin forms' region picker */
export const regionSearchQuerySchema = z.object({
  search: z.string().trim().min(1, "search is required").max(40, "search is at most 40 characters"),
  level: z
    .array(z.enum(REGION_LEVELS))
    .default(["province", "city", "county", "community"])
    .describe("repeatable; the levels to search (default province, city, county, community)"),
});

export const regionSearchJsonSchema = z.object({
  regions: z
    .array(
      regionSummaryJsonSchema.pick({ code: true, name: true, level: true }).extend({
        label: z.string().describe("name (code), as the picker shows it"),
      }),
    )
    .max(20),
});
export type RegionSearchJson = z.infer<typeof regionSearchJsonSchema>;

/** GET /api/v1/regions/:code/boundary: a GeoJSON Feature, WGS84 */
export const regionBoundaryJsonSchema = z.object({
  type: z.literal("Feature"),
  properties: z.object({
    code: z.string().regex(REGION_CODE_PATTERN),
    name: z.string(),
    level: z.enum(REGION_LEVELS),
    parentCode: z.string().regex(REGION_CODE_PATTERN).nullable(),
  }),
  geometry: z.object({
    type: z.literal("MultiPolygon"),
    coordinates: z.array(z.array(z.array(z.array(z.number())))).describe("[lng, lat] positions"),
  }),
});
