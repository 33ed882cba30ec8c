import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";

import {
  type Actor,
  type Tier,
  type TierScores,
  ASSESSMENT_LIMITS,
  type Standard,
  suggestedTier,
  type StandardInput,
  checkStandard,
  type AutomaticValue,
  reasonOf,
  evaluate,
  submittedAutomatic,
  type DutyConflict,
  LISTING_OBJECT_TYPES,
  type ManualEvidenceInput,
  checkEvidence,
  checkReason,
  NOTICE_ENDED_REASON,
  SATISFACTION_INDICATOR,
  satisfactionMet,
} from "../../app/domains/assessments/assessments";
import { db, queryRows, type Database } from "../client.server";
import { ASSESSMENT_TIERS, SCENARIO_AREAS, type AssessmentState } from "../identifiers";
import {
  assessments,
  assessmentTransitions,
  evaluationStandards,
  users,
  type AssessmentIndicatorValue,
} from "../schema";
import { recordAudit } from "./audit.server";
import { satisfactionByPart } from "./feedback.server";
import { notifyAssessmentTransition } from "./notifications.server";

// The smart-community evaluation (docs/certification.md): the versioned standard, automatic
// indicators read from live data, drafts with manual evidence, and the review workflow
//   (none) → draft → submitted → approved | notice → approved;  submitted | notice → rejected;
//   approved → revoked.
// Every transition checks the version it was based on, writes an assessment_transitions row, an
// audit entry and the notifications it causes in one transaction. Coverage counts an assessment on
// date D when its state is notice, approved or revoked, effective_at <= D and (revoked_at is null
// or revoked_at > D).

// jsonb arrives parsed from both drivers, except as text when it went through a raw statement
const parsedJson = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

const toStandard = (row: typeof evaluationStandards.$inferSelect): Standard => ({
  version: row.version,
  indicators: parsedJson(row.indicators),
  passScore: Number(row.passScore),
  tierScores: parsedJson(row.tierScores),
  noticeDays: row.noticeDays,
  publishedAt: row.publishedAt,
});

// ---------------------------------------------------------------------------------------------
// the standard

export async function getStandard(version: number, database: Database = db): Promise<Standard | null> {
  const [row] = await database.select().from(evaluationStandards).where(eq(evaluationStandards.version, version));
  return row ? toStandard(row) : null;
}

/** the latest published version (v1 is seeded with the reference data) */
export async function getCurrentStandard(database: Database = db): Promise<Standard> {
  const [row] = await database.select().from(evaluationStandards).orderBy(desc(evaluationStandards.version)).limit(1);
  if (!row) throw new Error("no evaluation standard: load the reference data first");
  return toStandard(row);
}

export async function listStandards(): Promise<Standard[]> {
  const rows = await db.select().from(evaluationStandards).orderBy(desc(evaluationStandards.version));
  return rows.map(toStandard);
}

export type PublishResult =
  | { ok: true; standard: Standard }
  | { ok: false; reason: "invalid"; fields: Record<string, string> }
  | { ok: false; reason: "conflict"; current: Standard };

/**
 * A new version from `input`; `basedOn` is the version the editor started from (another admin's
 * newer version is not silently replaced). Drafts follow the new version; submitted assessments
 * keep theirs.
 */
