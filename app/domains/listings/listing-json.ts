import { z } from "zod";

import { FACILITY_STATUSES, FACILITY_TYPES, SERVICE_CATEGORIES, SERVICE_STATUSES } from "../../../db/identifiers";
import type { Facility, Service } from "../../../db/queries/listings.server";
import { HOURS_COLUMNS, type ListingColumn } from "./listing-csv";
import { formatHoursExceptions } from "./listing-schema";

// How facilities and services look outside the app: JSON API, CSV and GeoJSON exports. The zod
// schemas below describe the JSON (the OpenAPI document is made from them; the builders are typed by them).

const intervals = z.array(z.string().describe('"HH:MM-HH:MM"'));

/** a facility's opening hours or a service's schedule, as stored */
export const openingHoursJsonSchema = z.object({
  week: z
    .object({
      "1": intervals.optional(),
      "2": intervals.optional(),
      "3": intervals.optional(),
      "4": intervals.optional(),
      "5": intervals.optional(),
      "6": intervals.optional(),
      "7": intervals.optional(),
    })
    .describe("ISO weekday 1 (Monday) to 7 (Sunday) → intervals; a missing day is closed"),
  holidayNote: z.string().optional(),
  exceptions: z
    .array(z.object({ from: z.string().date(), to: z.string().date(), hours: intervals }))
    .optional()
    .describe("dates that differ from the week; hours [] = closed"),
});

export const eligibilityJsonSchema = z.object({
  minAge: z.number().int().optional(),
  maxAge: z.number().int().optional(),
  residentsOnly: z.boolean().optional(),
  text: z.string().optional(),
});

const demoFlag = z.literal(true).optional().describe("present (true) on generated demo data only");

export const facilityJsonSchema = z.object({
  id: z.string(),
  communityCode: z.string().regex(/^\d{12}$/),
  name: z.string(),
  type: z.enum(FACILITY_TYPES),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  phone: z.string().nullable(),
  openingHours: openingHoursJsonSchema.nullable(),
  status: z.enum(FACILITY_STATUSES),
  version: z.number().int().min(1),
  lastVerified: z.string().datetime().nullable(),
  demo: demoFlag,
});
export type FacilityJson = z.infer<typeof facilityJsonSchema>;

export const serviceJsonSchema = z.object({
  id: z.string(),
  facilityId: z.string(),
  name: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  subType: z.string().nullable(),
  description: z.string(),
  eligibility: eligibilityJsonSchema.nullable(),
  fee: z.string().nullable(),
  capacity: z.number().int().nullable(),
  schedule: openingHoursJsonSchema.nullable().describe("null = the facility's opening hours"),
  contact: z.string().nullable(),
  validFrom: z.string().date().nullable(),
  validTo: z.string().date().nullable(),
  status: z.enum(SERVICE_STATUSES),
  version: z.number().int().min(1),
  lastVerified: z.string().datetime().nullable(),
  demo: demoFlag,
});
export type ServiceJson = z.infer<typeof serviceJsonSchema>;

export const facilityWithServicesJsonSchema = facilityJsonSchema.extend({ services: z.array(serviceJsonSchema) });

export const facilityListJsonSchema = z.object({ facilities: z.array(facilityWithServicesJsonSchema) });

export const listingGeoJsonSchema = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    z.object({
      type: z.literal("Feature"),
      geometry: z
        .object({ type: z.literal("Point"), coordinates: z.tuple([z.number(), z.number()]).describe("[lng, lat]") })
        .nullable(),
      properties: facilityWithServicesJsonSchema,
    }),
  ),
});

type Serialized<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
type FacilityLike = Facility | Serialized<Facility>;
type ServiceLike = Service | Serialized<Service>;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function facilityJson(f: FacilityLike): FacilityJson {
  return {
    id: f.id,
    communityCode: f.communityCode,
    name: f.name,
    type: f.type,
    address: f.address,
    lat: f.lat,
    lng: f.lng,
    phone: f.phone,
    openingHours: f.openingHours,
    status: f.status,
    version: f.version,
    lastVerified: iso(f.lastVerifiedAt),
    ...(f.isDemo ? { demo: true } : {}),
  };
}

