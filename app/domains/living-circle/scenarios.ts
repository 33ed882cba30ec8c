import { z } from "zod";

import { LIVING_CIRCLE_MEASURES, type LivingCircleMeasure, type RegionLevel } from "../../../db/identifiers";
import { DEFAULT_LIVING_CIRCLE_MEASURE } from "./living-circle";

// What-if planning (docs/figures.md, "Planning scenarios"): the page's state lives in its URL,
// `?m=elderly_care&m=health&s=36.65,117.05&s=…` (plus `villages=1`, `scenario=<id>`), so a GET
// form recomputes it without JavaScript and every view can be shared. Pure: the page, its
// exports and the tests share it.

/** the levels a plan is made for: a county's or a township's communities */
export const PLANNING_LEVELS = ["county", "township"] as const satisfies readonly RegionLevel[];
export const isPlanningLevel = (level: RegionLevel) => (PLANNING_LEVELS as readonly RegionLevel[]).includes(level);

export const PLAN_MAX_SITES = 30;
export const SCENARIO_NAME_MAX = 80;
export const DRAFT_NOTE_MAX = 500;

/** Shandong's extent, as the facility form checks it */
const LAT = { min: 34, max: 38.6 };
const LNG = { min: 114.7, max: 122.8 };

export type PlanPoint = { lat: number; lng: number };
/** a problem to show: a catalogue key and its values */
export type PlanMessage = { key: string; params?: Record<string, string | number> };

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** "36.65,117.05" or a lat and a lng apart: a point in Shandong, or the catalogue key of what is wrong */
export function parsePoint(lat: string, lng: string): { ok: true; point: PlanPoint } | { ok: false; key: string } {
  const la = Number(lat.trim());
  const ln = Number(lng.trim());
  if (lat.trim() === "" || lng.trim() === "" || !Number.isFinite(la) || !Number.isFinite(ln)) {
    return { ok: false, key: "livingCircle.planSiteFormat" };
  }
  if (la < LAT.min || la > LAT.max || ln < LNG.min || ln > LNG.max) {
    return { ok: false, key: "livingCircle.planSiteOutside" };
  }
  return { ok: true, point: { lat: round6(la), lng: round6(ln) } };
}

const isMeasure = (m: string): m is LivingCircleMeasure => (LIVING_CIRCLE_MEASURES as readonly string[]).includes(m);

export type PlanQuery = {
  measures: LivingCircleMeasure[];
  sites: PlanPoint[];
  includeVillages: boolean;
  scenarioId: string | null;
  /** the URL names measures or sites of its own (else an opened scenario's are used) */
  hasState: boolean;
  /** a point typed into the add-a-site fields: added when valid, else kept to correct */
  adding: { lat: string; lng: string } | null;
  /** what was left out, and why: the rest is kept */
  errors: PlanMessage[];
};

export function parsePlanQuery(url: URL): PlanQuery {
  const params = url.searchParams;
  const errors: PlanMessage[] = [];
  const measures: LivingCircleMeasure[] = [];
  for (const m of params.getAll("m")) {
    if (!isMeasure(m)) errors.push({ key: "livingCircle.planMeasureUnknown", params: { value: m.slice(0, 40) } });
    else if (!measures.includes(m)) measures.push(m);
  }
  const sites: PlanPoint[] = [];
  for (const s of params.getAll("s")) {
    const [lat = "", lng = "", ...rest] = s.split(",");
    const parsed = rest.length ? ({ ok: false, key: "livingCircle.planSiteFormat" } as const) : parsePoint(lat, lng);
    if (!parsed.ok) errors.push({ key: parsed.key, params: { value: s.slice(0, 40) } });
    else if (sites.length >= PLAN_MAX_SITES)
      errors.push({ key: "livingCircle.planTooManySites", params: { max: PLAN_MAX_SITES } });
    else sites.push(parsed.point);
  }
  const lat = params.get("lat") ?? "";
  const lng = params.get("lng") ?? "";
  const villages = params.get("villages");
  return {
    measures: measures.length ? measures : [DEFAULT_LIVING_CIRCLE_MEASURE],
    sites,
    includeVillages: villages === "1" || villages === "on" || villages === "true",
    scenarioId: params.get("scenario") || null,
    hasState: params.has("m") || params.has("s"),
    adding: lat.trim() || lng.trim() ? { lat, lng } : null,
    errors: [...new Map(errors.map((e) => [`${e.key}:${JSON.stringify(e.params)}`, e])).values()],
  };
}