export async function publishStandard(
  actor: Actor,
  input: StandardInput & { basedOn?: number },
): Promise<PublishResult> {
  const fields = checkStandard(input);
  if (Object.keys(fields).length) return { ok: false, reason: "invalid", fields };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('shequ.evaluation_standards'))`);
    const current = await getCurrentStandard(tx);
    if (input.basedOn !== undefined && input.basedOn !== current.version)
      return { ok: false, reason: "conflict", current } as const;
    const indicators = input.indicators.map((i) => ({
      key: i.key,
      kind: i.kind,
      weight: i.weight,
      label: { "zh-CN": i.label["zh-CN"].trim(), en: i.label.en.trim() },
      ...(i.threshold ? { threshold: { minRate: i.threshold.minRate, minResponses: i.threshold.minResponses } } : {}),
    }));
    const [row] = await tx
      .insert(evaluationStandards)
      .values({
        version: current.version + 1,
        indicators,
        passScore: input.passScore,
        tierScores: input.tierScores,
        noticeDays: input.noticeDays,
      })
      .returning();
    const standard = toStandard(row);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "standard.publish",
      objectType: "evaluation_standard",
      objectId: String(standard.version),
      regionCode: "370000000000",
      before: current,
      after: standard,
    });
    return { ok: true, standard } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// automatic indicators from live data

type LiveFigures = {
  elderly_services: number;
  entrepreneurship_services: number;
  areas: string[] | string | null;
  facilities: number;
  complete_facilities: number;
  listings: number;
  stale_listings: number;
  access_distance: number | null;
};

/**
 * The automatic indicators of a community as of `now`: the six every version has, and residents'
 * satisfaction when `standard` includes it (with its threshold). Active service = status active at an
 * active facility, within its valid-from/to dates (China's calendar). Listings = facilities and
 * services that are not closed, each counted as verified from its last verification (else its
 * creation). Elderly-care access is the community_access row kept by the access module.
 * Satisfaction counts the community's opinions of the 12 months before `now` (countedSince).
 */
export async function evaluateAutomatic(
  communityCode: string,
  standard: Pick<Standard, "indicators">,
  now = new Date(),
  database: Database = db,
): Promise<AutomaticValue[]> {
  // one after the other: `database` may be a transaction
  const fixed = await evaluateFixed(communityCode, now, database);
  const satisfaction = await evaluateSatisfaction(communityCode, standard, now, database);
  return satisfaction ? [...fixed, satisfaction] : fixed;
}

async function evaluateSatisfaction(
  communityCode: string,
  standard: Pick<Standard, "indicators">,
  now: Date,
  database: Database,
): Promise<AutomaticValue | null> {
  const threshold = standard.indicators.find((i) => i.key === SATISFACTION_INDICATOR.key)?.threshold;
  if (!threshold) return null;
  const parts = await satisfactionByPart(communityCode, communityCode.length, now, database);
  const figures = parts.get(communityCode) ?? { responses: 0, satisfied: 0 };
  return {
    key: "resident_satisfaction",
    met: satisfactionMet(figures, threshold),
    detail: {
      responses: figures.responses,
      satisfied: figures.satisfied,
      minRate: threshold.minRate,
      minResponses: threshold.minResponses,
    },
  };
}

async function evaluateFixed(communityCode: string, now: Date, database: Database): Promise<AutomaticValue[]> {
  const nowIso = now.toISOString();
  const staleBefore = new Date(now.getTime() - ASSESSMENT_LIMITS.verifiedDays * 24 * 3600 * 1000).toISOString();
  const scenario = JSON.stringify(SCENARIO_AREAS);
  const [row] = await queryRows<LiveFigures>(
    sql`
    with f as (select * from facilities where community_code = ${communityCode}),
    active as (
      select s.category::text as category
        from services s join f on f.id = s.facility_id
       where s.status = 'active' and f.status = 'active'
         and (s.valid_from is null or s.valid_from <= (${nowIso}::timestamptz at time zone 'Asia/Shanghai')::date)
         and (s.valid_to is null or s.valid_to >= (${nowIso}::timestamptz at time zone 'Asia/Shanghai')::date)
    ),
    listed as (
      select coalesce(last_verified_at, created_at) as verified from f where status <> 'closed'
      union all
      select coalesce(s.last_verified_at, s.created_at) from services s join f on f.id = s.facility_id
       where s.status <> 'closed' and f.status <> 'closed'
    )
    select
      (select count(*)::int from active where category = 'elderly_care') as elderly_services,
      (select count(*)::int from active where category = 'entrepreneurship') as entrepreneurship_services,
      (select coalesce(jsonb_agg(distinct category order by category), '[]'::jsonb) from active
        where category in (select jsonb_array_elements_text(${scenario}::jsonb))) as areas,
      (select count(*)::int from f where status <> 'closed') as facilities,
      (select count(*)::int from f where status <> 'closed' and point is not null
          and opening_hours is not null and coalesce(opening_hours -> 'week', '{}'::jsonb) <> '{}'::jsonb) as complete_facilities,
      (select count(*)::int from listed) as listings,
      (select count(*)::int from listed where verified < ${staleBefore}::timestamptz) as stale_listings,
      (select distance_m from community_access where community_code = ${communityCode} and measure = 'elderly_care') as access_distance`,
    database,
  );
  const areas = parsedJson(row.areas ?? []) as string[];
  const facilitiesCount = Number(row.facilities);
  const listings = Number(row.listings);
  const stale = Number(row.stale_listings);
  const distance = row.access_distance === null ? null : Math.round(Number(row.access_distance));
  return [
    {
      key: "elderly_care_service",
      met: Number(row.elderly_services) >= 1,
      detail: { count: Number(row.elderly_services) },
    },
    {
      key: "entrepreneurship_service",
      met: Number(row.entrepreneurship_services) >= 1,
      detail: { count: Number(row.entrepreneurship_services) },
    },
    {
      key: "scenario_breadth",
      met: areas.length >= ASSESSMENT_LIMITS.scenarioAreas,
      detail: { count: areas.length, areas: areas.join(",") },
    },
    {
      key: "facility_data_complete",
      met: facilitiesCount > 0 && Number(row.complete_facilities) === facilitiesCount,
      detail: { total: facilitiesCount, complete: Number(row.complete_facilities) },
    },
    { key: "elderly_care_access", met: distance !== null, detail: { distanceM: distance } },
    { key: "listings_verified", met: listings > 0 && stale === 0, detail: { total: listings, stale } },
  ];
}

// ---------------------------------------------------------------------------------------------
// reading assessments

export type Assessment = typeof assessments.$inferSelect;

export async function getAssessment(id: string, database: Database = db): Promise<Assessment | null> {
  const [row] = await database.select().from(assessments).where(eq(assessments.id, id));
  return row ? { ...row, indicators: parsedJson(row.indicators) } : null;
}

/** every assessment of a community, newest first */
export async function listCommunityAssessments(communityCode: string, database: Database = db): Promise<Assessment[]> {
  const rows = await database
    .select()
    .from(assessments)
    .where(eq(assessments.communityCode, communityCode))
    .orderBy(desc(assessments.createdAt), desc(assessments.id));
  return rows.map((row) => ({ ...row, indicators: parsedJson(row.indicators) }));
}

export type TransitionRow = {
  id: number;
  assessmentId: string;
  fromState: AssessmentState | null;
  toState: AssessmentState;
  reason: string | null;
  at: Date;
  actor: string | null;
  actorName: string | null;
};

/** the transitions of some assessments, oldest first, with who made them */
export async function listTransitions(assessmentIds: string[], database: Database = db): Promise<TransitionRow[]> {
  if (assessmentIds.length === 0) return [];
  return database
    .select({
      id: assessmentTransitions.id,
      assessmentId: assessmentTransitions.assessmentId,
      fromState: assessmentTransitions.fromState,
      toState: assessmentTransitions.toState,
      reason: assessmentTransitions.reason,
      at: assessmentTransitions.at,
      actor: users.username,
      actorName: users.displayName,
    })
    .from(assessmentTransitions)
    .leftJoin(users, eq(users.id, assessmentTransitions.actorUserId))
    .where(inArray(assessmentTransitions.assessmentId, assessmentIds))
    .orderBy(asc(assessmentTransitions.at), asc(assessmentTransitions.id));
}

/** A community's assessments, newest first, each with its transitions (the history on both pages). */
export async function getCommunityHistory(communityCode: string) {
  const all = await listCommunityAssessments(communityCode);
  const transitions = await listTransitions(all.map((a) => a.id));
  return all.map((assessment) => ({
    assessment,
    transitions: transitions.filter((t) => t.assessmentId === assessment.id),
  }));
}
export type CommunityHistory = Awaited<ReturnType<typeof getCommunityHistory>>;

/**
 * The self-assessment page: the community's latest assessment (after settling notice periods),
 * the standard it is scored against (a draft or a new one: the current standard), the live
 * automatic values and the evaluation, and the history.
 */
export async function getSelfAssessment(communityCode: string, now = new Date()) {
  await settleNoticePeriods(now);
  const [history, current] = await Promise.all([getCommunityHistory(communityCode), getCurrentStandard()]);
  const latest = history[0]?.assessment ?? null;
  const standard =
    latest && latest.state !== "draft" ? ((await getStandard(latest.standardVersion)) ?? current) : current;
  const automatic = await evaluateAutomatic(communityCode, standard, now);
  const live = evaluate(
    standard,
    latest?.state === "draft" ? latest.indicators : (latest?.indicators ?? []),
    automatic,
  );
  const asSubmitted =
    latest && latest.state !== "draft"
      ? evaluate(standard, latest.indicators, submittedAutomatic(standard, latest.indicators))
      : null;
  return {
    standard,
    currentStandardVersion: current.version,
    latest,
    live,
    asSubmitted,
    canStart: !latest || latest.state === "rejected" || latest.state === "revoked",
    history,
  };
}

/** The outcome line on /manage/:code: the latest assessment's state, tier, dates and reason. */
export async function getAssessmentSummary(communityCode: string, now = new Date()) {
  await settleNoticePeriods(now);
  const [latest] = await listCommunityAssessments(communityCode);
  if (!latest) return null;
  const transitions = await listTransitions([latest.id]);
  const reason =
    latest.state === "rejected"
      ? reasonOf(transitions, "rejected")
      : latest.state === "revoked"
        ? reasonOf(transitions, "revoked")
        : null;
  return {
    id: latest.id,
    state: latest.state,
    tier: latest.tier,
    score: latest.score,
    submittedAt: latest.submittedAt,
    effectiveAt: latest.effectiveAt,
    revokedAt: latest.revokedAt,
    reason,
  };
}

/** An assessment for the review page: the standard it was scored on, as submitted and as of now. */
export async function getAssessmentForReview(id: string, now = new Date()) {
  await settleNoticePeriods(now);
  const assessment = await getAssessment(id);
  if (!assessment) return null;
  const [standard, currentStandard, community, transitions] = await Promise.all([
    getStandard(assessment.standardVersion),
    getCurrentStandard(),
    queryRows<{ name: string; township: string | null; county: string | null }>(sql`
      select c.name, t.name as township, k.name as county from regions c
        left join regions t on t.code = rpad(left(c.code, 9), 12, '0')
        left join regions k on k.code = rpad(left(c.code, 6), 12, '0')
       where c.code = ${assessment.communityCode}`),
    listTransitions([id]),
  ]);
  if (!standard) throw new Error(`assessment ${id} names a missing standard version ${assessment.standardVersion}`);
  const automatic = await evaluateAutomatic(assessment.communityCode, standard, now);
  return {
    assessment,
    standard,
    noticeDays: currentStandard.noticeDays,
    community: {
      code: assessment.communityCode,
      name: community[0]?.name ?? "",
      township: community[0]?.township ?? null,
      county: community[0]?.county ?? null,
    },
    asSubmitted: evaluate(standard, assessment.indicators, submittedAutomatic(standard, assessment.indicators)),
    asOfNow: evaluate(standard, assessment.indicators, automatic),
    suggestedTier: suggestedTier(assessment.score, standard),
    transitions,
  };
}

const prefixCondition = (prefixes: readonly string[] | undefined) => {
  if (!prefixes) return sql`true`;
  if (prefixes.length === 0) return sql`false`;
  return sql.join(
    prefixes.map((p) => sql`a.community_code like ${`${p}%`}`),
    sql` or `,
  );
};

export type QueueItem = {
  id: string;
  communityCode: string;
  community: string;
  township: string | null;
  county: string | null;
  state: AssessmentState;
  score: number | null;
  suggestedTier: Tier | null;
  submittedAt: string | null;
  effectiveAt: string | null;
  version: number;
  isDemo: boolean;
};

type QueueRow = {
  id: string;
  community_code: string;
  community: string;
  township: string | null;
  county: string | null;
  state: AssessmentState;
  score: string | number | null;
  submitted_at: string | Date | null;
  effective_at: string | Date | null;
  at: string | Date | null;
  version: number;
  is_demo: boolean;
  pass_score: string | number;
  tier_scores: TierScores | string;
};

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

function toQueueItem(row: QueueRow): QueueItem {
  const score = row.score === null ? null : Number(row.score);
  return {
    id: row.id,
    communityCode: row.community_code,
    community: row.community,
    township: row.township,
    county: row.county,
    state: row.state,
    score,
    suggestedTier: suggestedTier(score, { passScore: Number(row.pass_score), tierScores: parsedJson(row.tier_scores) }),
    submittedAt: iso(row.submitted_at),
    effectiveAt: iso(row.effective_at),
    version: Number(row.version),
    isDemo: row.is_demo,
  };
}

/**
 * Submitted and in-notice assessments under the reviewer's prefixes (undefined = everywhere),
 * optionally within one county, oldest submission first.
 */
export async function listReviewQueue(options: {
  prefixes?: readonly string[];
  county?: string;
  now?: Date;
  limit?: number;
}) {
  await settleNoticePeriods(options.now);
  const county = options.county ? sql`a.community_code like ${`${options.county.slice(0, 6)}%`}` : sql`true`;
  const rows = await queryRows<QueueRow>(sql`
    select a.id, a.community_code, c.name as community, t.name as township, k.name as county, a.state, a.score,
           a.submitted_at, a.effective_at, null as at, a.version, a.is_demo, s.pass_score, s.tier_scores
      from assessments a
      join regions c on c.code = a.community_code
      left join regions t on t.code = rpad(left(a.community_code, 9), 12, '0')
      left join regions k on k.code = rpad(left(a.community_code, 6), 12, '0')
      join evaluation_standards s on s.version = a.standard_version
     where a.state in ('submitted', 'notice') and (${prefixCondition(options.prefixes)}) and ${county}
     order by a.submitted_at asc nulls last, a.id
     limit ${options.limit ?? 500}`);
  return rows.map(toQueueItem);
}

/** How many assessments wait in the queue under the prefixes (the dashboards' figure: a count, not the rows). */
export async function countReviewQueue(prefixes: readonly string[]) {
  const [row] = await queryRows<{ n: number }>(sql`
    select count(*)::int as n from assessments a
     where a.state in ('submitted', 'notice') and (${prefixCondition(prefixes)})`);
  return row?.n ?? 0;
}

/** the latest decisions (approve, notice, reject, revoke) by a person under the prefixes */
export async function listRecentDecisions(options: { prefixes?: readonly string[]; county?: string; limit?: number }) {
  const county = options.county ? sql`a.community_code like ${`${options.county.slice(0, 6)}%`}` : sql`true`;
  const rows = await queryRows<
    QueueRow & { decision: AssessmentState; actor: string | null; reason: string | null; tier: Tier | null }
  >(sql`
    select a.id, a.community_code, c.name as community, t.name as township, k.name as county, a.state, a.score,
           a.submitted_at, a.effective_at, tr.at, a.version, a.is_demo, s.pass_score, s.tier_scores,
           tr.to_state as decision, u.username as actor, tr.reason, a.tier
      from assessment_transitions tr
      join assessments a on a.id = tr.assessment_id
      join regions c on c.code = a.community_code
      left join regions t on t.code = rpad(left(a.community_code, 9), 12, '0')
      left join regions k on k.code = rpad(left(a.community_code, 6), 12, '0')
      join evaluation_standards s on s.version = a.standard_version
      left join users u on u.id = tr.actor_user_id
     where tr.to_state in ('notice', 'approved', 'rejected', 'revoked') and tr.actor_user_id is not null
       and (${prefixCondition(options.prefixes)}) and ${county}
     order by tr.at desc, tr.id desc
     limit ${options.limit ?? 20}`);
  return rows.map((row) => ({
    ...toQueueItem(row),
    decision: row.decision,
    decidedAt: iso(row.at)!,
    actor: row.actor,
    reason: row.reason,
    tier: row.tier,
  }));
}

// ---------------------------------------------------------------------------------------------
// separation of duties (docs/certification.md): whoever submitted an assessment, or changed the
// community's listings after it was submitted, cannot approve it.
//
// In data: the submitter is the actor of the assessment's transition into `submitted`. A change to
// the listings is an audit entry of the community (region_code = its 12-digit code) on a facility,
// a service (created, edited, suspended, closed, restored, verified, imported) or the community's
// own row (profile, point); "after the submission" means after the submission's own audit entry in
// the log (audit ids follow the order of writing, whatever clock a caller passed as `now`). An
// assessment with no such entry (seeded history, rows written by hand) falls back to its
// submitted_at. Rejecting and revoking stay open to everyone in scope: they certify nothing.

export type DutyConflictRow = {
  assessmentId: string;
  userId: string;
  conflict: DutyConflict;
  /** how many entries (1 for the submission) and the latest of them */
  count: number;
  lastAt: Date;
};

/**
 * Who may not approve each of `assessmentIds`, and why; only `userId`'s conflicts when given (the
 * queue of one reviewer). Call inside the approving transaction to decide on what it reads.
 */
export async function listDutyConflicts(
  assessmentIds: readonly string[],
  options: { userId?: string } = {},
  database: Database = db,
): Promise<DutyConflictRow[]> {
  if (assessmentIds.length === 0) return [];
  const ids = sql.join(
    assessmentIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const user = (column: string) => (options.userId ? sql`and ${sql.raw(column)} = ${options.userId}` : sql``);
  const listingTypes = sql.join(
    LISTING_OBJECT_TYPES.map((t) => sql`${t}`),
    sql`, `,
  );
  const rows = await queryRows<{
    assessment_id: string;
    user_id: string;
    conflict: DutyConflict;
    n: number;
    last_at: string | Date;
  }>(
    sql`
    with a as (
      select a.id, a.community_code, a.submitted_at,
             (select max(s.id) from audit_entries s
               where s.region_code = a.community_code and s.object_type = 'assessment' and s.object_id = a.id
                 and s.action = 'assessment.submit') as submit_entry
        from assessments a where a.id in (${ids})
    )
    select a.id as assessment_id, t.actor_user_id as user_id, 'submitted' as conflict, count(*)::int as n, max(t.at) as last_at
      from a join assessment_transitions t on t.assessment_id = a.id
     where t.to_state = 'submitted' and t.actor_user_id is not null ${user("t.actor_user_id")}
     group by a.id, t.actor_user_id
    union all
    select a.id, e.actor_user_id, 'edited_listings', count(*)::int, max(e.at)
      from a join audit_entries e on e.region_code = a.community_code
     where e.object_type in (${listingTypes}) and e.actor_user_id is not null ${user("e.actor_user_id")}
       and (case when a.submit_entry is not null then e.id > a.submit_entry
                 else a.submitted_at is not null and e.at >= a.submitted_at end)
     group by a.id, e.actor_user_id
     order by 1, 3, 2`,
    database,
  );
  return rows.map((r) => ({
    assessmentId: r.assessment_id,
    userId: r.user_id,
    conflict: r.conflict,
    count: Number(r.n),
    lastAt: new Date(r.last_at),
  }));
}

/** `userId`'s reasons not to approve one assessment; [] = none */
export async function dutyConflictsOf(
  assessmentId: string,
  userId: string,
  database: Database = db,
): Promise<DutyConflictRow[]> {
  return listDutyConflicts([assessmentId], { userId }, database);
}

// ---------------------------------------------------------------------------------------------
// the workflow

export type TransitionFailure =
  | { ok: false; reason: "not_found" }
  /** the assessment changed since `version` was read: nothing was written */
  | { ok: false; reason: "conflict"; current: Assessment }
  /** not possible from the current state (e.g. approving a draft) */
  | { ok: false; reason: "invalid_state"; current: Assessment }
  /** the input breaks a rule; field → message key */
  | { ok: false; reason: "invalid"; fields: Record<string, string> }
  /** separation of duties: the actor submitted it, or changed the community's listings since */
  | { ok: false; reason: "separation_of_duties"; conflicts: DutyConflictRow[] };
export type TransitionResult = { ok: true; assessment: Assessment } | TransitionFailure;

const auditView = (a: Assessment | null) => a && { ...a, updatedAt: undefined };

async function lockCommunity(tx: Database, communityCode: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`shequ.assessment.${communityCode}`}))`);
}

