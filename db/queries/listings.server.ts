import { and, asc, desc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import { type FacilityType, type ProblemKind, type ServiceCategory } from "../identifiers";
import { facilities, problemReports, regions, services, type Eligibility, type OpeningHours } from "../schema";
import { recordAudit } from "./audit.server";
import {
  getFacilityReachState,
  updateLivingCircleAfterChange,
  updateLivingCircleForCommunities,
  watchFacilityReach,
} from "./living-circle.server";
import { notifyProblemReport } from "./notifications.server";
import { markFacilityDraftRegistered } from "./scenarios.server";

// Facilities and the services offered at them: reads for the workspace and exports, and writes
// that check the version (optimistic concurrency) and audit in the same transaction.

export type FacilityFields = {
  name: string;
  type: FacilityType;
  address: string;
  phone?: string;
  lat?: number;
  lng?: number;
  openingHours?: OpeningHours | null;
};

export type ServiceFields = {
  name: string;
  category: ServiceCategory;
  subType?: string;
  description: string;
  minAge?: number;
  maxAge?: number;
  residentsOnly: boolean;
  eligibilityNote?: string;
  fee?: string;
  capacity?: number;
  contact?: string;
  validFrom?: string;
  validTo?: string;
  schedule?: OpeningHours | null;
};

export type Actor = { userId: string };
export type ListingStatus = "active" | "suspended" | "closed";

const facilityColumns = {
  id: facilities.id,
  communityCode: facilities.communityCode,
  name: facilities.name,
  type: facilities.type,
  address: facilities.address,
  point: facilities.point,
  openingHours: facilities.openingHours,
  phone: facilities.phone,
  status: facilities.status,
  version: facilities.version,
  lastVerifiedAt: facilities.lastVerifiedAt,
  isDemo: facilities.isDemo,
  updatedAt: facilities.updatedAt,
};

const serviceColumns = {
  id: services.id,
  facilityId: services.facilityId,
  name: services.name,
  category: services.category,
  subType: services.subType,
  description: services.description,
  eligibility: services.eligibility,
  fee: services.fee,
  capacity: services.capacity,
  schedule: services.schedule,
  contact: services.contact,
  validFrom: services.validFrom,
  validTo: services.validTo,
  status: services.status,
  version: services.version,
  lastVerifiedAt: services.lastVerifiedAt,
  isDemo: services.isDemo,
  updatedAt: services.updatedAt,
};

type FacilityRow = Awaited<ReturnType<typeof selectFacilities>>[number];
type ServiceRow = Awaited<ReturnType<typeof selectServices>>[number];

export type Facility = Omit<FacilityRow, "point"> & { lat: number | null; lng: number | null };
export type Service = ServiceRow;

const toFacility = ({ point, ...row }: FacilityRow): Facility => ({
  ...row,
  lat: point ? point.y : null,
  lng: point ? point.x : null,
});

function selectFacilities(where: SQL | undefined, database: Database = db) {
  return database
    .select(facilityColumns)
    .from(facilities)
    .where(where)
    .orderBy(asc(facilities.name), asc(facilities.id));
}

function selectServices(where: SQL | undefined, database: Database = db) {
  return database
    .select(serviceColumns)
    .from(services)
    .where(where)
    .orderBy(asc(services.category), asc(services.name), asc(services.id));
}

const pointValue = (fields: { lat?: number; lng?: number }) =>
  fields.lat !== undefined && fields.lng !== undefined ? { x: fields.lng, y: fields.lat } : null;

/** the service form's flat eligibility fields → the stored object (null when none) */
export function eligibilityOf(fields: ServiceFields): Eligibility | null {
  const eligibility: Eligibility = {};
  if (fields.minAge !== undefined) eligibility.minAge = fields.minAge;
  if (fields.maxAge !== undefined) eligibility.maxAge = fields.maxAge;
  if (fields.residentsOnly) eligibility.residentsOnly = true;
  if (fields.eligibilityNote) eligibility.text = fields.eligibilityNote;
  return Object.keys(eligibility).length ? eligibility : null;
}

const serviceValues = (fields: ServiceFields) => ({
  name: fields.name,
  category: fields.category,
  subType: fields.subType ?? null,
  description: fields.description,
  eligibility: eligibilityOf(fields),
  fee: fields.fee ?? null,
  capacity: fields.capacity ?? null,
  contact: fields.contact ?? null,
  validFrom: fields.validFrom ?? null,
  validTo: fields.validTo ?? null,
  schedule: fields.schedule ?? null,
});

const facilityValues = (fields: FacilityFields) => ({
  name: fields.name,
  type: fields.type,
  address: fields.address,
  phone: fields.phone ?? null,
  point: pointValue(fields),
  openingHours: fields.openingHours ?? null,
});

// ---------------------------------------------------------------------------------------------
// reads

export async function getFacility(id: string, database: Database = db): Promise<Facility | null> {
  const [row] = await selectFacilities(eq(facilities.id, id), database);
  return row ? toFacility(row) : null;
}

export async function getService(id: string, database: Database = db) {
  const [row] = await selectServices(eq(services.id, id), database);
  if (!row) return null;
  const facility = await getFacility(row.facilityId, database);
  return facility ? { ...row, facility } : null;
}

export async function listServicesOf(facilityIds: string[]) {
  if (facilityIds.length === 0) return [];
  return selectServices(inArray(services.facilityId, facilityIds));
}

export type ListingFilter = {
  /** region-code prefix (2–12 digits) */
  prefix: string;
  status?: ListingStatus;
  type?: FacilityType;
  category?: ServiceCategory;
  q?: string;
  /** only listings not verified since this date */
  unverifiedSince?: Date;
  limit?: number;
};

/** Facilities under a region prefix with their services, honouring the filters. */
export async function listFacilitiesWithServices(filter: ListingFilter) {
  const conditions: SQL[] = [like(facilities.communityCode, `${filter.prefix}%`)];
  if (filter.status) conditions.push(eq(facilities.status, filter.status));
  if (filter.type) conditions.push(eq(facilities.type, filter.type));
  if (filter.q) conditions.push(or(like(facilities.name, `%${filter.q}%`), like(facilities.address, `%${filter.q}%`))!);
  if (filter.category) {
    conditions.push(
      sql`exists (select 1 from ${services} where ${services.facilityId} = ${facilities.id} and ${services.category} = ${filter.category})`,
    );
  }
  if (filter.unverifiedSince) {
    // raw Date parameters are driver-specific (postgres.js refuses them): send ISO text
    const since = filter.unverifiedSince.toISOString();
    conditions.push(
      or(
        sql`coalesce(${facilities.lastVerifiedAt}, ${facilities.createdAt}) < ${since}::timestamptz`,
        sql`exists (select 1 from ${services} where ${services.facilityId} = ${facilities.id}
              and coalesce(${services.lastVerifiedAt}, ${services.createdAt}) < ${since}::timestamptz)`,
      )!,
    );
  }
  const rows = await selectFacilities(and(...conditions)).limit(filter.limit ?? 50_000);
  const found = rows.map(toFacility);
  const allServices = await listServicesOf(found.map((f) => f.id));
  const byFacility = new Map<string, Service[]>();
  for (const s of allServices) {
    if (filter.category && s.category !== filter.category) continue;
    byFacility.set(s.facilityId, [...(byFacility.get(s.facilityId) ?? []), s]);
  }
  return found.map((f) => ({ ...f, services: byFacility.get(f.id) ?? [] }));
}
export type FacilityWithServices = Awaited<ReturnType<typeof listFacilitiesWithServices>>[number];

export async function getCommunityProfile(code: string) {
  const [row] = await db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      kind: regions.kind,
      point: regions.point,
      households: regions.households,
      population: regions.population,
      population60: regions.population60,
      isDemo: regions.isDemo,
    })
    .from(regions)
    .where(eq(regions.code, code));
  if (!row || row.level !== "community") return null;
  const { point, ...rest } = row;
  return { ...rest, lat: point?.y ?? null, lng: point?.x ?? null };
}
export type CommunityProfile = NonNullable<Awaited<ReturnType<typeof getCommunityProfile>>>;

