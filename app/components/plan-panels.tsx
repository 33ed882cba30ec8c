import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ErrorList } from "~/components/forms";
import { measureLabelKey } from "~/domains/living-circle/living-circle";
import {
  planSearch,
  SCENARIO_NAME_MAX,
  DRAFT_NOTE_MAX,
  type PlanMessage,
  type PlanPoint,
} from "~/domains/living-circle/scenarios";
import { xlsxHref } from "~/utils/export-table";
import { formatDateTime, formatDistance, formatNumber, formatPercent } from "~/utils/format";

import { LIVING_CIRCLE_MEASURES, type LivingCircleMeasure } from "../../db/identifiers";

// The plan page's parts (routes/dashboard.$code.plan.tsx): its GET form, the results per measure
// and per site, and the POST forms that save, rename, delete, compare and send.

type Figures = { covered: number; population60Covered: number; share: number | null; share60: number | null };
export type PlanResult = {
  measure: LivingCircleMeasure;
  thresholdM: number;
  communities: number;
  population60: number;
  before: Figures;
  after: Figures;
  sites: Array<{ newlyCovered60: number; communities: Array<{ code: string; name: string; population60: number }> }>;
};
export type PlanData = {
  state: { measures: LivingCircleMeasure[]; sites: PlanPoint[]; includeVillages: boolean };
  adding: { lat: string; lng: string } | null;
  errors: PlanMessage[];
  results: PlanResult[];
  scenario: { id: string; name: string; sites: Array<PlanPoint & { id: string }> } | null;
  scenarios: Array<{
    id: string;
    name: string;
    measures: string[];
    sites: number;
    createdBy: string | null;
    updatedAt: string;
  }>;
  communities: Array<{ code: string; name: string }>;
  gaps: Array<PlanPoint & { code: string; name: string; population60: number | null }>;
};

type Refusal = { form: string; errors: string[]; values: Record<string, string> };

/** the action's refusal when it belongs to this form */
function useRefusal(form: string) {
  const data = useActionData<Refusal>();
  return data && data.form === form ? data : null;
}

const pointText = (p: PlanPoint) => `${p.lat.toFixed(6)}, ${p.lng.toFixed(6)}`;

/** the GET form: measures, villages, the sites (each removable) and a typed point to add */
export function PlanControls({ plan, short }: { plan: PlanData; short: string }) {
  const { t } = useTranslation();
  const scenarioId = plan.scenario?.id ?? null;
  const without = (i: number) =>
    `/dashboard/${short}/plan${planSearch({ ...plan.state, sites: plan.state.sites.filter((_, j) => j !== i), scenarioId })}`;
  return (
    <Form method="get" className="stack" data-testid="plan-controls">
      {scenarioId ? <input type="hidden" name="scenario" value={scenarioId} /> : null}
      <fieldset>
        <legend>{t("livingCircle.planMeasures")}</legend>
        {LIVING_CIRCLE_MEASURES.map((m) => (
          <label key={m} className="checkbox-target">
            <input type="checkbox" name="m" value={m} defaultChecked={plan.state.measures.includes(m)} />{" "}
            {t(measureLabelKey(m))}
          </label>
        ))}
        <label className="checkbox-target">
          <input type="checkbox" name="villages" value="1" defaultChecked={plan.state.includeVillages} />{" "}
          {t("livingCircle.includeVillages")}
        </label>
      </fieldset>
      <fieldset>
        <legend>{t("livingCircle.planSites")}</legend>
        {plan.state.sites.length === 0 ? <p className="muted">{t("livingCircle.planNoSites")}</p> : null}
        <ol data-testid="plan-sites">
          {plan.state.sites.map((s, i) => (
            <li key={`${i}-${s.lat},${s.lng}`}>
              <input type="hidden" name="s" value={`${s.lat},${s.lng}`} />
              {pointText(s)}{" "}
              <Link to={without(i)} preventScrollReset aria-label={t("livingCircle.planRemoveSite", { n: i + 1 })}>
                {t("livingCircle.planRemove")}
              </Link>
            </li>
          ))}
        </ol>
        <div className="inline-fields">
          <label>
            {t("livingCircle.planLat")} <input name="lat" inputMode="decimal" defaultValue={plan.adding?.lat ?? ""} />
          </label>
          <label>
            {t("livingCircle.planLng")} <input name="lng" inputMode="decimal" defaultValue={plan.adding?.lng ?? ""} />
          </label>
        </div>
      </fieldset>
      <button type="submit">{t("livingCircle.planRecompute")}</button>
      <fieldset>
        <legend>{t("livingCircle.planSuggestTitle")}</legend>
        <p className="small muted">{t("livingCircle.planSuggestIntro")}</p>
        <label>
          {t("livingCircle.sitesK")} <input type="number" name="k" min={1} max={10} step={1} defaultValue={3} />
        </label>{" "}
        <button type="submit" name="take" value="1">
          {t("livingCircle.planSuggestTake")}
        </button>
      </fieldset>
    </Form>
  );
}