async function writeTransition(
  tx: Database,
  input: {
    before: Assessment | null;
    after: Assessment;
    actor: Actor | null;
    reason: string | null;
    at: Date;
    action: string;
  },
) {
  await tx.insert(assessmentTransitions).values({
    assessmentId: input.after.id,
    fromState: input.before?.state ?? null,
    toState: input.after.state,
    actorUserId: input.actor?.userId ?? null,
    reason: input.reason,
    at: input.at,
  });
  await recordAudit(tx, {
    actorUserId: input.actor?.userId ?? null,
    action: input.action,
    objectType: "assessment",
    objectId: input.after.id,
    regionCode: input.after.communityCode,
    before: auditView(input.before),
    after: { ...auditView(input.after), ...(input.reason ? { reason: input.reason } : {}) },
  });
  await notifyAssessmentTransition(tx, {
    after: input.after,
    actorUserId: input.actor?.userId ?? null,
    reason: input.reason,
  });
}

/**
 * Starts a draft for a community: only when it has none open (draft, submitted, notice) and its
 * latest was rejected or revoked, or it has none.
 */
export async function startAssessment(
  actor: Actor,
  communityCode: string,
  now = new Date(),
): Promise<TransitionResult> {
  await settleNoticePeriods(now);
  return db.transaction(async (tx) => {
    await lockCommunity(tx, communityCode);
    const [latest] = await listCommunityAssessments(communityCode, tx);
    if (latest && latest.state !== "rejected" && latest.state !== "revoked")
      return { ok: false, reason: "invalid_state", current: latest } as const;
    const standard = await getCurrentStandard(tx);
    const [created] = await tx
      .insert(assessments)
      .values({
        communityCode,
        standardVersion: standard.version,
        state: "draft",
        indicators: [],
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: assessments.id });
    const after = (await getAssessment(created.id, tx))!;
    await writeTransition(tx, { before: null, after, actor, reason: null, at: now, action: "assessment.create" });
    return { ok: true, assessment: after } as const;
  });
}

