import { json, type LoaderFunctionArgs } from "@remix-run/node";

import { getRegionBoundary } from "~/utils/db.server";
import { parseRegionCodeParam } from "~/utils/region-code";
import { apiError } from "~/utils/responses.server";
import { publicRoute } from "~/utils/scope.server";

export async function loader({ params }: LoaderFunctionArgs) {
  publicRoute();
  const code = parseRegionCodeParam(params.code);
  if (!code.ok) return apiError(400, code.error, { code: code.error });
  const feature = await getRegionBoundary(code.stored);
  if (!feature) return apiError(404, `no boundary for region ${params.code} (cities and counties have one)`);
  return json(feature, {
    headers: { "Content-Type": "application/geo+json", "Cache-Control": "public, max-age=3600" },
  });
}
