import { sql, type SQL } from "drizzle-orm";

import { chinaDate } from "../../app/domains/listings/open-now";
import { db, queryRows, type Database } from "../client.server";
import { DETOUR_FACTOR, LISTING_FRESHNESS, type ServiceCategory } from "../identifiers";
import type { Eligibility, OpeningHours } from "../schema";
import { walkingAlongNetworkFrom } from "./road-network.server";

// Residents' search: the public services nearest a point. Public means the service and its
// facility are active, the facility has a point, today (China's calendar) is within the
// service's validity, and neither is hidden for want of verification (publicServiceConditions).
// Nothing here needs a session.
//
// Order: `f.point <-> here` walks the facilities' GiST index nearest first, but in degrees; in
// Shandong a degree of longitude is ~0.8 of a degree of latitude, so that order is not quite the
// order in metres. Each round reads a window of candidates by `<->`, measures them on the spheroid
// and keeps, in metre order, only those nearer than any candidate outside the window can be;
// when that is too few, a second statement reads everything within the
// distance of the candidate that would complete the page (`nextCandidates`). The result is exact;
// one statement is enough for most searches, two for the rest. The window reads ids and distances
// only; details are joined for the rows returned.

export type SearchCursor = { d: number; id: string };

export type PublicFacility = {
  id: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  communityCode: string;
};

export type ServiceHit = {
  id: string;
  name: string;
  category: ServiceCategory;
  subType: string | null;
  status: "active";
  facility: PublicFacility;
  /** metres on the WGS84 spheroid; null when no reference point was given (one service) */
  distanceM: number | null;
  /** walking metres: the straight line times the living circle's detour factor (docs/figures.md) */
  walkingM: number | null;
  /** the service's contact when it is a phone number, else the facility's phone */
  phone: string | null;
  eligibility: Eligibility | null;
  lastVerified: string | null;
  demo?: true;
  /** for open-now; not part of the list's JSON */
  schedule: OpeningHours | null;
  facilityOpeningHours: OpeningHours | null;
};

export type SearchParams = {
  lat: number;
  lng: number;
  category?: ServiceCategory;
  /** metres; absent = any distance */
  radiusM?: number;
  /** matched (case-insensitive substring) against the service's name, facility's name and address */
  q?: string;
  limit: number;
  /** resume after this (distance, id); from a previous page's nextCursor */
  cursor?: SearchCursor | null;
  /** "today" for valid_from / valid_to, on China's calendar */
  now: Date;
  /**
   * Keep only the hits this accepts (open now: the route knows the hours rules). Windows are read
   * until `limit` hits pass or the candidates run out, within MAX_ROUNDS / MAX_WINDOW.
   */
  accept?: (hit: ServiceHit) => boolean;
};

export type SearchPage = { services: ServiceHit[]; nextCursor: SearchCursor | null };

export const MAX_LIMIT = 100;
/** candidates read by one statement at most */
export const MAX_WINDOW = 5_000;
/** rounds one search may run (a round is one statement, sometimes two) */
export const MAX_ROUNDS = 8;

/**
 * Candidates the first round reads by `<->`. About 80% of a window is sure in Shandong (the circle
 * a degree of longitude spans inside the ellipse a degree spans): on the bench's province
 * `limit * 2 + 10` needs the second statement for ~4% of searches, `limit * 3 + 20` for ~1% but
 * reads 60% more rows on every search.
 */
export const firstWindow = (limit: number) => Math.min(MAX_WINDOW, limit * 2 + 10);

const DEG = Math.PI / 180;
/** metres in a degree of latitude at the equator: the least anywhere (WGS84 meridional radius) */
const MIN_METRES_PER_DEG_LAT = 110_574;
/** metres in a degree of longitude on the equator (a × π/180); times cos(latitude) elsewhere */
const METRES_PER_DEG_LNG_EQUATOR = 111_319.49;

