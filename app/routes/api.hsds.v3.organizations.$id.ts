import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getHsdsOrganization } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/organizations/{id} — a community's committee with its public services; 404 when unknown or offering none.

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const found = await getHsdsOrganization(params.id ?? "", new URL(request.url).origin);
  if (!found) return apiError(404, "no such organization");
  return publicJson(request, found, "listings");
}
