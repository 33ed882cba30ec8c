import { sql } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import { LEVEL_CODE_LENGTH, toStoredCode, type LivingCircleMeasure, type RegionLevel } from "../identifiers";
import { getLivingCircleSummary, getLivingCircleThresholds } from "./living-circle.server";
import {
  getDistanceModel,
  queryWalking,
  straightLineReach,
  walkingDistances,
  type DistanceModel,
} from "./road-network.server";

// Planning new facilities (docs/figures.md, "Planning"): which uncovered communities of a region a
// candidate site would reach on foot. The demand is the region's counted communities with a point
// and no facility offering the measure within its threshold (existing facilities are kept: what
// they cover is not demand); distances are the living circle's own (road-network.server.ts).

// ST_DWithin on the sphere with 1% to spare; the walking distance decides
const SPHERE_SLACK = 1.01;

export type CandidateKind = "community" | "facility" | "proposed";

export type PlanningCandidate = {
  key: string;
  kind: CandidateKind;
  /** the community's code, the facility's id, or the proposed point's index */
  ref: string;
  name: string | null;
  lat: number;
  lng: number;
};

export type PlanningDemand = {
  code: string;
  name: string;
  population60: number;
  lat: number;
  lng: number;
};

export type CoveringInput = {
  region: { code: string; name: string; level: RegionLevel };
  measure: LivingCircleMeasure;
  thresholdM: number;
  model: DistanceModel;
  demand: PlanningDemand[];
  candidates: PlanningCandidate[];
  /** candidate key → demand codes it reaches within the threshold, on foot */
  reach: Map<string, string[]>;
};

export type ProposedPoint = { lat: number; lng: number };

const countedKinds = (includeVillages: boolean) =>
  includeVillages ? sql`r.kind in ('community', 'village')` : sql`r.kind = 'community'`;

export async function getPlanningRegion(regionCode: string, database: Database = db) {
  const [row] = await queryRows<{ code: string; name: string; level: RegionLevel }>(
    sql`select code, name, level::text as level from regions where code = ${toStoredCode(regionCode)}`,
    database,
  );
  return row ? { ...row, prefix: row.code.slice(0, LEVEL_CODE_LENGTH[row.level]) } : null;
}

/**
 * The covering problem of a region and measure: its uncovered communities, the candidate sites
 * (`existing`: its community points and its active facilities that do not offer the measure;
 * plus `proposed` points), and which communities each candidate reaches. Null: unknown region.
 */
export async function getCoveringInput(
  regionCode: string,
  measure: LivingCircleMeasure,
  {
    includeVillages = false,
    existing = true,
    proposed = [],
  }: { includeVillages?: boolean; existing?: boolean; proposed?: ProposedPoint[] } = {},
  database: Database = db,
): Promise<CoveringInput | null> {
  const region = await getPlanningRegion(regionCode, database);
  if (!region) return null;
  const [thresholds, model] = await Promise.all([getLivingCircleThresholds(database), getDistanceModel(database)]);
  const thresholdM = thresholds[measure];
  const like = `${region.prefix}%`;
  const demandSql = sql`
    select r.code, r.name, coalesce(r.population_60, 0)::float8 as population60, r.point
    from regions r
    where r.level = 'community' and r.code like ${like} and r.point is not null and ${countedKinds(includeVillages)}
      and not exists (select 1 from community_access ca where ca.community_code = r.code and ca.measure = ${measure})`;
  const offers = sql`case when ${measure} = f.type::text then true
    else exists (select 1 from services s where s.facility_id = f.id and s.status = 'active' and s.category::text = ${measure}) end`;
  const candidatesSql = sql`
    select 'proposed:' || (x.n - 1) as key, 'proposed' as kind, (x.n - 1)::text as ref, null::text as name,
      ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326) as point
    from jsonb_to_recordset(${JSON.stringify(proposed.map((p, i) => ({ n: i + 1, lat: p.lat, lng: p.lng })))}::jsonb)
      as x(n int, lat float8, lng float8)
    ${
      existing
        ? sql`
    union all
    select 'community:' || r.code, 'community', r.code, r.name, r.point from regions r
    where r.level = 'community' and r.code like ${like} and r.point is not null and ${countedKinds(includeVillages)}
    union all
    select 'facility:' || f.id, 'facility', f.id, f.name, f.point from facilities f
    where f.community_code like ${like} and f.status = 'active' and f.point is not null and not ${offers}`
        : sql``
    }`;
  const [demandRows, candidateRows, pairs] = await Promise.all([
    queryRows<{ code: string; name: string; population60: number; lat: number; lng: number }>(
      sql`select d.code, d.name, d.population60, ST_Y(d.point) as lat, ST_X(d.point) as lng
          from (${demandSql}) d order by d.population60 desc, d.code`,
      database,
    ),
    queryRows<{ key: string; kind: CandidateKind; ref: string; name: string | null; lat: number; lng: number }>(
      sql`select c.key, c.kind, c.ref, c.name, ST_Y(c.point) as lat, ST_X(c.point) as lng from (${candidatesSql}) c`,
      database,
    ),
    queryWalking<{ site: string; code: string }>(
      database,
      model,
      sql`
      with walked as (${walkingDistances(
        model,
        sql`
        with d as (${demandSql}), c as (${candidatesSql})
        select d.code, d.point as cpoint, c.key as site, c.point as spoint,
          ST_Distance(d.point::geography, c.point::geography) as d
        from d join c on ST_DWithin(d.point::geography, c.point::geography, ${thresholdM * straightLineReach(model) * SPHERE_SLACK}::float8, false)`,
        thresholdM,
      )})
      select site, code from walked where w <= ${thresholdM}::float8 order by site, code`,
    ),
  ]);
  const reach = new Map<string, string[]>();
  for (const p of pairs) reach.set(p.site, [...(reach.get(p.site) ?? []), p.code]);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    measure,
    thresholdM,
    model,
    demand: demandRows.map((d) => ({
      ...d,
      population60: Number(d.population60),
      lat: Number(d.lat),
      lng: Number(d.lng),
    })),
    candidates: candidateRows.map((c) => ({ ...c, lat: Number(c.lat), lng: Number(c.lng) })),
    reach,
  };
}

