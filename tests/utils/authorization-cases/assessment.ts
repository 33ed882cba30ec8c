import { sql } from "drizzle-orm";

import { db } from "../../../db/client.server";
import { getCurrentStandard } from "../../../db/queries/assessments.server";
import { assessments } from "../../../db/schema";
import { EDITED, type MatrixCase, type Scope } from "./shared";
import type { Role } from "../../../db/identifiers";

/** A submitted, passing assessment in (or out of) the role's scope; none outside Shandong. */
async function submittedIn(role: Role | undefined, scope: Scope) {
  const { code } = EDITED[role ?? "community_staff"][scope];
  if (!code.startsWith("37")) return "no-such-assessment";
  const [row] = await db
    .insert(assessments)
    .values({ communityCode: code, standardVersion: 1, state: "submitted", score: 100, submittedAt: new Date(), indicators: [] })
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
