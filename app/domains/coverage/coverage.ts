import { LEVEL_CODE_LENGTH, REGION_LEVELS, type CoverageStatus, type RegionLevel } from "../../../db/identifiers";

// The definitions of docs/figures.md, as pure functions: the dashboards, the public view,
// the API and the exports all get their figures from here (through coverage.server.ts).

export type TargetRow = {
  id: string;
  /** stored 12-digit code */
  regionCode: string;
  year: number;
  /** share of communities, 0..1 */
  rate: number | null;
  count: number | null;
  /** YYYY-MM-DD, the last day that counts */
  deadline: string;
};

export type ResolvedTarget = {
  year: number;
  rate: number | null;
  count: number | null;
  deadline: string;
  /** the region whose target this is: the region itself, or the ancestor whose rate it inherits */
  fromRegionCode: string;
  inherited: boolean;
};

/**
 * The public view stops at counties (below them the figures are per community): whether a stored
 * code names a province, city or county, known from the code alone before any query.
 */
export const isPublicCoverageCode = (storedCode: string) => /^\d{6}0{6}$/.test(storedCode);

const DAY_MS = 86_400_000;
/** months are averaged: the pace is a planning figure, not a calendar */
export const DAYS_PER_MONTH = 365.25 / 12;
export const PROJECTION_WINDOW_DAYS = 90;

/** the stored codes of a region's ancestors, nearest first */
export function ancestorCodes(storedCode: string, level: RegionLevel): string[] {
  const index = REGION_LEVELS.indexOf(level);
  return REGION_LEVELS.slice(0, index)
    .reverse()
    .map((l) => storedCode.slice(0, LEVEL_CODE_LENGTH[l]).padEnd(12, "0"));
}

/**
 * A region's target for a year: its own row if it has one; otherwise the rate of its nearest
 * ancestor that sets a rate for that year (a count belongs to its own region and is not passed on).
 */
export function resolveTarget(
  storedCode: string,
  level: RegionLevel,
  year: number,
  targets: readonly TargetRow[],
): ResolvedTarget | null {
  const ofYear = targets.filter((t) => t.year === year);
  const own = ofYear.find((t) => t.regionCode === storedCode);
  if (own)
    return {
      year,
      rate: own.rate,
      count: own.count,
      deadline: own.deadline,
      fromRegionCode: storedCode,
      inherited: false,
    };
  for (const ancestor of ancestorCodes(storedCode, level)) {
    const row = ofYear.find((t) => t.regionCode === ancestor && t.rate !== null);
    if (row)
      return { year, rate: row.rate, count: null, deadline: row.deadline, fromRegionCode: ancestor, inherited: true };
  }
  return null;
}

/**
 * How many certified communities the target asks for: ceil(rate × total) when it sets a rate
 * (the coverage goal), else its count. The rate is taken to basis points first so that binary
 * fractions cannot push an exact product over the next integer (0.07 × 100 is 7, not 8).
 */
export function targetCount(target: Pick<ResolvedTarget, "rate" | "count">, total: number): number | null {
  if (target.rate !== null) {
    const basisPoints = Math.round(target.rate * 10_000);
    return Math.ceil((basisPoints * total) / 10_000);
  }
  return target.count;
}

/** The years a region can be measured against (its own targets and its ancestors'), newest last. */
export function targetYears(storedCode: string, level: RegionLevel, targets: readonly TargetRow[]) {
  const codes = new Set([storedCode, ...ancestorCodes(storedCode, level)]);
  const years = new Map<number, string>();
  for (const t of targets) {
    if (codes.has(t.regionCode) && (t.regionCode === storedCode || t.rate !== null)) {
      const deadline = years.get(t.year);
      if (!deadline || (t.regionCode === storedCode && t.deadline)) years.set(t.year, t.deadline);
    }
  }
  return [...years.entries()].map(([year, deadline]) => ({ year, deadline })).sort((a, b) => a.year - b.year);
}

/** The year a dashboard opens on: the first whose deadline is still ahead on the as-of date, else the last. */
export function defaultTargetYear(years: readonly { year: number; deadline: string }[], asOf: string): number | null {
  if (years.length === 0) return null;
  return (years.find((y) => y.deadline >= asOf) ?? years[years.length - 1]).year;
}

const CHINA_OFFSET = "+08:00";

/** "As of D" means at the end of day D in China: the instant at which day D+1 begins there. */
export function endOfDayInChina(date: string): Date {
  const next = new Date(Date.parse(`${date}T00:00:00${CHINA_OFFSET}`) + DAY_MS);
  return next;
}

/** Today's date (YYYY-MM-DD) in China. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export type Progress = {
  targetCount: number;
  /** certified communities still needed (never negative) */
  gap: number;
  daysLeft: number;
  /** certifications needed per month from the as-of date to the deadline; null once it has passed */
  neededPerMonth: number | null;
  /** certifications per month over the last 90 days */
  recentPerMonth: number;
  /** certified on the deadline at the recent pace (the as-of figure once the deadline has passed) */
  projected: number;
  status: CoverageStatus;
};

/**
 * Progress to a target on date `asOf`. Status: achieved when the target count is reached;
 * otherwise, once the deadline has passed, off track; before it, on track when the 90-day pace
 * reaches the target by the deadline, at risk when it closes at least half the gap, else off track.
 */
export function progressToTarget(input: {
  certified: number;
  certifiedWindowAgo: number;
  targetCount: number;
  deadline: string;
  asOf: string;
}): Progress {
  const { certified, targetCount: needed, deadline, asOf } = input;
  const gap = Math.max(0, needed - certified);
  const daysLeft = Math.max(0, daysBetween(asOf, deadline));
  const perDay = (certified - input.certifiedWindowAgo) / PROJECTION_WINDOW_DAYS;
  const recentPerMonth = perDay * DAYS_PER_MONTH;
  const projected = certified + Math.max(0, perDay) * daysLeft;
  const neededPerMonth = daysLeft > 0 ? gap / (daysLeft / DAYS_PER_MONTH) : null;
  let status: CoverageStatus;
  if (gap === 0) status = "achieved";
  else if (daysLeft === 0) status = "off_track";
  else if (projected >= needed) status = "on_track";
  else if (projected - certified >= gap / 2) status = "at_risk";
  else status = "off_track";
  return { targetCount: needed, gap, daysLeft, neededPerMonth, recentPerMonth, projected, status };
}

/** rate as a share, null when there is nothing to count */
export const rateOf = (certified: number, total: number) => (total > 0 ? certified / total : null);

export type EffectivePeriod = {
  communityCode: string;
  kind: "community" | "village";
  effectiveAt: Date;
  revokedAt: Date | null;
};

/**
 * The communities certified at an instant (docs/figures.md: an approved, not revoked assessment as
 * of then): one whose assessment took effect before the instant and was not revoked by it.
 */
export function certifiedAt(periods: readonly EffectivePeriod[], instant: Date): Map<string, EffectivePeriod["kind"]> {
  const certified = new Map<string, EffectivePeriod["kind"]>();
  for (const p of periods) if (inEffectAt(p, instant)) certified.set(p.communityCode, p.kind);
  return certified;
}

/** Whether one assessment's certification stands at an instant (the rule certifiedAt counts by). */
export function inEffectAt(period: Pick<EffectivePeriod, "effectiveAt" | "revokedAt">, instant: Date): boolean {
  const t = instant.getTime();
  return period.effectiveAt.getTime() < t && (period.revokedAt === null || period.revokedAt.getTime() >= t);
}
