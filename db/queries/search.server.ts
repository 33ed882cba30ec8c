import { sql, type SQL } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import type { ServiceCategory } from "../identifiers";
import type { Eligibility, OpeningHours } from "../schema";

// Residents' search: the public services nearest a point. Public means the service and its
// facility are active, the facility has a point, and today (China's calendar) is within the
// service's validity. Nothing here needs a session.
//
// Order: `f.point <-> here` walks the facilities' GiST index nearest first, but in degrees; in
// Shandong a degree of longitude is ~0.8 of a degree of latitude, so that order is not quite the
// order in metres. Each round reads a window of candidates by `<->`, measures them on the spheroid
// and keeps, in metre order, only those nearer than any candidate outside the window can be
// (`nearestOutside`): the result is exact, and one window is nearly always enough.

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
/** statements one search may run */
export const MAX_ROUNDS = 8;

export const firstWindow = (limit: number) => Math.min(MAX_WINDOW, limit * 3 + 20);

const chinaDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });
/** YYYY-MM-DD of an instant on China's calendar */
export const chinaDate = (at: Date) => chinaDay.format(at);

const DEG = Math.PI / 180;
/** metres in a degree of latitude at the equator: the least anywhere (WGS84 meridional radius) */
const MIN_METRES_PER_DEG_LAT = 110_574;
/** metres in a degree of longitude on the equator (a × π/180); times cos(latitude) elsewhere */
const METRES_PER_DEG_LNG_EQUATOR = 111_319.49;

/**
 * A lower bound, in metres, of the distance from (lat, ·) to any point at least `degrees` away in
 * the plane of `<->`: a path there crosses `degrees` of the plane within |lat| + degrees of
 * latitude, where a degree is at least this many metres in any direction.
 */
export function nearestOutside(lat: number, degrees: number) {
  const highest = Math.min(90, Math.abs(lat) + degrees);
  const perDegree = Math.min(MIN_METRES_PER_DEG_LAT, METRES_PER_DEG_LNG_EQUATOR * Math.cos(highest * DEG));
  return Math.max(0, degrees * perDegree * 0.999);
}

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

/**
 * The one statement of a round: up to `size` public candidates after `after`, nearest first by
 * `<->` (the facilities' GiST index), each with its spheroid distance and its `<->` value.
 * Exported so the bench runs exactly this SQL without the app.
 */
export function searchWindowSql(params: Omit<SearchParams, "limit" | "accept">, after: SearchCursor | null, size: number): SQL {
  const here = sql`ST_SetSRID(ST_MakePoint(${params.lng}::float8, ${params.lat}::float8), 4326)`;
  const metres = sql`ST_Distance(f.point::geography, ${here}::geography)`;
  const today = chinaDate(params.now);
  const conditions: SQL[] = [
    sql`f.status = 'active'`,
    sql`f.point is not null`,
    sql`s.status = 'active'`,
    sql`(s.valid_from is null or s.valid_from <= ${today}::date)`,
    sql`(s.valid_to is null or s.valid_to >= ${today}::date)`,
  ];
  if (params.category) conditions.push(sql`s.category = ${params.category}::service_category`);
  if (params.radiusM !== undefined) {
    // the box lets the index stop at the radius; the spheroid test is the exact one
    const box = degreeEnvelope(params.lat, params.lng, params.radiusM);
    if (box) conditions.push(sql`f.point && ST_MakeEnvelope(${box.west}::float8, ${box.south}::float8, ${box.east}::float8, ${box.north}::float8, 4326)`);
    conditions.push(sql`ST_DWithin(f.point::geography, ${here}::geography, ${params.radiusM}::float8)`);
  }
  if (params.q) {
    const pattern = `%${escapeLike(params.q)}%`;
    conditions.push(sql`(s.name ilike ${pattern} or f.name ilike ${pattern} or f.address ilike ${pattern})`);
  }
  if (after) {
    conditions.push(sql`(${metres} > ${after.d}::float8 or (${metres} = ${after.d}::float8 and s.id collate "C" > ${after.id}))`);
  }
  return sql`
    select s.id, s.name, s.category, s.sub_type, s.eligibility, s.contact, s.schedule,
           to_char(s.last_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_verified,
           s.is_demo or f.is_demo as is_demo,
           f.id as facility_id, f.name as facility_name, f.address, f.community_code,
           ST_Y(f.point) as lat, ST_X(f.point) as lng, f.phone, f.opening_hours,
           ${metres} as distance_m, f.point <-> ${here} as knn
    from facilities f
    join services s on s.facility_id = f.id
    where ${sql.join(conditions, sql` and `)}
    order by f.point <-> ${here}
    limit ${size}::int`;
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
    phone: row.contact && PHONE.test(row.contact.trim()) ? row.contact.trim() : row.phone,
    eligibility: json<Eligibility>(row.eligibility),
    lastVerified: row.last_verified,
    ...(row.is_demo ? { demo: true as const } : {}),
    schedule: json<OpeningHours>(row.schedule),
    facilityOpeningHours: json<OpeningHours>(row.opening_hours),
  };
}

type Candidate = { hit: ServiceHit; d: number };
const before = (a: SearchCursor, b: SearchCursor) => a.d < b.d || (a.d === b.d && a.id < b.id);

/**
 * The public services nearest (lat, lng), in metres then id, from `cursor` on. `nextCursor` is
 * set when more may follow; it points after the last candidate examined, so pages never skip or
 * repeat, also when `accept` discards some.
 */
export async function searchServices(params: SearchParams, database: Database = db): Promise<SearchPage> {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(params.limit)));
  const kept: Candidate[] = [];
  let after: SearchCursor | null = params.cursor ?? null;
  let size = firstWindow(limit);
  for (let round = 1; ; round++) {
    const rows = await queryRows<HitRow & { knn: number }>(searchWindowSql(params, after, size), database);
    const exhausted = rows.length < size;
    const lastRound = round >= MAX_ROUNDS;
    // nearer than this, nothing outside the window can be; on the last round take what we have
    const bound = exhausted || lastRound ? Infinity : nearestOutside(params.lat, Number(rows[rows.length - 1].knn));
    const measured = rows
      .map((row) => ({ row, d: Number(row.distance_m), id: row.id }))
      .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    let examined = 0;
    for (const { row, d } of measured) {
      if (!(d < bound)) break;
      examined++;
      after = { d, id: row.id };
      const hit = toHit(row);
      if (params.accept && !params.accept(hit)) continue;
      kept.push({ hit, d });
      // one more than asked: there is a next page
      if (kept.length > limit) {
        const page = kept.slice(0, limit);
        const last = page[page.length - 1];
        return { services: page.map((c) => c.hit), nextCursor: { d: last.d, id: last.hit.id } };
      }
    }
    if (exhausted) return { services: kept.map((c) => c.hit), nextCursor: null };
    if (lastRound) return { services: kept.map((c) => c.hit), nextCursor: after };
    // a wider window next: the candidates left are further away, or were not accepted
    if (examined < measured.length / 2 || params.accept) size = Math.min(MAX_WINDOW, size * 2);
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
             ${distance} as distance_m
      from services s
      join facilities f on f.id = s.facility_id
      where s.id = ${id}
        and s.status = 'active' and f.status = 'active' and f.point is not null
        and (s.valid_from is null or s.valid_from <= ${today}::date)
        and (s.valid_to is null or s.valid_to >= ${today}::date)`,
    database,
  );
  if (!row) return null;
  const hit = toHit(row);
  return {
    ...hit,
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
