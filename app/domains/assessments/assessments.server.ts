import { z } from "zod";

import { ASSESSMENT_TIERS } from "../../../db/identifiers";
import { listDutyConflicts } from "../../../db/queries/assessments.server";
import { listAccountsCovering } from "../../../db/queries/users.server";
import { rolesWith } from "../accounts/accounts";
import { INT4_MAX } from "../listings/listing-schema";
import {
  ASSESSMENT_LIMITS,
  checkSatisfactionThreshold,
  isHttpUrl,
  OPTIONAL_AUTOMATIC_INDICATORS,
  SATISFACTION_INDICATOR,
  type Standard,
  type StandardInput,
} from "./assessments";

// The evaluation on the server: the workflow and its reads from db/queries/assessments.server.ts,
// and below, the forms' schemas and who reviews where. The pure rules are in ./assessments.ts.
export {
  approveAssessment,
  countReviewQueue,
  getAssessment,
  getAssessmentForReview,
  getAssessmentSummary,
  getCurrentStandard,
  getSelfAssessment,
  listCommunityAssessments,
  listDutyConflicts,
  listRecentDecisions,
  listReviewQueue,
  listStandards,
  publishStandard,
  rejectAssessment,
  revokeAssessment,
  saveDraft,
  startAssessment,
  submitAssessment,
  type TransitionResult,
} from "../../../db/queries/assessments.server";
export { ASSESSMENT_LIMITS } from "./assessments";

// The assessment pages' forms, read on the server (the pages work without JavaScript). Messages
// are catalogue keys. The data layer checks the same rules again before it writes.

// what the int4 column holds: past it PostgreSQL fails, so the form refuses it
const version = z.coerce.number({ invalid_type_error: "form.required" }).int().min(1).max(INT4_MAX);

const linkLines = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  )
  .superRefine((links, ctx) => {
    if (links.length > ASSESSMENT_LIMITS.links)
      ctx.addIssue({ code: "custom", message: "assessment.errors.tooManyLinks" });
    else if (links.some((l) => l.length > ASSESSMENT_LIMITS.linkLength || !isHttpUrl(l)))
      ctx.addIssue({ code: "custom", message: "assessment.errors.linkFormat" });
  });

export const selfAssessmentSchema = z
  .object({
    intent: z.enum(["save", "submit"]),
    version,
    confirm: z.boolean().optional(),
    manual: z
      .array(
        z.object({
          key: z.string().min(1).max(40),
          met: z.boolean().optional(),
          text: z.string().max(ASSESSMENT_LIMITS.evidenceText, "assessment.errors.textTooLong").optional(),
          links: linkLines,
        }),
      )
      .max(ASSESSMENT_LIMITS.manualIndicatorsMax)
      .default([]),
  })
  .superRefine((value, ctx) => {
    if (value.intent === "submit" && !value.confirm)
      ctx.addIssue({ code: "custom", path: ["confirm"], message: "assessment.errors.confirmRequired" });
  });

const reason = z
  .string({ required_error: "assessment.errors.reasonRequired" })
  .trim()
  .min(1, "assessment.errors.reasonRequired")
  .max(ASSESSMENT_LIMITS.reason, "assessment.errors.reasonTooLong");

export const reviewSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("approve"),
    version,
    tier: z.enum(ASSESSMENT_TIERS, { errorMap: () => ({ message: "form.invalidChoice" }) }),
  }),
  z.object({ intent: z.literal("reject"), version, reason }),
  z.object({ intent: z.literal("revoke"), version, reason }),
]);

const score = z.coerce
  .number({ invalid_type_error: "assessment.errors.scoreRange", required_error: "assessment.errors.scoreRange" })
  .min(0, "assessment.errors.scoreRange")
  .max(100, "assessment.errors.scoreRange");
const weight = z.coerce
  .number({ invalid_type_error: "assessment.errors.weightRange", required_error: "assessment.errors.weightRange" })
  .int("assessment.errors.weightRange")
  .min(0, "assessment.errors.weightRange")
  .max(100, "assessment.errors.weightRange");
const label = z
  .string({ required_error: "assessment.errors.labelRequired" })
  .trim()
  .min(1, "assessment.errors.labelRequired")
  .max(ASSESSMENT_LIMITS.labelLength, "assessment.errors.labelRequired");
