import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { hsdsServices, parseServiceQuery } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/services?page=&per_page=&search=&taxonomy_term_id=&taxonomy_id=&organization_id=&modified_after=&full= — the public services as HSDS 3.0 service objects in HSDS's page envelope, by published id (docs/decisions/015).

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const url = new URL(request.url);
  const query = parseServiceQuery(url.searchParams);
  if (!query.ok) return apiError(400, "invalid query", query.fields);
  return publicJson(request, await hsdsServices(query.value, url.origin), "listings");
}
