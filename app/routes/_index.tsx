import { json, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";

import { getCountyBoundaries } from "~/utils/db.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ProvinceMap } from "~/components/province-map.client";
import { useRootData } from "~/utils/use-root-data";

const PROVINCE = "37";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export async function loader() {
  const counties = await getCountyBoundaries(PROVINCE);
  return json({ counties }, { headers: { "Cache-Control": "private, max-age=60" } });
}

export const meta: MetaFunction = () => [{ title: "社区通 Shequ · 山东智慧社区服务地图" }];

export default function Index() {
  const { counties } = useLoaderData<typeof loader>();
  const root = useRootData();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="muted">{t("home.intro")}</p>
      <p className="small">{t("home.countyCount", { count: counties.features.length })}</p>
      <div className="map-frame" role="region" aria-label={t("home.mapLabel")}>
        <ClientOnly fallback={<div className="map-placeholder">{t("home.mapLoading")}</div>}>
          {() => (
            <ProvinceMap
              counties={counties}
              tileUrl={root?.ENV.MAP_TILE_URL ?? ""}
              tileAttribution={root?.ENV.MAP_TILE_ATTRIBUTION ?? ""}
              tilesUnavailableMessage={t("home.tilesUnavailable")}
            />
          )}
        </ClientOnly>
      </div>
      <p className="small muted">{t("home.boundarySource")}</p>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