export function serviceJson(s: ServiceLike): ServiceJson {
  return {
    id: s.id,
    facilityId: s.facilityId,
    name: s.name,
    category: s.category,
    subType: s.subType,
    description: s.description,
    eligibility: s.eligibility,
    fee: s.fee,
    capacity: s.capacity,
    schedule: s.schedule,
    contact: s.contact,
    validFrom: s.validFrom,
    validTo: s.validTo,
    status: s.status,
    version: s.version,
    lastVerified: iso(s.lastVerifiedAt),
    ...(s.isDemo ? { demo: true } : {}),
  };
}

/** A stored facility in the input shape, so a PATCH can change some fields and keep the rest. */
export function facilityAsInput(f: FacilityLike) {
  return {
    name: f.name,
    type: f.type,
    address: f.address,
    phone: f.phone ?? undefined,
    lat: f.lat ?? undefined,
    lng: f.lng ?? undefined,
    openingHours: f.openingHours ?? undefined,
  };
}

export function serviceAsInput(s: ServiceLike) {
  return {
    name: s.name,
    category: s.category,
    subType: s.subType ?? undefined,
    description: s.description,
    minAge: s.eligibility?.minAge,
    maxAge: s.eligibility?.maxAge,
    residentsOnly: s.eligibility?.residentsOnly ?? false,
    eligibilityNote: s.eligibility?.text,
    fee: s.fee ?? undefined,
    capacity: s.capacity ?? undefined,
    contact: s.contact ?? undefined,
    validFrom: s.validFrom ?? undefined,
    validTo: s.validTo ?? undefined,
    schedule: s.schedule ?? undefined,
  };
}

/** API bodies may nest eligibility as in the output; the schema takes it flat. */
export function flattenServiceBody(body: Record<string, unknown>) {
  const { eligibility, ...rest } = body;
  if (!eligibility || typeof eligibility !== "object") return rest;
  const e = eligibility as Record<string, unknown>;
  return { minAge: e.minAge, maxAge: e.maxAge, residentsOnly: e.residentsOnly, eligibilityNote: e.text, ...rest };
}

/** One CSV row per service (a facility without services: one row), in the import's columns. */
export function listingCsvRows(items: (FacilityLike & { services: ServiceLike[] })[]) {
  return items.flatMap((f) => {
    const facilityCells: Partial<Record<ListingColumn, unknown>> = {
      facility_ref: f.id,
      community_code: f.communityCode,
      facility_name: f.name,
      facility_type: f.type,
      address: f.address,
      lat: f.lat,
      lng: f.lng,
      phone: f.phone,
      holiday_note: f.openingHours?.holidayNote,
      hours_exceptions: formatHoursExceptions(f.openingHours?.exceptions, { separator: "; " }),
    };
    for (const [column, day] of Object.entries(HOURS_COLUMNS)) {
      facilityCells[column as ListingColumn] = f.openingHours?.week?.[day]?.join(", ");
    }
    const serviceRows = f.services.map((s) => ({
      ...facilityCells,
      service_name: s.name,
      category: s.category,
      sub_type: s.subType,
      description: s.description,
      min_age: s.eligibility?.minAge,
      max_age: s.eligibility?.maxAge,
      residents_only: s.eligibility?.residentsOnly ? "yes" : "",
      eligibility_note: s.eligibility?.text,
      fee: s.fee,
      capacity: s.capacity,
      contact: s.contact,
      valid_from: s.validFrom,
      valid_to: s.validTo,
    }));
    return serviceRows.length ? serviceRows : [facilityCells];
  });
}

export function listingGeoJson(
  items: (FacilityLike & { services: ServiceLike[] })[],
): z.infer<typeof listingGeoJsonSchema> {
  return {
    type: "FeatureCollection" as const,
    features: items.map((f) => ({
      type: "Feature" as const,
      geometry: f.lat !== null && f.lng !== null ? { type: "Point" as const, coordinates: [f.lng, f.lat] } : null,
      properties: { ...facilityJson(f), services: f.services.map(serviceJson) },
    })),
  };
}
