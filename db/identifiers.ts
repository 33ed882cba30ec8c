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

/** the six scenario areas of the 2022 plan, named (a category added above is not one by its place) */
export const SCENARIO_AREAS: readonly ServiceCategory[] = [
  "elderly_care",
  "entrepreneurship",
  "culture_education",
  "industry",
  "green_low_carbon",
  "party_building",
] as const satisfies readonly ServiceCategory[];

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
 * Living-circle reach is measured per service category, plus the 5-minute circle of the
 * elderly day-care centre (a facility type), which GB 50180-2018 draws tighter.
 */
export const LIVING_CIRCLE_MEASURES = [...SERVICE_CATEGORIES, "elderly_day_care"] as const;
export type LivingCircleMeasure = (typeof LIVING_CIRCLE_MEASURES)[number];

/** GB 50180-2018 / TD/T 1062-2021: 15-minute circle 1,000 m; 5-minute day-care circle 300 m. */
export const DEFAULT_LIVING_CIRCLE_THRESHOLDS: Record<LivingCircleMeasure, number> = {
  elderly_care: 1000,
  entrepreneurship: 1000,
  culture_education: 1000,
  industry: 1000,
  green_low_carbon: 1000,
  party_building: 1000,
  health: 1000,
  other: 1000,
  elderly_day_care: 300,
};

export const PROBLEM_KINDS = ["wrong_address", "wrong_phone", "wrong_hours", "closed", "other"] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
export const PROBLEM_STATUSES = ["open", "fixed", "dismissed"] as const;

/** suggested sub-types per category (free text is allowed too) */
export const SERVICE_SUB_TYPES: Partial<Record<ServiceCategory, readonly string[]>> = {
  elderly_care: ["meal_assistance", "day_care", "home_visit", "health_check", "rehabilitation"],
  entrepreneurship: ["incubation", "training", "startup_loan_guidance", "job_matching", "policy_consultation"],
};

/** A region code as written in the data (2, 4, 6, 9 or 12 digits) → the stored 12-digit form. */
export const toStoredCode = (code: string) => code.padEnd(12, "0");
