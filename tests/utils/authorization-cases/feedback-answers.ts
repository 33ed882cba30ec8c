import { db } from "../../../db/client.server";
import { serviceFeedback } from "../../../db/schema";
import { EDITED, facilityIn, type MatrixCase } from "./shared";

/** a resident's opinion with a comment, of a service in `community` (see authorization-matrix.test.ts) */
async function commentIn(role: Parameters<typeof facilityIn>[0], scope: "in" | "out") {
  const { serviceId } = await facilityIn(role, scope);
  // the province admin's "out" is not in Shandong: no service there, so no opinion either
  if (serviceId === "no-such-service") return "999999999";
  const [row] = await db
    .insert(serviceFeedback)
    .values({
      serviceId,
      communityCode: EDITED[role ?? "community_staff"][scope].code,
      satisfied: false,
      comment: "等了很久",
    })
    .returning({ id: serviceFeedback.id });
  return String(row.id);
}

/** the matrix cases of the staff's answers to residents' comments */
export const feedbackAnswersCases: Record<string, MatrixCase> = {
  "routes/manage.feedback.$id": {
    access: "edit",
    audited: true,
    prepare: async (actor, scope) => {
      const id = await commentIn(actor?.role, scope);
      return {
        url: `/manage/feedback/${id}`,
        params: { id },
        form: { answer: "已安排加派人手", redirectTo: "/manage" },
      };
    },
  },
};

/** the answer page's loader: an official of another district may not read a comment */
export const feedbackAnswersLoaderCases = {
  "routes/manage.feedback.$id": {
    reader: "scoped" as const,
    outsider: "district_official" as const,
    prepare: async () => {
      const id = await commentIn("district_official", "out");
      return { url: `/manage/feedback/${id}`, params: { id } };
    },
  },
};
