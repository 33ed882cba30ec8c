import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { hsdsTaxonomies, parseTaxonomyQuery } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/taxonomies — the one taxonomy published: Shequ's service categories and sub-types.

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const url = new URL(request.url);
  const query = parseTaxonomyQuery(url.searchParams);
  if (!query.ok) return apiError(400, "invalid query", query.fields);
  return publicJson(request, hsdsTaxonomies(query.value), "geography");
}