/**
 * Changes an assessment only if it is still at `version` and in one of `from`; `change` computes
 * the new values from the locked row. One transaction: the row, a transition (when the state
 * changes) and the audit entry.
 */
async function transition(
  actor: Actor,
  id: string,
  version: number,
  options: {
    from: readonly AssessmentState[];
    action: string;
    reason?: string | null;
    now: Date;
    change: (
      tx: Database,
      current: Assessment,
    ) => Promise<
      Partial<typeof assessments.$inferInsert> | { invalid: Record<string, string> } | { refused: TransitionFailure }
    >;
  },
): Promise<TransitionResult> {
  // a notice period that has passed ends first: its assessment is approved, not in notice
  await settleNoticePeriods(options.now);
  return db.transaction(async (tx) => {
    const before = await getAssessment(id, tx);
    if (!before) return { ok: false, reason: "not_found" } as const;
    await lockCommunity(tx, before.communityCode);
    const current = (await getAssessment(id, tx))!;
    if (current.version !== version) return { ok: false, reason: "conflict", current } as const;
    if (!options.from.includes(current.state)) return { ok: false, reason: "invalid_state", current } as const;
    const values = await options.change(tx, current);
    if ("invalid" in values) return { ok: false, reason: "invalid", fields: values.invalid } as const;
    if ("refused" in values) return values.refused;
    const updated = await tx
      .update(assessments)
      .set({ ...values, version: sql`${assessments.version} + 1`, updatedAt: options.now })
      .where(and(eq(assessments.id, id), eq(assessments.version, version)))
      .returning({ id: assessments.id });
    if (updated.length === 0)
      return { ok: false, reason: "conflict", current: (await getAssessment(id, tx))! } as const;
    const after = (await getAssessment(id, tx))!;
    if (after.state !== current.state) {
      await writeTransition(tx, {
        before: current,
        after,
        actor,
        reason: options.reason ?? null,
        at: options.now,
        action: options.action,
      });
    } else {
      await recordAudit(tx, {
        actorUserId: actor.userId,
        action: options.action,
        objectType: "assessment",
        objectId: id,
        regionCode: after.communityCode,
        before: auditView(current),
        after: auditView(after),
      });
    }
    return { ok: true, assessment: after } as const;
  });
}

