// GET /api/v1/services?lat=&lng=&category=&radius=&openNow=&q=&limit=&cursor= — residents' search,
// public: the nearest public services first, with distance, walking time and open-now. Its whole
// answer (the rate limit, the query's rules, the search, the JSON and its cache headers) is made
// here, as data, once: the route module (routes/api.v1.services.ts) turns it into a Response, and
// the app server's hot path (app/server/app.ts, docs/decisions/011) writes it without Remix. So the
// two cannot answer differently.
import { z } from "zod";

import { SERVICE_CATEGORIES } from "../../../db/identifiers";
import { publicApiRefusal } from "../../utils/api-rate-limit.server";
import { fieldReasons, zodFieldErrors } from "../../utils/api.server";
import { publicJsonAnswer, type PlainAnswer, type ReadHeaders } from "../../utils/http-cache.server";
import { readDatabaseForGet } from "../../utils/read-database.server";
import { apiErrorAnswer } from "../../utils/responses.server";
import type { PublicCalendar } from "../listings/open-now";
import { publicCalendar } from "../listings/public-holidays.server";
import { latInSearchArea, lngInSearchArea, SEARCH_AREA } from "../regions/coordinates";
import { openNowOf, publicServiceJson } from "./search";
import { searchServices, SEARCH_MAX_LIMIT, type SearchCursor, type ServiceHit } from "./search.server";

const decimal = (min: number, max: number) => {
  const reason = `a number from ${min} to ${max}`;
  return z
    .string({ required_error: "required" })
    .describe(reason) // on the string: the OpenAPI document shows the pipe's input side
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, reason)
    .transform(Number)
    .pipe(z.number().min(min, reason).max(max, reason));
};

const integer = (min: number, max: number) => {
  const reason = `a whole number from ${min} to ${max}`;
  return z
    .string()
    .describe(reason)
    .regex(/^\d{1,9}$/, reason)
    .transform(Number)
    .pipe(z.number().int().min(min, reason).max(max, reason));
};

const cursorShape = z.object({ d: z.number().finite().min(0), i: z.string().min(1).max(200) }).strict();

/** base64url JSON of the last (distance, id) of a page */
const encodeCursor = (cursor: SearchCursor) =>
  Buffer.from(JSON.stringify({ d: cursor.d, i: cursor.id })).toString("base64url");

const cursorParam = z
  .string()
  .max(400, "not a cursor from this API")
  .transform((text, ctx): SearchCursor => {
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
      const parsed = cursorShape.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
      return { d: parsed.d, id: parsed.i };
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "not a cursor from this API" });
      return z.NEVER;
    }
  });

// Only points in Shandong or near it (coordinates.ts: SEARCH_AREA): a search from far away finds
// nothing near and would read every window (~1 s each) to say so.
const outside = (axis: string, from: number, to: number) =>
  `outside Shandong: the ${axis} must be from ${from.toFixed(2)} to ${to.toFixed(2)}`;

/** the search's query string (the OpenAPI document is made from this schema) */
export const serviceSearchQuerySchema = z.object({
  lat: decimal(-90, 90).refine(latInSearchArea, outside("latitude", SEARCH_AREA.south, SEARCH_AREA.north)),
  lng: decimal(-180, 180).refine(lngInSearchArea, outside("longitude", SEARCH_AREA.west, SEARCH_AREA.east)),
  category: z
    .enum(SERVICE_CATEGORIES, { errorMap: () => ({ message: `one of ${SERVICE_CATEGORIES.join(", ")}` }) })
    .optional(),
  radius: integer(1, 50_000).optional(),
  openNow: z
    .enum(["true", "false", "1", "0"], { errorMap: () => ({ message: "true, false, 1 or 0" }) })
    .transform((v) => v === "true" || v === "1")
    .optional(),
  q: z.string().trim().max(100, "at most 100 characters").optional(),
  limit: integer(1, SEARCH_MAX_LIMIT).default("20"),
  cursor: cursorParam.optional(),
});

// Open now (public-services.ts: the service's schedule, else its facility's hours) depends on the
// hours and the minute only, and a page repeats a few sets of hours: each is read on China's
// clock once a minute.
const openNowCache = { minute: -1, calendar: {} as PublicCalendar, answers: new Map<string, boolean | null>() };

function openNowAt(now: Date) {
  const minute = Math.floor(now.getTime() / 60_000);
  if (openNowCache.minute !== minute || openNowCache.answers.size > 10_000) {
    openNowCache.minute = minute;
    openNowCache.calendar = publicCalendar(now);
    openNowCache.answers.clear();
  }
  const { answers, calendar } = openNowCache;
  return (hit: ServiceHit) => {
    const key = `${JSON.stringify(hit.schedule)}|${JSON.stringify(hit.facilityOpeningHours)}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = openNowOf(hit, now, calendar);
      answers.set(key, answer);
    }
    return answer;
  };
}

export type ServiceSearchRequest = {
  /** the URL's query string */
  query: URLSearchParams;
  /** the client's address, for its per-minute allowance */
  clientIp: string;
  /** what the answer's caching depends on */
  headers: ReadHeaders;
};

/** The API's answer to one search: 200 (or 304) with the page, 400 naming the fields, or 429. */
export async function answerServiceSearch({ query, clientIp, headers }: ServiceSearchRequest): Promise<PlainAnswer> {
  const refusal = await publicApiRefusal(clientIp);
  if (refusal) return refusal;
  const params = Object.fromEntries([...query].filter(([, v]) => v.trim() !== ""));
  const parsed = serviceSearchQuerySchema.safeParse(params);
  if (!parsed.success) return apiErrorAnswer(400, "invalid query", fieldReasons(zodFieldErrors(parsed.error)));
  const { lat, lng, category, radius, openNow, q, limit, cursor } = parsed.data;
  const now = new Date();
  const isOpen = openNowAt(now);
  const page = await searchServices(
    {
      lat,
      lng,
      category,
      radiusM: radius,
      q: q || undefined,
      limit,
      cursor,
      now,
      accept: openNow ? (hit) => isOpen(hit) === true : undefined,
    },
    // a replica when one is in use, unless this browser has just sent a change or it is a token's
    readDatabaseForGet(headers),
  );
  return publicJsonAnswer(
    headers,
    {
      services: page.services.map((hit) => publicServiceJson(hit, isOpen(hit))),
      nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
    },
    "listings",
  );
}
