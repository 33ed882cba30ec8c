import {
  json,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AccessMap } from "~/components/living-circle-map.client";
import { AccessGaps, AccessSites, MeasuresTable } from "~/components/living-circle-tables";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import { ACCESS_GAP_PAGE, accessSearch, measureLabelKey } from "~/domains/living-circle/living-circle";
import { loadScopedAccess, listAccessGaps, suggestSites } from "~/domains/living-circle/living-circle.server";
import { significantCode } from "~/domains/regions/regions";
import { formatDistance, formatNumber } from "~/utils/format";
import { useRootData } from "~/utils/use-root-data";

import { ACCESS_MEASURES } from "../../db/identifiers";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.summary.region.name} · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { query, summary, thresholdM } = await loadScopedAccess(request, code);
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

      <AccessControls query={query} />

      <MeasuresTable query={query} summary={summary} short={short} />

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

        <AccessSites sites={sites} />
        <AccessGaps gaps={gaps.gaps} />
      </section>
    </main>
  );
}

type AccessData = SerializeFrom<typeof loader>;

/** measure and villages: labels wrap their controls, unlike components/filter-form.tsx's fields */
function AccessControls({ query }: { query: AccessData["query"] }) {
  const { t } = useTranslation();
  return (
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
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
