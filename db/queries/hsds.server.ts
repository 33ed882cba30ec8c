import { sql, type SQL } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import type { ServiceCategory } from "../identifiers";
import type { Eligibility, OpeningHours } from "../schema";
import { publicServiceConditions } from "./search.server";

// The HSDS 3.0 API's reads (docs/decisions/015). What is published is what residents see:
// publicServiceConditions, the one rule, over services `s` at facilities `f`. A community
// (organization) or a facility (location) is published while it offers at least one public
// service. Every list is ordered by the published UUID, so that pages are stable; a page of
// services with everything nested is one statement, its count another.

/** A public service with its facility, its community and the names of the regions above it. */
export type HsdsServiceRow = {
  id: string;
  public_id: string;
  name: string;
  description: string;
  category: ServiceCategory;
  sub_type: string | null;
  eligibility: Eligibility | null;
  fee: string | null;
  contact: string | null;
  schedule: OpeningHours | null;
  /** China's date of the last verification, YYYY-MM-DD */
  assured_date: string | null;
  /** the later of the service's and its facility's last change, UTC with milliseconds */
  last_modified: string;
} & HsdsFacilityRow;

export type HsdsFacilityRow = {
  facility_public_id: string;
  facility_name: string;
  address: string;
  lat: number;
  lng: number;
  phone: string | null;
  opening_hours: OpeningHours | null;
} & HsdsCommunityRow;

export type HsdsCommunityRow = {
  community_code: string;
  community_public_id: string;
  community_name: string;
  township_name: string | null;
  county_name: string | null;
  city_name: string | null;
  province_name: string | null;
};

export type HsdsServiceFilter = {
  /** case-insensitive substring of the name or the description */
  search?: string;
  /** the taxonomy term's category, and its sub-type for a sub-type term */
  term?: { category: ServiceCategory; subType?: string };
  /** only services changed (or whose facility changed) at or after this instant */
  modifiedAfter?: Date;
  /** the community's published id */
  organizationId?: string;
  /** the service's published id */
  serviceId?: string;
};

export type PageWindow = { limit: number; offset: number };

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const regionNames = (codeColumn: SQL) => sql`
  c.code as community_code, c.public_id::text as community_public_id, c.name as community_name,
  (select name from regions where code = substr(${codeColumn}, 1, 9) || '000') as township_name,
  (select name from regions where code = substr(${codeColumn}, 1, 6) || '000000') as county_name,
  (select name from regions where code = substr(${codeColumn}, 1, 4) || '00000000') as city_name,
  (select name from regions where code = substr(${codeColumn}, 1, 2) || '0000000000') as province_name`;

