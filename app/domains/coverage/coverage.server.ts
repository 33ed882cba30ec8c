import { z } from "zod";

import type { Database } from "../../../db/client.server";
import {
  COVERAGE_STATUSES,
  LEVEL_CODE_LENGTH,
  REGION_LEVELS,
  type CoverageStatus,
  type RegionLevel,
} from "../../../db/identifiers";
import {
  childLevel,
  countCommunitiesByChild,
  listChildRegions,
  listCoverageSnapshotMonths,
  listCoverageSnapshots,
  listEffectiveAssessments,
  listRegionPath,
  listTargets,
  takeCoverageSnapshot,
  type CoverageSnapshot,
} from "../../../db/queries/coverage.server";
import { getSatisfactionMinResponses, satisfactionByPart } from "../../../db/queries/feedback.server";
import { calendarDate } from "../../utils/calendar-date";
import { readDatabaseFor } from "../../utils/read-database.server";
import { invariantResponse } from "../../utils/responses.server";
import { satisfactionOf, sumSatisfaction, type Satisfaction } from "../feedback/feedback";
import { parseRegionCodeParam, significantCode } from "../regions/regions";
import {
  addDays,
  certifiedAt,
  isPublicCoverageCode,
  defaultTargetYear,
  endOfDayInChina,
  progressToTarget,
  rateOf,
  resolveTarget,
  targetCount,
  targetYears,
  todayInChina,
  PROJECTION_WINDOW_DAYS,
  type ResolvedTarget,
  type TargetRow,
} from "./coverage";

// the targets and region shapes as db/queries/coverage.server.ts answers them
export { deleteTarget, getChildShapes, getTarget, listTargets, saveTarget } from "../../../db/queries/coverage.server";

/** a region's community counts before any community is counted */
const NO_COUNTS = {
  urban: 0,
  villages: 0,
  urbanCertified: 0,
  villagesCertified: 0,
  urbanCertifiedBefore: 0,
  villagesCertifiedBefore: 0,
} as const;

// The one place the coverage figures are put together, for the dashboards, the public view, the
// API and the exports.

/** The query string of every coverage view: ?asOf=YYYY-MM-DD&year=&villages=1 (API: includeVillages=true). */
export const coverageQuerySchema = z.object({
  asOf: calendarDate("coverage.asOfFormat")
    .refine((d) => d >= "2020-01-01", "coverage.asOfTooEarly")
    .refine((d) => d <= todayInChina(), "coverage.asOfInFuture")
    .optional(),
  year: z.coerce
    .number({ invalid_type_error: "coverage.yearFormat" })
    .int("coverage.yearFormat")
    .min(2000, "coverage.yearFormat")
    .max(2100, "coverage.yearFormat")
    .optional(),
  includeVillages: z.boolean().default(false),
  /** the province may list its county-level units at once instead of its cities */
  children: z.enum(["county"]).optional(),
});
export type CoverageQuery = z.infer<typeof coverageQuerySchema>;

/** Reads the coverage query from a URL; a bad value is reported and left at its default. */
export function parseCoverageQuery(url: URL) {
  const villages = url.searchParams.get("villages") ?? url.searchParams.get("includeVillages");
  const raw = {
    asOf: url.searchParams.get("asOf") || undefined,
    year: url.searchParams.get("year") || undefined,
    includeVillages: villages === "1" || villages === "true" || villages === "on",
    children: url.searchParams.get("children") === "county" ? ("county" as const) : undefined,
  };
  const errors: Partial<Record<"asOf" | "year", string>> = {};
  for (const key of ["asOf", "year"] as const) {
    const field = coverageQuerySchema.shape[key].safeParse(raw[key]);
    if (!field.success) {
      errors[key] = field.error.issues[0]?.message ?? "coverage.invalid";
      raw[key] = undefined;
    }
  }
  return { query: coverageQuerySchema.parse(raw), errors };
}

