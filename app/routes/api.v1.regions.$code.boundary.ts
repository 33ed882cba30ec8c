import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { parseRegionCodeParam } from "~/domains/regions/regions";
import { getRegionBoundary } from "~/domains/regions/regions.server";
import { publicGeoJson } from "~/utils/geojson.server";
import { apiError } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const code = parseRegionCodeParam(params.code);
  if (!code.ok) return apiError(400, code.error, { code: code.error });
  const feature = await getRegionBoundary(code.stored);
  if (!feature) return apiError(404, `no boundary for region ${params.code} (cities and counties have one)`);
  return publicGeoJson(request, feature, "geography");
}