export type PointPlacement = "in_county" | "outside_county" | "outside_shandong";

/**
 * Where a point lies relative to a community's county (a zone without a boundary: its city) and
 * to Shandong. Boundaries are generalised (~100 m), so the county test asks rather than refuses.
 */
export async function placePoint(communityCode: string, lat: number, lng: number): Promise<PointPlacement> {
  const [row] = await queryRows<{ in_province: boolean; in_county: boolean | null }>(sql`
    with p as (select ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326) as g)
    select
      coalesce((select ST_Covers(boundary, p.g) from regions where code = '370000000000'), false) as in_province,
      (select ST_Covers(coalesce(county.boundary, city.boundary), p.g)
         from regions county, regions city
        where county.code = rpad(left(${communityCode}, 6), 12, '0')
          and city.code = rpad(left(${communityCode}, 4), 12, '0')) as in_county
    from p`);
  if (!row?.in_province) return "outside_shandong";
  return row.in_county === false ? "outside_county" : "in_county";
}

// ---------------------------------------------------------------------------------------------
// writes

export type WriteResult<T> =
  { ok: true; value: T } | { ok: false; reason: "not_found" } | { ok: false; reason: "conflict"; current: T };

const auditFacility = (f: Facility | null) => f && { ...f, updatedAt: undefined };
const auditService = (s: Service | null) => s && { ...s, updatedAt: undefined };