export type ScenarioMeasureResult = {
  measure: LivingCircleMeasure;
  thresholdM: number;
  communities: number;
  population60: number;
  before: { covered: number; population60Covered: number };
  after: { covered: number; population60Covered: number };
  /** per proposed site, in order: the uncovered communities it reaches that no site before it does */
  sites: Array<{ newlyCovered60: number; communities: Array<{ code: string; name: string; population60: number }> }>;
};

/**
 * What proposed sites would change, per measure: the communities and residents aged 60+ each
 * newly covers, and the region's figures before and after. Nothing is written. Null: unknown region.
 */
export async function evaluateProposedSites(
  regionCode: string,
  measures: readonly LivingCircleMeasure[],
  sites: ProposedPoint[],
  { includeVillages = false }: { includeVillages?: boolean } = {},
  database: Database = db,
): Promise<{ region: CoveringInput["region"]; model: DistanceModel; measures: ScenarioMeasureResult[] } | null> {
  const summary = await getLivingCircleSummary(regionCode, { includeVillages }, database);
  if (!summary) return null;
  let model: DistanceModel | null = null;
  const results: ScenarioMeasureResult[] = [];
  for (const measure of measures) {
    const input = (await getCoveringInput(
      regionCode,
      measure,
      { includeVillages, existing: false, proposed: sites },
      database,
    ))!;
    model = input.model;
    const demand = new Map(input.demand.map((d) => [d.code, d]));
    const taken = new Set<string>();
    const perSite = sites.map((_, i) => {
      const communities = (input.reach.get(`proposed:${i}`) ?? [])
        .filter((code) => !taken.has(code))
        .map((code) => demand.get(code)!)
        .sort((a, b) => b.population60 - a.population60 || a.code.localeCompare(b.code));
      for (const c of communities) taken.add(c.code);
      return {
        newlyCovered60: communities.reduce((sum, c) => sum + c.population60, 0),
        communities: communities.map((c) => ({ code: c.code, name: c.name, population60: c.population60 })),
      };
    });
    const figures = summary.measures.find((m) => m.measure === measure)!;
    const newly = perSite.reduce((sum, s) => sum + s.newlyCovered60, 0);
    results.push({
      measure,
      thresholdM: input.thresholdM,
      communities: figures.communities,
      population60: figures.population60,
      before: { covered: figures.covered, population60Covered: figures.population60Covered },
      after: { covered: figures.covered + taken.size, population60Covered: figures.population60Covered + newly },
      sites: perSite,
    });
  }
  return { region: summary.region, model: model ?? (await getDistanceModel(database)), measures: results };
}
