import { sql, type SQL } from "drizzle-orm";
import { createHash } from "node:crypto";

import {
  FEEDBACK_LIMITS,
  satisfactionOf,
  type FeedbackInput,
  type Satisfaction,
} from "../../app/domains/feedback/feedback";
import { chinaDate } from "../../app/domains/listings/open-now";
import { db, queryRows, type Database } from "../client.server";
import { toStoredCode } from "../identifiers";
import { recordAudit } from "./audit.server";
import { publicServiceConditions } from "./search.server";

// Residents' opinions of services (docs/figures.md, Satisfaction). Every figure counts the
// opinions of the last 12 months (`countedSince`); a browser's later opinion of the same service
// within 30 days replaces its earlier one instead of counting twice.

/** the rater key: a hash of the browser's random id and the service, so one browser's opinions of two services are not linkable */
export const raterKeyOf = (browserId: string, serviceId: string) =>
  createHash("sha256").update(`${browserId}\u0000${serviceId}`).digest("base64url");

/** the opinions that count on `now`: given within the last 12 months (`alias` is the table's alias in the query) */
export function countedSince(now: Date, alias = "service_feedback"): SQL {
  return sql`${sql.raw(alias)}.given_at > ${now.toISOString()}::timestamptz - make_interval(months => ${FEEDBACK_LIMITS.countedMonths}::int)`;
}

/** the community of a service residents can see now (the one visibility rule), or null */
export async function getRatableService(
  serviceId: string,
  now = new Date(),
): Promise<{ communityCode: string } | null> {
  const [row] = await queryRows<{ community_code: string }>(
    sql`select f.community_code from services s join facilities f on f.id = s.facility_id
         where s.id = ${serviceId} and ${sql.join(publicServiceConditions(chinaDate(now), now), sql` and `)}`,
  );
  return row ? { communityCode: row.community_code } : null;
}

export type RecordedFeedback = { id: number; replaced: boolean };

/**
 * Records a resident's opinion of a public service (the caller checked that it is public and took
 * the address's budget). Replaces the same browser's opinion of it given within the last 30 days;
 * an older one keeps counting and loses its key. A replaced comment loses the answer it had.
 */
export async function recordFeedback(input: {
  serviceId: string;
  communityCode: string;
  browserId: string;
  opinion: FeedbackInput;
  now?: Date;
}): Promise<RecordedFeedback> {
  const now = (input.now ?? new Date()).toISOString();
  const key = raterKeyOf(input.browserId, input.serviceId);
  return db.transaction(async (tx) => {
    // two tabs of one browser posting at once: one waits, then replaces what the other wrote
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const [earlier] = await queryRows<{ id: number | string; recent: boolean }>(
      sql`select id, given_at > ${now}::timestamptz - make_interval(days => ${FEEDBACK_LIMITS.replaceDays}::int) as recent
            from service_feedback where rater_key = ${key}`,
      tx,
    );
    if (earlier?.recent) {
      await tx.execute(sql`
        update service_feedback
           set satisfied = ${input.opinion.satisfied}, comment = ${input.opinion.comment},
               given_at = ${now}::timestamptz, community_code = ${input.communityCode},
               answer = case when comment is not distinct from ${input.opinion.comment} then answer end,
               answered_at = case when comment is not distinct from ${input.opinion.comment} then answered_at end,
               answered_by = case when comment is not distinct from ${input.opinion.comment} then answered_by end
         where id = ${earlier.id}`);
      await auditOpinion(tx, Number(earlier.id), input, true);
      return { id: Number(earlier.id), replaced: true };
    }
    if (earlier) await tx.execute(sql`update service_feedback set rater_key = null where id = ${earlier.id}`);
    const [row] = await queryRows<{ id: number | string }>(
      sql`insert into service_feedback (service_id, community_code, satisfied, comment, rater_key, given_at)
          values (${input.serviceId}, ${input.communityCode}, ${input.opinion.satisfied}, ${input.opinion.comment},
                  ${key}, ${now}::timestamptz)
          returning id`,
      tx,
    );
    await auditOpinion(tx, Number(row.id), input, false);
    return { id: Number(row.id), replaced: false };
  });
}