/**
 * Saves a draft's manual evidence (claims, text, links). A draft always follows the current
 * standard: saving moves it there, keeping the evidence of indicators that are still in it.
 */
export function saveDraft(
  actor: Actor,
  id: string,
  version: number,
  manual: readonly ManualEvidenceInput[],
  now = new Date(),
) {
  return transition(actor, id, version, {
    from: ["draft"],
    action: "assessment.save",
    now,
    change: async (tx) => {
      const standard = await getCurrentStandard(tx);
      const problems = checkEvidence(standard, manual);
      if (Object.keys(problems).length) return { invalid: problems };
      const indicators: AssessmentIndicatorValue[] = manual.map((m) => {
        const text = m.text?.trim() ?? "";
        const links = (m.links ?? []).map((l) => l.trim()).filter(Boolean);
        return {
          key: m.key,
          met: m.met,
          ...(text || links.length
            ? { evidence: { ...(text ? { text } : {}), ...(links.length ? { links } : {}) } }
            : {}),
        };
      });
      return { indicators, standardVersion: standard.version };
    },
  });
}

/** Submits a draft: the automatic indicators are fixed as they are now, and the score with them. */
export function submitAssessment(actor: Actor, id: string, version: number, now = new Date()) {
  return transition(actor, id, version, {
    from: ["draft"],
    action: "assessment.submit",
    now,
    change: async (tx, current) => {
      const standard = await getCurrentStandard(tx);
      const automatic = await evaluateAutomatic(current.communityCode, standard, now, tx);
      const evaluation = evaluate(standard, current.indicators, automatic);
      const manualKeys = new Set(standard.indicators.filter((i) => i.kind === "manual").map((i) => i.key));
      const indicators: AssessmentIndicatorValue[] = standard.indicators.map((indicator) => {
        const row = evaluation.rows.find((r) => r.indicator.key === indicator.key)!;
        if (!manualKeys.has(indicator.key)) return { key: indicator.key, met: row.met };
        return { key: indicator.key, met: row.met, ...(row.evidence ? { evidence: row.evidence } : {}) };
      });
      return {
        state: "submitted" as const,
        standardVersion: standard.version,
        indicators,
        score: evaluation.score,
        submittedAt: now,
      };
    },
  });
}

