import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute, requireScope } from "~/domains/accounts/guards.server";
import { isPublicCoverageCode } from "~/domains/coverage/coverage";
import { coverageReportJson, getCoverageReport, parseCoverageQuery } from "~/domains/coverage/coverage.server";
import { parseRegionCodeParam } from "~/domains/regions/regions";
import { createI18n } from "~/i18n";
import { publicJson } from "~/utils/http-cache.server";
import { readDatabaseFor } from "~/utils/read-database.server";
import { apiError } from "~/utils/responses.server";

const english = createI18n("en");

// GET /api/v1/coverage/:code?asOf=YYYY-MM-DD&includeVillages=true&year=2022. Province, city and
// county figures are public (as on /coverage); below a county the caller needs view scope.
export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const code = parseRegionCodeParam(params.code);
  if (!code.ok) return apiError(400, code.error, { code: code.error });
  const { query, errors } = parseCoverageQuery(new URL(request.url));
  const invalid = Object.entries(errors);
  if (invalid.length > 0) {
    const fields = Object.fromEntries(invalid.map(([k, v]) => [k, english.t(v as string)]));
    return apiError(400, "invalid query", fields);
  }
  // scope first below county level, so that the answer does not tell which codes exist
  if (!isPublicCoverageCode(code.stored)) await requireScope(request, code.stored, "view");
  const report = await getCoverageReport(code.stored, query, readDatabaseFor(request));
  if (!report) return apiError(404, `no region with code ${params.code}`);
  // below a county the reader is signed in, and publicJson answers `private, no-store`
  return publicJson(request, coverageReportJson(report), "coverage");
}
