import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager, ShowcaseCommunitiesMap, ShowcaseFilters, ShowcaseList, TierLinks } from "~/components/showcase";
import { publicRoute } from "~/domains/accounts/guards.server";
import { countiesUrl, loadShowcase, parseShowcaseQuery } from "~/domains/showcase/showcase.server";
import showcaseCss from "~/styles/showcase.css";
import { description, metaI18n } from "~/utils/meta";
import { readDatabaseFor } from "~/utils/read-database.server";
import { useOneColumn } from "~/utils/use-one-column";

// Leaflet's styles come with the map (components/maps.tsx)
export const links: LinksFunction = () => [{ rel: "stylesheet", href: showcaseCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const query = parseShowcaseQuery(new URL(request.url).searchParams);
  const [showcase, counties] = await Promise.all([
    loadShowcase(query, new Date(), readDatabaseFor(request)),
    countiesUrl(),
  ]);
  return json({ ...showcase, countiesUrl: counties });
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const { t } = metaI18n(matches);
  return [{ title: `${t("showcase.title")} · 社区通` }, description(t("showcase.meta"))];
};

export default function Showcase() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // one column (a phone, or large text): the map comes when asked for (decisions/006)
  const oneColumn = useOneColumn();
  const [mapAsked, setMapAsked] = useState(false);
  return (
    <section className="stack">
      <h1>{t("showcase.title")}</h1>
      <p className="muted">{t("showcase.intro")}</p>
      <ShowcaseFilters query={data.query} cities={data.cities} counties={data.counties} />
      <TierLinks query={data.query} tiers={data.tiers} all={data.all} />
      <p role="status" data-testid="showcase-count">
        {t("showcase.count", { count: data.total })}
        {data.pages > 1 ? ` · ${t("showcase.page", { page: data.query.page, pages: data.pages })}` : null}
      </p>
      <div className="showcase-layout">
        {data.communities.length === 0 ? null : !oneColumn || mapAsked ? (
          <div className="showcase-map-column">
            <ShowcaseCommunitiesMap entries={data.communities} countiesUrl={data.countiesUrl} />
          </div>
        ) : (
          <p>
            <button type="button" onClick={() => setMapAsked(true)}>
              {t("showcase.showMap")}
            </button>
          </p>
        )}
        <div className="stack">
          <ShowcaseList entries={data.communities} minResponses={data.minResponses} />
          <Pager query={data.query} pages={data.pages} />
        </div>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
