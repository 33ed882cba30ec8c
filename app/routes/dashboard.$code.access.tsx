import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";

import { AccessMap } from "~/components/access-map.client";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ACCESS_GAP_PAGE, accessSearch, measureLabelKey } from "~/utils/access";
import { loadScopedAccess } from "~/utils/access.server";
import { listAccessGaps, suggestSites } from "~/utils/db.server";
import { formatDistance, formatNumber, formatPercent } from "~/utils/format";
import { significantCode } from "~/utils/region-code";
import { useRootData } from "~/utils/use-root-data";

import { ACCESS_MEASURES } from "../../db/identifiers";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.summary.region.name} · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { query, summary, thresholdM } = await loadScopedAccess(request, params.code);
  const options = { includeVillages: query.includeVillages };
  const [gaps, sites] = await Promise.all([
    listAccessGaps(summary.region.code, query.measure, { ...options, limit: ACCESS_GAP_PAGE }),
    summary.region.level === "county" ? suggestSites(summary.region.code, query.measure, options) : null,
  ]);
  return json({ query, summary, thresholdM, gaps: gaps ?? { total: 0, gaps: [] }, sites });
}

export default function AccessPage() {
  const { query, summary, thresholdM, gaps, sites } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const root = useRootData();
  const locale = i18n.language;
  const short = significantCode(summary.region.code);
  const search = accessSearch(query);
  const measureName = t(measureLabelKey(query.measure));
  const count = (n: number) => formatNumber(n, locale);
  const mapGaps = useMemo(
    () =>
      gaps.gaps.flatMap((g) =>
        g.lat === null || g.lng === null
          ? []
          : [
              {
                code: g.code,
                name: g.name,
                lat: g.lat,
                lng: g.lng,
                label: `${g.name} · ${g.population60 ?? t("access.unknown")}`,
              },
            ],
      ),
    [gaps, t],
  );
  const mapSites = useMemo(
    () =>
      (sites?.sites ?? []).map((s, i) => ({
        code: s.code,
        name: s.name,
        lat: s.lat,
        lng: s.lng,
        label: `${i + 1}. ${s.name}`,
      })),
    [sites],
  );
  return (
    <main id="main" className="stack">
      <h1>{t("access.pageTitle", { name: summary.region.name })}</h1>
      <p className="muted">{t("access.intro")}</p>
      <p>
        <Link to={`/dashboard/${short}${query.includeVillages ? "?villages=1" : ""}`}>
          {t("access.backToDashboard")}
        </Link>
      </p>

      <Form method="get" className="inline-form" data-testid="access-controls">
        <label>
          {t("access.measure")}{" "}
          <select name="measure" defaultValue={query.measure}>
            {ACCESS_MEASURES.map((m) => (
              <option key={m} value={m}>
                {t(measureLabelKey(m))}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          <input type="checkbox" name="villages" value="1" defaultChecked={query.includeVillages} />{" "}
          {t("access.includeVillages")}
        </label>{" "}
        <button type="submit">{t("access.update")}</button>
      </Form>

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

      <section className="stack">
        <h2>{t("access.gapsTitle", { measure: measureName })}</h2>
        <p>
          <span>{t("access.exports")}:</span>{" "}
          <a href={`/dashboard/${short}/access.csv${search}`} download>
            {t("access.exportCsv")}
          </a>{" "}
          <a href={`/dashboard/${short}/access.geojson${search}`} download>
            {t("access.exportGeojson")}
          </a>
        </p>
        {gaps.total === 0 ? (
          <p data-testid="access-no-gaps">{t("access.gapsNone")}</p>
        ) : (
          <p data-testid="access-gap-total">
            {t("access.gapsTotal", { total: count(gaps.total), threshold: formatDistance(thresholdM, locale) })}{" "}
            {gaps.total > gaps.gaps.length ? t("access.gapsShown", { shown: count(gaps.gaps.length) }) : null}
          </p>
        )}

        <h3>{t("access.mapTitle")}</h3>
        <ClientOnly
          fallback={
            <div className="map-frame map-placeholder" style={{ height: 440 }}>
              {t("access.mapLoading")}
            </div>
          }
        >
          {() => (
            <AccessMap
              gaps={mapGaps}
              sites={mapSites}
              thresholdM={thresholdM}
              tileUrl={root?.ENV.MAP_TILE_URL ?? ""}
              tileAttribution={root?.ENV.MAP_TILE_ATTRIBUTION ?? ""}
              tilesUnavailableMessage={t("access.mapUnavailable")}
            />
          )}
        </ClientOnly>
        <p className="small muted">
          <span style={{ color: "#b3261e" }}>●</span> {t("access.legendGap")}{" "}
          <span style={{ color: "#0b57d0" }}>◯</span> {t("access.legendSite")}
        </p>

        {sites ? (
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
        ) : (
          <p className="small muted">{t("access.sitesCountyOnly")}</p>
        )}

        {gaps.gaps.length > 0 ? (
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
              {gaps.gaps.map((g) => (
                <tr key={g.code}>
                  <td>{g.code}</td>
                  <td>{g.name}</td>
                  <td>{g.township ?? t("access.unknown")}</td>
                  <td>{g.population60 === null ? t("access.unknown") : count(g.population60)}</td>
                  <td>
                    {g.lat === null || g.lng === null
                      ? t("access.noLocation")
                      : `${g.lat.toFixed(5)}, ${g.lng.toFixed(5)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
