import { sql, type SQL } from "drizzle-orm";

import { FEEDBACK_LIMITS } from "../../app/domains/feedback/feedback";
import type { PublicAnswer, StaffComment } from "../../app/domains/feedback/feedback-answers";
import { db, queryRows, type Database } from "../client.server";
import { recordAudit } from "./audit.server";
import { countedSince } from "./feedback.server";

// The staff's side of residents' opinions (docs/figures.md, Satisfaction): a community's figures
// per service, the comments staff read, and the public answers they write. Every figure and list
// counts the opinions of the last 12 months only (`countedSince`).

const isoTime = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export type ServiceSatisfactionCounts = {
  serviceId: string;
  serviceName: string;
  facilityName: string;
  responses: number;
  satisfied: number;
};

/**
 * Responses and satisfied per service of the opinions counted for the community (its
 * `community_code` when given), most responses first: their sum is the community's figure.
 */
export async function satisfactionByService(
  communityCode: string,
  now = new Date(),
  database: Database = db,
): Promise<ServiceSatisfactionCounts[]> {
  const rows = await queryRows<{
    service_id: string;
    service_name: string;
    facility_name: string;
    responses: number | string;
    satisfied: number | string;
  }>(
    sql`select sf.service_id, s.name as service_name, f.name as facility_name, count(*) as responses,
               count(*) filter (where sf.satisfied) as satisfied
          from service_feedback sf
          join services s on s.id = sf.service_id
          join facilities f on f.id = s.facility_id
         where sf.community_code = ${communityCode} and ${countedSince(now, "sf")}
         group by sf.service_id, s.name, f.name
         order by count(*) desc, s.name, sf.service_id`,
    database,
  );
  return rows.map((r) => ({
    serviceId: r.service_id,
    serviceName: r.service_name,
    facilityName: r.facility_name,
    responses: Number(r.responses),
    satisfied: Number(r.satisfied),
  }));
}

/**
 * The newest counted opinions with a comment, of a community or of one service, each with its
 * service and its answer if any (FEEDBACK_LIMITS.recentComments unless told).
 */
export async function recentComments(
  of: { communityCode: string } | { serviceId: string },
  now = new Date(),
  limit: number = FEEDBACK_LIMITS.recentComments,
  database: Database = db,
): Promise<StaffComment[]> {
  const where: SQL =
    "communityCode" in of ? sql`sf.community_code = ${of.communityCode}` : sql`sf.service_id = ${of.serviceId}`;
  const rows = await queryRows<{
    id: number | string;
    service_id: string;
    service_name: string;
    satisfied: boolean;
    comment: string;
    given_at: string;
    answer: string | null;
    answered_at: string | null;
  }>(
    sql`select sf.id, sf.service_id, s.name as service_name, sf.satisfied, sf.comment,
               ${isoTime("sf.given_at")} as given_at, sf.answer, ${isoTime("sf.answered_at")} as answered_at
          from service_feedback sf join services s on s.id = sf.service_id
         where ${where} and sf.comment is not null and ${countedSince(now, "sf")}
         order by sf.given_at desc, sf.id desc
         limit ${limit}`,
    database,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    serviceId: r.service_id,
    serviceName: r.service_name,
    satisfied: r.satisfied,
    comment: r.comment,
    givenAt: r.given_at,
    answer: r.answer,
    answeredAt: r.answered_at,
  }));
}

export type FeedbackToAnswer = StaffComment & { communityCode: string };

/** a counted opinion (with or without a comment), for the answer page and its guard; null when unknown or no longer counted */
export async function getFeedbackToAnswer(
  id: number,
  now = new Date(),
  database: Database = db,
): Promise<(Omit<FeedbackToAnswer, "comment"> & { comment: string | null }) | null> {
  const [row] = await queryRows<{
    id: number | string;
    service_id: string;
    service_name: string;
    community_code: string;
    satisfied: boolean;
    comment: string | null;
    given_at: string;
    answer: string | null;
    answered_at: string | null;
  }>(
    sql`select sf.id, sf.service_id, s.name as service_name, sf.community_code, sf.satisfied, sf.comment,
               ${isoTime("sf.given_at")} as given_at, sf.answer, ${isoTime("sf.answered_at")} as answered_at
          from service_feedback sf join services s on s.id = sf.service_id
         where sf.id = ${id} and ${countedSince(now, "sf")}`,
    database,
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    serviceId: row.service_id,
    serviceName: row.service_name,
    communityCode: row.community_code,
    satisfied: row.satisfied,
    comment: row.comment,
    givenAt: row.given_at,
    answer: row.answer,
    answeredAt: row.answered_at,
  };
}

export type AnswerOutcome =
  | { ok: true; answer: string | null; communityCode: string }
  | { ok: false; reason: "not_found" | "no_comment" | "changed" };

/**
 * Sets the public answer to a counted opinion with a comment (an empty answer removes it), with
 * its date and author, audited with the answer before and after, in one transaction. With
 * `givenAt` (when the comment the staff read was given), refused as changed if the resident has
 * since replaced the opinion.
 */
export async function answerFeedback(
  actor: { userId: string },
  feedbackId: number,
  answer: string,
  now = new Date(),
  givenAt?: string,
): Promise<AnswerOutcome> {
  const text = answer.trim();
  if (text.length > FEEDBACK_LIMITS.answerLength)
    throw new RangeError(`an answer has at most ${FEEDBACK_LIMITS.answerLength} characters`);
  const stored = text === "" ? null : text;
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{
      community_code: string;
      comment: string | null;
      answer: string | null;
      given_at: string;
    }>(
      sql`select community_code, comment, answer, ${isoTime("sf.given_at")} as given_at from service_feedback sf
           where sf.id = ${feedbackId} and ${countedSince(now, "sf")} for update`,
      tx,
    );
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.comment === null) return { ok: false, reason: "no_comment" } as const;
    if (givenAt !== undefined && new Date(givenAt).getTime() !== new Date(row.given_at).getTime())
      return { ok: false, reason: "changed" } as const;
    await tx.execute(sql`
      update service_feedback
         set answer = ${stored},
             answered_at = ${stored === null ? null : now.toISOString()}::timestamptz,
             answered_by = ${stored === null ? null : actor.userId}
       where id = ${feedbackId}`);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "service_feedback.answer",
      objectType: "service_feedback",
      objectId: String(feedbackId),
      regionCode: row.community_code,
      before: { answer: row.answer },
      after: { answer: stored },
    });
    return { ok: true, answer: stored, communityCode: row.community_code } as const;
  });
}

/** the answered opinions of a service still counted, newest answer first, at most 5: never the comment */
export async function listPublicAnswers(
  serviceId: string,
  now = new Date(),
  database: Database = db,
): Promise<PublicAnswer[]> {
  const rows = await queryRows<{ answer: string; answered_at: string; given_at: string; satisfied: boolean }>(
    sql`select sf.answer, ${isoTime("sf.answered_at")} as answered_at, ${isoTime("sf.given_at")} as given_at,
               sf.satisfied
          from service_feedback sf
         where sf.service_id = ${serviceId} and sf.answer is not null and ${countedSince(now, "sf")}
         order by sf.answered_at desc, sf.id desc
         limit 5`,
    database,
  );
  return rows.map((r) => ({
    answer: r.answer,
    answeredAt: r.answered_at,
    givenAt: r.given_at,
    satisfied: r.satisfied,
  }));
}
