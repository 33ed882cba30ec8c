import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";

import { requireUser } from "~/domains/accounts/auth.server";
import { publicRoute } from "~/domains/accounts/guards.server";
import { flattenServiceBody, serviceAsInput, serviceJson } from "~/domains/listings/listing-json";
import { serviceControlSchema, serviceInputSchema } from "~/domains/listings/listing-schema";
import { updateService, requireService } from "~/domains/listings/listings.server";
import { publicCalendar } from "~/domains/listings/public-holidays.server";
import { openNowOf } from "~/domains/search/search";
import { serviceFromPointSchema, type PublicServiceDetailJson } from "~/domains/search/search-json";
import { getPublicService } from "~/domains/search/search.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
import { walkingMinutes } from "~/utils/format";
import { publicJson } from "~/utils/http-cache.server";
import { apiConflict, apiError } from "~/utils/responses.server";

/**
 * GET /api/v1/services/:id — one public service for residents (no session); 404 when unknown or
 * not public. With ?lat=&lng= also the distance and walking time from there.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const search = new URL(request.url).searchParams;
  let from: { lat: number; lng: number } | undefined;
  if (search.get("lat") || search.get("lng")) {
    const parsed = serviceFromPointSchema.safeParse({
      lat: search.get("lat") || undefined,
      lng: search.get("lng") || undefined,
    });
    if (!parsed.success) return apiError(400, "invalid query", fieldReasons(zodFieldErrors(parsed.error)));
    from = parsed.data;
  }
  const now = new Date();
  const service = await getPublicService(params.id ?? "", { now, from });
  if (!service) return apiError(404, "no such service");
  const { schedule, facilityOpeningHours, facilityPhone, distanceM, walkingM, demo, ...rest } = service;
  const body: PublicServiceDetailJson = {
    ...rest,
    facility: { ...rest.facility, openingHours: facilityOpeningHours, phone: facilityPhone },
    distanceM: distanceM === null ? null : Math.round(distanceM),
    walkingM: walkingM === null ? null : Math.round(walkingM),
    walkMinutes: walkingM === null ? null : walkingMinutes(walkingM),
    openNow: openNowOf(service, now, publicCalendar(now)),
    schedule,
    ...(demo ? { demo } : {}),
  };
  return publicJson(request, body, "listings");
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireMethod(request, "PATCH");
  await requireUser(request);
  const { account, service } = await requireService(request, params.id ?? "", "edit");
  const { version, status, facilityId, ...changes } = await readJsonBody(request);
  const parsedControl = serviceControlSchema.safeParse({ version, status });
  if (!parsedControl.success)
    return apiError(400, "a valid version is required", fieldReasons(zodFieldErrors(parsedControl.error)));
  if (facilityId !== undefined && facilityId !== service.facilityId) {
    return apiError(422, "a service cannot move to another facility", { facilityId: "cannot be changed" });
  }
  const parsed = serviceInputSchema.safeParse({ ...serviceAsInput(service), ...flattenServiceBody(changes) });
  if (!parsed.success) return apiError(422, "invalid service", fieldReasons(zodFieldErrors(parsed.error)));
  const result = await updateService(
    { userId: account.id },
    service.id,
    parsedControl.data.version,
    parsed.data,
    parsedControl.data.status,
  );
  if (!result.ok && result.reason === "not_found") return apiError(404, "no such service");
  if (!result.ok && result.reason === "conflict") {
    return apiConflict(
      "the service was changed by someone else; nothing was saved",
      { version: `the current version is ${result.current.version}` },
      serviceJson(result.current),
    );
  }
  return json(serviceJson(result.ok ? result.value : service));
}