export const siteParam = (p: PlanPoint) => `${p.lat},${p.lng}`;

/** the URL's query for a plan state: `?m=…&s=…` (the order of the sites is theirs) */
export function planSearch(state: {
  measures: readonly string[];
  sites: readonly PlanPoint[];
  includeVillages?: boolean;
  scenarioId?: string | null;
}) {
  const params = new URLSearchParams();
  for (const m of state.measures) params.append("m", m);
  for (const s of state.sites) params.append("s", siteParam(s));
  if (state.includeVillages) params.set("villages", "1");
  if (state.scenarioId) params.set("scenario", state.scenarioId);
  return `?${params.toString()}`;
}

const text = (max: number, required: string, tooLong: string) =>
  z.string({ required_error: required }).trim().min(1, required).max(max, tooLong);

export const scenarioNameSchema = text(
  SCENARIO_NAME_MAX,
  "livingCircle.planNameRequired",
  "livingCircle.planNameTooLong",
);

/** the page's POST forms, by intent; sites and measures come as the URL carries them */
const stateFields = {
  m: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string())),
  s: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string())),
};
export const planActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), name: scenarioNameSchema, ...stateFields }),
  z.object({ intent: z.literal("update"), scenarioId: z.string().min(1), ...stateFields }),
  z.object({ intent: z.literal("rename"), scenarioId: z.string().min(1), name: scenarioNameSchema }),
  z.object({ intent: z.literal("delete"), scenarioId: z.string().min(1) }),
  z.object({
    intent: z.literal("send"),
    scenarioId: z.string().min(1),
    siteId: z.string().min(1),
    communityCode: z.string({ required_error: "livingCircle.planCommunityRequired" }).regex(/^\d{12}$/, {
      message: "livingCircle.planCommunityRequired",
    }),
    note: z.string().trim().max(DRAFT_NOTE_MAX, "livingCircle.planNoteTooLong").optional(),
  }),
]);
export type PlanAction = z.infer<typeof planActionSchema>;

/** measures and sites as a POST form carried them: the valid ones (the page only sends valid ones) */
export function stateFromForm(fields: { m: string[]; s: string[] }) {
  const url = new URL("http://plan/");
  for (const m of fields.m) url.searchParams.append("m", m);
  for (const s of fields.s) url.searchParams.append("s", s);
  const { measures, sites, errors } = parsePlanQuery(url);
  return { measures, sites, errors };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** a measure's figures before and after, with their shares (null: nothing to divide) */
export function planShares(r: {
  communities: number;
  population60: number;
  before: { covered: number; population60Covered: number };
  after: { covered: number; population60Covered: number };
}) {
  return {
    before: {
      ...r.before,
      share: share(r.before.covered, r.communities),
      share60: share(r.before.population60Covered, r.population60),
    },
    after: {
      ...r.after,
      share: share(r.after.covered, r.communities),
      share60: share(r.after.population60Covered, r.population60),
    },
  };
}

/** One export row per site and measure: what that site newly covers. */
export type PlanExportRow = {
  site: number;
  lat: number;
  lng: number;
  measure: LivingCircleMeasure;
  newlyCoveredCommunities: number;
  newlyCovered60: number;
  communityCodes: string[];
};

export function planExportRows(
  sites: readonly PlanPoint[],
  measures: ReadonlyArray<{
    measure: LivingCircleMeasure;
    sites: ReadonlyArray<{ newlyCovered60: number; communities: ReadonlyArray<{ code: string }> }>;
  }>,
): PlanExportRow[] {
  return sites.flatMap((site, i) =>
    measures.map((m) => ({
      site: i + 1,
      lat: site.lat,
      lng: site.lng,
      measure: m.measure,
      newlyCoveredCommunities: m.sites[i]?.communities.length ?? 0,
      newlyCovered60: m.sites[i]?.newlyCovered60 ?? 0,
      communityCodes: m.sites[i]?.communities.map((c) => c.code) ?? [],
    })),
  );
}
