import { z } from "zod";

import { isFacilityTypeMeasure, LIVING_CIRCLE_MEASURES, type LivingCircleMeasure } from "../../../db/identifiers";
import { inSearchArea } from "../regions/coordinates";

// The living-circle pages' shared pieces: the query string, measure names, export rows.

/** the gap list on the page shows this many; the exports have all */
export const LIVING_CIRCLE_GAP_PAGE = 200;
export const DEFAULT_LIVING_CIRCLE_MEASURE: LivingCircleMeasure = "elderly_care";

/** A measure's name in the message catalogues: its category's or its facility type's. */
export const measureLabelKey = (measure: LivingCircleMeasure) =>
  isFacilityTypeMeasure(measure) ? (`facilityTypes.${measure}` as const) : (`categories.${measure}` as const);

/** ?measure=elderly_care&villages=1 */
export const livingCircleQuerySchema = z.object({
  measure: z
    .enum(LIVING_CIRCLE_MEASURES, { errorMap: () => ({ message: "livingCircle.measureInvalid" }) })
    .default(DEFAULT_LIVING_CIRCLE_MEASURE),
  includeVillages: z.boolean().default(false),
});
export type LivingCircleQuery = z.infer<typeof livingCircleQuerySchema>;

export function parseLivingCircleQuery(url: URL) {
  const villages = url.searchParams.get("villages");
  return livingCircleQuerySchema.safeParse({
    measure: url.searchParams.get("measure") || undefined,
    includeVillages: villages === "1" || villages === "true" || villages === "on",
  });
}

export function livingCircleSearch(query: LivingCircleQuery) {
  const params = new URLSearchParams({ measure: query.measure });
  if (query.includeVillages) params.set("villages", "1");
  return `?${params.toString()}`;
}

/** A community outside a measure's threshold, as the gap list and its exports show it. */
export type LivingCircleGap = {
  code: string;
  name: string;
  township: string | null;
  population60: number | null;
  lat: number | null;
  lng: number | null;
};

/** The gap list as export rows, in the identifiers of docs/identifiers.md. */
export function gapExportRows(gaps: LivingCircleGap[], measure: LivingCircleMeasure, thresholdM: number) {
  return gaps.map((g) => ({
    code: g.code,
    name: g.name,
    township: g.township,
    population60: g.population60,
    measure,
    thresholdM,
    lat: g.lat,
    lng: g.lng,
  }));
}

/** why a recompute was asked for: a threshold, a big import, the detour factor, a street network loaded */
export const LIVING_CIRCLE_RECOMPUTE_REASONS = ["threshold", "import", "detour", "roads"] as const;

/** A background recompute of the living circle (db/queries/living-circle.server.ts), as the pages show it. */
export type LivingCircleRecompute = {
  id: string;
  measures: LivingCircleMeasure[];
  reason: (typeof LIVING_CIRCLE_RECOMPUTE_REASONS)[number];
  state: "queued" | "running" | "done" | "failed";
  /** cities recomputed, of `partsTotal` (null until it starts) */
  partsDone: number;
  partsTotal: number | null;
  rows: number;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** the most points an official may propose in one request */
export const MAX_PROPOSED_SITES = 20;

const proposedPoints = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === "") return [];
    const points = value.split(";").map((pair) => pair.split(",").map((n) => Number(n.trim())));
    const bad = points.some(
      (p) => p.length !== 2 || !p.every(Number.isFinite) || !inSearchArea({ lat: p[0], lng: p[1] }),
    );
    if (bad || points.length > MAX_PROPOSED_SITES) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: bad ? "livingCircle.proposedInvalid" : "livingCircle.proposedTooMany",
      });
      return z.NEVER;
    }
    return points.map(([lat, lng]) => ({ lat, lng }));
  });

/** how many new sites to choose: 1 to 10, 3 unless asked */
export const sitesCountSchema = z.coerce
  .number({ invalid_type_error: "livingCircle.kRange" })
  .int("livingCircle.kRange")
  .min(1, "livingCircle.kRange")
  .max(10, "livingCircle.kRange")
  .default(3);

/** ?measure=elderly_care&k=3&method=exact&capacity=500&proposed=36.65,117.05;36.66,117.06&villages=1 */
export const sitesQuerySchema = z.object({
  measure: z
    .enum(LIVING_CIRCLE_MEASURES, { errorMap: () => ({ message: "livingCircle.measureInvalid" }) })
    .default(DEFAULT_LIVING_CIRCLE_MEASURE),
  k: sitesCountSchema,
  method: z.enum(["exact", "greedy"], { errorMap: () => ({ message: "livingCircle.methodInvalid" }) }).default("exact"),
  capacity: z.coerce
    .number({ invalid_type_error: "livingCircle.capacityRange" })
    .int("livingCircle.capacityRange")
    .min(1, "livingCircle.capacityRange")
    .max(1_000_000, "livingCircle.capacityRange")
    .optional(),
  proposed: proposedPoints.default(""),
  includeVillages: z.boolean().default(false),
});

export function parseSitesQuery(url: URL) {
  const given = (name: string) => url.searchParams.get(name) || undefined;
  const villages = url.searchParams.get("villages");
  return sitesQuerySchema.safeParse({
    measure: given("measure"),
    k: given("k"),
    method: given("method"),
    capacity: given("capacity"),
    proposed: given("proposed"),
    includeVillages: villages === "1" || villages === "true" || villages === "on",
  });
}
