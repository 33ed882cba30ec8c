import {
  answerFeedback,
  getFeedbackToAnswer,
  listPublicAnswers,
  recentComments,
  satisfactionByService,
} from "../../../db/queries/feedback-answers.server";
import { getSatisfactionMinResponses, getServiceSatisfaction } from "../../../db/queries/feedback.server";
import { notFound } from "../../utils/responses.server";
import type { Permission } from "../accounts/accounts";
import { requireScope } from "../accounts/guards.server";
import { satisfactionOf, sumSatisfaction } from "./feedback";

// The staff's side of residents' satisfaction: what /manage shows of a community's or a service's
// opinions, and the public answer to a comment (db/queries/feedback-answers.server.ts).

export { answerFeedback, listPublicAnswers };

/**
 * The guard of an opinion's pages: the opinion (still counted) and the account holding
 * `permission` on its community; 404 for an unknown id, 401/403 as requireScope.
 */
export async function requireFeedback(request: Request, idParam: string, permission: Permission) {
  const id = /^[1-9]\d{0,15}$/.test(idParam) ? Number(idParam) : null;
  const feedback = id === null ? null : await getFeedbackToAnswer(id);
  if (!feedback) throw notFound(request, "no such opinion");
  const authenticated = await requireScope(request, feedback.communityCode, permission);
  return { ...authenticated, feedback };
}

/** a community's figure, each service's, and its newest comments, as on /manage/:code */
export async function loadCommunitySatisfaction(communityCode: string, now = new Date()) {
  const [minResponses, services, comments] = await Promise.all([
    getSatisfactionMinResponses(),
    satisfactionByService(communityCode, now),
    recentComments({ communityCode }, now),
  ]);
  return {
    minResponses,
    total: sumSatisfaction(services, minResponses),
    services: services.map((s) => ({ ...s, ...satisfactionOf(s.responses, s.satisfied, minResponses) })),
    comments,
  };
}

/** a service's figure and its newest comments, as on /manage/services/:id */
export async function loadServiceSatisfaction(serviceId: string, now = new Date()) {
  const [minResponses, figure, comments] = await Promise.all([
    getSatisfactionMinResponses(),
    getServiceSatisfaction(serviceId, now),
    recentComments({ serviceId }, now),
  ]);
  return { minResponses, figure, comments };
}

export type CommunitySatisfaction = Awaited<ReturnType<typeof loadCommunitySatisfaction>>;
