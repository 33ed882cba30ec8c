import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import {
  livingCircleSearch,
  measureLabelKey,
  type LivingCircleGap,
  type LivingCircleQuery,
} from "~/domains/living-circle/living-circle";
import { planSearch } from "~/domains/living-circle/scenarios";
import { formatDate, formatDetourFactor, formatDistance, formatNumber, formatPercent } from "~/utils/format";

// The living-circle page's tables: every measure's reach, the suggested sites (county level) and the
// communities outside the chosen measure's threshold.

type MeasuresSummary = {
  withoutPoint: number;
  withoutPopulation60: number;
  measures: {
    measure: LivingCircleQuery["measure"];
    thresholdM: number;
    covered: number;
    communities: number;
    share: number | null;
    population60Covered: number;
    population60: number;
    population60Share: number | null;
  }[];
};

export function MeasuresTable({
  query,
  summary,
  short,
}: {
  query: LivingCircleQuery;
  summary: MeasuresSummary;
  short: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const count = (n: number) => formatNumber(n, locale);
  return (
    <section>
      <h2>{t("livingCircle.tableTitle")}</h2>
      <p className="small muted">
        {t(query.includeVillages ? "livingCircle.denominatorAll" : "livingCircle.denominatorUrban")}
        {summary.withoutPoint > 0 ? ` · ${t("livingCircle.withoutPoint", { count: summary.withoutPoint })}` : ""}
        {summary.withoutPopulation60 > 0
          ? ` · ${t("livingCircle.withoutPopulation60", { count: summary.withoutPopulation60 })}`
          : ""}
      </p>
      <table className="table" data-testid="living-circle-table">
        <thead>
          <tr>
            <th>{t("livingCircle.measure")}</th>
            <th>{t("livingCircle.threshold")}</th>
            <th>{t("livingCircle.communitiesCovered")}</th>
            <th>{t("livingCircle.communitiesShare")}</th>
            <th>{t("livingCircle.population60Covered")}</th>
            <th>{t("livingCircle.population60Share")}</th>
          </tr>
        </thead>
        <tbody>
          {summary.measures.map((m) => (
            <tr key={m.measure} aria-current={m.measure === query.measure ? "true" : undefined}>
              <td>
                <Link to={`/dashboard/${short}/living-circle${livingCircleSearch({ ...query, measure: m.measure })}`}>
                  {t(measureLabelKey(m.measure))}
                </Link>
              </td>
              <td>{formatDistance(m.thresholdM, locale)}</td>
              <td>{t("livingCircle.coveredOfTotal", { covered: count(m.covered), total: count(m.communities) })}</td>
              <td>{formatPercent(m.share, locale)}</td>
              <td>
                {t("livingCircle.coveredOfTotal", {
                  covered: count(m.population60Covered),
                  total: count(m.population60),
                })}
              </td>
              <td>{formatPercent(m.population60Share, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type ChosenSite = {
  lat: number;
  lng: number;
  name: string | null;
  candidate: { kind: "community" | "facility" | "proposed"; ref: string };
  newlyCovered60: number;
  communities: string[];
};
type SitesAnswer = {
  k: number;
  capacity: number | null;
  optimal: boolean;
  method: "exact" | "greedy";
  covered60Before: number;
  covered60After: number;
  demand: { communities: number; population60: number };
  solveMs: number;
  sites: ChosenSite[];
  greedy: { covered60After: number; sites: ChosenSite[] } | null;
};

function SitesTable({ sites, testId }: { sites: ChosenSite[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatNumber(n, i18n.language);
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t("livingCircle.siteRank")}</th>
          <th>{t("livingCircle.name")}</th>
          <th>{t("livingCircle.siteKind")}</th>
          <th>{t("livingCircle.siteNewly60")}</th>
          <th>{t("livingCircle.siteNewlyCommunities")}</th>
        </tr>
      </thead>
      <tbody>
        {sites.map((s, i) => (
          <tr key={`${s.candidate.kind}:${s.candidate.ref}`}>
            <td>{i + 1}</td>
            <td>{s.name ?? t("livingCircle.unknown")}</td>
            <td>{t(`livingCircle.siteKind_${s.candidate.kind}`)}</td>
            <td>{count(s.newlyCovered60)}</td>
            <td>{count(s.communities.length)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The best k new sites, exact with greedy beside it; `sites` is null above township level */
export function LivingCircleSites({
  plans,
  sites,
  form,
  query,
  short,
}: {
  /** a county or township: sites are chosen there */
  plans: boolean;
  /** null when the form's values were refused */
  sites: SitesAnswer | null;
  form: { k: string; capacity: string; proposed: string; errors: string[] };
  query: LivingCircleQuery;
  short: string;
}) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatNumber(n, i18n.language);
  if (!plans) return <p className="small muted">{t("livingCircle.sitesCountyOnly")}</p>;
  const gained = sites?.greedy ? sites.covered60After - sites.greedy.covered60After : 0;
  const errorId = form.errors.length ? "sites-form-error" : undefined;
  return (
    <section data-testid="living-circle-sites" className="stack">
      <h3>{t("livingCircle.sitesTitle")}</h3>
      <p className="small muted">{t("livingCircle.sitesIntro")}</p>
      <Form method="get" className="stack">
        <input type="hidden" name="measure" value={query.measure} />
        {query.includeVillages ? <input type="hidden" name="villages" value="1" /> : null}
        <div className="inline-fields">
          <label>
            {t("livingCircle.sitesK")}{" "}
            <input
              type="number"
              name="k"
              min={1}
              max={10}
              step={1}
              defaultValue={form.k || "3"}
              aria-describedby={errorId}
            />
          </label>{" "}
          <label>
            {t("livingCircle.sitesCapacity")}{" "}
            <input
              type="number"
              name="capacity"
              min={1}
              step={1}
              defaultValue={form.capacity}
              aria-describedby={errorId}
            />
          </label>{" "}
          <label>
            {t("livingCircle.sitesProposed")}{" "}
            <input name="proposed" defaultValue={form.proposed} aria-describedby={errorId} />
          </label>
        </div>
        {form.errors.length ? (
          <ul id={errorId} className="error" role="alert" data-testid="sites-form-errors">
            {form.errors.map((e) => (
              <li key={e}>{t(e)}</li>
            ))}
          </ul>
        ) : null}
        <div>
          <button type="submit">{t("livingCircle.update")}</button>
        </div>
      </Form>
      {!sites ? null : sites.sites.length === 0 ? (
        <p>{t("livingCircle.sitesNone")}</p>
      ) : (
        <>
          <p data-testid="living-circle-sites-result">
            {t(sites.optimal ? "livingCircle.sitesExactOptimal" : "livingCircle.sitesExactNotProven", {
              k: count(sites.sites.length),
              covered: count(sites.covered60After - sites.covered60Before),
              demand: count(sites.demand.population60),
            })}{" "}
            {sites.greedy
              ? gained > 0
                ? t("livingCircle.sitesBeatGreedy", {
                    greedy: count(sites.greedy.covered60After - sites.covered60Before),
                    gained: count(gained),
                  })
                : t("livingCircle.sitesSameAsGreedy")
              : null}
          </p>
          <SitesTable sites={sites.sites} testId="living-circle-sites-exact" />
          <p>
            <Link
              to={`/dashboard/${short}/plan${planSearch({
                measures: [query.measure],
                sites: sites.sites.map((s) => ({ lat: s.lat, lng: s.lng })),
                includeVillages: query.includeVillages,
              })}`}
            >
              {t("livingCircle.sitesToPlan")}
            </Link>
          </p>
          {sites.capacity !== null ? (
            <p className="small muted">{t("livingCircle.sitesCapacityNote", { capacity: count(sites.capacity) })}</p>
          ) : null}
          {sites.capacity !== null ? (
            <p className="small muted">{t("livingCircle.sitesCapacityNote", { capacity: count(sites.capacity) })}</p>
          ) : null}
          {sites.greedy && gained > 0 ? (
            <details>
              <summary>{t("livingCircle.sitesGreedyTitle")}</summary>
              <SitesTable sites={sites.greedy.sites} testId="living-circle-sites-greedy" />
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}

export function LivingCircleGaps({ gaps }: { gaps: LivingCircleGap[] }) {
  const { t, i18n } = useTranslation();
  if (gaps.length === 0) return null;
  return (
    <table className="table" data-testid="living-circle-gaps">
      <thead>
        <tr>
          <th>{t("livingCircle.code")}</th>
          <th>{t("livingCircle.name")}</th>
          <th>{t("livingCircle.township")}</th>
          <th>{t("livingCircle.population60")}</th>
          <th>{t("livingCircle.location")}</th>
        </tr>
      </thead>
      <tbody>
        {gaps.map((g) => (
          <tr key={g.code}>
            <td>{g.code}</td>
            <td>{g.name}</td>
            <td>{g.township ?? t("livingCircle.unknown")}</td>
            <td>{g.population60 === null ? t("livingCircle.unknown") : formatNumber(g.population60, i18n.language)}</td>
            <td>
              {g.lat === null || g.lng === null
                ? t("livingCircle.noLocation")
                : `${g.lat.toFixed(5)}, ${g.lng.toFixed(5)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How the figures measured walking distance (docs/figures.md): every living-circle view says it. */
export function DistanceModelNote({
  distance,
}: {
  distance: { detourFactor: number; networks: { name: string; edges: number; loadedAt: string }[] };
}) {
  const { t, i18n } = useTranslation();
  const factor = formatDetourFactor(distance.detourFactor, i18n.language);
  return (
    <p className="small" data-testid="living-circle-distance">
      {distance.networks.length === 0
        ? t("livingCircle.distanceDetour", { factor })
        : t("livingCircle.distanceNetwork", {
            factor,
            networks: distance.networks
              .map((n) =>
                t("livingCircle.distanceNetworkItem", {
                  name: n.name,
                  edges: formatNumber(n.edges, i18n.language),
                  date: formatDate(n.loadedAt, i18n.language),
                }),
              )
              .join(t("livingCircle.listSeparator")),
          })}
    </p>
  );
}
