import { json, type LinksFunction } from "@remix-run/node";
import { Outlet, type ShouldRevalidateFunction } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import clusterCss from "react-leaflet-cluster/dist/assets/MarkerCluster.css";
import clusterDefaultCss from "react-leaflet-cluster/dist/assets/MarkerCluster.Default.css";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { publicRoute } from "~/domains/accounts/guards.server";
import { getCountyBoundaries } from "~/domains/regions/regions.server";

// The residents' pages share the province's county outlines for their maps: loaded once, not
// again on every search.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: clusterCss },
  { rel: "stylesheet", href: clusterDefaultCss },
];

export async function loader() {
  publicRoute();
  return json({ counties: await getCountyBoundaries("37") });
}

export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function ResidentLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