/** a box in degrees holding every point within `metres`; null where it would wrap a pole or ±180° */
export function degreeEnvelope(lat: number, lng: number, metres: number) {
  const dLat = (metres / MIN_METRES_PER_DEG_LAT) * 1.001;
  const highest = Math.abs(lat) + dLat;
  if (highest >= 89) return null;
  const dLng = (metres / (METRES_PER_DEG_LNG_EQUATOR * Math.cos(highest * DEG))) * 1.001;
  if (lng - dLng < -180 || lng + dLng > 180) return null;
  return { west: lng - dLng, south: lat - dLat, east: lng + dLng, north: lat + dLat };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type WindowOptions = {
  /** candidates read by `<->` */
  size: number;
  /** rows wanted back, nearest first in metres */
  want: number;
  /** metres: only candidates this near (and the index reads only their degree box) */
  within?: number;
  /** the last round: take the window's order in metres as it is, without the bound */
  approximate?: boolean;
};

/**
 * What residents see, and what every public API publishes: a service `s` at facility `f`, both
 * active, the facility on the map, `today` (China's calendar, YYYY-MM-DD) within the service's
 * validity, and neither of them unverified for the province's M days (`hidden_days`, freshness in
 * docs/figures.md) as of `at` (the request's instant; the database's `now()` when not given).
 * The one rule: the search, the service page and the HSDS API all take it from here.
 */
export function publicServiceConditions(today: string, at?: Date): SQL[] {
  const instant = at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
  // one scalar subquery, run once per statement (an InitPlan), so the nearest-first walk stays
  const hiddenBefore = sql`(${instant} - make_interval(days => coalesce((select hidden_days from province_settings where id = 1), ${LISTING_FRESHNESS.hiddenAfterDays}::int)))`;
  return [
    sql`f.status = 'active'`,
    sql`f.point is not null`,
    sql`s.status = 'active'`,
    sql`(s.valid_from is null or s.valid_from <= ${today}::date)`,
    sql`(s.valid_to is null or s.valid_to >= ${today}::date)`,
    sql`coalesce(f.last_verified_at, f.created_at) >= ${hiddenBefore}`,
    sql`coalesce(s.last_verified_at, s.created_at) >= ${hiddenBefore}`,
  ];
}

/**
 * The one statement of a round. It reads `size` public candidates after `after` nearest first by
 * `<->` (the facilities' GiST index) with ids and distances only, measures them on the spheroid,
 * and returns, with their details, the first `want` in metre order that are sure: nearer than
 * anything outside the window can be, and within `within`. Every row also carries `n`
 * (candidates read), `sure_count` and `reach` (the want-th distance in the window); with no sure
 * row, one row of those alone. Exported so the bench runs exactly this statement without the app.
 */
export function searchWindowSql(
  params: Omit<SearchParams, "limit" | "accept">,
  after: SearchCursor | null,
  options: WindowOptions,
): SQL {
  const { size, want, within, approximate = false } = options;
  const here = sql`ST_SetSRID(ST_MakePoint(${params.lng}::float8, ${params.lat}::float8), 4326)`;
  const metres = sql`ST_Distance(f.point::geography, ${here}::geography)`;
  const today = chinaDate(params.now);
  const conditions: SQL[] = publicServiceConditions(today, params.now);
  if (params.category) conditions.push(sql`s.category = ${params.category}::service_category`);
  const radius = Math.min(within ?? Infinity, params.radiusM ?? Infinity);
  if (Number.isFinite(radius)) {
    // The box is an index condition: the walk stops at the radius. The exact test (metres on the
    // spheroid) is `sure` below: ST_DWithin on geography here would be estimated to keep almost
    // nothing, and the planner would then read the whole box and sort it instead of walking the
    // index nearest first (377 ms against ~1 ms for 50 km around Jinan on the bench's province).
    const box = degreeEnvelope(params.lat, params.lng, radius);
    if (box)
      conditions.push(
        sql`f.point && ST_MakeEnvelope(${box.west}::float8, ${box.south}::float8, ${box.east}::float8, ${box.north}::float8, 4326)`,
      );
  }
  if (params.q) {
    const pattern = `%${escapeLike(params.q)}%`;
    conditions.push(sql`(s.name ilike ${pattern} or f.name ilike ${pattern} or f.address ilike ${pattern})`);
  }
  if (after) {
    conditions.push(
      sql`(${metres} > ${after.d}::float8 or (${metres} = ${after.d}::float8 and s.id collate "C" > ${after.id}))`,
    );
  }
  // Sure: nearer than any candidate outside the window can be. One `<->` degree further than the
  // window's last candidate, a path there crosses that many degrees within |lat| + degrees of
  // latitude, where a degree is at least min(110574 m, 111319.49 m × cos(that latitude)) in any
  // direction (WGS84: the meridional degree is shortest at the equator, a parallel's is
  // a·π/180·cos φ at least).
  const bound = approximate
    ? sql`true`
    : sql`(st.n < ${size}::int or w.d < st.last_knn * least(110574, 111319.49 * cos(radians(least(90, ${Math.abs(params.lat)}::float8 + st.last_knn)))) * 0.999)`;
  const inRadius = Number.isFinite(radius) ? sql`w.d <= ${radius}::float8` : sql`true`;
  return sql`
    with w as (
      select s.id, f.point <-> ${here} as knn, ${metres} as d
      from facilities f
      join services s on s.facility_id = f.id
      where ${sql.join(conditions, sql` and `)}
      order by f.point <-> ${here}
      limit ${size}::int
    ),
    st as (select count(*)::int as n, max(w.knn) as last_knn from w),
    m as (
      select w.id, w.d, row_number() over (order by w.d, w.id collate "C")::int as rn, ${bound} and ${inRadius} as sure
      from w, st
    ),
    agg as (
      select st.n, (select count(*)::int from m where m.sure) as sure_count, (select m.d from m where m.rn = ${want}::int) as reach
      from st
    )
    select agg.n, agg.sure_count, agg.reach, m.rn, m.d as distance_m,
           s.id, s.name, s.category, s.sub_type, s.eligibility, s.contact, s.schedule,
           to_char(s.last_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_verified,
           s.is_demo or f.is_demo as is_demo,
           f.id as facility_id, f.name as facility_name, f.address, f.community_code,
           ST_Y(f.point) as lat, ST_X(f.point) as lng, f.phone, f.opening_hours,
           (select detour_factor from living_circle_settings where id = 1) as detour_factor
    from agg
    left join m on m.sure and m.rn <= ${want}::int
    left join services s on s.id = m.id
    left join facilities f on f.id = s.facility_id
    order by m.rn`;
}

type HitRow = {
  id: string;
  name: string;
  category: ServiceCategory;
  sub_type: string | null;
  eligibility: Eligibility | string | null;
  contact: string | null;
  schedule: OpeningHours | string | null;
  last_verified: string | null;
  is_demo: boolean;
  facility_id: string;
  facility_name: string;
  address: string;
  community_code: string;
  lat: number;
  lng: number;
  phone: string | null;
  opening_hours: OpeningHours | string | null;
  distance_m: number | null;
  detour_factor: number | null;
};

const json = <T>(value: T | string | null): T | null => (typeof value === "string" ? (JSON.parse(value) as T) : value);
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
// the facility form's phone rule (listing-schema.ts): a contact like this can be dialled
const PHONE = /^[0-9+\-() ]{3,40}$/;

function toHit(row: HitRow): ServiceHit {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    subType: row.sub_type,
    status: "active",
    facility: {
      id: row.facility_id,
      name: row.facility_name,
      address: row.address,
      lat: round6(Number(row.lat)),
      lng: round6(Number(row.lng)),
      communityCode: row.community_code,
    },
    distanceM: row.distance_m === null ? null : Number(row.distance_m),
    walkingM:
      row.distance_m === null ? null : Number(row.distance_m) * Number(row.detour_factor ?? DETOUR_FACTOR.default),
    phone: row.contact && PHONE.test(row.contact.trim()) ? row.contact.trim() : row.phone,
    eligibility: json<Eligibility>(row.eligibility),
    lastVerified: row.last_verified,
    ...(row.is_demo ? { demo: true as const } : {}),
    schedule: json<OpeningHours>(row.schedule),
    facilityOpeningHours: json<OpeningHours>(row.opening_hours),
  };
}

