// What-if planning for a county or township: proposed sites and the measures they would offer, and
// what they would newly cover. The state lives in the URL (domains/living-circle/scenarios.ts);
// the POST forms save it as a scenario, rename or delete one, or send a site to a community.
import { parseWithZod } from "@conform-to/zod";
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PlanMap } from "~/components/plan-map.client";
import {
  PlanControls,
  PlanResults,
  PlanSaveForms,
  PlanScenarioList,
  PlanSiteDetails,
  type PlanData,
} from "~/components/plan-panels";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import { sitesCountSchema } from "~/domains/living-circle/living-circle";
import { listLivingCircleGaps } from "~/domains/living-circle/living-circle.server";
import {
  PLAN_MAX_SITES,
  parsePoint,
  planActionSchema,
  planSearch,
  stateFromForm,
  type PlanMessage,
} from "~/domains/living-circle/scenarios";
import {
  createScenario,
  deleteScenario,
  evaluatePlan,
  listRegionCommunities,
  listScenarios,
  loadPlanState,
  requirePlanningRegion,
  requireRegionScenario,
  scenarioSites,
  sendScenarioSite,
  updateScenario,
  withSuggestedSites,
} from "~/domains/living-circle/scenarios.server";
import { significantCode } from "~/domains/regions/regions";
import { textError } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.region.name} · 社区通` : "社区通" },
];

/** the gaps drawn on the map: as many as the living-circle page lists */
const MAP_GAPS = 500;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const region = await requirePlanningRegion(code);
  if (!region.planning) return json({ region, plan: null });
  const { query, scenario, state } = await loadPlanState(request, code);
  const errors: PlanMessage[] = [...query.errors];
  // "take the suggestions": the best k sites (exact) added to the plan's
  const url = new URL(request.url);
  if (url.searchParams.get("take") === "1") {
    const k = sitesCountSchema.safeParse(url.searchParams.get("k") || undefined);
    if (!k.success) errors.push({ key: "livingCircle.kRange" });
    else {
      const taken = await withSuggestedSites(code, state, k.data);
      return redirect(`/dashboard/${significantCode(code)}/plan${planSearch({ ...taken, scenarioId: scenario?.id })}`);
    }
  }
  if (query.adding) {
    const added = parsePoint(query.adding.lat, query.adding.lng);
    if (!added.ok) errors.push({ key: added.key, params: { value: `${query.adding.lat},${query.adding.lng}` } });
    else if (state.sites.length >= PLAN_MAX_SITES)
      errors.push({ key: "livingCircle.planTooManySites", params: { max: PLAN_MAX_SITES } });
    else {
      const search = planSearch({ ...state, sites: [...state.sites, added.point], scenarioId: scenario?.id });
      return redirect(`/dashboard/${significantCode(code)}/plan${search}`);
    }
  }
  const [results, scenarios, communities, gaps] = await Promise.all([
    evaluatePlan(code, state),
    listScenarios(code),
    scenario ? listRegionCommunities(code) : Promise.resolve([] as Array<{ code: string; name: string }>),
    listLivingCircleGaps(code, state.measures[0], { includeVillages: state.includeVillages, limit: MAP_GAPS }),
  ]);
  return json({
    region,
    plan: {
      state,
      // what the add-a-site fields keep when the point was refused
      adding: errors.length && query.adding ? query.adding : null,
      errors,
      results,
      scenario: scenario ? { id: scenario.id, name: scenario.name, sites: scenario.sites } : null,
      scenarios: scenarios.map((s) => ({ ...s, sites: s.sites.length })),
      communities,
      gaps: (gaps?.gaps ?? []).flatMap((g) =>
        g.lat === null || g.lng === null
          ? []
          : [{ code: g.code, name: g.name, lat: g.lat, lng: g.lng, population60: g.population60 }],
      ),
    },
  });
}

/** an action's refusal: the form it belongs to (intent and object), its messages, what was typed */
const refuse = (form: string, errors: string[], values: Record<string, string> = {}) =>
  json({ form, errors, values }, { status: 400 });

export async function action({ request, params }: ActionFunctionArgs) {
  const { code, account } = await requireRegionScope(request, params.code, "review");
  const region = await requirePlanningRegion(code);
  if (!region.planning) throw textError(400, "plans are made for a county or a township");
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: planActionSchema });
  const formKey = [formData.get("intent"), formData.get("scenarioId"), formData.get("siteId")]
    .filter(Boolean)
    .join(":");
  const typed = Object.fromEntries(
    ["name", "note", "communityCode"].map((k) => [k, String(formData.get(k) ?? "")] as const),
  );
  if (submission.status !== "success") {
    return refuse(
      formKey,
      Object.values(submission.reply().error ?? {}).flatMap((e) => e ?? []),
      typed,
    );
  }
  const value = submission.value;
  const actor = { userId: account.id };
  const short = significantCode(code);
  const back = (scenarioId: string | null, key: string, params?: Record<string, string>) =>
    toastHeaders({ key, params }).then((headers) =>
      redirect(`/dashboard/${short}/plan${scenarioId ? `?scenario=${scenarioId}` : ""}`, { headers }),
    );
  if (value.intent === "save") {
    const state = stateFromForm(value);
    const saved = await createScenario(actor, code, {
      name: value.name,
      measures: state.measures,
      sites: scenarioSites(state.sites),
    });
    if (!saved.ok) return refuse(formKey, ["livingCircle.planNameTaken"], typed);
    return back(saved.value.id, "livingCircle.planSaved", { name: saved.value.name });
  }
  const scenario = await requireRegionScenario(code, value.scenarioId);
  if (value.intent === "update") {
    const state = stateFromForm(value);
    const updated = await updateScenario(actor, scenario.id, {
      measures: state.measures,
      sites: scenarioSites(state.sites, scenario.sites),
    });
    if (!updated.ok) throw textError(404, "no such scenario");
    return back(scenario.id, "livingCircle.planSaved", { name: scenario.name });
  }
  if (value.intent === "rename") {
    const renamed = await updateScenario(actor, scenario.id, { name: value.name });
    if (!renamed.ok) return refuse(formKey, ["livingCircle.planNameTaken"], typed);
    return back(scenario.id, "livingCircle.planRenamed", { name: value.name });
  }
  if (value.intent === "delete") {
    await deleteScenario(actor, scenario.id);
    return back(null, "livingCircle.planDeleted", { name: scenario.name });
  }
  const sent = await sendScenarioSite(actor, scenario.id, value.siteId, value.communityCode, value.note ?? null);
  if (!sent.ok) {
    return refuse(
      formKey,
      [sent.reason === "outside_region" ? "livingCircle.planCommunityOutside" : "livingCircle.planSiteGone"],
      typed,
    );
  }
  return back(scenario.id, "livingCircle.planSent");
}

export default function PlanPage() {
  const { region, plan } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const short = significantCode(region.code);
  return (
    <div className="stack">
      <h1>{t("livingCircle.planPageTitle", { name: region.name })}</h1>
      <p>
        <Link to={`/dashboard/${short}/living-circle`}>{t("livingCircle.planBackToLivingCircle")}</Link>
      </p>
      {plan ? <Plan plan={plan} short={short} /> : <p data-testid="plan-level">{t("livingCircle.planLevelOnly")}</p>}
    </div>
  );
}

function Plan({ plan, short }: { plan: PlanData; short: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const first = plan.results[0];
  const newly = useMemo(() => new Set(first?.sites.flatMap((s) => s.communities.map((c) => c.code))), [first]);
  const gaps = useMemo(
    () =>
      plan.gaps.map((g) => ({
        ...g,
        label: `${g.name} · ${g.population60 ?? t("livingCircle.unknown")}`,
        newly: newly.has(g.code),
      })),
    [plan.gaps, newly, t],
  );
  const scenarioId = plan.scenario?.id ?? null;
  const add = (point: { lat: number; lng: number }) =>
    navigate(planSearch({ ...plan.state, sites: [...plan.state.sites, point], scenarioId }), {
      preventScrollReset: true,
    });
  return (
    <>
      <p className="muted">{t("livingCircle.planIntro")}</p>
      {plan.scenario ? (
        <p data-testid="plan-open-scenario">{t("livingCircle.planOpened", { name: plan.scenario.name })}</p>
      ) : null}
      {plan.errors.length ? (
        <ul className="form-errors" role="alert" data-testid="plan-errors">
          {plan.errors.map((e) => (
            <li key={`${e.key}:${JSON.stringify(e.params)}`}>{String(t(e.key, e.params))}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid-2">
        <div className="stack">
          <ClientOnly
            fallback={
              <div className="map-frame map-placeholder" style={{ height: 440 }}>
                {t("livingCircle.mapLoading")}
              </div>
            }
          >
            {() => (
              <PlanMap
                gaps={gaps}
                sites={plan.state.sites}
                thresholdM={first?.thresholdM ?? 1000}
                onAdd={add}
                tilesUnavailableMessage={t("livingCircle.mapUnavailable")}
              />
            )}
          </ClientOnly>
          <p className="small muted">
            <span style={{ color: "#b3261e" }}>●</span> {t("livingCircle.legendGap")}{" "}
            <span style={{ color: "#146c2e" }}>●</span> {t("livingCircle.planLegendNewly")}{" "}
            <span style={{ color: "#0b57d0" }}>◯</span> {t("livingCircle.planLegendSite")}
          </p>
          <p className="small muted">{t("livingCircle.planMapHint")}</p>
        </div>
        <PlanControls plan={plan} short={short} />
      </div>
      <PlanResults plan={plan} short={short} />
      <PlanSiteDetails plan={plan} />
      <PlanSaveForms plan={plan} />
      <PlanScenarioList plan={plan} short={short} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
