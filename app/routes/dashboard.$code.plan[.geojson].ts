import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { planExportRows } from "~/domains/living-circle/scenarios";
import { loadPlanExport } from "~/domains/living-circle/scenarios.server";
import { geoJsonResponse } from "~/utils/geojson.server";

// The current view or a saved scenario: a Point per proposed site, with what it newly covers per measure.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const { state, results, filename } = await loadPlanExport(request, code);
  const rows = planExportRows(state.sites, results);
  const body = {
    type: "FeatureCollection",
    features: state.sites.map((site, i) => ({
      type: "Feature",
      properties: {
        site: i + 1,
        lat: site.lat,
        lng: site.lng,
        measures: rows
          .filter((r) => r.site === i + 1)
          .map((r) => ({
            measure: r.measure,
            newlyCoveredCommunities: r.newlyCoveredCommunities,
            newlyCovered60: r.newlyCovered60,
            communityCodes: r.communityCodes,
          })),
      },
      geometry: { type: "Point", coordinates: [site.lng, site.lat] },
    })),
  };
  return geoJsonResponse(body, { filename: `${filename}.geojson` });
}
