import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { gapExportRows } from "~/domains/living-circle/living-circle";
import { loadAllGaps } from "~/domains/living-circle/living-circle.server";
import { significantCode } from "~/domains/regions/regions";
import { geoJsonResponse } from "~/utils/geojson.server";

// The full gap list as points; a community without a location has a null geometry.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const { query, summary, thresholdM, gaps } = await loadAllGaps(request, code);
  const body = {
    type: "FeatureCollection",
    features: gapExportRows(gaps, query.measure, thresholdM).map(({ lat, lng, ...properties }) => ({
      type: "Feature",
      properties,
      geometry: lat === null || lng === null ? null : { type: "Point", coordinates: [lng, lat] },
    })),
  };
  return geoJsonResponse(body, {
    filename: `shequ-access-gaps-${significantCode(summary.region.code)}-${query.measure}.geojson`,
  });
}
