import { and, count, desc, eq, isNull, like, or, sql } from "drizzle-orm";

import { rolesWith } from "../../app/domains/accounts/accounts";
import { db, queryRows, type Database } from "../client.server";
import type { AssessmentState, NotificationKind, ProblemKind, Role } from "../identifiers";
import { notifications, type NotificationParams } from "../schema";
import { accountsCoveringQuery } from "./users.server";

// In-app notifications: nothing is sent outside the app. Each is written in the transaction of the
// change it tells of, one row per recipient, the recipients resolved then from the accounts'
// roles and scopes (enabled accounts only; whoever caused the change is not told):
//   problem_report                  the community's staff
//   submission_waiting              the reviewers whose scope covers the community
//   assessment_notice | _approved | _rejected | _revoked   the community's staff
//   notice_ended                    the reviewers covering the community, and its staff
//   listing_stale                   the community's staff (writeStaleReminders, run daily)
//   site_proposed                   the community's staff (a planning scenario's site sent to them)

const STAFF: readonly Role[] = ["community_staff"];
const REVIEWERS = rolesWith("review");

type Notice = {
  kind: NotificationKind;
  /** the community it concerns (12 digits) */
  regionCode: string;
  link: string;
  params: NotificationParams;
};

/** One notification to each account holding one of `roles` over the notice's community, but `except`. */
async function notify(tx: Database, roles: readonly Role[], notice: Notice, except: string | null) {
  await tx.execute(sql`
    insert into ${notifications} (user_id, kind, region_code, link, params)
    select r.user_id, ${notice.kind}::notification_kind, ${notice.regionCode}, ${notice.link}, ${JSON.stringify(notice.params)}::jsonb
      from (${accountsCoveringQuery(roles, notice.regionCode, except ? [except] : [])}) r`);
}

async function communityName(tx: Database, code: string) {
  const [row] = await queryRows<{ name: string }>(sql`select name from regions where code = ${code}`, tx);
  return row?.name ?? code;
}

/** A resident's problem report (no account, so no one is left out): to the community's staff. */
export async function notifyProblemReport(
  tx: Database,
  report: { communityCode: string; facilityId: string; serviceId: string | null; kind: ProblemKind },
) {
  const [names] = await queryRows<{ facility: string; service: string | null }>(
    sql`select f.name as facility, s.name as service from facilities f
          left join services s on s.id = ${report.serviceId} where f.id = ${report.facilityId}`,
    tx,
  );
  await notify(
    tx,
    STAFF,
    {
      kind: "problem_report",
      regionCode: report.communityCode,
      link: `/manage/${report.communityCode}#reports`,
      params: {
        community: await communityName(tx, report.communityCode),
        facility: names?.facility ?? "",
        service: names?.service ?? null,
        problem: report.kind,
      },
    },
    null,
  );
}

/** An official sends a planning scenario's site to a community: its staff are asked to register it. */
export async function notifySiteProposed(
  tx: Database,
  proposal: { communityCode: string; community: string; official: string; scenario: string; measures: string[] },
  actorUserId: string,
) {
  await notify(
    tx,
    STAFF,
    {
      kind: "site_proposed",
      regionCode: proposal.communityCode,
      link: `/manage/${proposal.communityCode}#drafts`,
      params: {
        community: proposal.community,
        official: proposal.official,
        scenario: proposal.scenario,
        // identifiers, named in the reader's language when shown
        measures: proposal.measures.join(","),
      },
    },
    actorUserId,
  );
}

type AssessmentRow = {
  id: string;
  communityCode: string;
  state: AssessmentState;
  tier: string | null;
  effectiveAt: Date | null;
};

const DECISIONS = {
  notice: "assessment_notice",
  approved: "assessment_approved",
  rejected: "assessment_rejected",
  revoked: "assessment_revoked",
} as const satisfies Partial<Record<AssessmentState, NotificationKind>>;

/**
 * An assessment's change of state: a submission waits for the reviewers in scope; a decision goes
 * to the community's staff; the end of a notice period (approved with no actor) to both.
 */