/**
 * Approves a submitted assessment at `tier`: not by its submitter nor by anyone who changed the
 * community's listings since it was submitted (separation of duties, checked under the
 * community's lock); the score must reach the pass score and the tier's minimum (of the standard
 * it was scored on). With the province's notice days > 0 it goes into public notice and takes
 * effect when the period ends (no one approves again then); with 0 it takes effect now.
 */
export function approveAssessment(actor: Actor, id: string, version: number, tier: Tier, now = new Date()) {
  return transition(actor, id, version, {
    from: ["submitted"],
    action: "assessment.approve",
    now,
    change: async (tx, current) => {
      const conflicts = await dutyConflictsOf(current.id, actor.userId, tx);
      if (conflicts.length) return { refused: { ok: false, reason: "separation_of_duties", conflicts } as const };
      const standard = await getStandard(current.standardVersion, tx);
      const score = current.score ?? 0;
      if (!standard || score < standard.passScore) return { invalid: { tier: "assessment.errors.belowPass" } };
      if (!(ASSESSMENT_TIERS as readonly string[]).includes(tier) || score < standard.tierScores[tier]) {
        return { invalid: { tier: "assessment.errors.tierTooHigh" } };
      }
      const { noticeDays } = await getCurrentStandard(tx);
      const effectiveAt = new Date(now.getTime() + noticeDays * 24 * 3600 * 1000);
      return {
        state: noticeDays > 0 ? ("notice" as const) : ("approved" as const),
        tier,
        approvedAt: now,
        effectiveAt,
        revokedAt: null,
      };
    },
  });
}

