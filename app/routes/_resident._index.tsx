import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useLoaderData,
  useNavigate,
  useNavigation,
  useRouteLoaderData,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OpenStateText } from "~/components/open-state";
import { ServicesMap } from "~/components/services-map.client";
import { inSearchArea } from "~/utils/coordinates";
import { getRegion, searchCommunities, searchServices, type CountyBoundaries } from "~/utils/db.server";
import { formatDistance, formatWalkingMinutes } from "~/utils/format";
import { geocodeAddress } from "~/utils/geocode.server";
import { requireResidentPageAllowance } from "~/utils/public-budget.server";
import { openNowOf, publicServiceJson } from "~/utils/public-services";
import type { PageBudgetExceeded } from "~/utils/responses.server";
import { publicRoute } from "~/utils/scope.server";
import { useRootData } from "~/utils/use-root-data";

import { SERVICE_CATEGORIES, toStoredCode } from "../../db/identifiers";

// The residents' home: where am I (coordinates, a community, an address), what is near me.
// The whole query is in the URL: shareable, Back works, and the list works without JavaScript.

const RADII = ["500", "1000", "3000", "any"] as const;
/** the category chips shown first, in the plan's order of importance to residents */
const CHIP_CATEGORIES = [
  "elderly_care",
  "entrepreneurship",
  "culture_education",
  "health",
  "party_building",
  "green_low_carbon",
  "industry",
  "other",
] as const;

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
  const page = origin
    ? await searchServices({
        lat: origin.lat,
        lng: origin.lng,
        category: query.category,
        radiusM: query.radius === "any" ? undefined : Number(query.radius),
        limit: query.limit,
        now,
        accept: query.openNow ? (hit) => openNowOf(hit, now) === true : undefined,
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
            ...publicServiceJson(hit, openNowOf(hit, now)),
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
  const layout = useRouteLoaderData("routes/_resident") as { counties: CountyBoundaries } | undefined;
  const root = useRootData();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [locating, setLocating] = useState<"idle" | "busy" | "denied">("idle");
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!selectedId) return;
    listRef.current
      ?.querySelector(`[data-service-id="${selectedId}"]`)
      ?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [selectedId]);

  /** the current query with a new point (other ways of saying where are dropped) */
  const withPoint = (lat: number, lng: number) => {
    const next = new URLSearchParams(searchParams);
    for (const key of ["community", "c", "address", "limit"]) next.delete(key);
    next.set("lat", lat.toFixed(6));
    next.set("lng", lng.toFixed(6));
    return `?${next}`;
  };

  const useMyLocation = () => {
    if (!("geolocation" in navigator)) return setLocating("denied");
    setLocating("busy");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating("idle");
        navigate(withPoint(position.coords.latitude, position.coords.longitude));
      },
      () => setLocating("denied"),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };

  const more = new URLSearchParams(searchParams);
  more.set("limit", String(Math.min(100, query.limit + 20)));
  const placeLabel = origin?.label ?? t("resident.yourPoint");
  const hidden = (name: string, value: string | number | undefined) =>
    value === undefined ? null : <input type="hidden" name={name} value={value} />;

  return (
    <section className="stack">
      <h1>{t("resident.title")}</h1>
      <p className="muted">{t("resident.intro")}</p>

      <Form method="get" className="stack panel" role="search">
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend>
            <strong>{t("resident.where")}</strong>
          </legend>
          <div className="inline-fields">
            <ClientOnly fallback={null}>
              {() => (
                <button type="button" onClick={useMyLocation} disabled={locating === "busy"}>
                  {locating === "busy" ? t("resident.locating") : t("resident.useLocation")}
                </button>
              )}
            </ClientOnly>
            <div className="field">
              <label htmlFor="c">{t("resident.community")}</label>
              <input id="c" name="c" defaultValue={query.c ?? ""} placeholder={t("resident.communityPlaceholder")} />
            </div>
            <div className="field">
              <label htmlFor="address">{t("resident.address")}</label>
              <input
                id="address"
                name="address"
                defaultValue={query.address ?? ""}
                placeholder={t("resident.addressPlaceholder")}
                size={28}
              />
            </div>
          </div>
          {/* a point outside Shandong is not carried on: typing a community or an address starts afresh */}
          {!query.c && !query.address && problem !== "outsideShandong" ? (
            <>
              {hidden("lat", query.lat)}
              {hidden("lng", query.lng)}
              {hidden("community", query.community)}
            </>
          ) : null}
          {locating === "denied" ? <p className="notice">{t("resident.locationDenied")}</p> : null}
          <p className="hint">{t("resident.tapMap")}</p>
        </fieldset>
        <fieldset className="chips" aria-label={t("resident.category")}>
          <legend className="muted small">{t("resident.category")}</legend>
          <label className="chip-toggle">
            <input type="radio" name="category" value="" defaultChecked={!query.category} />
            {t("resident.allCategories")}
          </label>
          {CHIP_CATEGORIES.map((category) => (
            <label key={category} className="chip-toggle">
              <input type="radio" name="category" value={category} defaultChecked={query.category === category} />
              {t(`categories.${category}`)}
            </label>
          ))}
        </fieldset>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="radius">{t("resident.radius")}</label>
            <select id="radius" name="radius" defaultValue={query.radius}>
              {RADII.map((r) => (
                <option key={r} value={r}>
                  {r === "any" ? t("resident.radiusAny") : formatDistance(Number(r), i18n.language)}
                </option>
              ))}
            </select>
          </div>
          <div className="field checkbox">
            <input id="openNow" type="checkbox" name="openNow" value="1" defaultChecked={query.openNow === "1"} />
            <label htmlFor="openNow">{t("resident.openNow")}</label>
          </div>
          <button type="submit" className="primary">
            {t("resident.search")}
          </button>
        </div>
      </Form>

      {problem ? (
        <p className="notice" role="alert">
          {t(`resident.${problem}`, { q: query.c })}
        </p>
      ) : null}
      {choices.length > 0 ? (
        <div className="panel">
          <p>{t("resident.chooseCommunity")}</p>
          <ul>
            {choices.map((choice) => {
              const next = new URLSearchParams(searchParams);
              next.delete("c");
              next.set("community", choice.code);
              return (
                <li key={choice.code}>
                  <Link to={`?${next}`}>
                    {choice.name} <span className="muted small">{choice.parentName}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}

      <div className="resident-layout">
        <div>
          {origin ? (
            <>
              <h2>{t("resident.results", { place: placeLabel })}</h2>
              <p className="muted small">{t("resident.walkNote")}</p>
              {services.length === 0 ? <p>{t("resident.noResults")}</p> : null}
              <ol className="stack" ref={listRef} data-testid="results" style={{ paddingLeft: "1.2rem" }}>
                {services.map((s) => (
                  // the link inside is the keyboard's way in; a click anywhere on the row selects its marker
                  // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions
                  <li
                    key={s.id}
                    data-service-id={s.id}
                    className="result"
                    aria-current={s.id === selectedId ? "true" : undefined}
                    onClick={() => setSelectedId(s.id)}
                  >
                    <Link to={`/services/${s.id}?from=${origin.lat.toFixed(6)},${origin.lng.toFixed(6)}`}>
                      <strong>{s.name}</strong>
                    </Link>{" "}
                    <span className="muted small">{t(`categories.${s.category}`)}</span>{" "}
                    {s.demo ? <span className="badge-demo">{t("resident.demo")}</span> : null}
                    <div>
                      {s.facility.name} · <span className="muted">{s.facility.address}</span>
                    </div>
                    <div className="result-meta">
                      <span data-testid="distance" data-metres={s.distanceM}>
                        {formatDistance(s.distanceM, i18n.language)}
                      </span>
                      <span>{formatWalkingMinutes(s.walkMinutes, i18n.language)}</span>
                      <OpenStateText hours={s.hours} at={now} />
                      {s.phone ? (
                        <a href={`tel:${s.phone.replace(/[^\d+]/g, "")}`}>{t("resident.call", { phone: s.phone })}</a>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ol>
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
                  onSelect={setSelectedId}
                  onPick={(p) => navigate(withPoint(p.lat, p.lng), { preventScrollReset: true })}
                  tileUrl={root?.ENV.MAP_TILE_URL ?? ""}
                  tileAttribution={root?.ENV.MAP_TILE_ATTRIBUTION ?? ""}
                  tilesUnavailableMessage={t("home.tilesUnavailable")}
                  youLabel={placeLabel}
                />
              ) : null
            }
          </ClientOnly>
          <p className="small muted">{t("home.boundarySource")}</p>
        </div>
      </div>
    </section>
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
