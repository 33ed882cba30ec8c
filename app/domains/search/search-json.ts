// The residents' search answers as the JSON API gives them, as zod schemas: the OpenAPI document is
// made from them and the builders (search.ts, the routes) are typed by them. Apart from search.ts so
// that the residents' pages, which import that, do not carry zod in their browser code.
import { z } from "zod";

import { SERVICE_CATEGORIES } from "../../../db/identifiers";
import { eligibilityJsonSchema, openingHoursJsonSchema } from "../listings/listing-json";

const publicFacilityJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  communityCode: z.string().regex(/^\d{12}$/),
});

/** one search hit in the JSON API (the OpenAPI document is made from this schema) */
export const publicServiceJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  subType: z.string().nullable(),
  status: z.literal("active"),
  facility: publicFacilityJsonSchema,
  distanceM: z.number().int().min(0).describe("metres, the straight line"),
  walkingM: z
    .number()
    .int()
    .min(0)
    .describe("metres walked: the straight line × the detour factor, or along a street network"),
  walkMinutes: z.number().int().min(1),
  openNow: z.boolean().nullable().describe("null when the hours do not say"),
  phone: z.string().nullable(),
  eligibility: eligibilityJsonSchema.nullable(),
  lastVerified: z.string().nullable(),
  demo: z.literal(true).optional(),
});

export const serviceSearchPageJsonSchema = z.object({
  services: z.array(publicServiceJsonSchema),
  nextCursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last"),
});

/** GET /api/v1/services/:id: a hit plus the details and the facility's hours */
export const publicServiceDetailJsonSchema = publicServiceJsonSchema.extend({
  facility: publicFacilityJsonSchema.extend({
    openingHours: openingHoursJsonSchema.nullable(),
    phone: z.string().nullable(),
  }),
  distanceM: z.number().int().min(0).nullable().describe("with ?lat=&lng= only"),
  walkingM: z.number().int().min(0).nullable(),
  walkMinutes: z.number().int().min(1).nullable(),
  description: z.string(),
  fee: z.string().nullable(),
  capacity: z.number().int().nullable(),
  contact: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  schedule: openingHoursJsonSchema.nullable(),
});
export type PublicServiceJson = z.infer<typeof publicServiceJsonSchema>;
export type PublicServiceDetailJson = z.infer<typeof publicServiceDetailJsonSchema>;

/** GET /api/v1/services/:id?lat=&lng=: the point the distance and walking time are measured from */
export const serviceFromPointSchema = z.object({
  lat: z.coerce
    .number({ invalid_type_error: "a number from -90 to 90" })
    .min(-90, "a number from -90 to 90")
    .max(90, "a number from -90 to 90"),
  lng: z.coerce
    .number({ invalid_type_error: "a number from -180 to 180" })
    .min(-180, "a number from -180 to 180")
    .max(180, "a number from -180 to 180"),
});
