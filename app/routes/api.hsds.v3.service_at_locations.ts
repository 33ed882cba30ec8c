import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { hsdsServiceAtLocations, parseServiceAtLocationQuery } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/service_at_locations — each public service at its facility (HSDS service_at_location), with the services' filters.

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const url = new URL(request.url);
  const query = parseServiceAtLocationQuery(url.searchParams);
  if (!query.ok) return apiError(400, "invalid query", query.fields);
  return publicJson(request, await hsdsServiceAtLocations(query.value, url.origin), "listings");
}