export type CoverageFigures = {
  /** the denominator in use: urban communities, or all village-level units with the switch on */
  communities: number;
  certified: number;
  rate: number | null;
  urban: number;
  urbanCertified: number;
  villages: number;
  villagesCertified: number;
  target: (ResolvedTarget & { targetCount: number | null }) | null;
  gap: number | null;
  status: CoverageStatus | null;
  neededPerMonth: number | null;
  recentPerMonth: number | null;
  projected: number | null;
  daysLeft: number | null;
  /** residents' opinions of the 12 months before the request, whatever the as-of date (docs/figures.md, Satisfaction) */
  satisfaction: Satisfaction;
};

export type CoverageRow = CoverageFigures & { code: string; name: string; level: RegionLevel };

export type TrendPoint = { date: string; certified: number; rate: number | null };

export type CoverageReport = {
  region: { code: string; name: string; level: RegionLevel };
  path: { code: string; name: string; level: RegionLevel }[];
  asOf: string;
  year: number | null;
  years: { year: number; deadline: string }[];
  includeVillages: boolean;
  /** the level of the rows in `children` (null for a community) */
  childrenLevel: RegionLevel | null;
  figures: CoverageFigures;
  children: CoverageRow[];
  trend: TrendPoint[];
  /** the province's minimum of responses before a share satisfied is shown */
  satisfactionMinResponses: number;
};

type ChildCounts = {
  urban: number;
  villages: number;
  urbanCertified: number;
  villagesCertified: number;
  urbanCertifiedBefore: number;
  villagesCertifiedBefore: number;
};

const sumCounts = (rows: ChildCounts[]) =>
  rows.reduce(
    (s, r) => ({
      urban: s.urban + r.urban,
      villages: s.villages + r.villages,
      urbanCertified: s.urbanCertified + r.urbanCertified,
      villagesCertified: s.villagesCertified + r.villagesCertified,
      urbanCertifiedBefore: s.urbanCertifiedBefore + r.urbanCertifiedBefore,
      villagesCertifiedBefore: s.villagesCertifiedBefore + r.villagesCertifiedBefore,
    }),
    { ...NO_COUNTS },
  );

function figuresFor(
  region: { code: string; level: RegionLevel },
  counts: ChildCounts,
  satisfaction: Satisfaction,
  context: { asOf: string; year: number | null; includeVillages: boolean; targets: TargetRow[] },
): CoverageFigures {
  const { includeVillages } = context;
  const communities = counts.urban + (includeVillages ? counts.villages : 0);
  const certified = counts.urbanCertified + (includeVillages ? counts.villagesCertified : 0);
  const certifiedBefore = counts.urbanCertifiedBefore + (includeVillages ? counts.villagesCertifiedBefore : 0);
  const resolved =
    context.year === null ? null : resolveTarget(region.code, region.level, context.year, context.targets);
  const needed = resolved ? targetCount(resolved, communities) : null;
  // a region with no communities has no rate, so no progress either: its status is none, never achieved
  const progress =
    resolved && needed !== null && communities > 0
      ? progressToTarget({
          certified,
          certifiedWindowAgo: certifiedBefore,
          targetCount: needed,
          deadline: resolved.deadline,
          asOf: context.asOf,
        })
      : null;
  return {
    communities,
    certified,
    rate: rateOf(certified, communities),
    urban: counts.urban,
    urbanCertified: counts.urbanCertified,
    villages: counts.villages,
    villagesCertified: counts.villagesCertified,
    target: resolved ? { ...resolved, targetCount: needed } : null,
    gap: progress?.gap ?? null,
    status: progress?.status ?? null,
    neededPerMonth: progress?.neededPerMonth ?? null,
    recentPerMonth: progress?.recentPerMonth ?? null,
    projected: progress?.projected ?? null,
    daysLeft: progress?.daysLeft ?? null,
    satisfaction,
  };
}

/**
 * Coverage of a region and each of its children on a date, against a year's target, with the
 * residents' satisfaction counted on `now` (the request's instant). Null: no such region.
 */
