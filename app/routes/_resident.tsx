import { json } from "@remix-run/node";
import { Outlet, type ShouldRevalidateFunction } from "@remix-run/react";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { publicRoute } from "~/domains/accounts/guards.server";
import { getCountyOutlinesFile } from "~/domains/regions/regions.server";

// The residents' pages share the province's county outlines for their maps: a file of their own
// (routes/regions.counties[.geojson].ts) that the map fetches once it is shown; the pages carry
// only its versioned address, so browsers keep it for good and the HTML stays small.

export async function loader() {
  publicRoute();
  const { version } = await getCountyOutlinesFile();
  return json({ countiesUrl: `/regions/counties.geojson?v=${version}` });
}

export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function ResidentLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