export async function notifyAssessmentTransition(
  tx: Database,
  change: { after: AssessmentRow; actorUserId: string | null; reason: string | null },
) {
  const { after, actorUserId, reason } = change;
  const code = after.communityCode;
  const review = `/review/${after.id}`;
  const manage = `/manage/${code}/assessment`;
  if (after.state === "draft") return;
  const params: NotificationParams = {
    community: await communityName(tx, code),
    tier: after.tier,
    reason,
    until: after.effectiveAt?.toISOString() ?? null,
  };
  const base = { regionCode: code, params };
  if (after.state === "submitted") {
    await notify(tx, REVIEWERS, { ...base, kind: "submission_waiting", link: review }, actorUserId);
  } else if (after.state === "approved" && actorUserId === null) {
    await notify(tx, REVIEWERS, { ...base, kind: "notice_ended", link: review }, null);
    await notify(tx, STAFF, { ...base, kind: "notice_ended", link: manage }, null);
  } else {
    await notify(tx, STAFF, { ...base, kind: DECISIONS[after.state], link: manage }, actorUserId);
  }
}

/**
 * Reminds each community's staff of every listing (facility or service, not closed) that goes
 * stale within `leadDays` of `now` or already has: once per listing and verification (the
 * dedupe key names the moment it was last verified, so verifying it again starts a new period).
 * Idempotent, also when two processes run it at once (the unique key; ON CONFLICT DO NOTHING).
 * Returns how many notifications it wrote.
 */
export async function writeStaleReminders({
  now,
  staleAfterDays,
  leadDays,
}: {
  now: Date;
  staleAfterDays: number;
  leadDays: number;
}) {
  const remindBefore = new Date(now.getTime() - (staleAfterDays - leadDays) * 24 * 3600 * 1000).toISOString();
  const staleAfter = `${staleAfterDays} days`;
  // one run at a time: a second waits, then finds every reminder written (two inserting the same
  // keys in different orders could otherwise deadlock); the unique key still guards any writer
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('shequ.stale_reminders'))`);
    const rows = await queryRows<{ id: number }>(
      sql`
      with listed as (
        select 'facility' as listing, f.id, f.name, f.community_code, coalesce(f.last_verified_at, f.created_at) as verified
          from facilities f where f.status <> 'closed'
        union all
        select 'service', s.id, s.name, f.community_code, coalesce(s.last_verified_at, s.created_at)
          from services s join facilities f on f.id = s.facility_id
         where s.status <> 'closed' and f.status <> 'closed'
      ),
      due as (
        select l.*, c.name as community from listed l join regions c on c.code = l.community_code
         where l.verified < ${remindBefore}::timestamptz
      )
      insert into ${notifications} (user_id, kind, region_code, link, params, dedupe_key)
      select r.user_id, 'listing_stale'::notification_kind, d.community_code,
             case d.listing when 'facility' then '/manage/facilities/' else '/manage/services/' end || d.id,
             jsonb_build_object(
               'community', d.community, 'listing', d.listing, 'name', d.name,
               'verified', to_char(d.verified at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'staleOn', to_char((d.verified + ${staleAfter}::interval) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
             'listing_stale:' || d.listing || ':' || d.id || ':' || extract(epoch from d.verified)::text
        from due d cross join lateral (${accountsCoveringQuery(STAFF, sql`d.community_code`)}) r
      on conflict do nothing
      returning id`,
      tx,
    );
    return rows.length;
  });
}

// ---------------------------------------------------------------------------------------------
// the reader's own notifications, within the reader's scope now: whoever has since lost a
// region no longer reads (nor marks) what was written about it. Every query names the reader.

export type Reader = { userId: string; prefixes: readonly string[] };

const readersOwn = ({ userId, prefixes }: Reader) =>
  and(
    eq(notifications.userId, userId),
    prefixes.length ? or(...prefixes.map((p) => like(notifications.regionCode, `${p}%`))) : sql`false`,
  );

/** the bell's figure: one count on the partial index of the unread */
export async function countUnreadNotifications(reader: Reader) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(readersOwn(reader), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** newest first */
export async function listNotifications(reader: Reader, { limit, offset }: { limit: number; offset: number }) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      regionCode: notifications.regionCode,
      link: notifications.link,
      params: notifications.params,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .where(readersOwn(reader))
    .orderBy(desc(notifications.id))
    .limit(limit)
    .offset(offset);
}

/** Marks one of the reader's notifications read (again: no change); false when it is not theirs or none. */
export async function markNotificationRead(reader: Reader, id: number) {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), readersOwn(reader)))
    .returning({ id: notifications.id });
  return rows.length > 0;
}

/** Marks all the reader's unread notifications read; returns how many. */
export async function markAllNotificationsRead(reader: Reader) {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(readersOwn(reader), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