export async function getCoverageReport(
  storedCode: string,
  query: CoverageQuery,
  database?: Database,
  now = new Date(),
): Promise<CoverageReport | null> {
  const path = await listRegionPath(storedCode, database);
  const region = path.at(-1);
  if (!region || region.code !== storedCode) return null;
  const asOf = query.asOf ?? todayInChina();
  const descendants =
    query.children === "county" && region.level === "province"
      ? { parentLevel: region.level, level: "county" as const }
      : undefined;
  const child = descendants?.level ?? childLevel(region.level);
  // certified communities, then per child row: the child is the community's code cut to the
  // child level's digits (the community itself below a township)
  const childDigits = LEVEL_CODE_LENGTH[child ?? "community"];
  const [targets, childRegions, totals, periods, snapshots, opinions, minResponses] = await Promise.all([
    listTargets(database),
    listChildRegions(storedCode, descendants, database),
    countCommunitiesByChild(storedCode, region.level, child, database),
    listEffectiveAssessments(storedCode, region.level, database),
    listCoverageSnapshots(storedCode, region.level, database),
    satisfactionByPart(storedCode.slice(0, LEVEL_CODE_LENGTH[region.level]), childDigits, now, database),
    getSatisfactionMinResponses(database),
  ]);
  const targetRows: TargetRow[] = targets.map((t) => ({
    id: t.id,
    regionCode: t.regionCode,
    year: t.year,
    rate: t.rate,
    count: t.count,
    deadline: t.deadline,
  }));
  const years = targetYears(storedCode, region.level, targetRows);
  const year = query.year ?? defaultTargetYear(years, asOf);
  const context = { asOf, year, includeVillages: query.includeVillages, targets: targetRows };

  const childOf = (communityCode: string) => communityCode.slice(0, childDigits).padEnd(12, "0");
  const tally = (certified: Map<string, "community" | "village">) => {
    const byChild = new Map<string, { urban: number; villages: number }>();
    for (const [code, kind] of certified) {
      const entry = byChild.get(childOf(code)) ?? { urban: 0, villages: 0 };
      if (kind === "community") entry.urban++;
      else entry.villages++;
      byChild.set(childOf(code), entry);
    }
    return byChild;
  };
  const current = tally(certifiedAt(periods, endOfDayInChina(asOf)));
  const before = tally(certifiedAt(periods, endOfDayInChina(addDays(asOf, -PROJECTION_WINDOW_DAYS))));
  const counts = totals.map((t) => ({
    code: t.code,
    urban: t.urban,
    villages: t.villages,
    urbanCertified: current.get(t.code)?.urban ?? 0,
    villagesCertified: current.get(t.code)?.villages ?? 0,
    urbanCertifiedBefore: before.get(t.code)?.urban ?? 0,
    villagesCertifiedBefore: before.get(t.code)?.villages ?? 0,
  }));

  const isCommunity = child === null;
  const countsByCode = new Map(counts.map((c) => [c.code, c]));
  // every counted community lands in a child row; a grouping with no child region still shows
  const childCodes = new Set(childRegions.map((c) => c.code));
  const orphanRows = isCommunity ? [] : counts.filter((c) => !childCodes.has(c.code));
  const children: CoverageRow[] = isCommunity
    ? []
    : [
        ...childRegions.map((c) => ({ code: c.code, name: c.name, level: c.level })),
        ...orphanRows.map((c) => ({ code: c.code, name: c.code.slice(0, childDigits), level: child })),
      ].map((row) => {
        const part = opinions.get(row.code.slice(0, childDigits)) ?? { responses: 0, satisfied: 0 };
        const satisfaction = satisfactionOf(part.responses, part.satisfied, minResponses);
        return { ...row, ...figuresFor(row, countsByCode.get(row.code) ?? NO_COUNTS, satisfaction, context) };
      });

  // a region's opinions are its children's sums; a community's are its own
  const own = opinions.get(storedCode) ?? { responses: 0, satisfied: 0 };
  const satisfaction = isCommunity
    ? satisfactionOf(own.responses, own.satisfied, minResponses)
    : sumSatisfaction(
        children.map((c) => c.satisfaction),
        minResponses,
      );
  const figures = figuresFor(region, sumCounts(counts), satisfaction, context);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    path: path.map((p) => ({ code: p.code, name: p.name, level: p.level })),
    asOf,
    year,
    years,
    includeVillages: query.includeVillages,
    childrenLevel: child,
    figures,
    children,
    trend: trendOf(periods, snapshots, {
      asOf,
      years,
      includeVillages: query.includeVillages,
      communities: figures.communities,
    }),
    satisfactionMinResponses: minResponses,
  };
}

