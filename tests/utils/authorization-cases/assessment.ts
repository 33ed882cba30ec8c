import { sql } from "drizzle-orm";

import { db } from "../../../db/client.server";
import type { Role } from "../../../db/identifiers";
import {
  getCurrentStandard,
  saveDraft,
  startAssessment,
  submitAssessment,
} from "../../../db/queries/assessments.server";
import { createFacility } from "../../../db/queries/listings.server";
import { assessments } from "../../../db/schema";
import { createTestUser, sessionCookieFor } from "../accounts";
import { EDITED, type MatrixCase, type Prepared, type Scope } from "./shared";

/** A submitted, passing assessment in (or out of) the role's scope; none outside Shandong. */
async function submittedIn(role: Role | undefined, scope: Scope) {
  const { code } = EDITED[role ?? "community_staff"][scope];
  if (!code.startsWith("37")) return "no-such-assessment";
  const [row] = await db
    .insert(assessments)
    .values({
      communityCode: code,
      standardVersion: 1,
      state: "submitted",
      score: 100,
      submittedAt: new Date(),
      indicators: [],
    })
    .returning({ id: assessments.id });
  return row.id;
}

/** the current standard as the page's form posts it, unchanged */
async function standardForm() {
  const current = await getCurrentStandard();
  const form: Record<string, string> = {
    basedOn: String(current.version),
    passScore: String(current.passScore),
    noticeDays: String(current.noticeDays),
    "tierScores.basic": String(current.tierScores.basic),
    "tierScores.growth": String(current.tierScores.growth),
    "tierScores.benchmark": String(current.tierScores.benchmark),
  };
  current.indicators.forEach((indicator, i) => {
    form[`indicators[${i}].key`] = indicator.key;
    form[`indicators[${i}].weight`] = String(indicator.weight);
    form[`indicators[${i}].labelZh`] = indicator.label["zh-CN"];
    form[`indicators[${i}].labelEn`] = indicator.label.en;
  });
  return form;
}

/** the matrix cases of the assessment routes (see authorization-matrix.test.ts) */
export const assessmentCases: Record<string, MatrixCase> = {
  "routes/manage.$code.assessment": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const { code } = EDITED[actor?.role ?? "community_staff"][scope];
      // each run starts afresh: a community has one open assessment at a time
      await db.execute(sql`delete from assessments where community_code = ${code}`);
      return { url: `/manage/${code}/assessment`, params: { code }, form: { intent: "start" } };
    },
  },
  "routes/review.$id": {
    access: "review",
    audited: true,
    prepare: async (actor, scope) => {
      const id = await submittedIn(actor?.role, scope);
      return { url: `/review/${id}`, params: { id }, form: { intent: "approve", version: "1", tier: "basic" } };
    },
  },
  "routes/admin.standard": {
    access: "configure_unscoped",
    audited: true,
    prepare: async () => ({ url: "/admin/standard", form: await standardForm() }),
  },
};

/**
 * Separation of duties (docs/certification.md): on top of scope, whoever submitted an assessment,
 * or changed the community's listings after its submission, may not approve it; rejecting stays
 * open.
 * Each case: a district official of the community's district submits through the workflow (the
 * score then set to pass), `involve` makes the caller's part, and the caller posts to the review
 * page. Every caller is an official in scope, so only the rule can refuse.
 */
export type DutyCase = {
  label: string;
  want: "allowed" | "denied";
  intent: "approve" | "reject";
  involve: (caller: { userId: string }, submitter: { userId: string }, code: string) => Promise<{ userId: string }>;
};

export const dutyCases: DutyCase[] = [
  {
    label: "the submitter approves",
    want: "denied",
    intent: "approve",
    involve: async (_caller, submitter) => submitter,
  },
  {
    label: "an official who added a facility to the community after its submission approves",
    want: "denied",
    intent: "approve",
    involve: async (caller, _submitter, code) => {
      const { lat, lng } = EDITED.district_official.in;
      await createFacility(caller, code, {
        name: "提交后新增的设施",
        type: "elderly_service_station",
        address: "",
        lat,
        lng,
      });
      return caller;
    },
  },
  {
    label: "an uninvolved official in scope approves",
    want: "allowed",
    intent: "approve",
    involve: async (caller) => caller,
  },
  {
    label: "the submitter rejects (sends it back)",
    want: "allowed",
    intent: "reject",
    involve: async (_caller, submitter) => submitter,
  },
];

/** Runs a duty case up to the request: the submitted assessment and the caller's cookie and form. */
export async function prepareDutyCase(dutyCase: DutyCase): Promise<Prepared & { cookie: string }> {
  const { code } = EDITED.district_official.in;
  await db.execute(sql`delete from assessments where community_code = ${code}`);
  const submitter = { userId: (await createTestUser({ role: "district_official", regionCode: code.slice(0, 6) })).id };
  const started = await startAssessment(submitter, code);
  if (!started.ok) throw new Error(`start: ${started.reason}`);
  const saved = await saveDraft(submitter, started.assessment.id, started.assessment.version, []);
  if (!saved.ok) throw new Error(`save: ${saved.reason}`);
  const sent = await submitAssessment(submitter, saved.assessment.id, saved.assessment.version);
  if (!sent.ok) throw new Error(`submit: ${sent.reason}`);
  // the listings decide nothing here: the score passes whatever the community has
  await db
    .update(assessments)
    .set({ score: 100 })
    .where(sql`id = ${sent.assessment.id}`);
  const uninvolved = { userId: (await createTestUser({ role: "district_official", regionCode: code.slice(0, 6) })).id };
  const caller = await dutyCase.involve(uninvolved, submitter, code);
  const { cookie } = await sessionCookieFor(caller.userId);
  const id = sent.assessment.id;
  const form: Record<string, string> =
    dutyCase.intent === "approve"
      ? { intent: "approve", version: String(sent.assessment.version), tier: "basic" }
      : { intent: "reject", version: String(sent.assessment.version), reason: "材料不全，退回" };
  return { url: `/review/${id}`, params: { id }, form, cookie };
}