/** Rejects a submitted assessment, or one in public notice (which then never takes effect). */
export function rejectAssessment(actor: Actor, id: string, version: number, reason: string, now = new Date()) {
  const problem = checkReason(reason);
  return transition(actor, id, version, {
    from: ["submitted", "notice"],
    action: "assessment.reject",
    reason: reason.trim(),
    now,
    change: async () =>
      problem
        ? { invalid: { reason: problem } }
        : { state: "rejected" as const, tier: null, approvedAt: null, effectiveAt: null },
  });
}

/** Revokes an approved assessment: it stops counting from now; when it took effect is kept. */
export function revokeAssessment(actor: Actor, id: string, version: number, reason: string, now = new Date()) {
  const problem = checkReason(reason);
  return transition(actor, id, version, {
    from: ["approved"],
    action: "assessment.revoke",
    reason: reason.trim(),
    now,
    change: async () => (problem ? { invalid: { reason: problem } } : { state: "revoked" as const, revokedAt: now }),
  });
}

/**
 * Ends every public-notice period that has passed by `now`: the assessment becomes approved, with
 * a transition (no actor, at the moment it took effect) and an audit entry. Idempotent and safe
 * to run concurrently (the update re-checks the state under the row lock); the workflow's reads
 * call it, and the app server may call it on a timer. Returns how many were settled.
 */
export async function settleNoticePeriods(now = new Date()): Promise<number> {
  const nowIso = now.toISOString();
  // the cheap check first: most calls find nothing to do
  const [due] = await queryRows<{ n: number }>(
    sql`select count(*)::int as n from assessments where state = 'notice' and effective_at <= ${nowIso}::timestamptz`,
  );
  if (!due || Number(due.n) === 0) return 0;
  return db.transaction(async (tx) => {
    const settled = await queryRows<{ id: string }>(
      sql`update assessments set state = 'approved', version = version + 1, updated_at = ${nowIso}::timestamptz
           where state = 'notice' and effective_at <= ${nowIso}::timestamptz
         returning id`,
      tx,
    );
    for (const { id } of settled) {
      const after = (await getAssessment(id, tx))!;
      const before: Assessment = { ...after, state: "notice", version: after.version - 1 };
      await writeTransition(tx, {
        before,
        after,
        actor: null,
        reason: NOTICE_ENDED_REASON,
        at: after.effectiveAt ?? now,
        action: "assessment.notice_ended",
      });
    }
    return settled.length;
  });
}
