import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getHsdsTaxonomy } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/taxonomies/{id} — the taxonomy.

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const found = getHsdsTaxonomy(params.id ?? "");
  if (!found) return apiError(404, "no such taxonomy");
  return publicJson(request, found, "geography");
}
