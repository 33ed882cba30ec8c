import { json, type ActionFunctionArgs } from "@remix-run/node";

import { fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";
import { createService } from "~/utils/db.server";
import { flattenServiceBody, serviceJson } from "~/utils/listing-json";
import { serviceInputSchema } from "~/utils/listing-schema";
import { requireFacility } from "~/utils/listings.server";
import { apiError } from "~/utils/responses.server";

export async function action({ request, params }: ActionFunctionArgs) {
  requireMethod(request, "POST");
  await requireUser(request);
  const { account, facility } = await requireFacility(request, params.id ?? "", "edit");
  const parsed = serviceInputSchema.safeParse(flattenServiceBody(await readJsonBody(request)));
  if (!parsed.success) return apiError(422, "invalid service", fieldReasons(zodFieldErrors(parsed.error)));
  const service = await createService({ userId: account.id }, facility.id, parsed.data);
  if (!service) return apiError(404, "no such facility");
  return json(serviceJson(service), { status: 201, headers: { Location: `/api/v1/services/${service.id}` } });
}