/** per measure: the region's figures before and after the proposed sites */
export function PlanResults({ plan, short }: { plan: PlanData; short: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const n = (v: number) => formatNumber(v, locale);
  const search = planSearch({ ...plan.state, scenarioId: plan.scenario?.id });
  return (
    <section className="stack">
      <h2>{t("livingCircle.planResultsTitle")}</h2>
      <p>
        <span>{t("livingCircle.planExports")}:</span>{" "}
        <a href={`/dashboard/${short}/plan.csv${search}`} download>
          {t("livingCircle.exportCsv")}
        </a>{" "}
        <a href={xlsxHref(`/dashboard/${short}/plan.xlsx`, search, locale)} download>
          {t("exportTables.excel")}
        </a>{" "}
        <a href={`/dashboard/${short}/plan.geojson${search}`} download>
          {t("livingCircle.exportGeojson")}
        </a>
      </p>
      <div className="table-scroll">
        <table data-testid="plan-results">
          <thead>
            <tr>
              <th>{t("livingCircle.measure")}</th>
              <th>{t("livingCircle.threshold")}</th>
              <th>{t("livingCircle.planCommunitiesBefore")}</th>
              <th>{t("livingCircle.planCommunitiesAfter")}</th>
              <th>{t("livingCircle.planPopulation60Before")}</th>
              <th>{t("livingCircle.planPopulation60After")}</th>
            </tr>
          </thead>
          <tbody>
            {plan.results.map((r) => (
              <tr key={r.measure}>
                <th scope="row">{t(measureLabelKey(r.measure))}</th>
                <td>{formatDistance(r.thresholdM, locale)}</td>
                <td>
                  {t("livingCircle.coveredOfTotal", { covered: n(r.before.covered), total: n(r.communities) })} ·{" "}
                  {formatPercent(r.before.share, locale)}
                </td>
                <td>
                  {t("livingCircle.coveredOfTotal", { covered: n(r.after.covered), total: n(r.communities) })} ·{" "}
                  <strong>{formatPercent(r.after.share, locale)}</strong>
                </td>
                <td>
                  {n(r.before.population60Covered)} · {formatPercent(r.before.share60, locale)}
                </td>
                <td>
                  {n(r.after.population60Covered)} · <strong>{formatPercent(r.after.share60, locale)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** per site: what it newly covers for each measure, and (in a saved scenario) sending it to a community */
export function PlanSiteDetails({ plan }: { plan: PlanData }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  if (plan.state.sites.length === 0) return null;
  const separator = t("livingCircle.listSeparator");
  return (
    <section className="stack">
      <h2>{t("livingCircle.planPerSiteTitle")}</h2>
      {plan.state.sites.map((s, i) => {
        const saved = plan.scenario?.sites.find((x) => x.lat === s.lat && x.lng === s.lng);
        return (
          <div key={`${i}-${s.lat},${s.lng}`} className="panel stack" data-testid="plan-site">
            <h3>{t("livingCircle.planSiteHeading", { n: i + 1, point: pointText(s) })}</h3>
            <ul>
              {plan.results.map((r) => {
                const site = r.sites[i];
                return (
                  <li key={r.measure}>
                    {t("livingCircle.planSiteNewly", {
                      measure: t(measureLabelKey(r.measure)),
                      communities: formatNumber(site?.communities.length ?? 0, locale),
                      population60: formatNumber(site?.newlyCovered60 ?? 0, locale),
                    })}
                    {site?.communities.length ? (
                      <div className="small muted">{site.communities.map((c) => c.name).join(separator)}</div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {plan.scenario ? (
              saved ? (
                <SendSiteForm scenarioId={plan.scenario.id} siteId={saved.id} communities={plan.communities} />
              ) : (
                <p className="small muted">{t("livingCircle.planSendSaveFirst")}</p>
              )
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

function SendSiteForm({
  scenarioId,
  siteId,
  communities,
}: {
  scenarioId: string;
  siteId: string;
  communities: PlanData["communities"];
}) {
  const { t } = useTranslation();
  const refusal = useRefusal(`send:${scenarioId}:${siteId}`);
  return (
    <Form method="post" className="inline-fields" data-testid="plan-send">
      <input type="hidden" name="intent" value="send" />
      <input type="hidden" name="scenarioId" value={scenarioId} />
      <input type="hidden" name="siteId" value={siteId} />
      <label>
        {t("livingCircle.planSendTo")}{" "}
        <select name="communityCode" defaultValue={refusal?.values.communityCode ?? ""} required>
          <option value="">{t("livingCircle.planChooseCommunity")}</option>
          {communities.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("livingCircle.planNote")}{" "}
        <input name="note" maxLength={DRAFT_NOTE_MAX} defaultValue={refusal?.values.note ?? ""} />
      </label>
      <button type="submit">{t("livingCircle.planSend")}</button>
      <ErrorList errors={refusal?.errors} />
    </Form>
  );
}

/** the current view's measures and sites, as a POST form carries them */
function StateFields({ state }: { state: PlanData["state"] }) {
  return (
    <>
      {state.measures.map((m) => (
        <input key={m} type="hidden" name="m" value={m} />
      ))}
      {state.sites.map((s, i) => (
        <input key={`${i}-${s.lat},${s.lng}`} type="hidden" name="s" value={`${s.lat},${s.lng}`} />
      ))}
    </>
  );
}

export function PlanSaveForms({ plan }: { plan: PlanData }) {
  const { t } = useTranslation();
  const refusal = useRefusal("save");
  return (
    <section className="stack">
      <h2>{t("livingCircle.planSaveTitle")}</h2>
      {plan.scenario ? (
        <Form method="post">
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="scenarioId" value={plan.scenario.id} />
          <StateFields state={plan.state} />
          <button type="submit">{t("livingCircle.planSaveChanges", { name: plan.scenario.name })}</button>
        </Form>
      ) : null}
      <Form method="post" className="inline-fields" data-testid="plan-save">
        <input type="hidden" name="intent" value="save" />
        <StateFields state={plan.state} />
        <label>
          {t("livingCircle.planName")}{" "}
          <input name="name" required maxLength={SCENARIO_NAME_MAX} defaultValue={refusal?.values.name ?? ""} />
        </label>
        <button type="submit">{t("livingCircle.planSaveAs")}</button>
        <ErrorList errors={refusal?.errors} />
      </Form>
    </section>
  );
}

/** the region's saved scenarios: open, export, rename, delete; and two side by side */
export function PlanScenarioList({ plan, short }: { plan: PlanData; short: string }) {
  const { t, i18n } = useTranslation();
  const separator = t("livingCircle.listSeparator");
  return (
    <section className="stack">
      <h2>{t("livingCircle.planScenariosTitle")}</h2>
      {plan.scenarios.length === 0 ? <p className="muted">{t("livingCircle.planScenariosNone")}</p> : null}
      <ul className="stack" data-testid="plan-scenarios">
        {plan.scenarios.map((s) => (
          <li key={s.id} className="panel">
            <Link to={`/dashboard/${short}/plan?scenario=${s.id}`}>
              <strong>{s.name}</strong>
            </Link>{" "}
            <span className="small muted">
              {t("livingCircle.planScenarioLine", {
                measures: s.measures
                  .filter((m): m is LivingCircleMeasure => (LIVING_CIRCLE_MEASURES as readonly string[]).includes(m))
                  .map((m) => t(measureLabelKey(m)))
                  .join(separator),
                sites: formatNumber(s.sites, i18n.language),
                by: s.createdBy ?? "—",
                at: formatDateTime(s.updatedAt, i18n.language),
              })}
            </span>{" "}
            <a href={`/dashboard/${short}/plan.csv?scenario=${s.id}`} download>
              {t("livingCircle.exportCsv")}
            </a>{" "}
            <a href={`/dashboard/${short}/plan.geojson?scenario=${s.id}`} download>
              {t("livingCircle.exportGeojson")}
            </a>
            <ScenarioForms id={s.id} name={s.name} />
          </li>
        ))}
      </ul>
      {plan.scenarios.length >= 2 ? (
        <Form method="get" action={`/dashboard/${short}/plan/compare`} className="inline-fields">
          <ScenarioSelect name="a" label={t("livingCircle.planCompareA")} plan={plan} initial={0} />
          <ScenarioSelect name="b" label={t("livingCircle.planCompareB")} plan={plan} initial={1} />
          <button type="submit">{t("livingCircle.planCompare")}</button>
        </Form>
      ) : null}
    </section>
  );
}

function ScenarioForms({ id, name }: { id: string; name: string }) {
  const { t } = useTranslation();
  const refusal = useRefusal(`rename:${id}`);
  return (
    <div className="inline-fields">
      <Form method="post" className="inline-fields">
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="scenarioId" value={id} />
        <label>
          {t("livingCircle.planName")}{" "}
          <input name="name" required maxLength={SCENARIO_NAME_MAX} defaultValue={refusal?.values.name ?? name} />
        </label>
        <button type="submit">{t("livingCircle.planRename")}</button>
        <ErrorList errors={refusal?.errors} />
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="scenarioId" value={id} />
        <button type="submit">{t("livingCircle.planDelete")}</button>
      </Form>
    </div>
  );
}

function ScenarioSelect({
  name,
  label,
  plan,
  initial,
}: {
  name: string;
  label: string;
  plan: PlanData;
  initial: number;
}) {
  return (
    <label>
      {label}{" "}
      <select name={name} defaultValue={plan.scenarios[initial]?.id}>
        {plan.scenarios.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
