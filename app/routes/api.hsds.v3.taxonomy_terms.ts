import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { hsdsTaxonomyTerms, parseTermQuery } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/taxonomy_terms?taxonomy_id=&parent_id=&top_only= — the categories and their listed sub-types (a sub-type's parent is its category).

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const url = new URL(request.url);
  const query = parseTermQuery(url.searchParams);
  if (!query.ok) return apiError(400, "invalid query", query.fields);
  return publicJson(request, hsdsTaxonomyTerms(query.value), "geography");
}
