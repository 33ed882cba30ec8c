import { json, type ActionFunctionArgs } from "@remix-run/node";

import { requireUser } from "~/domains/accounts/auth.server";
import { flattenServiceBody, serviceJson } from "~/domains/listings/listing-json";
import { serviceInputSchema } from "~/domains/listings/listing-schema";
import { createService, requireFacility } from "~/domains/listings/listings.server";
import { fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
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
