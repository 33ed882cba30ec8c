import {
  json,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import {
  Link,
  useLoaderData,
  useNavigate,
  useNavigation,
  useRouteLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ServicesMap } from "~/components/maps";
import { CommunityChoices, ServiceResults } from "~/components/resident-results";
import { FoldedWhen, ResidentSearchForm } from "~/components/resident-search-form";
import { publicRoute } from "~/domains/accounts/guards.server";
import { publicCalendar } from "~/domains/listings/public-holidays.server";
import { inSearchArea } from "~/domains/regions/coordinates";
import { openNowOf, publicServiceJson, RESIDENT_RADII } from "~/domains/search/search";
import { parseResidentQuery, resolveOrigin, searchServices, type ResolvedOrigin } from "~/domains/search/search.server";
import { formatDistance } from "~/utils/format";
import { description, metaI18n } from "~/utils/meta";
import { requireResidentPageAllowance } from "~/utils/public-budget.server";
import { readDatabaseFor } from "~/utils/read-database.server";
import type { PageBudgetExceeded } from "~/utils/responses.server";
import { useOneColumn } from "~/utils/use-one-column";
import { useRootData } from "~/utils/use-root-data";

import { CHIP_CATEGORIES } from "../../db/identifiers";

// The residents' home: where am I (coordinates, a community, an address), what is near me.
// The whole query is in the URL: shareable, Back works, and the list works without JavaScript.
// The query is parsed and the origin resolved (coordinates, a community, a name, an address) in
// domains/search/search.server.ts; the page's parts are in components/resident-*.tsx.

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requireResidentPageAllowance(context.clientIp);
  const query = parseResidentQuery(new URL(request.url).searchParams);
  const database = readDatabaseFor(request);
  const resolved = await resolveOrigin(query, database);
  // only from Shandong or near it (coordinates.ts, the same rule as the API): a point far away
  // finds nothing and costs a search of every window to say so
  const outside = resolved.origin !== null && !inSearchArea(resolved.origin);
  const { origin, problem, choices }: ResolvedOrigin = outside
    ? { origin: null, problem: "outsideShandong", choices: [] }
    : resolved;
  const now = new Date();
  const calendar = publicCalendar(now);
  const page = origin
    ? await searchServices(
        {
          lat: origin.lat,
          lng: origin.lng,
          category: query.category,
          radiusM: query.radius === "any" ? undefined : Number(query.radius),
          limit: query.limit,
          now,
          accept: query.openNow ? (hit) => openNowOf(hit, now, calendar) === true : undefined,
        },
        database,
      )
    : null;
  return json(
    {
      query,
      origin,
      problem,
      choices,
      now: now.toISOString(),
      services: page
        ? page.services.map((hit) => ({
            ...publicServiceJson(hit, openNowOf(hit, now, calendar)),
            hours: hit.schedule ?? hit.facilityOpeningHours,
          }))
        : [],
      hasMore: Boolean(page?.nextCursor),
    },
    { status: outside ? 400 : 200 },
  );
}

