import { z } from "zod";

import {
  FACILITY_STATUSES,
  FACILITY_TYPES,
  isSubTypeOf,
  SERVICE_CATEGORIES,
  SERVICE_STATUSES,
} from "../../../db/identifiers";
import type { HoursException, OpeningHours } from "../../../db/schema";
import { calendarDate } from "../../utils/calendar-date";

// One definition of a valid facility and service, shared by the forms (conform), the JSON API and
// the CSV import. Messages are catalogue keys (listing.*, form.*).

const INTERVAL = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

function validInterval(interval: string) {
  const m = INTERVAL.exec(interval);
  if (!m) return false;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  // an end before the start runs past midnight (a night service); equal means nothing
  return start <= 24 * 60 && end <= 24 * 60 && start !== end;
}

/** "08:00-11:30, 13:30-17:30" or ["08:00-11:30", ...] → intervals; "" = closed that day */
const dayIntervals = z.preprocess(
  (value) => {
    if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
    if (typeof value !== "string") return [];
    return value
      .split(/[,，;；\s]+/)
      .map((v) =>
        v
          .trim()
          .replace(/[–—~～]/g, "-")
          .replace(/：/g, ":"),
      )
      .filter(Boolean);
  },
  // checked per day, not per interval, so the message lands beside the day's field
  z
    .array(z.string())
    .max(6, "listing.hoursTooMany")
    .refine((intervals) => intervals.every(validInterval), "listing.hoursFormat"),
);

const DAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;

const CLOSED_WORDS = /^(closed|休息|关闭|闭馆|停业|不开放)$/i;
const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:~|～|至|to)\s*(\d{4}-\d{2}-\d{2}))?\s+(.+)$/i;
export const MAX_HOURS_EXCEPTIONS = 50;

/** "2026-10-01~2026-10-07 closed; 2026-10-08 09:00-12:00" (form and CSV) or the stored objects (API) */
function exceptionsOf(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (typeof value !== "string") return [];
  return value
    .split(/[\n;；]+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = DATE_RANGE.exec(line);
      // an entry that does not read as "date[~date] hours" fails the checks below with its text
      if (!m) return { from: line, to: line, hours: [] };
      const rest = m[3].trim();
      return { from: m[1], to: m[2] ?? m[1], hours: CLOSED_WORDS.test(rest) ? [] : rest };
    });
}

const hoursException = z
  .object({
    from: calendarDate("listing.exceptionsFormat"),
    to: calendarDate("listing.exceptionsFormat"),
    hours: dayIntervals,
  })
  .refine((e) => e.from <= e.to, "listing.exceptionsFormat")
  // a year at most: a longer closure is a status (suspended), not an exception
  .refine((e) => Date.parse(e.to) - Date.parse(e.from) <= 366 * 86_400_000, "listing.exceptionsFormat");

const hoursExceptions = z.preprocess(
  exceptionsOf,
  z
    .array(z.unknown())
    .superRefine((entries, ctx) => {
      if (entries.length > MAX_HOURS_EXCEPTIONS) ctx.addIssue({ code: "custom", message: "listing.exceptionsTooMany" });
      if (entries.some((e) => !hoursException.safeParse(e).success))
        ctx.addIssue({ code: "custom", message: "listing.exceptionsFormat" });
    })
    .transform((entries) => entries.map((e) => hoursException.parse(e))),
);

/**
 * The exceptions as the form and the CSV write them, one per line; a closed date in the page's
 * word for it (any of CLOSED_WORDS reads back), "closed" in the CSV.
 */
export const formatHoursExceptions = (
  exceptions: readonly HoursException[] | undefined,
  { separator = "\n", closed = "closed" }: { separator?: string; closed?: string } = {},
) =>
  (exceptions ?? [])
    .map((e) => `${e.from === e.to ? e.from : `${e.from}~${e.to}`} ${e.hours.length ? e.hours.join(", ") : closed}`)
    .join(separator);

export const openingHoursSchema = z
  .object({
    week: z
      .object(
        Object.fromEntries(DAYS.map((d) => [d, dayIntervals.optional()])) as Record<
          (typeof DAYS)[number],
          z.ZodOptional<typeof dayIntervals>
        >,
      )
      .default({}),
    holidayNote: z.string().trim().max(200, "form.tooLong").optional(),
    exceptions: hoursExceptions.optional(),
  })
  .transform((value): OpeningHours | null => {
    const week = Object.fromEntries(
      Object.entries(value.week).filter(([, intervals]) => intervals && intervals.length > 0),
    ) as OpeningHours["week"];
    const holidayNote = value.holidayNote || undefined;
    const exceptions = value.exceptions?.length ? value.exceptions : undefined;
    if (Object.keys(week).length === 0 && !holidayNote && !exceptions) return null;
    return { week, ...(holidayNote ? { holidayNote } : {}), ...(exceptions ? { exceptions } : {}) };
  });

/** the intervals of one day as the form shows them */
export const formatDayIntervals = (intervals: string[] | undefined) => (intervals ?? []).join(", ");

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max, "form.tooLong").optional(),
  );

const optionalNumber = (schema: z.ZodNumber) =>
  z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? undefined : typeof v === "string" ? Number(v) : v),
    schema.optional(),
  );

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean()).default(false);

