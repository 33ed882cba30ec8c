import { ASSESSMENT_TIERS, type AssessmentState } from "../../../db/identifiers";
import type { AssessmentIndicatorValue, StandardIndicator } from "../../../db/schema";

// The rules of the smart-community evaluation (docs/certification.md), pure so that the pages,
// the workflow in db/queries/assessments.server.ts and the tests share them.
// Scoring: score = 100 × (sum of the weights of met indicators) ÷ (sum of all weights), rounded
// down to one decimal, so a standard whose weights do not add up to 100 still scores out of 100
// and rounding never lifts a score over a threshold. A manual indicator is met when the community
// claims it and gives evidence (text or a link).

export type Actor = { userId: string };
export type Tier = (typeof ASSESSMENT_TIERS)[number];
export type TierScores = Record<Tier, number>;

export const AUTOMATIC_INDICATORS = [
  "elderly_care_service",
  "entrepreneurship_service",
  "scenario_breadth",
  "facility_data_complete",
  "elderly_care_access",
  "listings_verified",
] as const;
/** automatic indicators a version may include or not (off until a version with one is published) */
export const OPTIONAL_AUTOMATIC_INDICATORS = ["resident_satisfaction"] as const;
export type AutomaticIndicatorKey =
  (typeof AUTOMATIC_INDICATORS)[number] | (typeof OPTIONAL_AUTOMATIC_INDICATORS)[number];

/**
 * Residents' satisfaction (docs/certification.md): met when the community's opinions counted on
 * the evaluation instant (docs/figures.md, Satisfaction) number at least `minResponses` and the
 * share satisfied reaches `minRate` %. Both are the province admin's, stored on the indicator.
 */
export const SATISFACTION_INDICATOR = {
  key: "resident_satisfaction",
  /** X: a whole percent */
  minRate: { min: 1, max: 100 },
  /** N: whole responses; the upper bound only keeps the figure within an int4 */
  minResponses: { min: 1, max: 100_000 },
  defaults: { minRate: 80, minResponses: 20, weight: 10 },
  label: { "zh-CN": "居民满意率", en: "Residents' satisfaction" },
} as const;
export type SatisfactionThreshold = { minRate: number; minResponses: number };

const within = (value: unknown, range: { min: number; max: number }) =>
  typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max;

/** field (`minRate`, `minResponses`) → message key; empty when the threshold may be published */
export function checkSatisfactionThreshold(threshold: Partial<SatisfactionThreshold> | undefined) {
  const problems: Record<string, string> = {};
  if (!within(threshold?.minRate, SATISFACTION_INDICATOR.minRate))
    problems.minRate = "satisfactionIndicator.errors.minRate";
  if (!within(threshold?.minResponses, SATISFACTION_INDICATOR.minResponses))
    problems.minResponses = "satisfactionIndicator.errors.minResponses";
  return problems;
}

/** at least N responses and satisfied ÷ responses ≥ X % (in whole numbers, so exactly X % is met) */
export const satisfactionMet = (figures: { responses: number; satisfied: number }, threshold: SatisfactionThreshold) =>
  figures.responses >= threshold.minResponses && figures.satisfied * 100 >= threshold.minRate * figures.responses;

/** the product's limits on evidence, reasons and the standard */
export const ASSESSMENT_LIMITS = {
  evidenceText: 2000,
  links: 5,
  linkLength: 500,
  reason: 1000,
  noticeDaysMax: 30,
  labelLength: 100,
  manualIndicatorsMax: 20,
  /** the scenario areas an assessment needs active services in */
  scenarioAreas: 4,
  /**
   * listings verified within this many days: the published standard's own rule, so it stays 180
   * when the province changes its freshness setting N (docs/figures.md, Freshness)
   */
  verifiedDays: 180,
} as const;

/** states in which a community has an assessment in progress; only one at a time */
export const OPEN_STATES: readonly AssessmentState[] = ["draft", "submitted", "notice"];

export type Standard = {
  version: number;
  indicators: StandardIndicator[];
  passScore: number;
  tierScores: TierScores;
  noticeDays: number;
  publishedAt: Date;
};

// ---------------------------------------------------------------------------------------------
// scoring (pure)

export type IndicatorOutcome = { key: string; met: boolean };

/** 100 × met weight ÷ total weight, rounded down to one decimal; 0 when every weight is 0 */
export function scoreOf(indicators: readonly StandardIndicator[], outcomes: readonly IndicatorOutcome[]) {
  const met = new Set(outcomes.filter((o) => o.met).map((o) => o.key));
  const total = indicators.reduce((sum, i) => sum + Math.max(0, Number(i.weight)), 0);
  if (total <= 0) return 0;
  const reached = indicators.reduce((sum, i) => sum + (met.has(i.key) ? Math.max(0, Number(i.weight)) : 0), 0);
  // the epsilon keeps 100 × 59/100 (58.99999…) at 59
  return Math.floor((reached / total) * 1000 + 1e-9) / 10;
}