type WindowRow = Omit<HitRow, "id"> & {
  id: string | null;
  n: number;
  sure_count: number;
  reach: number | null;
  rn: number | null;
};

type Window = {
  /** sure candidates after the cursor, in metre order, none missing between them (at most `want`) */
  rows: HitRow[];
  sureCount: number;
  /** the window held every candidate left */
  exhausted: boolean;
  reach: number | null;
};

async function runWindow(
  params: SearchParams,
  after: SearchCursor | null,
  options: WindowOptions,
  database: Database,
): Promise<Window> {
  const rows = await queryRows<WindowRow>(searchWindowSql(params, after, options), database);
  const head = rows[0];
  return {
    rows: rows.filter((r): r is WindowRow & { id: string } => r.id !== null),
    sureCount: Number(head?.sure_count ?? 0),
    exhausted: Number(head?.n ?? 0) < options.size,
    reach: head?.reach === null || head?.reach === undefined ? null : Number(head.reach),
  };
}

/**
 * The next sure candidates in exact metre order, one statement or two. When the window vouches
 * for fewer than `want` (it lies north or south, where a degree is longer), the want-th
 * candidate's distance is a radius that holds at least `want`: a second statement reads all of
 * it through its degree box, and is exact.
 */
async function nextCandidates(
  params: SearchParams,
  after: SearchCursor | null,
  size: number,
  want: number,
  lastRound: boolean,
  database: Database,
) {
  const first = await runWindow(
    params,
    after,
    { size, want, within: params.radiusM, approximate: lastRound },
    database,
  );
  if (first.sureCount >= want || first.exhausted || lastRound || first.reach === null) {
    return { rows: first.rows, complete: first.exhausted && first.sureCount <= want, statements: 1 };
  }
  const reach = Math.min(params.radiusM ?? Infinity, first.reach);
  const second = await runWindow(params, after, { size: MAX_WINDOW, want, within: reach }, database);
  // when the reach was the search's own radius and all of it was read, nothing follows
  const complete =
    second.exhausted && params.radiusM !== undefined && params.radiusM <= first.reach && second.sureCount <= want;
  return { rows: second.rows, complete, statements: 2 };
}