/** a 429 from the page's budget keeps its Retry-After on the document */
export const headers: HeadersFunction = ({ parentHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = errorHeaders?.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

// a rating given under a result changes nothing in the results: the search is not run again
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.startsWith("/services/") ? false : defaultShouldRevalidate;

export const meta: MetaFunction = ({ matches }) => [
  { title: "社区通 Shequ · 找身边的社区服务" },
  description(metaI18n(matches).t("meta.home")),
];

export default function ResidentHome() {
  const { query, origin, problem, choices, services, hasMore, now } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const root = useRootData();

  /** the current query with a new point (other ways of saying where are dropped) */
  const withPoint = (lat: number, lng: number) => {
    const next = new URLSearchParams(searchParams);
    for (const key of ["community", "c", "address", "limit"]) next.delete(key);
    next.set("lat", lat.toFixed(6));
    next.set("lng", lng.toFixed(6));
    return `?${next}`;
  };

  const more = new URLSearchParams(searchParams);
  more.set("limit", String(Math.min(100, query.limit + 20)));
  const placeLabel = origin?.label ?? t("resident.yourPoint");
  // with results, the page is titled by them, the introduction goes and the form folds into one
  // line, so that the first result is in a phone's first screen, in large text too
  const showingResults = Boolean(origin) && services.length > 0;
  const resultsTitle = t("resident.results", { place: placeLabel });
  // One column (a phone, or large text): the results are a list or a map, switched, not a list
  // with the map 5,000 px below it; before a search the map comes when asked for, so a phone
  // does not fetch and draw it under the form. Without JavaScript both stay, one after the other.
  const oneColumn = useOneColumn();
  const switched = oneColumn && showingResults;
  const [view, setView] = useState<"list" | "map">("list");
  const [mapAsked, setMapAsked] = useState(false);
  const mapShown = !oneColumn || (showingResults ? view === "map" : mapAsked);

  return (
    <section className="stack">
      <h1>{showingResults ? resultsTitle : t("resident.title")}</h1>
      {showingResults ? null : <p className="muted">{t("resident.intro")}</p>}

      <FoldedWhen
        folded={showingResults}
        summary={[
          query.category ? t(`categories.${query.category}`) : t("resident.allCategories"),
          query.radius === "any" ? t("resident.anyDistance") : formatDistance(Number(query.radius), i18n.language),
          origin?.area ? t("resident.placeIn", { place: placeLabel, area: origin.area }) : placeLabel,
        ].join(" · ")}
      >
        <ResidentSearchForm
          query={query}
          outsideShandong={problem === "outsideShandong"}
          categories={CHIP_CATEGORIES}
          radii={RESIDENT_RADII}
          onLocated={(lat, lng) => navigate(withPoint(lat, lng))}
        />
      </FoldedWhen>

      {problem ? (
        <p className="notice" role="alert">
          {t(`resident.${problem}`, { q: query.c })}
        </p>
      ) : null}
      <CommunityChoices choices={choices} />

      {switched ? (
        <div role="group" aria-label={t("resident.viewLabel")} className="view-switch" data-testid="view-switch">
          {(["list", "map"] as const).map((option) => (
            <button key={option} type="button" aria-pressed={view === option} onClick={() => setView(option)}>
              {t(option === "list" ? "resident.viewList" : "resident.viewMap")}
            </button>
          ))}
        </div>
      ) : null}

      <div className="resident-layout">
        <div hidden={switched && view === "map"}>
          {origin ? (
            <>
              {showingResults ? null : <h2>{resultsTitle}</h2>}
              {/* said in words, and announced when a search brings new results */}
              <p role="status" data-testid="results-summary">
                {services.length === 0
                  ? t("resident.noResults")
                  : t(hasMore ? "resident.countMore" : "resident.count", {
                      count: services.length,
                      radius:
                        query.radius === "any"
                          ? t("resident.anyDistance")
                          : t("resident.within", { distance: formatDistance(Number(query.radius), i18n.language) }),
                    })}
              </p>
              <ServiceResults
                origin={origin}
                services={services}
                now={now}
                selectedId={selectedId}
                onSelect={setSelectedId}
                readAloud={root?.largeText ?? false}
              />
              <p className="muted small">{t("resident.walkNote")}</p>
              {hasMore ? (
                <p>
                  <Link to={`?${more}`} preventScrollReset>
                    {t("resident.more")}
                  </Link>
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted">{t("resident.pickLocation")}</p>
          )}
        </div>
        {mapShown ? (
          <ResultsMap
            origin={origin}
            services={services}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onPick={(p) => navigate(withPoint(p.lat, p.lng), { preventScrollReset: true })}
            youLabel={placeLabel}
          />
        ) : switched ? null : (
          <button type="button" onClick={() => setMapAsked(true)}>
            {t("resident.showMap")}
          </button>
        )}
      </div>
    </section>
  );
}

type ResidentData = SerializeFrom<typeof loader>;

/** the map column: the county outlines' address comes from the layout route's loader */
function ResultsMap({
  origin,
  services,
  selectedId,
  onSelect,
  onPick,
  youLabel,
}: {
  origin: ResidentData["origin"];
  services: ResidentData["services"];
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onPick: (point: { lat: number; lng: number }) => void;
  youLabel: string;
}) {
  const layout = useRouteLoaderData("routes/_resident") as { countiesUrl: string } | undefined;
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div
      role="region"
      aria-label={t("resident.mapLabel")}
      className={navigation.state === "loading" ? "map-column loading" : "map-column"}
    >
      {layout ? (
        <ServicesMap
          placeholder={<div className="services-map map-placeholder">{t("home.mapLoading")}</div>}
          origin={origin}
          services={services.map((s) => ({
            id: s.id,
            name: s.name,
            facilityName: s.facility.name,
            lat: s.facility.lat,
            lng: s.facility.lng,
          }))}
          countiesUrl={layout.countiesUrl}
          selectedId={selectedId}
          onSelect={onSelect}
          onPick={onPick}
          tilesUnavailableMessage={t("home.tilesUnavailable")}
          youLabel={youLabel}
        />
      ) : null}
      <p className="small muted">{t("home.boundarySource")}</p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 429: ({ error }) => <TooManyRequests data={error.data} /> }} />;
}

function TooManyRequests({ data }: { data: unknown }) {
  const { t } = useTranslation();
  const seconds = (data as Partial<PageBudgetExceeded> | null)?.retryAfterSeconds ?? 60;
  return <p>{t("resident.tooManyRequests", { seconds })}</p>;
}
