import { sql } from "drizzle-orm";

import { chinaDate } from "../../app/domains/listings/open-now";
import { db, queryRows, type Database } from "../client.server";
import { ASSESSMENT_TIERS, type ServiceCategory } from "../identifiers";
import { publicServiceConditions } from "./search.server";

// The public showcase of certified communities. Which assessments stand now is decided by the
// coverage rule (listEffectiveAssessments + inEffectAt, app/domains/coverage); these queries take
// the ids of the standing ones and read what the showcase shows of them. Services count when
// residents can see them (publicServiceConditions, the one rule).

export type ShowcaseTier = (typeof ASSESSMENT_TIERS)[number];

export type ShowcaseCommunity = {
  code: string;
  name: string;
  tier: ShowcaseTier | null;
  /** the certification or the community's figures are generated demo data */
  isDemo: boolean;
  township: string | null;
  county: string | null;
  city: string | null;
  lat: number | null;
  lng: number | null;
};

/** benchmark first, then growth, then basic */
const TIER_RANK = sql.raw(`array[${[...ASSESSMENT_TIERS].reverse().map((t) => `'${t}'`)}]::text[]`);

/** one row per community among the standing assessments `ids` (the latest in effect, should there be two) */
const standing = (ids: readonly string[]) => sql`standing as (
  select distinct on (a.community_code) a.community_code as code, a.tier::text as tier, a.is_demo
    from assessments a
   where a.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
   order by a.community_code, a.effective_at desc)`;

/** How many of the standing assessments' communities are of each tier. */
export async function countShowcaseTiers(
  ids: readonly string[],
  database: Database = db,
): Promise<Record<ShowcaseTier, number>> {
  const counts = Object.fromEntries(ASSESSMENT_TIERS.map((t) => [t, 0])) as Record<ShowcaseTier, number>;
  if (ids.length === 0) return counts;
  const rows = await queryRows<{ tier: ShowcaseTier | null; n: number | string }>(
    sql`with ${standing(ids)} select tier, count(*) as n from standing group by tier`,
    database,
  );
  for (const row of rows) if (row.tier) counts[row.tier] = Number(row.n);
  return counts;
}

/** A page of the standing assessments' communities, benchmark first, then by code (a city's, a county's together). */
export async function listShowcaseCommunities(
  ids: readonly string[],
  { tier, limit, offset }: { tier: ShowcaseTier | null; limit: number; offset: number },
  database: Database = db,
): Promise<ShowcaseCommunity[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{
    code: string;
    name: string;
    tier: ShowcaseTier | null;
    is_demo: boolean;
    township: string | null;
    county: string | null;
    city: string | null;
    lat: number | string | null;
    lng: number | string | null;
  }>(
    // the page is cut before the names are joined
    sql`with ${standing(ids)},
        page as (
          select code, tier, is_demo, array_position(${TIER_RANK}, tier) as rank from standing
           where ${tier === null ? sql`true` : sql`tier = ${tier}`}
           order by rank nulls last, code
           limit ${limit}::int offset ${offset}::int)
        select c.code, r.name, c.tier, (c.is_demo or r.is_demo) as is_demo,
               t.name as township, co.name as county, ci.name as city,
               ST_Y(r.point) as lat, ST_X(r.point) as lng
          from page c
          join regions r on r.code = c.code
          left join regions t on t.code = rpad(left(c.code, 9), 12, '0')
          left join regions co on co.code = rpad(left(c.code, 6), 12, '0')
          left join regions ci on ci.code = rpad(left(c.code, 4), 12, '0')
         order by c.rank nulls last, c.code`,
    database,
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    tier: r.tier,
    isDemo: Boolean(r.is_demo),
    township: r.township,
    county: r.county,
    city: r.city,
    lat: r.lat === null ? null : Number(r.lat),
    lng: r.lng === null ? null : Number(r.lng),
  }));
}

export type PublicServiceCounts = { services: number; categories: ServiceCategory[] };

/** Each community's public services now: how many, and of which categories. */
export async function countPublicServicesByCommunity(
  codes: readonly string[],
  now: Date,
  database: Database = db,
): Promise<Map<string, PublicServiceCounts>> {
  if (codes.length === 0) return new Map();
  const rows = await queryRows<{ community_code: string; services: number | string; categories: string[] | string }>(
    sql`select f.community_code, count(*) as services,
               array_agg(distinct s.category::text) as categories
          from services s join facilities f on f.id = s.facility_id
         where f.community_code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))
           and ${sql.join(publicServiceConditions(chinaDate(now), now), sql` and `)}
         group by f.community_code`,
    database,
  );
  return new Map(
    rows.map((r) => [
      r.community_code,
      { services: Number(r.services), categories: textArray(r.categories) as ServiceCategory[] },
    ]),
  );
}

/** postgres.js gives a text[] as an array; PGlite may give its literal */
const textArray = (value: string[] | string): string[] =>
  Array.isArray(value)
    ? value
    : value
        .replace(/^\{|\}$/g, "")
        .split(",")
        .filter(Boolean);

export type ShowcaseService = {
  id: string;
  name: string;
  category: ServiceCategory;
  facilityId: string;
  facilityName: string;
  address: string;
  lat: number;
  lng: number;
  isDemo: boolean;
};

/** The community's public services now, by category and name (at most `limit`). */
export async function listCommunityPublicServices(
  communityCode: string,
  now: Date,
  limit: number,
  database: Database = db,
): Promise<ShowcaseService[]> {
  const rows = await queryRows<{
    id: string;
    name: string;
    category: ServiceCategory;
    facility_id: string;
    facility_name: string;
    address: string;
    lat: number | string;
    lng: number | string;
    is_demo: boolean;
  }>(
    sql`select s.id, s.name, s.category::text as category, f.id as facility_id, f.name as facility_name, f.address,
               ST_Y(f.point) as lat, ST_X(f.point) as lng, (s.is_demo or f.is_demo) as is_demo
          from services s join facilities f on f.id = s.facility_id
         where f.community_code = ${communityCode}
           and ${sql.join(publicServiceConditions(chinaDate(now), now), sql` and `)}
         order by s.category, s.name, s.id
         limit ${limit}::int`,
    database,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    category: r.category,
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    address: r.address,
    lat: Number(r.lat),
    lng: Number(r.lng),
    isDemo: Boolean(r.is_demo),
  }));
}