/** `fromDraft`: the open facility draft (planning) it registers, marked registered in the same transaction. */
export async function createFacility(
  actor: Actor,
  communityCode: string,
  fields: FacilityFields,
  { fromDraft }: { fromDraft?: string } = {},
) {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(facilities)
      .values({ communityCode, ...facilityValues(fields), lastVerifiedAt: new Date() })
      .returning({ id: facilities.id });
    const facility = (await getFacility(created.id, tx))!;
    await updateLivingCircleAfterChange(tx, {
      facilityId: facility.id,
      before: null,
      after: await getFacilityReachState(tx, facility.id),
    });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "facility.create",
      objectType: "facility",
      objectId: facility.id,
      regionCode: communityCode,
      after: auditFacility(facility),
    });
    if (fromDraft) await markFacilityDraftRegistered(tx, actor, fromDraft, facility.id);
    return facility;
  });
}

/** Applies a change only if the stored version is `version`; a stale one gets the current record. */
async function changeFacility(
  actor: Actor,
  id: string,
  version: number | null,
  action: string,
  values: Partial<typeof facilities.$inferInsert>,
): Promise<WriteResult<Facility>> {
  return db.transaction(async (tx) => {
    const before = await getFacility(id, tx);
    if (!before) return { ok: false, reason: "not_found" } as const;
    const settleLivingCircle = await watchFacilityReach(tx, id);
    const expected = version ?? before.version;
    const updated = await tx
      .update(facilities)
      .set({ ...values, version: sql`${facilities.version} + 1`, updatedAt: new Date() })
      .where(and(eq(facilities.id, id), eq(facilities.version, expected)))
      .returning({ id: facilities.id });
    if (updated.length === 0) return { ok: false, reason: "conflict", current: before } as const;
    await settleLivingCircle();
    const after = (await getFacility(id, tx))!;
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action,
      objectType: "facility",
      objectId: id,
      regionCode: before.communityCode,
      before: auditFacility(before),
      after: auditFacility(after),
    });
    return { ok: true, value: after } as const;
  });
}

export const updateFacility = (
  actor: Actor,
  id: string,
  version: number,
  fields: FacilityFields,
  status?: ListingStatus,
) =>
  changeFacility(actor, id, version, "facility.update", { ...facilityValues(fields), ...(status ? { status } : {}) });

export const setFacilityStatus = (actor: Actor, id: string, version: number, status: ListingStatus) =>
  changeFacility(
    actor,
    id,
    version,
    `facility.${status === "active" ? "restore" : status === "suspended" ? "suspend" : "close"}`,
    { status },
  );

export const verifyFacility = (actor: Actor, id: string, version: number) =>
  changeFacility(actor, id, version, "facility.verify", { lastVerifiedAt: new Date() });

export async function createService(actor: Actor, facilityId: string, fields: ServiceFields) {
  return db.transaction(async (tx) => {
    const facility = await getFacility(facilityId, tx);
    if (!facility) return null;
    const settleLivingCircle = await watchFacilityReach(tx, facilityId);
    const [created] = await tx
      .insert(services)
      .values({ facilityId, ...serviceValues(fields), lastVerifiedAt: new Date() })
      .returning({ id: services.id });
    const [service] = await selectServices(eq(services.id, created.id), tx);
    await settleLivingCircle();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "service.create",
      objectType: "service",
      objectId: service.id,
      regionCode: facility.communityCode,
      after: auditService(service),
    });
    return service;
  });
}

async function changeService(
  actor: Actor,
  id: string,
  version: number | null,
  action: string,
  values: Partial<typeof services.$inferInsert>,
): Promise<WriteResult<Service>> {
  return db.transaction(async (tx) => {
    const [before] = await selectServices(eq(services.id, id), tx);
    if (!before) return { ok: false, reason: "not_found" } as const;
    const facility = await getFacility(before.facilityId, tx);
    const settleLivingCircle = await watchFacilityReach(tx, before.facilityId);
    const updated = await tx
      .update(services)
      .set({ ...values, version: sql`${services.version} + 1`, updatedAt: new Date() })
      .where(and(eq(services.id, id), eq(services.version, version ?? before.version)))
      .returning({ id: services.id });
    if (updated.length === 0) return { ok: false, reason: "conflict", current: before } as const;
    await settleLivingCircle();
    const [after] = await selectServices(eq(services.id, id), tx);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action,
      objectType: "service",
      objectId: id,
      regionCode: facility?.communityCode ?? null,
      before: auditService(before),
      after: auditService(after),
    });
    return { ok: true, value: after } as const;
  });
}

