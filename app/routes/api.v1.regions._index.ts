import { json, type LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";
import { regionSearchQuerySchema, searchRegions, type RegionSearchJson } from "~/domains/regions/regions.server";
import { apiError } from "~/utils/responses.server";

// The admin forms' region picker: regions within the reader's scope of managing accounts (the
// province admin's is the province), by name or code prefix, 20 at most.

export async function loader({ request }: LoaderFunctionArgs) {
  const { prefixes } = await requireAnyScope(request, "manage_users");
  const url = new URL(request.url);
  const levels = url.searchParams.getAll("level");
  const query = regionSearchQuerySchema.safeParse({
    search: url.searchParams.get("search") ?? "",
    level: levels.length ? levels : undefined,
  });
  if (!query.success) {
    const fields = Object.fromEntries(query.error.issues.map((i) => [String(i.path[0]), i.message]));
    return apiError(400, "invalid query", fields);
  }
  const regions = await searchRegions(query.data.search, { prefixes, levels: query.data.level, limit: 20 });
  const body: RegionSearchJson = { regions: regions.map((r) => ({ ...r, label: `${r.name} (${r.code})` })) };
  return json(body, { headers: { "Cache-Control": "private, no-cache" } });
}