export const facilityInputSchema = z
  .object({
    name: z.string({ required_error: "form.required" }).trim().min(1, "form.required").max(100, "form.tooLong"),
    type: z.enum(FACILITY_TYPES, { errorMap: () => ({ message: "form.invalidChoice" }) }),
    address: z.string().trim().max(200, "form.tooLong").default(""),
    phone: optionalText(40).refine((v) => v === undefined || /^[0-9+\-() ]{3,40}$/.test(v), "listing.phoneFormat"),
    lat: optionalNumber(
      z.number({ invalid_type_error: "listing.latFormat" }).min(-90, "listing.latFormat").max(90, "listing.latFormat"),
    ),
    lng: optionalNumber(
      z
        .number({ invalid_type_error: "listing.lngFormat" })
        .min(-180, "listing.lngFormat")
        .max(180, "listing.lngFormat"),
    ),
    openingHours: openingHoursSchema.optional(),
    confirmOutsideCounty: checkbox,
  })
  .superRefine((v, ctx) => {
    if ((v.lat === undefined) !== (v.lng === undefined)) {
      ctx.addIssue({ code: "custom", path: [v.lat === undefined ? "lat" : "lng"], message: "listing.pointIncomplete" });
    }
  });
export type FacilityInput = z.infer<typeof facilityInputSchema>;

const isoDate = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  calendarDate("listing.dateFormat").optional(),
);

export const serviceInputSchema = z
  .object({
    name: z.string({ required_error: "form.required" }).trim().min(1, "form.required").max(100, "form.tooLong"),
    category: z.enum(SERVICE_CATEGORIES, { errorMap: () => ({ message: "form.invalidChoice" }) }),
    subType: optionalText(40),
    description: z.string().trim().max(2000, "form.tooLong").default(""),
    minAge: optionalNumber(
      z
        .number({ invalid_type_error: "listing.ageFormat" })
        .int("listing.ageFormat")
        .min(0, "listing.ageFormat")
        .max(120, "listing.ageFormat"),
    ),
    maxAge: optionalNumber(
      z
        .number({ invalid_type_error: "listing.ageFormat" })
        .int("listing.ageFormat")
        .min(0, "listing.ageFormat")
        .max(120, "listing.ageFormat"),
    ),
    residentsOnly: checkbox,
    eligibilityNote: optionalText(200),
    fee: optionalText(100),
    // int4 column; 100 000 is far below its limit and above any community's service
    capacity: optionalNumber(
      z
        .number({ invalid_type_error: "listing.capacityFormat" })
        .int("listing.capacityFormat")
        .min(0, "listing.capacityFormat")
        .max(100_000, "listing.capacityFormat"),
    ),
    contact: optionalText(100),
    validFrom: isoDate,
    validTo: isoDate,
    /** absent = the facility's hours */
    schedule: openingHoursSchema.optional(),
  })
  .superRefine((v, ctx) => {
    // the sub-type is an identifier of the chosen category's (db/identifiers.ts), never free text
    if (v.subType !== undefined && !isSubTypeOf(v.category, v.subType)) {
      ctx.addIssue({ code: "custom", path: ["subType"], message: "listing.subTypeNotOfCategory" });
    }
    if (v.minAge !== undefined && v.maxAge !== undefined && v.minAge > v.maxAge) {
      ctx.addIssue({ code: "custom", path: ["maxAge"], message: "listing.ageRange" });
    }
    if (v.validFrom && v.validTo && v.validFrom > v.validTo) {
      ctx.addIssue({ code: "custom", path: ["validTo"], message: "listing.dateRange" });
    }
  });
export type ServiceInput = z.infer<typeof serviceInputSchema>;

/** the largest value of PostgreSQL's integer (int4) columns: versions, capacity, counts */
export const INT4_MAX = 2_147_483_647;

/** the version a form was based on: a whole number the int4 column holds (past it PostgreSQL fails) */
export const versionSchema = z.coerce
  .number({ invalid_type_error: "listing.versionRequired" })
  .int("listing.versionRequired")
  .min(1, "listing.versionRequired")
  .max(INT4_MAX, "listing.versionRequired");

const VERSION_REASON = `a whole number from 1 to ${INT4_MAX}`;

/** `version` in a JSON PATCH (API reasons are English): 400 naming it when the column could not hold it */
export const apiVersionSchema = z
  .number({ required_error: "required", invalid_type_error: VERSION_REASON })
  .int(VERSION_REASON)
  .min(1, VERSION_REASON)
  .max(INT4_MAX, VERSION_REASON);

/** the control fields of a JSON PATCH to a facility: the version it was based on, and a new status */
export const facilityControlSchema = z.object({
  version: apiVersionSchema,
  status: z.enum(FACILITY_STATUSES).optional(),
});

/** the control fields of a JSON PATCH to a service */
export const serviceControlSchema = z.object({
  version: apiVersionSchema,
  status: z.enum(SERVICE_STATUSES).optional(),
});

/** the community a new facility is registered in (POST /api/v1/facilities) */
export const apiCommunityCodeSchema = z
  .string({ required_error: "a 12-digit community code", invalid_type_error: "a 12-digit community code" })
  .regex(/^\d{12}$/, "a 12-digit community code");

/** GET /api/v1/facilities: the facilities and services in a region the reader may view */
export const facilityListQuerySchema = z.object({
  scope: z
    .string({ required_error: "required" })
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, "a region code of 2, 4, 6, 9 or 12 digits"),
  format: z.enum(["json", "csv", "xlsx", "geojson"]).default("json"),
  // the Excel sheet's headers and title (export-table.ts): Chinese unless asked
  lang: z.enum(["zh", "zh-CN", "en"]).optional(),
  status: z.enum(FACILITY_STATUSES).optional(),
  type: z.enum(FACILITY_TYPES).optional(),
  category: z.enum(SERVICE_CATEGORIES).optional(),
  q: z.string().trim().max(100).optional(),
});
