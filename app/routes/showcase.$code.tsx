import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ShowcaseMap } from "~/components/maps";
import { placeOf, ShowcaseFacts } from "~/components/showcase";
import { publicRoute } from "~/domains/accounts/guards.server";
import { FACILITY_COLOUR, SHOWCASE_SERVICES_LIMIT, TIER_COLOURS } from "~/domains/showcase/showcase";
import { countiesUrl, loadShowcaseCommunity } from "~/domains/showcase/showcase.server";
import showcaseCss from "~/styles/showcase.css";
import { description, metaI18n } from "~/utils/meta";
import { readDatabaseFor } from "~/utils/read-database.server";
import { notFound } from "~/utils/responses.server";

// Leaflet's styles come with the map (components/maps.tsx)
export const links: LinksFunction = () => [{ rel: "stylesheet", href: showcaseCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const found = await loadShowcaseCommunity(params.code, new Date(), readDatabaseFor(request));
  if (!found) throw notFound(request, "not a certified community");
  return json({ ...found, countiesUrl: await countiesUrl() });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t } = metaI18n(matches);
  if (!data) return [{ title: `${t("showcase.title")} · 社区通` }, description(t("showcase.meta"))];
  const { community } = data;
  return [
    { title: `${community.name} · ${t("showcase.title")} · 社区通` },
    description(
      t("showcase.metaCommunity", {
        name: community.name,
        place: placeOf(community),
        tier: community.tier ? t(`assessment.tiers.${community.tier}`) : "",
        count: community.services,
      }),
    ),
  ];
};

export default function ShowcaseCommunity() {
  const { community, minResponses, services, countiesUrl } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const facilities = [...new Map(services.map((s) => [s.facilityId, s])).values()];
  const spots = [
    ...(community.lat !== null && community.lng !== null
      ? [
          {
            key: community.code,
            name: community.name,
            lat: community.lat,
            lng: community.lng,
            colour: community.tier ? TIER_COLOURS[community.tier] : FACILITY_COLOUR,
          },
        ]
      : []),
    ...facilities.map((f) => ({
      key: f.facilityId,
      name: f.facilityName,
      lat: f.lat,
      lng: f.lng,
      colour: FACILITY_COLOUR,
    })),
  ];
  return (
    <article className="stack">
      <p>
        <Link to="/showcase">← {t("showcase.back")}</Link>
      </p>
      <h1>
        {community.name} {community.isDemo ? <span className="badge-demo">{t("app.demoBadge")}</span> : null}
      </h1>
      <p className="muted">{placeOf(community)}</p>
      <ShowcaseFacts entry={community} minResponses={minResponses} />
      {spots.length > 0 ? (
        <section aria-label={t("showcase.map")} className="stack">
          <ShowcaseMap
            placeholder={<div className="showcase-map small-map map-placeholder">{t("home.mapLoading")}</div>}
            className="showcase-map small-map"
            spots={spots}
            countiesUrl={countiesUrl}
            maxZoom={16}
          />
          <p className="showcase-legend small">
            <span className="visually-hidden">{t("showcase.legend")}: </span>
            <span>
              <span className="legend-dot" style={{ background: spots[0].colour }} aria-hidden="true" />
              {t("showcase.legendCommunity")}
            </span>
            <span>
              <span className="legend-dot" style={{ background: FACILITY_COLOUR }} aria-hidden="true" />
              {t("showcase.legendFacility")}
            </span>
          </p>
        </section>
      ) : null}
      <h2>{t("showcase.servicesTitle")}</h2>
      {services.length === 0 ? (
        <p className="notice">{t("showcase.noServices")}</p>
      ) : (
        <ul className="showcase-services" data-testid="showcase-services">
          {services.map((s) => (
            <li key={s.id} className="result">
              <Link to={`/services/${s.id}`}>{s.name}</Link>{" "}
              {s.isDemo ? <span className="badge-demo">{t("app.demoBadge")}</span> : null}
              <p className="result-meta">
                <span>{t(`categories.${s.category}`)}</span>
                <span>{s.facilityName}</span>
                {s.address ? <span className="muted">{s.address}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {services.length >= SHOWCASE_SERVICES_LIMIT ? (
        <p className="muted small">{t("showcase.servicesCapped", { count: SHOWCASE_SERVICES_LIMIT })}</p>
      ) : null}
    </article>
  );
}

export function ErrorBoundary() {
  return <ShowcaseErrorBoundary />;
}

function ShowcaseErrorBoundary() {
  const { t } = useTranslation();
  return <GeneralErrorBoundary statusHandlers={{ 404: () => <p>{t("showcase.notFound")}</p> }} />;
}