const lastModified = sql`to_char(greatest(s.updated_at, f.updated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function serviceConditions(today: string, filter: HsdsServiceFilter): SQL {
  const conditions = publicServiceConditions(today);
  if (filter.search) {
    const pattern = likePattern(filter.search);
    conditions.push(sql`(s.name ilike ${pattern} or s.description ilike ${pattern})`);
  }
  if (filter.term) {
    conditions.push(sql`s.category = ${filter.term.category}::service_category`);
    if (filter.term.subType) conditions.push(sql`s.sub_type = ${filter.term.subType}`);
  }
  if (filter.modifiedAfter) {
    conditions.push(sql`greatest(s.updated_at, f.updated_at) >= ${filter.modifiedAfter.toISOString()}::timestamptz`);
  }
  if (filter.organizationId) {
    conditions.push(
      sql`f.community_code = (select code from regions where public_id = ${filter.organizationId}::uuid and level = 'community')`,
    );
  }
  if (filter.serviceId) conditions.push(sql`s.public_id = ${filter.serviceId}::uuid`);
  return sql.join(conditions, sql` and `);
}

/** One page of public services (ordered by published id) with everything an HSDS service nests. */
export async function listHsdsServices(
  today: string,
  filter: HsdsServiceFilter,
  window: PageWindow,
  database: Database = db,
) {
  // the page's ids first, then its details: the region names and the rest are read for its rows
  // only, not for every row the offset skips
  return queryRows<HsdsServiceRow>(
    sql`
      with page as (
        select s.id, s.public_id
        from services s
        join facilities f on f.id = s.facility_id
        where ${serviceConditions(today, filter)}
        order by s.public_id
        limit ${window.limit} offset ${window.offset}
      )
      select s.id, s.public_id::text as public_id, s.name, s.description, s.category, s.sub_type, s.eligibility,
             s.fee, s.contact, s.schedule,
             to_char((s.last_verified_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as assured_date,
             ${lastModified} as last_modified,
             f.public_id::text as facility_public_id, f.name as facility_name, f.address,
             ST_Y(f.point) as lat, ST_X(f.point) as lng, f.phone, f.opening_hours,
             ${regionNames(sql`f.community_code`)}
      from page
      join services s on s.id = page.id
      join facilities f on f.id = s.facility_id
      join regions c on c.code = f.community_code
      order by page.public_id`,
    database,
  );
}

export async function countHsdsServices(today: string, filter: HsdsServiceFilter, database: Database = db) {
  const [row] = await queryRows<{ n: number | string }>(
    sql`
      select count(*) as n
      from services s
      join facilities f on f.id = s.facility_id
      where ${serviceConditions(today, filter)}`,
    database,
  );
  return Number(row?.n ?? 0);
}

export type HsdsOrganizationFilter = { search?: string; organizationId?: string };

/** the codes of communities with at least one public service */
const publishedCommunities = (today: string) => sql`
  select f.community_code from services s join facilities f on f.id = s.facility_id
  where ${sql.join(publicServiceConditions(today), sql` and `)}`;

function organizationConditions(today: string, filter: HsdsOrganizationFilter) {
  const conditions = [sql`c.level = 'community'`, sql`c.code in (${publishedCommunities(today)})`];
  if (filter.search) conditions.push(sql`c.name ilike ${likePattern(filter.search)}`);
  if (filter.organizationId) conditions.push(sql`c.public_id = ${filter.organizationId}::uuid`);
  return sql.join(conditions, sql` and `);
}

/** One page of the communities (as organizations) that offer a public service. */
export async function listHsdsOrganizations(
  today: string,
  filter: HsdsOrganizationFilter,
  window: PageWindow,
  database: Database = db,
) {
  return queryRows<HsdsCommunityRow>(
    sql`
      with page as (
        select c.code, c.public_id from regions c
        where ${organizationConditions(today, filter)}
        order by c.public_id
        limit ${window.limit} offset ${window.offset}
      )
      select ${regionNames(sql`c.code`)}
      from page join regions c on c.code = page.code
      order by page.public_id`,
    database,
  );
}

export async function countHsdsOrganizations(today: string, filter: HsdsOrganizationFilter, database: Database = db) {
  const [row] = await queryRows<{ n: number | string }>(
    sql`select count(*) as n from regions c where ${organizationConditions(today, filter)}`,
    database,
  );
  return Number(row?.n ?? 0);
}

export type HsdsLocationFilter = { search?: string; organizationId?: string };

function locationConditions(today: string, filter: HsdsLocationFilter) {
  const conditions = [
    sql`lf.id in (select s.facility_id from services s join facilities f on f.id = s.facility_id
                  where ${sql.join(publicServiceConditions(today), sql` and `)})`,
  ];
  if (filter.search) {
    const pattern = likePattern(filter.search);
    conditions.push(sql`(lf.name ilike ${pattern} or lf.address ilike ${pattern})`);
  }
  if (filter.organizationId) conditions.push(sql`c.public_id = ${filter.organizationId}::uuid`);
  return sql.join(conditions, sql` and `);
}

/** One page of the facilities (as locations) that offer a public service. */
export async function listHsdsLocations(
  today: string,
  filter: HsdsLocationFilter,
  window: PageWindow,
  database: Database = db,
) {
  return queryRows<HsdsFacilityRow>(
    sql`
      with page as (
        select lf.id, lf.public_id from facilities lf
        join regions c on c.code = lf.community_code
        where ${locationConditions(today, filter)}
        order by lf.public_id
        limit ${window.limit} offset ${window.offset}
      )
      select lf.public_id::text as facility_public_id, lf.name as facility_name, lf.address,
             ST_Y(lf.point) as lat, ST_X(lf.point) as lng, lf.phone, lf.opening_hours,
             ${regionNames(sql`lf.community_code`)}
      from page
      join facilities lf on lf.id = page.id
      join regions c on c.code = lf.community_code
      order by page.public_id`,
    database,
  );
}

export async function countHsdsLocations(today: string, filter: HsdsLocationFilter, database: Database = db) {
  const [row] = await queryRows<{ n: number | string }>(
    sql`select count(*) as n from facilities lf join regions c on c.code = lf.community_code
        where ${locationConditions(today, filter)}`,
    database,
  );
  return Number(row?.n ?? 0);
}
