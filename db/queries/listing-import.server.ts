import { sql } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import {
  eligibilityOf,
  type Actor,
  type FacilityFields,
  type PointPlacement,
  type ServiceFields,
} from "./listings.server";
import { updateLivingCircleAfterImport } from "./living-circle.server";

// The bulk side of the listing CSV import: the checks the parser runs for all rows at once, and
// the all-or-nothing write of facilities, services and their audit entries.

export type ImportFacility = {
  /** 12-digit community code */
  communityCode: string;
  fields: FacilityFields;
  services: ServiceFields[];
};

const CHUNK = 5_000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Of these 12-digit codes, the ones that are communities (one query for all of them). */
export async function findCommunities(codes: string[], database: Database = db): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await queryRows<{ code: string }>(
    sql`select r.code from jsonb_array_elements_text(${JSON.stringify([...new Set(codes)])}::jsonb) as c(code)
        join regions r on r.code = c.code and r.level = 'community'`,
    database,
  );
  return new Set(rows.map((r) => r.code));
}

export type PointToPlace = { key: number; communityCode: string; lat: number; lng: number };

/**
 * `placePoint` for many points in one statement: outside Shandong, outside the community's
 * county (an NBS-only zone has no boundary: its city's), or in it.
 */
export async function placePoints(
  points: PointToPlace[],
  database: Database = db,
): Promise<Map<number, PointPlacement>> {
  const placements = new Map<number, PointPlacement>();
  for (const part of chunks(points)) {
    // sorted by county so that PostGIS's prepared-geometry cache sees the same boundary in a row
    const rows = await queryRows<{ key: number; in_province: boolean; in_county: boolean | null }>(
      sql`
      with p as (
        select x.key, x.community_code, ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326) as g
        from jsonb_to_recordset(${JSON.stringify(part.map((p) => ({ key: p.key, community_code: p.communityCode, lat: p.lat, lng: p.lng })))}::jsonb)
          as x(key int, community_code text, lat float8, lng float8)
      ),
      province as (select boundary from regions where code = '370000000000')
      select p.key,
             coalesce(ST_Covers(province.boundary, p.g), false) as in_province,
             ST_Covers(coalesce(county.boundary, city.boundary), p.g) as in_county
      from p
        left join province on true
        left join regions county on county.code = rpad(left(p.community_code, 6), 12, '0')
        left join regions city on city.code = rpad(left(p.community_code, 4), 12, '0')
      order by p.community_code`,
      database,
    );
    for (const row of rows) {
      placements.set(
        Number(row.key),
        !row.in_province ? "outside_shandong" : row.in_county === false ? "outside_county" : "in_county",
      );
    }
  }
  return placements;
}

// An audit timestamp as JSON.stringify writes a Date, so imported and hand-made entries read alike.
const isoTime = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * Creates the facilities and their services with one audit entry each ("facility.import",
 * "service.import"), in one transaction: every row lands or none does.
 */
export async function importListings(
  actor: Actor,
  facilities: ImportFacility[],
  database: Database = db,
): Promise<{ facilities: number; services: number; recompute: string | null }> {
  const facilityRows = facilities.map((f, i) => ({
    ord: i,
    id: crypto.randomUUID(),
    community_code: f.communityCode,
    name: f.fields.name,
    type: f.fields.type,
    address: f.fields.address,
    phone: f.fields.phone ?? null,
    lat: f.fields.lat ?? null,
    lng: f.fields.lng ?? null,
    opening_hours: f.fields.openingHours ?? null,
  }));
  const serviceRows = facilities
    .flatMap((f, i) => f.services.map((s) => ({ f, i, s })))
    .map(({ f, i, s }, ord) => ({
      ord,
      id: crypto.randomUUID(),
      facility_id: facilityRows[i].id,
      community_code: f.communityCode,
      name: s.name,
      category: s.category,
      sub_type: s.subType ?? null,
      description: s.description,
      eligibility: eligibilityOf(s),
      fee: s.fee ?? null,
      capacity: s.capacity ?? null,
      schedule: s.schedule ?? null,
      contact: s.contact ?? null,
      valid_from: s.validFrom ?? null,
      valid_to: s.validTo ?? null,
    }));

  const reach = await database.transaction(async (tx) => {
    // Each chunk is one statement: the rows travel as one JSON parameter, the audit entries are
    // written from what the insert returns.
    for (const part of chunks(facilityRows)) {
      await tx.execute(sql`
        with source as (
          select * from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as r(
            id text, community_code text, name text, type text, address text, phone text,
            lat float8, lng float8, opening_hours jsonb, ord int)
        ),
        inserted as (
          insert into facilities (id, community_code, name, type, address, point, opening_hours, phone, last_verified_at)
          select r.id, r.community_code, r.name, r.type::facility_type, coalesce(r.address, ''),
                 case when r.lat is not null and r.lng is not null
                      then ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326) end,
                 r.opening_hours, r.phone, now()
          from source r
          order by r.ord
          returning *
        )
        insert into audit_entries (actor_user_id, action, object_type, object_id, region_code, after)
        select ${actor.userId}::text, 'facility.import', 'facility', i.id, i.community_code,
               jsonb_build_object(
                 'id', i.id, 'communityCode', i.community_code, 'name', i.name, 'type', i.type,
                 'address', i.address, 'openingHours', i.opening_hours, 'phone', i.phone,
                 'status', i.status, 'version', i.version,
                 'lastVerifiedAt', ${isoTime("i.last_verified_at")}, 'isDemo', i.is_demo,
                 'lat', ST_Y(i.point), 'lng', ST_X(i.point))
        from inserted i join source s on s.id = i.id
        order by s.ord`);
    }
    for (const part of chunks(serviceRows)) {
      await tx.execute(sql`
        with source as (
          select * from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as r(
            id text, facility_id text, community_code text, name text, category text, sub_type text,
            description text, eligibility jsonb, fee text, capacity int, schedule jsonb, contact text,
            valid_from date, valid_to date, ord int)
        ),
        inserted as (
          insert into services (id, facility_id, name, category, sub_type, description, eligibility, fee,
                                capacity, schedule, contact, valid_from, valid_to, last_verified_at)
          select s.id, s.facility_id, s.name, s.category::service_category, s.sub_type,
                 coalesce(s.description, ''), s.eligibility, s.fee, s.capacity, s.schedule, s.contact,
                 s.valid_from, s.valid_to, now()
          from source s
          order by s.ord
          returning *
        )
        insert into audit_entries (actor_user_id, action, object_type, object_id, region_code, after)
        select ${actor.userId}::text, 'service.import', 'service', i.id, s.community_code,
               jsonb_build_object(
                 'id', i.id, 'facilityId', i.facility_id, 'name', i.name, 'category', i.category,
                 'subType', i.sub_type, 'description', i.description, 'eligibility', i.eligibility,
                 'fee', i.fee, 'capacity', i.capacity, 'schedule', i.schedule, 'contact', i.contact,
                 'validFrom', i.valid_from, 'validTo', i.valid_to, 'status', i.status,
                 'version', i.version, 'lastVerifiedAt', ${isoTime("i.last_verified_at")},
                 'isDemo', i.is_demo)
        from inserted i join source s on s.id = i.id
        order by s.ord`);
    }
    // living-circle reach: the communities within reach of the new facilities (or, for a big
    // import, a background recompute the caller sends once this has committed)
    return updateLivingCircleAfterImport(
      tx,
      actor,
      facilityRows.map((f) => f.id),
    );
  });
  return { facilities: facilityRows.length, services: serviceRows.length, recompute: reach.recompute };
}
