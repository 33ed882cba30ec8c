import { json, type ActionFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import type { FeedbackGivenJson } from "~/domains/feedback/feedback";
import { feedbackInputSchema } from "~/domains/feedback/feedback-schema";
import { giveFeedback } from "~/domains/feedback/feedback.server";
import { requirePublicApiAllowance } from "~/utils/api-rate-limit.server";
import { fieldReasons, readJsonBody, requireMethod, zodFieldErrors } from "~/utils/api.server";
import { apiError } from "~/utils/responses.server";

/**
 * POST /api/v1/services/:id/feedback {satisfied, comment?} — a resident's opinion of a public
 * service, no account (docs/figures.md, Satisfaction): 201, or 200 when it replaces this browser's
 * opinion of the last 30 days (told apart by the `shequ_rater` cookie this answer sets).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  requireMethod(request, "POST");
  publicRoute();
  await requirePublicApiAllowance(context.clientIp);
  const parsed = feedbackInputSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) return apiError(400, "invalid opinion", fieldReasons(zodFieldErrors(parsed.error)));
  const serviceId = params.id ?? "";
  const outcome = await giveFeedback(request, context.clientIp, serviceId, parsed.data);
  if (!outcome.ok && outcome.reason === "not_found") return apiError(404, "no such service");
  if (!outcome.ok) {
    const seconds = outcome.retryAfterSeconds;
    return apiError(429, `too many opinions from this address: try again in ${seconds} s`, undefined, {
      headers: { "Retry-After": String(seconds) },
    });
  }
  const body: FeedbackGivenJson = { serviceId, ...parsed.data, replaced: outcome.replaced };
  return json(body, {
    status: outcome.replaced ? 200 : 201,
    headers: { "Set-Cookie": outcome.setCookie, "Cache-Control": "no-store" },
  });
}
