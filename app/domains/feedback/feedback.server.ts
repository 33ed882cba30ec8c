import { createCookie } from "@remix-run/node";
import { randomBytes } from "node:crypto";

import { cookieSecure, env } from "~/utils/env.server";
import { take } from "~/utils/rate-limit.server";

import { getRatableService, recordFeedback } from "../../../db/queries/feedback.server";
import { sharedLimiter } from "../../../db/queries/rate-limits.server";
import { FEEDBACK_LIMITS, type FeedbackInput } from "./feedback";
import { feedbackFormSchema } from "./feedback-schema";

// the province's minimum of responses (/admin/settings) and a service's figure, as db/queries answers them
export {
  getSatisfactionMinResponses,
  getServiceSatisfaction,
  saveSatisfactionMinResponses,
} from "../../../db/queries/feedback.server";

// A resident's opinion comes with no account. The browser is told apart by a random id in a
// cookie, kept 30 days from its last opinion: the only thing that makes a second opinion replace
// the first. The address's budget is a counter of the shared rate limits, kept one hour.

const raterCookie = createCookie("shequ_rater", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  secure: cookieSecure(env),
  maxAge: FEEDBACK_LIMITS.replaceDays * 24 * 3600,
});

const feedbackByAddress = sharedLimiter({
  keyPrefix: "feedback-ip",
  points: FEEDBACK_LIMITS.perAddressPerHour,
  duration: 60 * 60,
});

const BROWSER_ID = /^[A-Za-z0-9_-]{32,64}$/;

async function browserIdOf(request: Request) {
  const kept = await raterCookie.parse(request.headers.get("Cookie"));
  return typeof kept === "string" && BROWSER_ID.test(kept) ? kept : randomBytes(24).toString("base64url");
}

export type FeedbackOutcome =
  | { ok: true; replaced: boolean; setCookie: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

/**
 * A resident's opinion of a service: refused when the service is unknown or not public, or when
 * the address has used its hour's budget; else recorded (replacing this browser's recent one).
 * The caller sends `setCookie` with its answer.
 */
export async function giveFeedback(
  request: Request,
  clientIp: string,
  serviceId: string,
  opinion: FeedbackInput,
): Promise<FeedbackOutcome> {
  const now = new Date();
  const service = await getRatableService(serviceId, now);
  if (!service) return { ok: false, reason: "not_found" };
  const allowance = await take(feedbackByAddress, clientIp);
  if (allowance.limited) return { ok: false, reason: "limited", retryAfterSeconds: allowance.retryAfterSeconds };
  const browserId = await browserIdOf(request);
  const recorded = await recordFeedback({ serviceId, communityCode: service.communityCode, browserId, opinion, now });
  return { ok: true, replaced: recorded.replaced, setCookie: await raterCookie.serialize(browserId) };
}

/** the service page's rating form (satisfied or unsatisfied, and the comment), parsed here so that the page's scripts carry no zod */
export const parseFeedbackForm = (form: Record<string, unknown>) => feedbackFormSchema.safeParse(form);
