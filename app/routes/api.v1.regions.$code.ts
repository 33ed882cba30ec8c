import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { parseRegionCodeParam } from "~/domains/regions/regions";
import { getRegion, type RegionJson } from "~/domains/regions/regions.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const code = parseRegionCodeParam(params.code);
  if (!code.ok) return apiError(400, code.error, { code: code.error });
  const region = await getRegion(code.stored);
  if (!region) return apiError(404, `no region with code ${params.code}`);
  const { isDemoPoint, ...rest } = region;
  const body: RegionJson = isDemoPoint ? { ...rest, demo: true } : rest;
  return publicJson(request, body, "geography");
}
