import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";

import { requireUser } from "~/domains/accounts/auth.server";
import { requireScope } from "~/domains/accounts/guards.server";
import { loadListingExport } from "~/domains/listings/listing-export.server";
import { facilityJson, listingGeoJson, serviceJson } from "~/domains/listings/listing-json";
import {
  apiCommunityCodeSchema,
  facilityInputSchema,
  facilityListQuerySchema,
} from "~/domains/listings/listing-schema";
import {
  createFacility,
  listFacilitiesWithServices,
  checkFacilityPoint,
  requireCommunity,
} from "~/domains/listings/listings.server";
import { significantCode } from "~/domains/regions/regions";
import { fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
import { csvResponse, tableCsv } from "~/utils/csv.server";
import { geoJsonResponse } from "~/utils/geojson.server";
import { PRIVATE_NO_STORE } from "~/utils/http-cache.server";
import { apiError } from "~/utils/responses.server";
import { xlsxResponse } from "~/utils/xlsx.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = facilityListQuerySchema.safeParse(params);
  if (!parsed.success) return apiError(400, "invalid query", fieldReasons(zodFieldErrors(parsed.error)));
  const { scope, format, lang, ...filter } = parsed.data;
  await requireScope(request, scope, "view");
  if (format === "csv")
    return csvResponse(tableCsv(await loadListingExport(scope, filter)), `shequ-facilities-${scope}.csv`);
  if (format === "xlsx") {
    const table = await loadListingExport(scope, filter);
    return xlsxResponse(table, lang === "en" ? "en" : "zh-CN", `shequ-facilities-${scope}.xlsx`);
  }
  const items = await listFacilitiesWithServices({ prefix: significantCode(scope), ...filter });
  if (format === "geojson") {
    return geoJsonResponse(listingGeoJson(items), { filename: `shequ-facilities-${scope}.geojson` });
  }
  return json(
    { facilities: items.map((f) => ({ ...facilityJson(f), services: f.services.map(serviceJson) })) },
    { headers: { "Cache-Control": PRIVATE_NO_STORE } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  requireMethod(request, "POST");
  await requireUser(request);
  const body = await readJsonBody(request);
  const community = apiCommunityCodeSchema.safeParse(body.communityCode);
  if (!community.success)
    return apiError(400, "communityCode is required", { communityCode: "a 12-digit community code" });
  const code = community.data;
  const { account } = await requireCommunity(request, code, "edit");
  const parsed = facilityInputSchema.safeParse(body);
  if (!parsed.success) return apiError(422, "invalid facility", fieldReasons(zodFieldErrors(parsed.error)));
  const pointProblem = await checkFacilityPoint(code, parsed.data);
  if (pointProblem) {
    return apiError(422, "the point needs attention", {
      ...fieldReasons({ [pointProblem.field]: [pointProblem.message] }),
      ...(pointProblem.needsConfirmation ? { confirmOutsideCounty: "send true to confirm this point" } : {}),
    });
  }
  const facility = await createFacility({ userId: account.id }, code, parsed.data);
  return json(facilityJson(facility), { status: 201, headers: { Location: `/api/v1/facilities/${facility.id}` } });
}
