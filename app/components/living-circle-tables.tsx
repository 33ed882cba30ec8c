import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import {
  livingCircleSearch,
  measureLabelKey,
  type LivingCircleGap,
  type LivingCircleQuery,
} from "~/domains/living-circle/living-circle";
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
type Site = { code: string; name: string; township: string | null; population60: number; communities: number };

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

/** `sites` is null below county level, where no site is suggested */
export function LivingCircleSites({ sites }: { sites: { sites: Site[] } | null }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatNumber(n, i18n.language);
  if (!sites) return <p className="small muted">{t("livingCircle.sitesCountyOnly")}</p>;
  return (
    <section data-testid="living-circle-sites">
      <h3>{t("livingCircle.sitesTitle")}</h3>
      <p className="small muted">{t("livingCircle.sitesIntro")}</p>
      {sites.sites.length === 0 ? (
        <p>{t("livingCircle.sitesNone")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t("livingCircle.siteRank")}</th>
              <th>{t("livingCircle.name")}</th>
              <th>{t("livingCircle.township")}</th>
              <th>{t("livingCircle.siteNewly60")}</th>
              <th>{t("livingCircle.siteNewlyCommunities")}</th>
            </tr>
          </thead>
          <tbody>
            {sites.sites.map((s, i) => (
              <tr key={s.code}>
                <td>{i + 1}</td>
                <td>
                  {s.name} <span className="small muted">{s.code}</span>
                </td>
                <td>{s.township ?? t("livingCircle.unknown")}</td>
                <td>{count(s.population60)}</td>
                <td>{count(s.communities)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
