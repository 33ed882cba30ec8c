import { randomUUID } from "node:crypto";

import { LEVEL_CODE_LENGTH, LIVING_CIRCLE_MEASURES, type LivingCircleMeasure } from "../../../db/identifiers";
import { evaluateProposedSites, getPlanningRegion } from "../../../db/queries/planning.server";
import { getScenario, type Scenario } from "../../../db/queries/scenarios.server";
import type { ScenarioSite } from "../../../db/schema";
import { textError } from "../../utils/responses.server";
import { DEFAULT_LIVING_CIRCLE_MEASURE } from "./living-circle";
import { chooseSites } from "./planning.server";
import { isPlanningLevel, parsePlanQuery, PLAN_MAX_SITES, planShares, type PlanPoint } from "./scenarios";

// What-if planning on the server: scenarios and facility drafts from db/queries/scenarios.server.ts,
// and below, the reads the plan page, its comparison and its exports share. The routes' guard
// (requireRegionScope … "review") has let the reader into the region; these check that a
// scenario named in the URL is that region's (404 otherwise: another district's is not shown).
export {
  createScenario,
  deleteScenario,
  dismissFacilityDraft,
  getFacilityDraft,
  listOpenFacilityDrafts,
  listRegionCommunities,
  listScenarios,
  sendScenarioSite,
  updateScenario,
} from "../../../db/queries/scenarios.server";

type PlanState = { measures: LivingCircleMeasure[]; sites: PlanPoint[]; includeVillages: boolean };

/** The region of a plan page; 404 unknown. `planning`: whether plans are made at its level. */
export async function requirePlanningRegion(storedCode: string) {
  const region = await getPlanningRegion(storedCode);
  if (!region) throw textError(404, "no such region");
  return { code: region.code, name: region.name, level: region.level, planning: isPlanningLevel(region.level) };
}

/** A scenario of the region, or 404 (missing, or another region's). */
export async function requireRegionScenario(storedCode: string, id: string | null | undefined): Promise<Scenario> {
  const scenario = id ? await getScenario(id) : null;
  if (!scenario || scenario.regionCode !== storedCode) throw textError(404, "no such scenario");
  return scenario;
}

/** Sites to store: each keeps the id it had at the same point, so a draft still names its site. */
export function scenarioSites(points: readonly PlanPoint[], previous: readonly ScenarioSite[] = []): ScenarioSite[] {
  const byPoint = new Map(previous.map((s) => [`${s.lat},${s.lng}`, s]));
  return points.map((p, i) => {
    const kept = byPoint.get(`${p.lat},${p.lng}`);
    byPoint.delete(`${p.lat},${p.lng}`);
    return (
      kept ?? {
        id: randomUUID(),
        lat: p.lat,
        lng: p.lng,
        label: String(i + 1),
        candidate: { kind: "proposed", ref: null },
      }
    );
  });
}

/** What the measures and sites would change in the region, each measure with its shares. */
export async function evaluatePlan(storedCode: string, state: PlanState) {
  const evaluation = await evaluateProposedSites(storedCode, state.measures, state.sites, {
    includeVillages: state.includeVillages,
  });
  if (!evaluation) throw textError(404, "no such region");
  return evaluation.measures.map((m) => ({ ...m, ...planShares(m) }));
}

/**
 * The plan a URL names: its own measures and sites, or (with none) the opened scenario's; bad
 * parts are reported and left out, the rest kept. Throws 404 for another region's scenario.
 */
export async function loadPlanState(request: Request, storedCode: string) {
  const query = parsePlanQuery(new URL(request.url));
  const scenario = query.scenarioId ? await requireRegionScenario(storedCode, query.scenarioId) : null;
  const fromScenario = scenario && !query.hasState;
  const state = {
    measures: fromScenario ? (scenario.measures as LivingCircleMeasure[]) : query.measures,
    sites: fromScenario ? scenario.sites.map((s) => ({ lat: s.lat, lng: s.lng })) : query.sites,
    includeVillages: query.includeVillages,
  };
  return { query, scenario, state };
}

/**
 * "Take the suggestions": the plan's sites with the best k new sites for its first measure (exact,
 * docs/figures.md) added after them, as far as PLAN_MAX_SITES allows.
 */
export async function withSuggestedSites(
  storedCode: string,
  state: { measures: LivingCircleMeasure[]; sites: PlanPoint[]; includeVillages: boolean },
  k: number,
) {
  const measure = state.measures[0] ?? DEFAULT_LIVING_CIRCLE_MEASURE;
  const answer = await chooseSites(storedCode, {
    measure,
    k,
    method: "exact",
    proposed: [],
    includeVillages: state.includeVillages,
  });
  const known = new Set(state.sites.map((s) => `${s.lat},${s.lng}`));
  const added = (answer?.sites ?? [])
    .map((s) => ({ lat: Math.round(s.lat * 1e6) / 1e6, lng: Math.round(s.lng * 1e6) / 1e6 }))
    .filter((p) => !known.has(`${p.lat},${p.lng}`));
  return {
    ...state,
    measures: state.measures.length ? state.measures : [measure],
    sites: [...state.sites, ...added].slice(0, PLAN_MAX_SITES),
  };
}

/** The exports' plan: the region at a planning level, the URL's state (or its scenario's), evaluated. */
export async function loadPlanExport(request: Request, storedCode: string) {
  const region = await requirePlanningRegion(storedCode);
  if (!region.planning) throw textError(400, "plans are made for a county or a township");
  const { scenario, state } = await loadPlanState(request, storedCode);
  const results = await evaluatePlan(storedCode, state);
  const short = storedCode.slice(0, LEVEL_CODE_LENGTH[region.level]);
  // the scenario's id, not its name: a header's file name stays ASCII
  const filename = `shequ-plan-${short}${scenario ? `-${scenario.id.slice(0, 8)}` : ""}`;
  return { state, results, filename, region: region.name, scenario: scenario?.name ?? null };
}

/** Two scenarios of the region, evaluated: per measure of either, each one's after-figures and the difference. */
export async function compareScenarios(
  storedCode: string,
  a: string | null,
  b: string | null,
  includeVillages: boolean,
) {
  const [first, second] = await Promise.all([
    requireRegionScenario(storedCode, a),
    requireRegionScenario(storedCode, b),
  ]);
  const evaluate = (s: Scenario) =>
    evaluatePlan(storedCode, {
      measures: s.measures as LivingCircleMeasure[],
      sites: s.sites.map((x) => ({ lat: x.lat, lng: x.lng })),
      includeVillages,
    });
  const [ra, rb] = await Promise.all([evaluate(first), evaluate(second)]);
  const measures = LIVING_CIRCLE_MEASURES.filter(
    (m) => ra.some((r) => r.measure === m) || rb.some((r) => r.measure === m),
  );
  const after = (rows: typeof ra, m: string) => {
    const r = rows.find((x) => x.measure === m);
    return r ? { ...r.after, communities: r.communities, population60: r.population60 } : null;
  };
  return {
    a: { id: first.id, name: first.name, sites: first.sites.length },
    b: { id: second.id, name: second.name, sites: second.sites.length },
    measures: measures.map((measure) => {
      const x = after(ra, measure);
      const y = after(rb, measure);
      return {
        measure,
        a: x,
        b: y,
        difference:
          x && y
            ? {
                covered: y.covered - x.covered,
                population60Covered: y.population60Covered - x.population60Covered,
                share: x.share === null || y.share === null ? null : y.share - x.share,
                share60: x.share60 === null || y.share60 === null ? null : y.share60 - x.share60,
              }
            : null,
      };
    }),
  };
}
