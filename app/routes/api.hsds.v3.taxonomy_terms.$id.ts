import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getHsdsTaxonomyTerm } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/taxonomy_terms/{id} — one category or sub-type.

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const found = getHsdsTaxonomyTerm(params.id ?? "");
  if (!found) return apiError(404, "no such taxonomy term");
  return publicJson(request, found, "geography");
}
