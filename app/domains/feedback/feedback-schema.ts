import { z } from "zod";

import { FEEDBACK_LIMITS, type FeedbackInput } from "./feedback";

// The zod schemas of residents' opinions: the API's body and answer (and the OpenAPI document),
// the service page's form (parsed on the server) and the province's minimum of responses.

const comment = z
  .string()
  .trim()
  .max(FEEDBACK_LIMITS.commentLength, `at most ${FEEDBACK_LIMITS.commentLength} characters`)
  .transform((text) => (text === "" ? null : text));

/** POST /api/v1/services/:id/feedback's body */
export const feedbackInputSchema = z.object({
  satisfied: z.boolean({ required_error: "required", invalid_type_error: "true or false" }),
  comment: comment.nullish().transform((text) => text ?? null),
});

/** the same from a form: `opinion` is satisfied or unsatisfied */
export const feedbackFormSchema = z
  .object({
    opinion: z.enum(["satisfied", "unsatisfied"], { required_error: "required" }),
    comment: comment.optional().transform((text) => text ?? null),
  })
  .transform(({ opinion, comment }): FeedbackInput => ({ satisfied: opinion === "satisfied", comment }));

export const minResponsesSchema = z.coerce.number().int().min(1).max(FEEDBACK_LIMITS.minResponsesMax);

/** the answer to an opinion given: 201 new, 200 when it replaced this browser's earlier one */
export const feedbackGivenJsonSchema = z.object({
  serviceId: z.string(),
  satisfied: z.boolean(),
  comment: z.string().nullable(),
  replaced: z.boolean().describe("true when it replaced this browser's opinion of the service from the last 30 days"),
});
