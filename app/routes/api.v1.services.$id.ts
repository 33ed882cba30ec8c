import { json, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { SERVICE_STATUSES } from "../../db/identifiers";
import { apiError, fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";
import { updateService } from "~/utils/db.server";
import { flattenServiceBody, serviceAsInput, serviceJson } from "~/utils/listing-json";
import { serviceInputSchema } from "~/utils/listing-schema";
import { requireService } from "~/utils/listings.server";

const control = z.object({
  version: z.number({ required_error: "required", invalid_type_error: "an integer" }).int().min(1),
  status: z.enum(SERVICE_STATUSES).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  requireMethod(request, "PATCH");
  await requireUser(request);
  const { account, service } = await requireService(request, params.id ?? "", "edit");
  const { version, status, facilityId, ...changes } = await readJsonBody(request);
  const parsedControl = control.safeParse({ version, status });
  if (!parsedControl.success) return apiError(400, "version is required", fieldReasons(zodFieldErrors(parsedControl.error)));
  if (facilityId !== undefined && facilityId !== service.facilityId) {
    return apiError(422, "a service cannot move to another facility", { facilityId: "cannot be changed" });
  }
  const parsed = serviceInputSchema.safeParse({ ...serviceAsInput(service), ...flattenServiceBody(changes) });
  if (!parsed.success) return apiError(422, "invalid service", fieldReasons(zodFieldErrors(parsed.error)));
  const result = await updateService({ userId: account.id }, service.id, parsedControl.data.version, parsed.data, parsedControl.data.status);
  if (!result.ok && result.reason === "not_found") return apiError(404, "no such service");
  if (!result.ok && result.reason === "conflict") {
    return json(
      { error: "the service was changed by someone else; nothing was saved", fields: { version: `the current version is ${result.current.version}` }, current: serviceJson(result.current) },
      { status: 409 },
    );
  }
  return json(serviceJson(result.ok ? result.value : service));
}