/** Month ends (in China) from January of `fromYear` up to the as-of date, then the as-of date. */
export function trendDates(asOf: string, fromYear: number): string[] {
  const dates: string[] = [];
  let year = fromYear;
  let month = 1;
  for (;;) {
    const firstOfNext = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
    const monthEnd = addDays(firstOfNext, -1);
    if (monthEnd >= asOf) break;
    dates.push(monthEnd);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  dates.push(asOf);
  return dates;
}

/** the trend starts in January of the first target year, or of this one at the latest */
const TREND_FROM_YEAR = 2022;

/**
 * The certified count and rate at each month end since the first target year, and on the as-of
 * date: a month end with a snapshot as it was taken (with that month's number of communities),
 * any other counted from the assessments' periods against today's.
 */
function trendOf(
  periods: Parameters<typeof certifiedAt>[0],
  snapshots: readonly CoverageSnapshot[],
  context: { asOf: string; years: { year: number }[]; includeVillages: boolean; communities: number },
): TrendPoint[] {
  const fromYear = Math.min(TREND_FROM_YEAR, ...context.years.map((y) => y.year));
  const taken = new Map(snapshots.map((s) => [s.monthEnd, s]));
  return trendDates(context.asOf, fromYear).map((date) => {
    const snapshot = date === context.asOf ? undefined : taken.get(date);
    if (snapshot) {
      const certified = snapshot.urbanCertified + (context.includeVillages ? snapshot.villagesCertified : 0);
      const communities = snapshot.urban + (context.includeVillages ? snapshot.villages : 0);
      return { date, certified, rate: rateOf(certified, communities) };
    }
    let certified = 0;
    for (const kind of certifiedAt(periods, endOfDayInChina(date)).values()) {
      if (kind === "community" || context.includeVillages) certified++;
    }
    return { date, certified, rate: rateOf(certified, context.communities) };
  });
}

/**
 * The monthly job: a snapshot of every region for each month end since January 2022 that has
 * none yet (all of them at the first start, then the month just ended). Returns the months taken.
 */
export async function snapshotCoverage(now = new Date()) {
  const today = todayInChina(now);
  // every month end before today; trendDates ends with the as-of date itself, which is not one
  const monthEnds = trendDates(today, TREND_FROM_YEAR).slice(0, -1);
  const taken = new Set(await listCoverageSnapshotMonths());
  const missing = monthEnds.filter((date) => !taken.has(date));
  for (const date of missing) await takeCoverageSnapshot(date, endOfDayInChina(date));
  return missing;
}

/**
 * The guard of the public coverage view: 400 for a malformed code, 403 below the county level
 * (the public view stops there). Returns the stored code.
 */
export function requirePublicCoverageRegion(codeParam: string | undefined) {
  const code = parseRegionCodeParam(codeParam);
  invariantResponse(code.ok, code.ok ? "" : code.error, { status: 400 });
  invariantResponse(isPublicCoverageCode(code.stored), "not public", { status: 403 });
  return code.stored;
}

/**
 * A coverage page's or export's figures for a region its guard let through: 404 for an unknown
 * code. Bad query values are reported in `errors` and left at their default. Read from a replica
 * unless the request must see the primary (readDatabaseFor).
 */
export async function loadCoverageReport(request: Request, storedCode: string, codeParam: string | undefined) {
  const { query, errors } = parseCoverageQuery(new URL(request.url));
  const report = await getCoverageReport(storedCode, query, readDatabaseFor(request));
  invariantResponse(report, `no region with code ${codeParam}`);
  return { report, errors };
}

/** The dashboard table as export rows: the region first, then each child. */
export function coverageExportRows(report: CoverageReport) {
  const rows = [{ ...report.figures, ...report.region }, ...report.children];
  return rows.map((r) => ({
    code: significantCode(r.code),
    name: r.name,
    level: r.level,
    as_of: report.asOf,
    include_villages: report.includeVillages,
    communities: r.communities,
    certified: r.certified,
    rate: r.rate === null ? null : Number(r.rate.toFixed(6)),
    urban_communities: r.urban,
    urban_certified: r.urbanCertified,
    villages: r.villages,
    villages_certified: r.villagesCertified,
    target_year: r.target?.year ?? null,
    target_rate: r.target?.rate ?? null,
    target_count: r.target?.targetCount ?? null,
    target_deadline: r.target?.deadline ?? null,
    gap: r.gap,
    status: r.status,
    // the 12 months before the export, whatever the as-of date
    satisfaction_responses: r.satisfaction.responses,
    satisfaction_rate: r.satisfaction.rate,
  }));
}

const satisfactionJsonSchema = z
  .object({
    responses: z.number().int().min(0).describe("residents' opinions counted"),
    satisfied: z.number().int().min(0).describe("of them, satisfied"),
    rate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("satisfied ÷ responses, 0..1; null below the province's minimum of responses"),
  })
  .describe(
    "Residents' satisfaction in the 12 months before the request, whatever asOf says (docs/figures.md, " +
      "Satisfaction); a region's counts are the sums of its children's",
  );

const coverageFiguresJsonSchema = z.object({
  communities: z.number().int().min(0).describe("the denominator: urban communities, or all village-level units"),
  certified: z.number().int().min(0),
  rate: z.number().nullable().describe("certified ÷ communities, 0..1; null without communities"),
  gap: z.number().int().nullable().describe("communities still to certify to meet the target"),
  // a union, not .nullable(): the generator would leave null out of the enum
  status: z.union([z.enum(COVERAGE_STATUSES), z.null()]),
  satisfaction: satisfactionJsonSchema,
});

/** GET /api/v1/coverage/:code (docs/figures.md) */
export const coverageReportJsonSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(REGION_LEVELS),
    asOf: z.string().date(),
    includeVillages: z.boolean(),
    target: z
      .object({
        year: z.number().int(),
        rate: z.number().nullable(),
        count: z.number().int().nullable().describe("the number of communities the target asks for"),
        deadline: z.string(),
      })
      .nullable(),
    children: z.array(
      coverageFiguresJsonSchema.extend({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) }),
    ),
  })
  .merge(coverageFiguresJsonSchema);
export type CoverageReportJson = z.infer<typeof coverageReportJsonSchema>;

const figuresJson = (f: CoverageFigures) => ({
  communities: f.communities,
  certified: f.certified,
  rate: f.rate,
  gap: f.gap,
  status: f.status,
  satisfaction: { responses: f.satisfaction.responses, satisfied: f.satisfaction.satisfied, rate: f.satisfaction.rate },
});

/** the report as the API answers it */
export function coverageReportJson(report: CoverageReport): CoverageReportJson {
  const t = report.figures.target;
  return {
    code: significantCode(report.region.code),
    name: report.region.name,
    level: report.region.level,
    asOf: report.asOf,
    includeVillages: report.includeVillages,
    ...figuresJson(report.figures),
    target: t ? { year: t.year, rate: t.rate, count: t.targetCount, deadline: t.deadline } : null,
    children: report.children.map((c) => ({
      code: significantCode(c.code),
      name: c.name,
      level: c.level,
      ...figuresJson(c),
    })),
  };
}