export const updateService = (
  actor: Actor,
  id: string,
  version: number,
  fields: ServiceFields,
  status?: ListingStatus,
) => changeService(actor, id, version, "service.update", { ...serviceValues(fields), ...(status ? { status } : {}) });

export const setServiceStatus = (actor: Actor, id: string, version: number, status: ListingStatus) =>
  changeService(
    actor,
    id,
    version,
    `service.${status === "active" ? "restore" : status === "suspended" ? "suspend" : "close"}`,
    { status },
  );

export const verifyService = (actor: Actor, id: string, version: number) =>
  changeService(actor, id, version, "service.verify", { lastVerifiedAt: new Date() });

export async function updateCommunityProfile(
  actor: Actor,
  code: string,
  fields: { lat?: number; lng?: number; households?: number; population?: number; population60?: number },
) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        point: regions.point,
        households: regions.households,
        population: regions.population,
        population60: regions.population60,
        isDemo: regions.isDemo,
      })
      .from(regions)
      .where(eq(regions.code, code));
    if (!before) return null;
    // the community's own figures replace demo ones: the row is no longer labelled demo
    await tx
      .update(regions)
      .set({
        point: pointValue(fields),
        households: fields.households ?? null,
        population: fields.population ?? null,
        population60: fields.population60 ?? null,
        isDemo: false,
      })
      .where(eq(regions.code, code));
    const [after] = await tx
      .select({
        point: regions.point,
        households: regions.households,
        population: regions.population,
        population60: regions.population60,
        isDemo: regions.isDemo,
      })
      .from(regions)
      .where(eq(regions.code, code));
    // the community's own point decides its access too
    await updateLivingCircleForCommunities(tx, [code]);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "community.update_profile",
      objectType: "region",
      objectId: code,
      regionCode: code,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// residents' problem reports

export async function listProblemReports(communityCode: string) {
  return db
    .select({
      id: problemReports.id,
      facilityId: problemReports.facilityId,
      facilityName: facilities.name,
      serviceId: problemReports.serviceId,
      kind: problemReports.kind,
      text: problemReports.text,
      status: problemReports.status,
      createdAt: problemReports.createdAt,
      resolvedAt: problemReports.resolvedAt,
    })
    .from(problemReports)
    .innerJoin(facilities, eq(facilities.id, problemReports.facilityId))
    .where(eq(problemReports.communityCode, communityCode))
    .orderBy(asc(problemReports.status), desc(problemReports.createdAt))
    .limit(200);
}

export async function getProblemReport(id: string) {
  const [row] = await db.select().from(problemReports).where(eq(problemReports.id, id));
  return row ?? null;
}

export async function resolveProblemReport(actor: Actor, id: string, status: "fixed" | "dismissed" | "open") {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(problemReports).where(eq(problemReports.id, id));
    if (!before) return null;
    const [after] = await tx
      .update(problemReports)
      .set({
        status,
        resolvedAt: status === "open" ? null : new Date(),
        resolvedBy: status === "open" ? null : actor.userId,
      })
      .where(eq(problemReports.id, id))
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: `problem_report.${status === "open" ? "reopen" : status}`,
      objectType: "problem_report",
      objectId: id,
      regionCode: before.communityCode,
      before: { status: before.status },
      after: { status: after.status },
    });
    return after;
  });
}

/** A resident's report (no account): audited with no actor, against the facility's community. */
export async function createProblemReport(input: {
  facilityId: string;
  serviceId: string | null;
  communityCode: string;
  kind: ProblemKind;
  text: string;
}) {
  return db.transaction(async (tx) => {
    const [report] = await tx.insert(problemReports).values(input).returning();
    await recordAudit(tx, {
      actorUserId: null,
      action: "problem_report.create",
      objectType: "problem_report",
      objectId: report.id,
      regionCode: input.communityCode,
      after: { kind: report.kind, text: report.text, facilityId: report.facilityId, serviceId: report.serviceId },
    });
    await notifyProblemReport(tx, report);
    return report;
  });
}