/** the highest tier the score reaches, or null below the basic tier's minimum */
export function tierFor(score: number, tierScores: TierScores): Tier | null {
  for (const tier of [...ASSESSMENT_TIERS].reverse()) if (score >= tierScores[tier]) return tier;
  return null;
}

/** the tier a reviewer is offered by default: what the score reaches, when it passes at all */
export function suggestedTier(score: number | null, standard: Pick<Standard, "passScore" | "tierScores">): Tier | null {
  if (score === null || score < standard.passScore) return null;
  return tierFor(score, standard.tierScores);
}

export const hasEvidence = (value: Pick<AssessmentIndicatorValue, "evidence"> | undefined) =>
  Boolean(value?.evidence?.text?.trim() || value?.evidence?.links?.length);

export type StandardInput = {
  indicators: StandardIndicator[];
  passScore: number;
  tierScores: TierScores;
  noticeDays: number;
};

/** field → message key; empty when the standard may be published */
export function checkStandard(input: StandardInput): Record<string, string> {
  const problems: Record<string, string> = {};
  const automatic = input.indicators.filter((i) => i.kind === "automatic").map((i) => i.key);
  const known: readonly string[] = [...AUTOMATIC_INDICATORS, ...OPTIONAL_AUTOMATIC_INDICATORS];
  if (AUTOMATIC_INDICATORS.some((k) => !automatic.includes(k)) || automatic.some((k) => !known.includes(k))) {
    problems.indicators = "assessment.errors.automaticKeys";
  }
  const seen = new Set<string>();
  input.indicators.forEach((indicator, i) => {
    if (seen.has(indicator.key)) problems[`indicators[${i}].key`] = "assessment.errors.duplicateKey";
    seen.add(indicator.key);
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(indicator.key)) problems[`indicators[${i}].key`] = "assessment.errors.keyFormat";
    if (indicator.key === SATISFACTION_INDICATOR.key) {
      // computed from residents' opinions: never claimed by the community
      if (indicator.kind !== "automatic")
        problems[`indicators[${i}].key`] = "satisfactionIndicator.errors.automaticOnly";
      for (const [field, message] of Object.entries(checkSatisfactionThreshold(indicator.threshold)))
        problems[`indicators[${i}].${field}`] = message;
    } else if (indicator.threshold !== undefined) {
      problems[`indicators[${i}].key`] = "satisfactionIndicator.errors.thresholdUnexpected";
    }
    if (!Number.isInteger(indicator.weight) || indicator.weight < 0 || indicator.weight > 100) {
      problems[`indicators[${i}].weight`] = "assessment.errors.weightRange";
    }
    for (const locale of ["zh-CN", "en"] as const) {
      const label = indicator.label[locale]?.trim() ?? "";
      if (!label || label.length > ASSESSMENT_LIMITS.labelLength)
        problems[`indicators[${i}].label.${locale}`] = "assessment.errors.labelRequired";
    }
  });
  if (input.indicators.filter((i) => i.kind === "manual").length > ASSESSMENT_LIMITS.manualIndicatorsMax) {
    problems.indicators = "assessment.errors.tooManyIndicators";
  }
  if (input.indicators.reduce((sum, i) => sum + (Number.isFinite(i.weight) ? i.weight : 0), 0) <= 0) {
    problems.indicators = "assessment.errors.weightsZero";
  }
  const score = (v: number) => Number.isFinite(v) && v >= 0 && v <= 100;
  if (!score(input.passScore)) problems.passScore = "assessment.errors.scoreRange";
  for (const tier of ASSESSMENT_TIERS)
    if (!score(input.tierScores[tier])) problems[`tierScores.${tier}`] = "assessment.errors.scoreRange";
  if (!problems["tierScores.basic"] && !problems.passScore && input.tierScores.basic < input.passScore) {
    problems["tierScores.basic"] = "assessment.errors.basicBelowPass";
  }
  if (!problems["tierScores.growth"] && input.tierScores.growth < input.tierScores.basic)
    problems["tierScores.growth"] = "assessment.errors.tierOrder";
  if (!problems["tierScores.benchmark"] && input.tierScores.benchmark < input.tierScores.growth)
    problems["tierScores.benchmark"] = "assessment.errors.tierOrder";
  if (
    !Number.isInteger(input.noticeDays) ||
    input.noticeDays < 0 ||
    input.noticeDays > ASSESSMENT_LIMITS.noticeDaysMax
  ) {
    problems.noticeDays = "assessment.errors.noticeDaysRange";
  }
  return problems;
}