/**
 * The public services nearest (lat, lng), in metres then id, from `cursor` on. `nextCursor` is
 * set when more may follow; it points after the last candidate examined, so pages never skip or
 * repeat, also when `accept` discards some. `statements` says how many the search took.
 */
/**
 * The nearest public services (by the straight line), each with its walking distance: the
 * straight line times the detour factor, or the walk along a loaded street network where the
 * resident's point and the facility lie in one (docs/figures.md).
 */
export async function searchServices(
  params: SearchParams,
  database: Database = db,
): Promise<SearchPage & { statements: number }> {
  const found = await searchNearest(params, database);
  const walks = await walkingAlongNetworkFrom(
    params,
    found.services.map((hit) => ({ ...hit.facility, straightM: hit.distanceM ?? 0 })),
    database,
  );
  if (walks.size === 0) return found;
  return {
    ...found,
    services: found.services.map((hit) => ({ ...hit, walkingM: walks.get(hit.facility.id) ?? hit.walkingM })),
  };
}

async function searchNearest(params: SearchParams, database: Database): Promise<SearchPage & { statements: number }> {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(params.limit)));
  const kept: { hit: ServiceHit; d: number }[] = [];
  let after: SearchCursor | null = params.cursor ?? null;
  let size = firstWindow(limit);
  let statements = 0;
  const page = (nextCursor: SearchCursor | null) => ({
    services: kept.slice(0, limit).map((c) => c.hit),
    nextCursor,
    statements,
  });
  for (let round = 1; ; round++) {
    const lastRound = round >= MAX_ROUNDS;
    // one more than asked: then there is a next page
    const want = limit + 1 - kept.length;
    const next = await nextCandidates(params, after, Math.max(size, want), want, lastRound, database);
    statements += next.statements;
    for (const row of next.rows) {
      const d = Number(row.distance_m);
      after = { d, id: row.id };
      const hit = toHit(row);
      if (params.accept && !params.accept(hit)) continue;
      kept.push({ hit, d });
      if (kept.length > limit) {
        const last = kept[limit - 1];
        return page({ d: last.d, id: last.hit.id });
      }
    }
    if (next.complete) return page(null);
    if (lastRound) return page(after);
    // the accepted are sparse: read more at a time
    if (params.accept) size = Math.min(MAX_WINDOW, size * 2);
  }
}

/** One public service with its facility's hours and phone; null when unknown or not public. */
export async function getPublicService(
  id: string,
  options: { now: Date; from?: { lat: number; lng: number } },
  database: Database = db,
) {
  const today = chinaDate(options.now);
  const distance = options.from
    ? sql`ST_Distance(f.point::geography, ST_SetSRID(ST_MakePoint(${options.from.lng}::float8, ${options.from.lat}::float8), 4326)::geography)`
    : sql`null::float8`;
  const [row] = await queryRows<
    HitRow & {
      description: string;
      fee: string | null;
      capacity: number | null;
      valid_from: string | null;
      valid_to: string | null;
    }
  >(
    sql`
      select s.id, s.name, s.category, s.sub_type, s.eligibility, s.contact, s.schedule,
             to_char(s.last_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_verified,
             s.is_demo or f.is_demo as is_demo,
             s.description, s.fee, s.capacity, s.valid_from::text as valid_from, s.valid_to::text as valid_to,
             f.id as facility_id, f.name as facility_name, f.address, f.community_code,
             ST_Y(f.point) as lat, ST_X(f.point) as lng, f.phone, f.opening_hours,
             ${distance} as distance_m,
             (select detour_factor from living_circle_settings where id = 1) as detour_factor
      from services s
      join facilities f on f.id = s.facility_id
      where s.id = ${id} and ${sql.join(publicServiceConditions(today, options.now), sql` and `)}`,
    database,
  );
  if (!row) return null;
  const hit = toHit(row);
  const walks =
    options.from && hit.distanceM !== null
      ? await walkingAlongNetworkFrom(options.from, [{ ...hit.facility, straightM: hit.distanceM }], database)
      : new Map<string, number>();
  return {
    ...hit,
    walkingM: walks.get(hit.facility.id) ?? hit.walkingM,
    description: row.description,
    fee: row.fee,
    capacity: row.capacity === null ? null : Number(row.capacity),
    contact: row.contact,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    facilityPhone: row.phone,
  };
}
export type PublicService = NonNullable<Awaited<ReturnType<typeof getPublicService>>>;
