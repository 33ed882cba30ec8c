import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getHsdsService } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/services/{id} — one public service by its published UUID, fully nested; 404 when unknown or not public.

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const found = await getHsdsService(params.id ?? "", new URL(request.url).origin);
  if (!found) return apiError(404, "no such service");
  return publicJson(request, found, "listings");
}