// residents' satisfaction's X and N: their ranges are checked where they apply (standardFromForm)
const minRate = z.coerce.number({ invalid_type_error: "satisfactionIndicator.errors.minRate" }).optional();
const minResponses = z.coerce.number({ invalid_type_error: "satisfactionIndicator.errors.minResponses" }).optional();

export const standardSchema = z
  .object({
    basedOn: version,
    passScore: score,
    tierScores: z.object({ basic: score, growth: score, benchmark: score }),
    noticeDays: z.coerce
      .number({
        invalid_type_error: "assessment.errors.noticeDaysRange",
        required_error: "assessment.errors.noticeDaysRange",
      })
      .int("assessment.errors.noticeDaysRange")
      .min(0, "assessment.errors.noticeDaysRange")
      .max(ASSESSMENT_LIMITS.noticeDaysMax, "assessment.errors.noticeDaysRange"),
    indicators: z
      .array(
        z.object({
          key: z.string().min(1).max(40),
          weight,
          labelZh: label,
          labelEn: label,
          remove: z.boolean().optional(),
          minRate,
          minResponses,
        }),
      )
      .min(1),
    /** adds residents' satisfaction when the current version has none */
    satisfaction: z
      .object({
        add: z.boolean().optional(),
        labelZh: z.string().trim().max(ASSESSMENT_LIMITS.labelLength, "assessment.errors.labelRequired").optional(),
        labelEn: z.string().trim().max(ASSESSMENT_LIMITS.labelLength, "assessment.errors.labelRequired").optional(),
        weight: z.coerce.number({ invalid_type_error: "assessment.errors.weightRange" }).optional(),
        minRate,
        minResponses,
      })
      .optional(),
    added: z
      .object({
        labelZh: z.string().trim().max(ASSESSMENT_LIMITS.labelLength).optional(),
        labelEn: z.string().trim().max(ASSESSMENT_LIMITS.labelLength).optional(),
        weight: weight.optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const { basic, growth, benchmark } = value.tierScores;
    if (basic < value.passScore)
      ctx.addIssue({ code: "custom", path: ["tierScores", "basic"], message: "assessment.errors.basicBelowPass" });
    if (growth < basic)
      ctx.addIssue({ code: "custom", path: ["tierScores", "growth"], message: "assessment.errors.tierOrder" });
    if (benchmark < growth)
      ctx.addIssue({ code: "custom", path: ["tierScores", "benchmark"], message: "assessment.errors.tierOrder" });
    const added = value.added;
    if (added && (added.labelZh || added.labelEn || added.weight !== undefined)) {
      if (!added.labelZh)
        ctx.addIssue({ code: "custom", path: ["added", "labelZh"], message: "assessment.errors.labelRequired" });
      if (!added.labelEn)
        ctx.addIssue({ code: "custom", path: ["added", "labelEn"], message: "assessment.errors.labelRequired" });
      if (added.weight === undefined)
        ctx.addIssue({ code: "custom", path: ["added", "weight"], message: "assessment.errors.weightRange" });
    }
    const satisfaction = value.satisfaction;
    if (satisfaction?.add) {
      const issue = (field: string, message: string) =>
        ctx.addIssue({ code: "custom", path: ["satisfaction", field], message });
      if (!satisfaction.labelZh) issue("labelZh", "assessment.errors.labelRequired");
      if (!satisfaction.labelEn) issue("labelEn", "assessment.errors.labelRequired");
      if (!weight.safeParse(satisfaction.weight).success) issue("weight", "assessment.errors.weightRange");
      for (const [field, message] of Object.entries(checkSatisfactionThreshold(satisfaction))) issue(field, message);
    }
  });
export type StandardForm = z.infer<typeof standardSchema>;

/**
 * The posted form → the new standard, on top of `current`: an indicator's kind comes from the
 * current version (automatic ones keep their keys and cannot be removed), unknown keys are
 * refused, a manual indicator may be renamed or removed, and a new one gets the next free key
 * `manual_N`. Residents' satisfaction is optional: added with its labels, weight, X and N
 * (after the other automatic indicators), renamed, re-set or removed. Returns field errors on the
 * form's own paths.
 */
export function standardFromForm(
  current: Standard,
  form: StandardForm,
): { ok: true; input: StandardInput } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const known = new Map(current.indicators.map((i) => [i.key, i]));
  const posted = new Set(form.indicators.map((i) => i.key));
  if (current.indicators.some((i) => i.kind === "automatic" && !posted.has(i.key)))
    fields.indicators = "assessment.errors.automaticKeys";
  const indicators: StandardInput["indicators"] = [];
  form.indicators.forEach((row, i) => {
    const existing = known.get(row.key);
    if (!existing) {
      fields[`indicators[${i}].key`] = "assessment.errors.unknownIndicator";
      return;
    }
    const optional = (OPTIONAL_AUTOMATIC_INDICATORS as readonly string[]).includes(row.key);
    if (row.remove && existing.kind === "automatic" && !optional) {
      fields[`indicators[${i}].remove`] = "assessment.errors.automaticKeys";
      return;
    }
    if (row.remove) return;
    if (row.key === SATISFACTION_INDICATOR.key) {
      const threshold = { minRate: row.minRate ?? NaN, minResponses: row.minResponses ?? NaN };
      const problems = checkSatisfactionThreshold(threshold);
      for (const [field, message] of Object.entries(problems)) fields[`indicators[${i}].${field}`] = message;
      const label = { "zh-CN": row.labelZh, en: row.labelEn };
      indicators.push({ key: row.key, kind: "automatic", weight: row.weight, label, threshold });
      return;
    }
    // automatic indicators are defined by the code that computes them: their names stay
    const label = existing.kind === "automatic" ? existing.label : { "zh-CN": row.labelZh, en: row.labelEn };
    indicators.push({ key: row.key, kind: existing.kind, weight: row.weight, label });
  });
  const satisfaction = form.satisfaction;
  if (satisfaction?.add && !known.has(SATISFACTION_INDICATOR.key)) {
    // the schema checked every field of an added one
    const afterAutomatic = indicators.map((i) => i.kind).lastIndexOf("automatic") + 1;
    indicators.splice(afterAutomatic, 0, {
      key: SATISFACTION_INDICATOR.key,
      kind: "automatic",
      weight: satisfaction.weight!,
      label: { "zh-CN": satisfaction.labelZh!, en: satisfaction.labelEn! },
      threshold: { minRate: satisfaction.minRate!, minResponses: satisfaction.minResponses! },
    });
  }
  const added = form.added;
  if (added?.labelZh && added.labelEn && added.weight !== undefined) {
    const used = new Set(current.indicators.map((i) => i.key));
    let n = 1;
    while (used.has(`manual_${n}`)) n++;
    indicators.push({
      key: `manual_${n}`,
      kind: "manual",
      weight: added.weight,
      label: { "zh-CN": added.labelZh, en: added.labelEn },
    });
  }
  if (indicators.every((i) => i.weight === 0)) fields.indicators = "assessment.errors.weightsZero";
  if (indicators.filter((i) => i.kind === "manual").length > ASSESSMENT_LIMITS.manualIndicatorsMax)
    fields.indicators = "assessment.errors.tooManyIndicators";
  if (Object.keys(fields).length) return { ok: false, fields };
  return {
    ok: true,
    input: { indicators, passScore: form.passScore, tierScores: form.tierScores, noticeDays: form.noticeDays },
  };
}

/**
 * Separation of duties on the review page: why `userId` may not approve the assessment (empty:
 * they may), and who else in scope may (enabled reviewers covering the community, neither the
 * reader nor anyone conflicted). The approval itself checks again in its transaction.
 */
export async function approvalDuties(assessment: { id: string; communityCode: string }, userId: string) {
  const conflicts = await listDutyConflicts([assessment.id]);
  const conflicted = [...new Set(conflicts.map((c) => c.userId))];
  const mine = conflicts
    .filter((c) => c.userId === userId)
    .map(({ conflict, count, lastAt }) => ({ conflict, count, lastAt }));
  const others = mine.length
    ? await listAccountsCovering(assessment.communityCode, rolesWith("review"), [userId, ...conflicted])
    : [];
  return { conflicts: mine, otherReviewers: others.map(({ username, displayName }) => ({ username, displayName })) };
}