export type AutomaticValue = {
  key: AutomaticIndicatorKey;
  met: boolean;
  /** the figures behind it, for the page's hint */
  detail: Record<string, number | string | null>;
};

/** the reason given with the latest transition into `state` */
export function reasonOf(
  transitions: readonly { toState: AssessmentState; reason: string | null }[],
  state: AssessmentState,
) {
  return [...transitions].reverse().find((t) => t.toState === state)?.reason ?? null;
}

export type IndicatorRow = {
  indicator: StandardIndicator;
  met: boolean;
  /** automatic: the live figures */
  automatic?: AutomaticValue;
  /** manual: the community's claim and evidence */
  claimed?: boolean;
  evidence?: { text?: string; links?: string[] };
};

export type Evaluation = { rows: IndicatorRow[]; score: number; tier: Tier | null; passes: boolean };

/** an assessment's indicators against a standard: automatic from `automatic`, manual from its stored values */
export function evaluate(
  standard: Standard,
  stored: readonly AssessmentIndicatorValue[],
  automatic: readonly AutomaticValue[],
): Evaluation {
  const storedByKey = new Map(stored.map((v) => [v.key, v]));
  const autoByKey = new Map(automatic.map((v) => [v.key as string, v]));
  const rows: IndicatorRow[] = standard.indicators.map((indicator) => {
    if (indicator.kind === "automatic") {
      const value = autoByKey.get(indicator.key);
      return { indicator, met: value?.met ?? false, automatic: value };
    }
    const value = storedByKey.get(indicator.key);
    return {
      indicator,
      met: Boolean(value?.met) && hasEvidence(value),
      claimed: Boolean(value?.met),
      evidence: value?.evidence,
    };
  });
  const score = scoreOf(
    standard.indicators,
    rows.map((r) => ({ key: r.indicator.key, met: r.met })),
  );
  return { rows, score, tier: suggestedTier(score, standard), passes: score >= standard.passScore };
}

/** the automatic values an assessment was submitted with (from its stored indicators) */
export function submittedAutomatic(standard: Standard, stored: readonly AssessmentIndicatorValue[]): AutomaticValue[] {
  const byKey = new Map(stored.map((v) => [v.key, v]));
  return standard.indicators
    .filter((i) => i.kind === "automatic")
    .map((i) => ({ key: i.key as AutomaticIndicatorKey, met: Boolean(byKey.get(i.key)?.met), detail: {} }));
}

export const DUTY_CONFLICTS = ["submitted", "edited_listings"] as const;
export type DutyConflict = (typeof DUTY_CONFLICTS)[number];
/** the audit object types that are a community's listings */
export const LISTING_OBJECT_TYPES = ["facility", "service", "region"] as const;

export type ManualEvidenceInput = { key: string; met: boolean; text?: string; links?: string[] };

/** an absolute http(s) URL with a host */
export const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && Boolean(url.hostname);
  } catch {
    return false;
  }
};

/** field (`manual[i].text`, `manual[i].links`, `manual[i].key`) → message key */
export function checkEvidence(standard: Standard, manual: readonly ManualEvidenceInput[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const manualKeys = new Set(standard.indicators.filter((i) => i.kind === "manual").map((i) => i.key));
  const seen = new Set<string>();
  manual.forEach((value, i) => {
    if (!manualKeys.has(value.key) || seen.has(value.key))
      problems[`manual[${i}].key`] = "assessment.errors.unknownIndicator";
    seen.add(value.key);
    if ((value.text ?? "").length > ASSESSMENT_LIMITS.evidenceText)
      problems[`manual[${i}].text`] = "assessment.errors.textTooLong";
    const links = value.links ?? [];
    if (links.length > ASSESSMENT_LIMITS.links) problems[`manual[${i}].links`] = "assessment.errors.tooManyLinks";
    else if (links.some((l) => l.length > ASSESSMENT_LIMITS.linkLength || !isHttpUrl(l)))
      problems[`manual[${i}].links`] = "assessment.errors.linkFormat";
  });
  return problems;
}

/** a required reason: trimmed, not blank, at most 1,000 characters */
export function checkReason(reason: string | null | undefined): string | null {
  const text = (reason ?? "").trim();
  if (!text) return "assessment.errors.reasonRequired";
  if (text.length > ASSESSMENT_LIMITS.reason) return "assessment.errors.reasonTooLong";
  return null;
}

export const NOTICE_ENDED_REASON = "notice period ended";
