import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";

import { requireUser } from "~/domains/accounts/auth.server";
import { facilityAsInput, facilityJson, serviceJson } from "~/domains/listings/listing-json";
import { facilityControlSchema, facilityInputSchema } from "~/domains/listings/listing-schema";
import {
  listServicesOf,
  updateFacility,
  checkFacilityPoint,
  requireFacility,
} from "~/domains/listings/listings.server";
import { fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
import { PRIVATE_NO_STORE } from "~/utils/http-cache.server";
import { apiConflict, apiError } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { facility } = await requireFacility(request, params.id ?? "", "view");
  const services = await listServicesOf([facility.id]);
  return json(
    { ...facilityJson(facility), services: services.map(serviceJson) },
    { headers: { "Cache-Control": PRIVATE_NO_STORE } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireMethod(request, "PATCH");
  await requireUser(request);
  const { account, facility } = await requireFacility(request, params.id ?? "", "edit");
  const { version, status, communityCode, ...changes } = await readJsonBody(request);
  const parsedControl = facilityControlSchema.safeParse({ version, status });
  if (!parsedControl.success)
    return apiError(400, "a valid version is required", fieldReasons(zodFieldErrors(parsedControl.error)));
  if (communityCode !== undefined && communityCode !== facility.communityCode) {
    return apiError(422, "a facility cannot move to another community", { communityCode: "cannot be changed" });
  }
  const parsed = facilityInputSchema.safeParse({ ...facilityAsInput(facility), ...changes });
  if (!parsed.success) return apiError(422, "invalid facility", fieldReasons(zodFieldErrors(parsed.error)));
  const moved = parsed.data.lat !== facility.lat || parsed.data.lng !== facility.lng;
  const pointProblem = moved ? await checkFacilityPoint(facility.communityCode, parsed.data) : null;
  if (pointProblem) {
    return apiError(422, "the point needs attention", {
      ...fieldReasons({ [pointProblem.field]: [pointProblem.message] }),
      ...(pointProblem.needsConfirmation ? { confirmOutsideCounty: "send true to confirm this point" } : {}),
    });
  }
  const result = await updateFacility(
    { userId: account.id },
    facility.id,
    parsedControl.data.version,
    parsed.data,
    parsedControl.data.status,
  );
  if (!result.ok && result.reason === "not_found") return apiError(404, "no such facility");
  if (!result.ok && result.reason === "conflict") {
    return apiConflict(
      "the facility was changed by someone else; nothing was saved",
      { version: `the current version is ${result.current.version}` },
      facilityJson(result.current),
    );
  }
  return json(facilityJson(result.ok ? result.value : facility));
}
