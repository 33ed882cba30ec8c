import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { hsdsOrganizations, parseOrganizationQuery } from "~/domains/hsds/hsds.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { publicJson } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";

// GET /api/hsds/v3/organizations?page=&per_page=&search= — the communities' committees that offer a public service (HSDS organization).

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const url = new URL(request.url);
  const query = parseOrganizationQuery(url.searchParams);
  if (!query.ok) return apiError(400, "invalid query", query.fields);
  return publicJson(request, await hsdsOrganizations(query.value), "listings");
}
