import {
  json,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  type SerializeFrom,
} from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useNavigation, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CommunityChoices, ServiceResults } from "~/components/resident-results";
import { FoldedWhen, ResidentSearchForm } from "~/components/resident-search-form";
import { ServicesMap } from "~/components/services-map.client";
import { publicRoute } from "~/domains/accounts/guards.server";
import { publicCalendar } from "~/domains/listings/public-holidays.server";
import { inSearchArea } from "~/domains/regions/coordinates";
import { getRegion, searchCommunities, type CountyBoundaries } from "~/domains/regions/regions.server";
import { openNowOf, publicServiceJson } from "~/domains/search/search";
import { searchServices } from "~/domains/search/search.server";
import { formatDistance } from "~/utils/format";
import { geocodeAddress } from "~/utils/geocode.server";
import { requireResidentPageAllowance } from "~/utils/public-budget.server";
import type { PageBudgetExceeded } from "~/utils/responses.server";
import { useRootData } from "~/utils/use-root-data";

import { CHIP_CATEGORIES, SERVICE_CATEGORIES, toStoredCode } from "../../db/identifiers";

// The residents' home: where am I (coordinates, a community, an address), what is near me.
// The whole query is in the URL: shareable, Back works, and the list works without JavaScript.
// Over 200 lines because the loader resolves the origin four ways (coordinates, community, name,
// address) before it searches; the page's parts are in components/resident-*.tsx.

const RADII = ["500", "1000", "3000", "any"] as const;

const number = (min: number, max: number) =>
  z
    .preprocess((v) => (v === "" || v === undefined ? undefined : Number(v)), z.number().min(min).max(max).optional())
    .catch(undefined);

const querySchema = z.object({
  lat: number(-90, 90),
  lng: number(-180, 180),
  community: z
    .string()
    .regex(/^\d{9}(\d{3})?$/)
    .optional()
    .catch(undefined),
  c: z.string().trim().max(40).optional().catch(undefined),
  address: z.string().trim().max(200).optional().catch(undefined),
  category: z.enum(SERVICE_CATEGORIES).optional().catch(undefined),
  radius: z.enum(RADII).default("3000").catch("3000"),
  openNow: z.enum(["1"]).optional().catch(undefined),
  limit: z.preprocess((v) => (v === undefined ? 20 : Number(v)), z.number().int().min(1).max(100)).catch(20),
});

type Origin = { lat: number; lng: number; label: string | null };
type Resolved = {
  origin: Origin | null;
  problem: "noCommunity" | "addressNotFound" | "addressUnavailable" | "outsideShandong" | null;
  choices: Awaited<ReturnType<typeof searchCommunities>>;
};

async function resolveOrigin(query: z.infer<typeof querySchema>): Promise<Resolved> {
  if (query.lat !== undefined && query.lng !== undefined) {
    return { origin: { lat: query.lat, lng: query.lng, label: null }, problem: null, choices: [] };
  }
  if (query.community) {
    const region = await getRegion(toStoredCode(query.community));
    if (region?.point) return { origin: { ...region.point, label: region.name }, problem: null, choices: [] };
  }
  if (query.c) {
    const choices = await searchCommunities(query.c, 12);
    if (choices.length === 1 && choices[0].lat !== null && choices[0].lng !== null) {
      return {
        origin: { lat: choices[0].lat, lng: choices[0].lng, label: choices[0].name },
        problem: null,
        choices: [],
      };
    }
    return { origin: null, problem: choices.length ? null : "noCommunity", choices };
  }
  if (query.address) {
    const found = await geocodeAddress(query.address);
    if (found.ok)
      return { origin: { lat: found.lat, lng: found.lng, label: query.address }, problem: null, choices: [] };
    return {
      origin: null,
      problem: found.reason === "not_found" ? "addressNotFound" : "addressUnavailable",
      choices: [],
    };
  }
  return { origin: null, problem: null, choices: [] };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requireResidentPageAllowance(context.clientIp);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const resolved = await resolveOrigin(query);
  // only from Shandong or near it (coordinates.ts, the same rule as the API): a point far away
  // finds nothing and costs a search of every window to say so
  const outside = resolved.origin !== null && !inSearchArea(resolved.origin);
  const { origin, problem, choices }: Resolved = outside
    ? { origin: null, problem: "outsideShandong", choices: [] }
    : resolved;
  const now = new Date();
  const calendar = publicCalendar(now);
  const page = origin
    ? await searchServices({
        lat: origin.lat,
        lng: origin.lng,
        category: query.category,
        radiusM: query.radius === "any" ? undefined : Number(query.radius),
        limit: query.limit,
        now,
        accept: query.openNow ? (hit) => openNowOf(hit, now, calendar) === true : undefined,
      })
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

export const meta: MetaFunction = () => [{ title: "社区通 Shequ · 找身边的社区服务" }];

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

  return (
    <section className="stack">
      <h1>{showingResults ? resultsTitle : t("resident.title")}</h1>
      {showingResults ? null : <p className="muted">{t("resident.intro")}</p>}

      <FoldedWhen
        folded={showingResults}
        summary={[
          query.category ? t(`categories.${query.category}`) : t("resident.allCategories"),
          query.radius === "any" ? t("resident.anyDistance") : formatDistance(Number(query.radius), i18n.language),
          placeLabel,
        ].join(" · ")}
      >
        <ResidentSearchForm
          query={query}
          outsideShandong={problem === "outsideShandong"}
          categories={CHIP_CATEGORIES}
          radii={RADII}
          onLocated={(lat, lng) => navigate(withPoint(lat, lng))}
        />
      </FoldedWhen>

      {problem ? (
        <p className="notice" role="alert">
          {t(`resident.${problem}`, { q: query.c })}
        </p>
      ) : null}
      <CommunityChoices choices={choices} />

      <div className="resident-layout">
        <div>
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
        <ResultsMap
          origin={origin}
          services={services}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onPick={(p) => navigate(withPoint(p.lat, p.lng), { preventScrollReset: true })}
          youLabel={placeLabel}
        />
      </div>
    </section>
  );
}

type ResidentData = SerializeFrom<typeof loader>;

/** the map column: the county boundaries come from the layout route's loader */
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
  const layout = useRouteLoaderData("routes/_resident") as { counties: CountyBoundaries } | undefined;
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div
      role="region"
      aria-label={t("resident.mapLabel")}
      className={navigation.state === "loading" ? "map-column loading" : "map-column"}
    >
      <ClientOnly fallback={<div className="services-map map-placeholder">{t("home.mapLoading")}</div>}>
        {() =>
          layout ? (
            <ServicesMap
              origin={origin}
              services={services.map((s) => ({
                id: s.id,
                name: s.name,
                facilityName: s.facility.name,
                lat: s.facility.lat,
                lng: s.facility.lng,
              }))}
              counties={layout.counties}
              selectedId={selectedId}
              onSelect={onSelect}
              onPick={onPick}
              tilesUnavailableMessage={t("home.tilesUnavailable")}
              youLabel={youLabel}
            />
          ) : null
        }
      </ClientOnly>
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
