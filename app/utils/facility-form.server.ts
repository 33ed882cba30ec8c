import { parseWithZod } from "@conform-to/zod";
import { json } from "@remix-run/node";

import { geocodeAddress } from "./geocode.server";
import { facilityInputSchema, type FacilityInput } from "./listing-schema";
import { checkFacilityPoint } from "./listings.server";

// The facility form's server half, shared by "register" and "edit": geocode on request,
// validate, check the point, and answer conform's reply when something needs the user.

export async function readFacilityForm(
  formData: FormData,
  communityCode: string,
): Promise<{ ok: true; value: FacilityInput } | { ok: false; response: Response }> {
  const intent = formData.get("intent");
  if (intent === "geocode") {
    const submission = parseWithZod(formData, { schema: facilityInputSchema });
    const address = String(formData.get("address") ?? "");
    const found = await geocodeAddress(address);
    const reply = submission.reply();
    if (found.ok) {
      reply.initialValue = { ...(reply.initialValue ?? {}), lat: String(found.lat), lng: String(found.lng) };
    }
    // only the geocoding is reported: the user has not tried to save yet
    reply.error = {};
    return {
      ok: false,
      response: json({
        result: reply,
        needsConfirmation: false,
        geocode: found.ok
          ? { key: "manage.geocodeFound", params: { label: found.label } }
          : { key: found.reason === "not_found" ? "manage.geocodeNotFound" : "manage.geocodeUnavailable" },
        conflict: null,
      }),
    };
  }
  const submission = parseWithZod(formData, { schema: facilityInputSchema });
  if (submission.status !== "success") {
    return {
      ok: false,
      response: json(
        { result: submission.reply(), needsConfirmation: false, geocode: null, conflict: null },
        { status: 400 },
      ),
    };
  }
  const pointProblem = await checkFacilityPoint(communityCode, submission.value);
  if (pointProblem) {
    return {
      ok: false,
      response: json(
        {
          result: submission.reply({ fieldErrors: { [pointProblem.field]: [pointProblem.message] } }),
          needsConfirmation: pointProblem.needsConfirmation,
          geocode: null,
          conflict: null,
        },
        { status: 422 },
      ),
    };
  }
  return { ok: true, value: submission.value };
}
