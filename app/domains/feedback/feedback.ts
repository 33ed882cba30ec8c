// Residents' satisfaction (docs/figures.md, Satisfaction), pure so that the pages, the API, the
// queries and the tests share one set of rules. No zod here: the residents' pages import this, and
// their scripts stay without it (the schemas are in feedback-schema.ts).

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

/** an opinion as given: satisfied or not, and the comment (trimmed; null when empty) */
export type FeedbackInput = { satisfied: boolean; comment: string | null };

/** the answer to an opinion given: 201 new, 200 when it replaced this browser's earlier one */
export type FeedbackGivenJson = { serviceId: string; satisfied: boolean; comment: string | null; replaced: boolean };
