import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getChildShapes } from "~/domains/coverage/coverage.server";
import { parseRegionCodeParam } from "~/domains/regions/regions";
import { publicGeoJson } from "~/utils/geojson.server";
import { readDatabaseFor } from "~/utils/read-database.server";
import { errorResponse } from "~/utils/responses.server";

// The shapes of a region's children for the coverage maps: public geography (boundaries and
// community points), no figures; the pages shade them from their own loaders.
export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const code = parseRegionCodeParam(params.code);
  if (!code.ok) return errorResponse(request, 400, code.error);
  // the province's map may show its county-level units at once
  const counties = new URL(request.url).searchParams.get("level") === "county" && code.stored === "370000000000";
  const shapes = await getChildShapes(
    code.stored,
    counties ? { parentLevel: "province", level: "county" } : undefined,
    readDatabaseFor(request),
  );
  const body = {
    type: "FeatureCollection",
    features: shapes.map((s) => ({
      type: "Feature",
      properties: { code: s.code, name: s.name, level: s.level },
      geometry: s.geometry,
    })),
  };
  return publicGeoJson(request, body, "geography");
}
