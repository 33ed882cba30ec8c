import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { accessSearch, measureLabelKey, type AccessQuery } from "~/domains/living-circle/living-circle";
import { formatDistance, formatNumber, formatPercent } from "~/utils/format";

// The living-circle page's tables: every measure's reach, the suggested sites (county level) and the
// communities outside the chosen measure's threshold.

type MeasuresSummary = {
  withoutPoint: number;
  withoutPopulation60: number;
  measures: {
    measure: AccessQuery["measure"];
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
type Gap = {
  code: string;
  name: string;
  township: string | null;
  population60: number | null;
  lat: number | null;
  lng: number | null;
};

export function MeasuresTable({
  query,
  summary,
  short,
}: {
  query: AccessQuery;
  summary: MeasuresSummary;
  short: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const count = (n: number) => formatNumber(n, locale);
  return (
    <section>
      <h2>{t("access.tableTitle")}</h2>
      <p className="small muted">
        {t(query.includeVillages ? "access.denominatorAll" : "access.denominatorUrban")}
        {summary.withoutPoint > 0 ? ` · ${t("access.withoutPoint", { count: summary.withoutPoint })}` : ""}
        {summary.withoutPopulation60 > 0
          ? ` · ${t("access.withoutPopulation60", { count: summary.withoutPopulation60 })}`
          : ""}
      </p>
      <table className="table" data-testid="access-table">
        <thead>
          <tr>
            <th>{t("access.measure")}</th>
            <th>{t("access.threshold")}</th>
            <th>{t("access.communitiesCovered")}</th>
            <th>{t("access.communitiesShare")}</th>
            <th>{t("access.population60Covered")}</th>
            <th>{t("access.population60Share")}</th>
          </tr>
        </thead>
        <tbody>
          {summary.measures.map((m) => (
            <tr key={m.measure} aria-current={m.measure === query.measure ? "true" : undefined}>
              <td>
                <Link to={`/dashboard/${short}/access${accessSearch({ ...query, measure: m.measure })}`}>
                  {t(measureLabelKey(m.measure))}
                </Link>
              </td>
              <td>{formatDistance(m.thresholdM, locale)}</td>
              <td>{t("access.coveredOfTotal", { covered: count(m.covered), total: count(m.communities) })}</td>
              <td>{formatPercent(m.share, locale)}</td>
              <td>
                {t("access.coveredOfTotal", { covered: count(m.population60Covered), total: count(m.population60) })}
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
export function AccessSites({ sites }: { sites: { sites: Site[] } | null }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatNumber(n, i18n.language);
  if (!sites) return <p className="small muted">{t("access.sitesCountyOnly")}</p>;
  return (
    <section data-testid="access-sites">
      <h3>{t("access.sitesTitle")}</h3>
      <p className="small muted">{t("access.sitesIntro")}</p>
      {sites.sites.length === 0 ? (
        <p>{t("access.sitesNone")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t("access.siteRank")}</th>
              <th>{t("access.name")}</th>
              <th>{t("access.township")}</th>
              <th>{t("access.siteNewly60")}</th>
              <th>{t("access.siteNewlyCommunities")}</th>
            </tr>
          </thead>
          <tbody>
            {sites.sites.map((s, i) => (
              <tr key={s.code}>
                <td>{i + 1}</td>
                <td>
                  {s.name} <span className="small muted">{s.code}</span>
                </td>
                <td>{s.township ?? t("access.unknown")}</td>
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

export function AccessGaps({ gaps }: { gaps: Gap[] }) {
  const { t, i18n } = useTranslation();
  if (gaps.length === 0) return null;
  return (
    <table className="table" data-testid="access-gaps">
      <thead>
        <tr>
          <th>{t("access.code")}</th>
          <th>{t("access.name")}</th>
          <th>{t("access.township")}</th>
          <th>{t("access.population60")}</th>
          <th>{t("access.location")}</th>
        </tr>
      </thead>
      <tbody>
        {gaps.map((g) => (
          <tr key={g.code}>
            <td>{g.code}</td>
            <td>{g.name}</td>
            <td>{g.township ?? t("access.unknown")}</td>
            <td>{g.population60 === null ? t("access.unknown") : formatNumber(g.population60, i18n.language)}</td>
            <td>
              {g.lat === null || g.lng === null ? t("access.noLocation") : `${g.lat.toFixed(5)}, ${g.lng.toFixed(5)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
