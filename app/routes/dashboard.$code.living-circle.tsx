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
import { LivingCircleMap } from "~/components/living-circle-map.client";
import { LivingCircleRecomputeNote } from "~/components/living-circle-recomputes";
import {
  DistanceModelNote,
  LivingCircleGaps,
  LivingCircleSites,
  MeasuresTable,
} from "~/components/living-circle-tables";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import {
  LIVING_CIRCLE_GAP_PAGE,
  livingCircleSearch,
  measureLabelKey,
  parseSitesQuery,
} from "~/domains/living-circle/living-circle";
import {
  loadScopedLivingCircle,
  listLivingCircleGaps,
  listLivingCircleRecomputes,
} from "~/domains/living-circle/living-circle.server";
import { chooseSites, SITES_LEVELS } from "~/domains/living-circle/planning.server";
import { outlineCode, significantCode } from "~/domains/regions/regions";
import { xlsxHref } from "~/utils/export-table";
import { formatDistance, formatNumber } from "~/utils/format";

import { LIVING_CIRCLE_MEASURES } from "../../db/identifiers";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.summary.region.name} · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { query, summary, thresholdM, database } = await loadScopedLivingCircle(request, code);
  const options = { includeVillages: query.includeVillages };
  // the best k new sites (exact, greedy beside it) in a county or township
  // a bad k, capacity or proposed point is shown beside the form, which keeps what was typed
  const url = new URL(request.url);
  const sitesQuery = parseSitesQuery(url);
  const sitesForm = {
    k: url.searchParams.get("k") ?? "",
    capacity: url.searchParams.get("capacity") ?? "",
    proposed: url.searchParams.get("proposed") ?? "",
    errors: sitesQuery.success ? [] : [...new Set(sitesQuery.error.issues.map((i) => i.message))],
  };
  const plans = (SITES_LEVELS as readonly string[]).includes(summary.region.level);
  const [gaps, sites, recomputes] = await Promise.all([
    listLivingCircleGaps(summary.region.code, query.measure, { ...options, limit: LIVING_CIRCLE_GAP_PAGE }, database),
    plans && sitesQuery.success
      ? chooseSites(summary.region.code, { ...sitesQuery.data, method: "exact" }, database)
      : null,
    // only those under way (from the primary: a replica would show them late): the figures may be moving
    listLivingCircleRecomputes(0),
  ]);
  return json({
    query,
    summary,
    boundaryUrl: `/api/v1/regions/${outlineCode(summary.region.code)}/boundary`,
    thresholdM,
    gaps: gaps ?? { total: 0, gaps: [] },
    plans,
    sites,
    sitesForm,
    recomputes,
  });
}

export default function LivingCirclePage() {
  const { query, summary, boundaryUrl, thresholdM, gaps, plans, sites, sitesForm, recomputes } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const short = significantCode(summary.region.code);
  const search = livingCircleSearch(query);
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
                label: `${g.name} · ${g.population60 ?? t("livingCircle.unknown")}`,
              },
            ],
      ),
    [gaps, t],
  );
  const mapSites = useMemo(
    () =>
      (sites?.sites ?? []).map((s, i) => ({
        code: `${s.candidate.kind}:${s.candidate.ref}`,
        name: s.name ?? "",
        lat: s.lat,
        lng: s.lng,
        label: `${i + 1}. ${s.name ?? ""}`,
      })),
    [sites],
  );
  return (
    <div className="stack">
      <h1>{t("livingCircle.pageTitle", { name: summary.region.name })}</h1>
      <LivingCircleRecomputeNote recomputes={recomputes} />
      <p className="muted">{t("livingCircle.intro")}</p>
      <DistanceModelNote distance={summary.distance} />
      <p className="small">
        <Link to={`/dashboard/${short}/roads`}>{t("livingCircle.roadsLink")}</Link>
      </p>
      <p>
        <Link to={`/dashboard/${short}${query.includeVillages ? "?villages=1" : ""}`}>
          {t("livingCircle.backToDashboard")}
        </Link>
        {summary.region.level === "county" || summary.region.level === "township" ? (
          <>
            {" · "}
            <Link to={`/dashboard/${short}/plan?m=${query.measure}${query.includeVillages ? "&villages=1" : ""}`}>
              {t("livingCircle.planLink")}
            </Link>
          </>
        ) : null}
      </p>

      <LivingCircleControls query={query} />

      <MeasuresTable query={query} summary={summary} short={short} />

      <section className="stack">
        <h2>{t("livingCircle.gapsTitle", { measure: measureName })}</h2>
        <p>
          <span>{t("livingCircle.exports")}:</span>{" "}
          <a href={`/dashboard/${short}/living-circle.csv${search}`} download>
            {t("livingCircle.exportCsv")}
          </a>{" "}
          <a href={xlsxHref(`/dashboard/${short}/living-circle.xlsx`, search, locale)} download>
            {t("exportTables.excel")}
          </a>{" "}
          <a href={`/dashboard/${short}/living-circle.geojson${search}`} download>
            {t("livingCircle.exportGeojson")}
          </a>
        </p>
        {gaps.total === 0 ? (
          <p data-testid="living-circle-no-gaps">{t("livingCircle.gapsNone")}</p>
        ) : (
          <p data-testid="living-circle-gap-total">
            {t("livingCircle.gapsTotal", { total: count(gaps.total), threshold: formatDistance(thresholdM, locale) })}{" "}
            {gaps.total > gaps.gaps.length ? t("livingCircle.gapsShown", { shown: count(gaps.gaps.length) }) : null}
          </p>
        )}

        <h3>{t("livingCircle.mapTitle")}</h3>
        <ClientOnly
          fallback={
            <div className="map-frame map-placeholder" style={{ height: 440 }}>
              {t("livingCircle.mapLoading")}
            </div>
          }
        >
          {() => (
            <LivingCircleMap
              gaps={mapGaps}
              sites={mapSites}
              thresholdM={thresholdM}
              boundaryUrl={boundaryUrl}
              tilesUnavailableMessage={t("livingCircle.mapUnavailable")}
            />
          )}
        </ClientOnly>
        <p className="small muted">
          <span style={{ color: "#b3261e" }}>●</span> {t("livingCircle.legendGap")}{" "}
          <span style={{ color: "#0b57d0" }}>◯</span> {t("livingCircle.legendSite")}
        </p>

        <LivingCircleSites plans={plans} sites={sites} form={sitesForm} query={query} short={short} />
        <LivingCircleGaps gaps={gaps.gaps} />
      </section>
    </div>
  );
}

type LivingCircleData = SerializeFrom<typeof loader>;

/** measure and villages: labels wrap their controls, unlike components/filter-form.tsx's fields */
function LivingCircleControls({ query }: { query: LivingCircleData["query"] }) {
  const { t } = useTranslation();
  return (
    <Form method="get" className="inline-form" data-testid="living-circle-controls">
      <label>
        {t("livingCircle.measure")}{" "}
        <select name="measure" defaultValue={query.measure}>
          {LIVING_CIRCLE_MEASURES.map((m) => (
            <option key={m} value={m}>
              {t(measureLabelKey(m))}
            </option>
          ))}
        </select>
      </label>{" "}
      <label className="checkbox-target">
        <input type="checkbox" name="villages" value="1" defaultChecked={query.includeVillages} />{" "}
        {t("livingCircle.includeVillages")}
      </label>{" "}
      <button type="submit">{t("livingCircle.update")}</button>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
