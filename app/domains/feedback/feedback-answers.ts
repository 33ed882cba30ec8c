import { z } from "zod";

import { FEEDBACK_LIMITS } from "./feedback";

// The staff's side of residents' satisfaction (docs/figures.md, Satisfaction): the comments they
// read and the public answers they write. Pure, shared by the answer form, its route and the tests.

/** the answer form: an empty answer removes the one given; `redirectTo` is where the form was */
export const answerFormSchema = z.object({
  answer: z
    .string()
    .trim()
    .max(FEEDBACK_LIMITS.answerLength, "feedbackAnswers.answerTooLong")
    .optional()
    .transform((text) => text ?? ""),
  redirectTo: z.string().optional(),
  /** when the comment answered was given: a resident who has since replaced it wrote another one */
  givenAt: z.string().max(40).optional(),
});

/** a resident's comment as the community's staff read it (never shown to residents) */
export type StaffComment = {
  id: number;
  serviceId: string;
  serviceName: string;
  satisfied: boolean;
  comment: string;
  givenAt: string;
  answer: string | null;
  answeredAt: string | null;
};

/** an answer as residents see it on the service page: without the comment it answers */
export type PublicAnswer = { answer: string; answeredAt: string; givenAt: string; satisfied: boolean };
