import { json, type LoaderFunctionArgs } from "@remix-run/node";

import { getRegion } from "~/utils/db.server";
import { parseRegionCodeParam } from "~/utils/region-code";
import { apiError } from "~/utils/responses.server";
import { publicRoute } from "~/utils/scope.server";

export async function loader({ params }: LoaderFunctionArgs) {
  publicRoute();
  const code = parseRegionCodeParam(params.code);
  if (!code.ok) return apiError(400, code.error, { code: code.error });
  const region = await getRegion(code.stored);
  if (!region) return apiError(404, `no region with code ${params.code}`);
  const { isDemoPoint, ...body } = region;
  return json(isDemoPoint ? { ...body, demo: true } : body);
}
