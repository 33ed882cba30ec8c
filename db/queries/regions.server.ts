import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Feature, FeatureCollection, MultiPolygon } from "geojson";

import { db, queryRows, type Database } from "../client.server";
import { LEVEL_CODE_LENGTH, REGION_LEVELS, toStoredCode, type CommunityKind, type RegionLevel } from "../identifiers";
import { regions } from "../schema";

export function parentLevel(level: RegionLevel): RegionLevel {
  return REGION_LEVELS[Math.max(0, REGION_LEVELS.indexOf(level) - 1)];
}

/** The stored 12-digit code → the code as in the data: its level's significant digits. */
export function toShortCode(code: string, level: RegionLevel): string {
  return code.slice(0, LEVEL_CODE_LENGTH[level]);
}

// six decimals are about 0.1 m: all the precision a point here has
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export type RegionSummary = { code: string; name: string; level: RegionLevel; kind?: CommunityKind };
export type RegionDetail = RegionSummary & {
  parentCode: string | null;
  point?: { lat: number; lng: number };
  isDemoPoint: boolean;
  children: RegionSummary[];
};

function summary(row: { code: string; name: string; level: RegionLevel; kind: CommunityKind | null }): RegionSummary {
  return {
    code: toShortCode(row.code, row.level),
    name: row.name,
    level: row.level,
    ...(row.kind ? { kind: row.kind } : {}),
  };
}

export async function getRegion(storedCode: string, database: Database = db): Promise<RegionDetail | null> {
  const [row] = await database
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      kind: regions.kind,
      parentCode: regions.parentCode,
      point: regions.point,
      isDemo: regions.isDemo,
    })
    .from(regions)
    .where(eq(regions.code, storedCode));
  if (!row) return null;

  const children = await database
    .select({ code: regions.code, name: regions.name, level: regions.level, kind: regions.kind })
    .from(regions)
    .where(eq(regions.parentCode, storedCode))
    .orderBy(asc(regions.code));

  return {
    ...summary(row),
    parentCode: row.parentCode ? toShortCode(row.parentCode, parentLevel(row.level)) : null,
    ...(row.point ? { point: { lat: round6(row.point.y), lng: round6(row.point.x) } } : {}),
    isDemoPoint: row.isDemo,
    children: children.map(summary),
  };
}

type BoundaryProps = { code: string; name: string; level: RegionLevel; parentCode: string | null };

export async function getRegionBoundary(storedCode: string): Promise<Feature<MultiPolygon, BoundaryProps> | null> {
  const [row] = await queryRows<{
    code: string;
    name: string;
    level: RegionLevel;
    parent_code: string | null;
    geojson: string | null;
  }>(sql`
    select code, name, level::text as level, parent_code, ST_AsGeoJSON(boundary, 6) as geojson
    from regions where code = ${storedCode}`);
  if (!row?.geojson) return null;
  return {
    type: "Feature",
    properties: {
      code: toShortCode(row.code, row.level),
      name: row.name,
      level: row.level,
      parentCode: row.parent_code ? toShortCode(row.parent_code, parentLevel(row.level)) : null,
    },
    geometry: JSON.parse(row.geojson) as MultiPolygon,
  };
}

export type CountyBoundaries = FeatureCollection<MultiPolygon, { code: string; name: string }>;

/**
 * The outlines of every county-level division under a region (all 136 for the province), for the
 * residents' map: simplified to about 100 m and rounded to 3 decimals (about 100 m too), which is
 * finer than the reference boundaries' own point spacing (about 1.8 km); 30% less gzipped.
 */
export async function getCountyOutlines(prefix: string): Promise<CountyBoundaries> {
  const rows = await queryRows<{ code: string; name: string; geojson: string }>(sql`
    select code, name, ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(boundary, 0.001)), 3) as geojson
    from regions
    where level = 'county' and boundary is not null and code like ${prefix + "%"}
    order by code`);
  return {
    type: "FeatureCollection",
    features: rows.map((r) => ({
      type: "Feature",
      properties: { code: toShortCode(r.code, "county"), name: r.name },
      geometry: JSON.parse(r.geojson) as MultiPolygon,
    })),
  };
}

