import { z } from "zod";

import { ACCESS_MEASURES, type AccessMeasure } from "../../../db/identifiers";

// The living-circle access pages' shared pieces: the query string, measure names, export rows.

/** the gap list on the page shows this many; the exports have all */
export const ACCESS_GAP_PAGE = 200;
export const DEFAULT_ACCESS_MEASURE: AccessMeasure = "elderly_care";

/** A measure's name in the message catalogues: the category's, or the day-care centre's type. */
export const measureLabelKey = (measure: AccessMeasure) =>
  measure === "elderly_day_care" ? "facilityTypes.elderly_day_care" : `categories.${measure}`;

/** ?measure=elderly_care&villages=1 */
export const accessQuerySchema = z.object({
  measure: z
    .enum(ACCESS_MEASURES, { errorMap: () => ({ message: "access.measureInvalid" }) })
    .default(DEFAULT_ACCESS_MEASURE),
  includeVillages: z.boolean().default(false),
});
export type AccessQuery = z.infer<typeof accessQuerySchema>;

export function parseAccessQuery(url: URL) {
  const villages = url.searchParams.get("villages");
  return accessQuerySchema.safeParse({
    measure: url.searchParams.get("measure") || undefined,
    includeVillages: villages === "1" || villages === "true" || villages === "on",
  });
}

export function accessSearch(query: AccessQuery) {
  const params = new URLSearchParams({ measure: query.measure });
  if (query.includeVillages) params.set("villages", "1");
  return `?${params.toString()}`;
}

type Gap = {
  code: string;
  name: string;
  township: string | null;
  population60: number | null;
  lat: number | null;
  lng: number | null;
};

/** The gap list as export rows, in the identifiers of docs/identifiers.md. */
export function gapExportRows(gaps: Gap[], measure: AccessMeasure, thresholdM: number) {
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
