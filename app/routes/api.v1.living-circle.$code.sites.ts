import { json, type LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { parseSitesQuery } from "~/domains/living-circle/living-circle";
import {
  chooseSites,
  getSitesRegion,
  SITES_LEVELS,
  type SitesAnswerJson,
} from "~/domains/living-circle/planning.server";
import { significantCode } from "~/domains/regions/regions";
import { createI18n } from "~/i18n";
import { fieldReasons, zodFieldErrors } from "~/utils/api.server";
import { PRIVATE_NO_STORE } from "~/utils/http-cache.server";
import { readDatabaseFor } from "~/utils/read-database.server";
import { apiError } from "~/utils/responses.server";

const english = createI18n("en");

// GET /api/v1/living-circle/:code/sites?measure=&k=&method=exact|greedy[&capacity=][&proposed=lat,lng;…]
// The best k new sites for a measure in a county or township (view scope), exact with greedy beside it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const parsed = parseSitesQuery(new URL(request.url));
  if (!parsed.success) return apiError(400, "invalid query", fieldReasons(zodFieldErrors(parsed.error)));
  const database = readDatabaseFor(request);
  const region = await getSitesRegion(code, database);
  if (!region) return apiError(404, `no region with code ${params.code}`);
  if (!(SITES_LEVELS as readonly string[]).includes(region.level)) {
    return apiError(400, english.t("livingCircle.sitesLevelOnly"), { code: english.t("livingCircle.sitesLevelOnly") });
  }
  const answer = (await chooseSites(code, parsed.data, database))!;
  const body: SitesAnswerJson = { ...answer, code: significantCode(answer.code) };
  return json(body, { headers: { "Cache-Control": PRIVATE_NO_STORE } });
}
