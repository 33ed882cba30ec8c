// The identifiers of docs/identifiers.md, shared by code, API, CSV and exports. Safe to import anywhere.

export const REGION_LEVELS = ["province", "city", "county", "township", "community"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** significant digits of a region code at each level (the rest of the 12 digits are zeros) */
export const LEVEL_CODE_LENGTH: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  community: 12,
};

export const COMMUNITY_KINDS = ["community", "village"] as const;
export type CommunityKind = (typeof COMMUNITY_KINDS)[number];

export const TOWNSHIP_TYPES = ["subdistrict", "town", "township", "other"] as const;

export const SERVICE_CATEGORIES = [
  "elderly_care",
  "entrepreneurship",
  "culture_education",
  "industry",
  "green_low_carbon",
  "party_building",
  "health",
  "other",
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/** What each category is besides its label; adding a category, the compiler asks for its entry. */
type CategoryRule = {
  /** one of the six scenario areas of the 2022 plan (the assessment counts them) */
  scenarioArea: boolean;
  /** its place among the category chips on the residents' home page, 1 first */
  chipRank: number;
  /** its living circle's default walking-distance threshold, or null when it is not measured */
  livingCircleMetres: number | null;
};

/** GB 50180-2018 / TD/T 1062-2021: 15-minute circle 1,000 m; 5-minute day-care circle 300 m. */
export const CATEGORY_RULES = {
  elderly_care: { scenarioArea: true, chipRank: 1, livingCircleMetres: 1000 },
  entrepreneurship: { scenarioArea: true, chipRank: 2, livingCircleMetres: 1000 },
  culture_education: { scenarioArea: true, chipRank: 3, livingCircleMetres: 1000 },
  industry: { scenarioArea: true, chipRank: 7, livingCircleMetres: 1000 },
  green_low_carbon: { scenarioArea: true, chipRank: 6, livingCircleMetres: 1000 },
  party_building: { scenarioArea: true, chipRank: 5, livingCircleMetres: 1000 },
  health: { scenarioArea: false, chipRank: 4, livingCircleMetres: 1000 },
  other: { scenarioArea: false, chipRank: 8, livingCircleMetres: 1000 },
} as const satisfies Record<ServiceCategory, CategoryRule>;

/** the six scenario areas of the 2022 plan, in the categories' order */
export const SCENARIO_AREAS: readonly ServiceCategory[] = SERVICE_CATEGORIES.filter(
  (c) => CATEGORY_RULES[c].scenarioArea,
);

/** the residents' category chips, in the plan's order of importance to residents */
export const CHIP_CATEGORIES: readonly ServiceCategory[] = [...SERVICE_CATEGORIES].sort(
  (a, b) => CATEGORY_RULES[a].chipRank - CATEGORY_RULES[b].chipRank,
);

export const FACILITY_TYPES = [
  "elderly_day_care",
  "elderly_canteen",
  "elderly_service_station",
  "home_care_point",
  "incubator",
  "employment_service_station",
  "party_service_center",
  "culture_room",
  "health_station",
  "other",
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const FACILITY_STATUSES = ["active", "suspended", "closed"] as const;
export const SERVICE_STATUSES = ["active", "suspended", "closed"] as const;

export const ROLES = ["community_staff", "district_official", "city_official", "province_admin"] as const;
export type Role = (typeof ROLES)[number];

export const ASSESSMENT_STATES = ["draft", "submitted", "notice", "approved", "rejected", "revoked"] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];

export const ASSESSMENT_TIERS = ["basic", "growth", "benchmark"] as const;

export const COVERAGE_STATUSES = ["achieved", "on_track", "at_risk", "off_track"] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/**
 * Facility types whose own circle is measured, with its default threshold: GB 50180-2018 draws
 * the elderly day-care centre's circle at 5 minutes. The measure's id is the facility type's.
 */
export const FACILITY_TYPE_MEASURES = {
  elderly_day_care: 300,
} as const satisfies Partial<Record<FacilityType, number>>;

type MeasuredCategory = {
  [C in ServiceCategory]: (typeof CATEGORY_RULES)[C]["livingCircleMetres"] extends number ? C : never;
}[ServiceCategory];
export type LivingCircleMeasure = MeasuredCategory | keyof typeof FACILITY_TYPE_MEASURES;

/**
 * Living-circle reach is measured per category that has a threshold (CATEGORY_RULES), then per
 * facility type of FACILITY_TYPE_MEASURES: this order everywhere a measure is listed.
 */
export const LIVING_CIRCLE_MEASURES = [
  ...SERVICE_CATEGORIES.filter((c) => CATEGORY_RULES[c].livingCircleMetres !== null),
  ...Object.keys(FACILITY_TYPE_MEASURES),
] as unknown as readonly [LivingCircleMeasure, ...LivingCircleMeasure[]];

/** Whether a measure counts a facility type (else a service category). */
export const isFacilityTypeMeasure = (measure: LivingCircleMeasure): measure is keyof typeof FACILITY_TYPE_MEASURES =>
  Object.hasOwn(FACILITY_TYPE_MEASURES, measure);

export const DEFAULT_LIVING_CIRCLE_THRESHOLDS = Object.fromEntries(
  LIVING_CIRCLE_MEASURES.map((m) => [
    m,
    isFacilityTypeMeasure(m) ? FACILITY_TYPE_MEASURES[m] : CATEGORY_RULES[m as MeasuredCategory].livingCircleMetres,
  ]),
) as Record<LivingCircleMeasure, number>;

/**
 * Freshness (PRODUCT.md, docs/figures.md): a listing not verified for N days (the province's
 * `stale_days`, default `staleAfterDays`) is flagged to its community's staff, who get a reminder
 * `reminderLeadDays` before; for M days (`hidden_days`, default `hiddenAfterDays`) it is hidden
 * from residents until verified. The province admin sets N and M: whole days, 1 ≤ N < M ≤ `maxDays`.
 */
export const LISTING_FRESHNESS = {
  staleAfterDays: 180,
  hiddenAfterDays: 365,
  maxDays: 3650,
  reminderLeadDays: 14,
} as const;

/**
 * What a notification tells its recipient (db/queries/notifications.server.ts says who gets each):
 * a resident's problem report; a submission waiting for review; the review's decisions; the end
 * of a public-notice period; a listing about to go stale.
 */
export const NOTIFICATION_KINDS = [
  "problem_report",
  "submission_waiting",
  "assessment_notice",
  "assessment_approved",
  "assessment_rejected",
  "assessment_revoked",
  "notice_ended",
  "listing_stale",
  "site_proposed",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** the detour factor of the straight-line distance model (docs/figures.md): its default and bounds */
export const DETOUR_FACTOR = { default: 1.3, min: 1, max: 3 } as const;

export const PROBLEM_KINDS = ["wrong_address", "wrong_phone", "wrong_hours", "closed", "other"] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
export const PROBLEM_STATUSES = ["open", "fixed", "dismissed"] as const;

/** the sub-types of each category: a service's sub-type, when it has one, is one of its category's */
export const SERVICE_SUB_TYPES = {
  elderly_care: ["meal_assistance", "day_care", "home_visit", "health_check", "rehabilitation"],
  entrepreneurship: ["incubation", "training", "startup_loan_guidance", "job_matching", "policy_consultation"],
  culture_education: ["reading_room", "interest_classes", "after_school_care"],
  industry: ["industry_matching", "e_commerce"],
  green_low_carbon: ["waste_sorting", "low_carbon_education"],
  party_building: ["party_activities", "volunteer_service", "policy_consultation"],
  health: ["health_check", "chronic_disease_management", "family_doctor"],
  other: [],
} as const satisfies Record<ServiceCategory, readonly string[]>;
export type ServiceSubType = (typeof SERVICE_SUB_TYPES)[ServiceCategory][number];

/** Is `subType` one of `category`'s sub-types? */
export const isSubTypeOf = (category: ServiceCategory, subType: string) =>
  (SERVICE_SUB_TYPES[category] as readonly string[]).includes(subType);

/** A region code as written in the data (2, 4, 6, 9 or 12 digits) → the stored 12-digit form. */
export const toStoredCode = (code: string) => code.padEnd(12, "0");