// Audited like a problem report, with no actor; the entry keeps neither the comment nor any key,
// so that it holds nothing about the resident after the opinion itself is gone.
const auditOpinion = (
  tx: Database,
  id: number,
  input: { serviceId: string; communityCode: string; opinion: FeedbackInput },
  replaced: boolean,
) =>
  recordAudit(tx, {
    actorUserId: null,
    action: replaced ? "service_feedback.replace" : "service_feedback.create",
    objectType: "service_feedback",
    objectId: String(id),
    regionCode: input.communityCode,
    after: {
      serviceId: input.serviceId,
      satisfied: input.opinion.satisfied,
      withComment: input.opinion.comment !== null,
    },
  });

/**
 * Responses and satisfied per part of the region `prefix` (a code prefix), the parts being the
 * codes' first `partDigits` digits (e.g. 6 for counties, 12 for communities); counted on `now`.
 */
export async function satisfactionByPart(
  prefix: string,
  partDigits: number,
  now = new Date(),
  database: Database = db,
): Promise<Map<string, { responses: number; satisfied: number }>> {
  const rows = await queryRows<{ part: string; responses: number | string; satisfied: number | string }>(
    sql`select left(community_code, ${partDigits}::int) as part, count(*) as responses,
               count(*) filter (where satisfied) as satisfied
          from service_feedback
         where community_code like ${`${prefix}%`} and ${countedSince(now)}
         group by 1`,
    database,
  );
  return new Map(rows.map((r) => [r.part, { responses: Number(r.responses), satisfied: Number(r.satisfied) }]));
}

/** one service's figure on `now`, its share shown from the province's minimum of responses (one statement) */
export async function getServiceSatisfaction(
  serviceId: string,
  now = new Date(),
  database: Database = db,
): Promise<Satisfaction> {
  const [row] = await queryRows<{ responses: number | string; satisfied: number | string; min: number | string }>(
    sql`select count(*) as responses, count(*) filter (where satisfied) as satisfied,
               coalesce((select satisfaction_min_responses from province_settings where id = 1),
                        ${FEEDBACK_LIMITS.minResponsesDefault}::int) as min
          from service_feedback where service_id = ${serviceId} and ${countedSince(now)}`,
    database,
  );
  return satisfactionOf(Number(row.responses), Number(row.satisfied), Number(row.min));
}

/** the province admin's minimum of responses before a share satisfied is shown */
export async function getSatisfactionMinResponses(database: Database = db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    sql`select satisfaction_min_responses as n from province_settings where id = 1`,
    database,
  );
  return row ? Number(row.n) : FEEDBACK_LIMITS.minResponsesDefault;
}

/** sets it, audited with before and after */
export async function saveSatisfactionMinResponses(actor: { userId: string }, minResponses: number) {
  if (!Number.isInteger(minResponses) || minResponses < 1 || minResponses > FEEDBACK_LIMITS.minResponsesMax)
    throw new RangeError(`minimum responses must be a whole number 1–${FEEDBACK_LIMITS.minResponsesMax}`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from province_settings where id = 1 for update`);
    const before = await getSatisfactionMinResponses(tx);
    await tx.execute(sql`
      insert into province_settings (id, satisfaction_min_responses, updated_at) values (1, ${minResponses}::int, now())
      on conflict (id) do update set satisfaction_min_responses = excluded.satisfaction_min_responses,
                                     updated_at = excluded.updated_at`);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "province_settings.satisfaction.update",
      objectType: "province_settings",
      objectId: "satisfaction",
      regionCode: toStoredCode("37"),
      before: { minResponses: before },
      after: { minResponses },
    });
    return minResponses;
  });
}

/**
 * What the limits no longer need goes: a rater key 30 days after its opinion, an opinion (and its
 * comment and answer) 12 months after it was given. Daily; idempotent.
 */
export async function sweepFeedback(now = new Date()) {
  const at = now.toISOString();
  const keys = await queryRows<{ id: number }>(
    sql`update service_feedback set rater_key = null
         where rater_key is not null
           and given_at <= ${at}::timestamptz - make_interval(days => ${FEEDBACK_LIMITS.replaceDays}::int)
        returning id`,
  );
  const deleted = await queryRows<{ id: number }>(
    sql`delete from service_feedback where not (${countedSince(now)}) returning id`,
  );
  return { keysCleared: keys.length, deleted: deleted.length };
}
