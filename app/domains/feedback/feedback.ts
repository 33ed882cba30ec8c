import { z } from "zod";

// Residents' satisfaction (docs/figures.md, Satisfaction), pure so that the pages, the API, the
// queries and the tests share one set of rules.

export const FEEDBACK_LIMITS = {
  /** a resident's optional comment, read by the community's staff only */
  commentLength: 200,
  /** the staff's public answer */
  answerLength: 500,
  /** the same browser's opinion of the same service within this many days replaces its earlier one */
  replaceDays: 30,
  /** an opinion counts in every figure for this many months, and is deleted then */
  countedMonths: 12,
  /** opinions from one client address per hour */
  perAddressPerHour: 30,
  /** a share satisfied is shown from this many responses (the province admin's setting) */
  minResponsesDefault: 10,
  minResponsesMax: 1000,
  /** the comments staff see on /manage */
  recentComments: 5,
} as const;

/** a region's, a community's or a service's figure; `rate` (0..1) is null below the minimum responses */
export type Satisfaction = { responses: number; satisfied: number; rate: number | null };

export function satisfactionOf(responses: number, satisfied: number, minResponses: number): Satisfaction {
  return {
    responses,
    satisfied,
    rate: responses > 0 && responses >= minResponses ? Math.round((satisfied / responses) * 10000) / 10000 : null,
  };
}

/** the sum of parts' figures: a parent's responses and satisfied are its children's sums */
export function sumSatisfaction(parts: readonly Pick<Satisfaction, "responses" | "satisfied">[], minResponses: number) {
  return satisfactionOf(
    parts.reduce((sum, p) => sum + p.responses, 0),
    parts.reduce((sum, p) => sum + p.satisfied, 0),
    minResponses,
  );
}

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
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

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
export type FeedbackGivenJson = z.infer<typeof feedbackGivenJsonSchema>;
