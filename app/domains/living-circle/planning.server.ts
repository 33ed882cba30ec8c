import { z } from "zod";

import type { Database } from "../../../db/client.server";
import { LIVING_CIRCLE_MEASURES, type LivingCircleMeasure } from "../../../db/identifiers";
import { getLivingCircleSummary } from "../../../db/queries/living-circle.server";
import {
  getCoveringInput,
  getPlanningRegion,
  type PlanningCandidate,
  type ProposedPoint,
} from "../../../db/queries/planning.server";
import { pickSitesGreedy, solveSitesExact, type SiteChoice, type SiteSelection } from "./site-selection.server";

// Choosing new sites for a measure in a county or township (docs/figures.md, "Planning"): the
// region's covering problem solved exactly (HiGHS, docs/decisions/013) with greedy beside it, so an
// official sees what the exact answer gains.

/** HiGHS stops here and answers with the best it has found, not proven optimal */
export const SITES_TIME_LIMIT_MS = 2_000;
/** sites are chosen in these levels: a county's or township's communities, not a city's thousands */
export const SITES_LEVELS = ["county", "township"] as const;

export type SitesQuery = {
  measure: LivingCircleMeasure;
  k: number;
  method: "exact" | "greedy";
  capacity?: number;
  proposed: ProposedPoint[];
  includeVillages: boolean;
};

export type ChosenSite = {
  lat: number;
  lng: number;
  name: string | null;
  candidate: { kind: PlanningCandidate["kind"]; ref: string };
  newlyCovered60: number;
  communities: string[];
};

export type SitesAnswer = {
  code: string;
  name: string;
  measure: LivingCircleMeasure;
  k: number;
  method: SitesQuery["method"];
  capacity: number | null;
  optimal: boolean;
  thresholdM: number;
  distance: { detourFactor: number; networks: string[] };
  demand: { communities: number; population60: number };
  covered60Before: number;
  covered60After: number;
  solveMs: number;
  sites: ChosenSite[];
  /** greedy on the same instance, beside the exact answer */
  greedy: { covered60After: number; sites: ChosenSite[] } | null;
};

const chosenSiteJsonSchema = z.object({
  lat: z.number(),
  lng: z.number(),
  name: z.string().nullable(),
  candidate: z.object({ kind: z.enum(["community", "facility", "proposed"]), ref: z.string() }),
  newlyCovered60: z.number().int().min(0).describe("residents aged 60+ newly within the threshold"),
  communities: z.array(z.string()).describe("the communities it newly covers"),
});

/** GET /api/v1/living-circle/:code/sites: a SitesAnswer with the region's short code */
export const sitesAnswerJsonSchema = z.object({
  code: z.string(),
  name: z.string(),
  measure: z.enum(LIVING_CIRCLE_MEASURES),
  k: z.number().int().min(1).max(10),
  method: z.enum(["exact", "greedy"]),
  capacity: z.number().int().nullable(),
  optimal: z.boolean().describe("false when the solver stopped at its time limit"),
  thresholdM: z.number(),
  distance: z.object({ detourFactor: z.number(), networks: z.array(z.string()) }),
  demand: z.object({ communities: z.number().int(), population60: z.number().int() }),
  covered60Before: z.number().int(),
  covered60After: z.number().int(),
  solveMs: z.number(),
  sites: z.array(chosenSiteJsonSchema),
  greedy: z.object({ covered60After: z.number().int(), sites: z.array(chosenSiteJsonSchema) }).nullable(),
});
export type SitesAnswerJson = z.infer<typeof sitesAnswerJsonSchema>;

export async function getSitesRegion(regionCode: string, database?: Database) {
  return getPlanningRegion(regionCode, database);
}

/** Null: unknown region. The caller has checked the region's level (SITES_LEVELS) and the reader's scope. */
export async function chooseSites(
  regionCode: string,
  query: SitesQuery,
  database?: Database,
): Promise<SitesAnswer | null> {
  const options = { includeVillages: query.includeVillages };
  const [input, summary] = await Promise.all([
    getCoveringInput(regionCode, query.measure, { ...options, proposed: query.proposed }, database),
    getLivingCircleSummary(regionCode, options, database),
  ]);
  if (!input || !summary) return null;
  const instance = {
    reach: input.reach,
    weight: new Map(input.demand.map((d) => [d.code, d.population60])),
  };
  const capacity = query.capacity === undefined ? {} : { capacity: query.capacity };
  const greedy = pickSitesGreedy(instance, query.k, capacity);
  const chosen: SiteSelection =
    query.method === "exact"
      ? await solveSitesExact(instance, query.k, { ...capacity, timeLimitMs: SITES_TIME_LIMIT_MS })
      : greedy;
  const candidates = new Map(input.candidates.map((c) => [c.key, c]));
  const site = (s: SiteChoice): ChosenSite => {
    const c = candidates.get(s.candidate)!;
    return {
      lat: c.lat,
      lng: c.lng,
      name: c.name,
      candidate: { kind: c.kind, ref: c.ref },
      newlyCovered60: s.newlyCovered60,
      communities: s.communities,
    };
  };
  const before = summary.measures.find((m) => m.measure === query.measure)!.population60Covered;
  return {
    code: summary.region.code,
    name: summary.region.name,
    measure: query.measure,
    k: query.k,
    method: query.method,
    capacity: query.capacity ?? null,
    optimal: chosen.optimal,
    thresholdM: input.thresholdM,
    distance: { detourFactor: input.model.detourFactor, networks: input.model.networks.map((n) => n.name) },
    demand: {
      communities: input.demand.length,
      population60: input.demand.reduce((sum, d) => sum + d.population60, 0),
    },
    covered60Before: before,
    covered60After: before + chosen.covered60,
    solveMs: Math.round(chosen.solveMs),
    sites: chosen.sites.map(site),
    greedy:
      query.method === "exact" ? { covered60After: before + greedy.covered60, sites: greedy.sites.map(site) } : null,
  };
}