/** Name and level of one region (stored 12-digit code), or null. */
export async function getRegionSummary(storedCode: string) {
  const [row] = await db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(eq(regions.code, storedCode));
  return row ?? null;
}

/**
 * "济南市 历下区": the city and county whose outline covers the point, so that a place found by
 * name or address says where it is (解放桥 and many street names exist in several cities); null
 * outside every county outline.
 */
export async function getAreaAt(point: { lat: number; lng: number }, database: Database = db): Promise<string | null> {
  const [row] = await queryRows<{ city: string | null; county: string }>(
    sql`
    select city.name as city, county.name as county
      from regions county
      left join regions city on city.code = rpad(left(county.code, 4), 12, '0')
     where county.level = 'county' and county.boundary is not null
       and ST_Covers(county.boundary, ST_SetSRID(ST_MakePoint(${point.lng}, ${point.lat}), 4326))
     limit 1`,
    database,
  );
  return row ? [row.city, row.county].filter(Boolean).join(" ") : null;
}

/** Communities (and townships) whose name contains the text, for "choose your community". */
export async function searchCommunities(text: string, limit = 10, database: Database = db) {
  const rows = await database
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      kind: regions.kind,
      parentCode: regions.parentCode,
      point: regions.point,
    })
    .from(regions)
    .where(
      sql`${regions.level} in ('community', 'township') and ${regions.point} is not null and ${regions.name} like ${"%" + text + "%"}`,
    )
    .orderBy(sql`length(${regions.name})`, asc(regions.code))
    .limit(limit);
  // 解放桥 is in Jinan and in Jining: each choice names its city, county and township
  const areaCodes = (r: (typeof rows)[number]) => [
    toStoredCode(r.code.slice(0, 4)),
    toStoredCode(r.code.slice(0, 6)),
    ...(r.parentCode && r.level === "community" ? [r.parentCode] : []),
  ];
  const ancestors = rows.length
    ? await database
        .select({ code: regions.code, name: regions.name })
        .from(regions)
        .where(inArray(regions.code, [...new Set(rows.flatMap(areaCodes))]))
    : [];
  const nameOf = new Map(ancestors.map((p) => [p.code, p.name]));
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentName: r.parentCode ? (nameOf.get(r.parentCode) ?? null) : null,
    /** "济南市 历下区 解放路街道": the city, the county and (for a community) the township */
    area: [
      ...new Set(
        areaCodes(r)
          .map((code) => nameOf.get(code))
          .filter(Boolean),
      ),
    ].join(" "),
    lat: r.point ? round6(r.point.y) : null,
    lng: r.point ? round6(r.point.x) : null,
  }));
}

/** Whether any community under a region carries generated demo data (its point, households, population). */
export async function hasDemoCommunities(storedCode: string, level: RegionLevel, database: Database = db) {
  const prefix = storedCode.slice(0, LEVEL_CODE_LENGTH[level]);
  const [row] = await queryRows<{ demo: boolean }>(
    sql`select exists (select 1 from regions where code like ${`${prefix}%`} and level = 'community' and is_demo) as demo`,
    database,
  );
  return Boolean(row?.demo);
}

/**
 * Regions of the given levels under one of the prefixes (all of Shandong when undefined) whose
 * name contains `text` or whose code starts with it; the higher levels first, then by code.
 */
export async function searchRegions(
  text: string,
  { prefixes, levels, limit = 20 }: { prefixes?: readonly string[]; levels: readonly RegionLevel[]; limit?: number },
  database: Database = db,
) {
  const inScope = prefixes
    ? sql.join(
        prefixes.map((p) => sql`${regions.code} like ${p + "%"}`),
        sql` or `,
      )
    : sql`true`;
  const matches = /^\d+$/.test(text)
    ? sql`${regions.code} like ${text + "%"}`
    : sql`${regions.name} like ${"%" + text.replace(/[\\%_]/g, "\\$&") + "%"}`;
  const rows = await database
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(sql`${inArray(regions.level, [...levels])} and (${inScope}) and ${matches}`)
    .orderBy(
      sql`array_position(array['province','city','county','township','community'], ${regions.level}::text)`,
      asc(regions.code),
    )
    .limit(limit);
  return rows.map((r) => ({ code: toShortCode(r.code, r.level), name: r.name, level: r.level }));
}
