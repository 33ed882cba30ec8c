import { sql } from "drizzle-orm";

import { loader as communityLoader } from "~/routes/manage.$code._index";
import { action as answerAction, loader as answerLoader } from "~/routes/manage.feedback.$id";
import { loader as serviceLoader } from "~/routes/manage.services.$id";

import { db, queryRows } from "../../db/client.server";
import {
  answerFeedback,
  listPublicAnswers,
  recentComments,
  satisfactionByService,
} from "../../db/queries/feedback-answers.server";
import { satisfactionByPart, saveSatisfactionMinResponses } from "../../db/queries/feedback.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { serviceFeedback } from "../../db/schema";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

// The staff's side of residents' satisfaction (docs/figures.md, Satisfaction): the figures on
// /manage, the comments, and the public answers (db/queries/feedback-answers.server.ts).

const COMMUNITY = "370102001002";
const OTHER_COMMUNITY = "370103002001";
const DAY = 24 * 3600 * 1000;
const ago = (days: number, now = new Date()) => new Date(now.getTime() - days * DAY);

async function serviceIn(community: string, name: string) {
  const owner = await createTestUser({ role: "province_admin", regionCode: "37" });
  const facility = await createFacility({ userId: owner.id }, community, {
    name: `${name}的站点`,
    type: "elderly_day_care",
    address: "",
    lat: community === COMMUNITY ? 36.6651 : 36.651,
    lng: community === COMMUNITY ? 117.0403 : 116.99,
  });
  return (await createService({ userId: owner.id }, facility.id, {
    name,
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  }))!;
}

async function opinion(
  serviceId: string,
  values: { satisfied: boolean; comment?: string | null; givenAt?: Date; community?: string; answer?: string },
) {
  const [row] = await db
    .insert(serviceFeedback)
    .values({
      serviceId,
      communityCode: values.community ?? COMMUNITY,
      satisfied: values.satisfied,
      comment: values.comment ?? null,
      givenAt: values.givenAt ?? new Date(),
      answer: values.answer ?? null,
      answeredAt: values.answer ? (values.givenAt ?? new Date()) : null,
    })
    .returning({ id: serviceFeedback.id });
  return row.id;
}

async function signedIn(role: "community_staff" | "district_official", regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

const stored = async (id: number) =>
  (
    await queryRows<{ answer: string | null; answered_by: string | null; answered_at: string | null }>(
      sql`select answer, answered_by, answered_at::text from service_feedback where id = ${id}`,
    )
  )[0];

const answerAudits = async (id: number) =>
  queryRows<{ region_code: string; before: unknown; after: unknown; actor_user_id: string }>(
    sql`select region_code, before, after, actor_user_id from audit_entries
         where action = 'service_feedback.answer' and object_type = 'service_feedback' and object_id = ${String(id)}
         order by at, id`,
  );

const postAnswer = (id: number, form: Record<string, string>, cookie?: string) =>
  callAction(answerAction, `/manage/feedback/${id}`, { params: { id: String(id) }, form, cookie });

beforeEach(async () => {
  await db.delete(serviceFeedback);
  await saveSatisfactionMinResponses({ userId: (await createTestUser()).id }, 10);
});

describe("a community's satisfaction on /manage", () => {
  it("counts each service's opinions of the last 12 months only, and the community's figure is their sum", async () => {
    const now = new Date();
    const canteen = await serviceIn(COMMUNITY, "助餐");
    const bathing = await serviceIn(COMMUNITY, "助浴");
    const elsewhere = await serviceIn(OTHER_COMMUNITY, "外社区服务");
    await opinion(canteen.id, { satisfied: true, givenAt: ago(1, now) });
    await opinion(canteen.id, { satisfied: true, givenAt: ago(300, now) });
    await opinion(canteen.id, { satisfied: false, givenAt: ago(360, now) });
    await opinion(canteen.id, { satisfied: true, givenAt: ago(370, now) }); // 12 months and more: not counted
    await opinion(bathing.id, { satisfied: false, givenAt: ago(2, now) });
    await opinion(elsewhere.id, { satisfied: true, community: OTHER_COMMUNITY });

    const services = await satisfactionByService(COMMUNITY, now);
    expect(services.map((s) => [s.serviceName, s.responses, s.satisfied])).toEqual([
      ["助餐", 3, 2],
      ["助浴", 1, 0],
    ]);
    // 100 days later, the opinions of 300 and 360 days before have left the window
    const later = await satisfactionByService(COMMUNITY, new Date(now.getTime() + 100 * DAY));
    expect(later.map((s) => [s.serviceName, s.responses, s.satisfied]).sort()).toEqual(
      [
        ["助餐", 1, 1],
        ["助浴", 1, 0],
      ].sort(),
    );

    const { cookie } = await signedIn("community_staff", COMMUNITY);
    const page = await callLoaderAs(communityLoader, `/manage/${COMMUNITY}`, cookie, { code: COMMUNITY });
    expect(page.status).toBe(200);
    const { satisfaction } = await page.json();
    expect(satisfaction.total).toEqual({ responses: 4, satisfied: 2, rate: null });
    expect(satisfaction.total).toMatchObject((await satisfactionByPart(COMMUNITY, 12, now)).get(COMMUNITY)!);
  });

  it("shows the share only from the province's minimum of responses, the counts below it", async () => {
    const service = await serviceIn(COMMUNITY, "日间照料");
    for (let i = 0; i < 9; i++) await opinion(service.id, { satisfied: i < 6 });
    const { cookie } = await signedIn("district_official", "370102");
    const read = async () =>
      (await (await callLoaderAs(communityLoader, `/manage/${COMMUNITY}`, cookie, { code: COMMUNITY })).json())
        .satisfaction;

    const nine = await read();
    expect(nine.minResponses).toBe(10);
    expect(nine.total).toEqual({ responses: 9, satisfied: 6, rate: null });
    expect(nine.services[0]).toMatchObject({ serviceName: "日间照料", responses: 9, satisfied: 6, rate: null });

    await opinion(service.id, { satisfied: true });
    const ten = await read();
    expect(ten.total).toEqual({ responses: 10, satisfied: 7, rate: 0.7 });
    expect(ten.services[0].rate).toBe(0.7);

    await saveSatisfactionMinResponses({ userId: (await createTestUser()).id }, 11);
    expect((await read()).total.rate).toBeNull();

    const page = await callLoaderAs(serviceLoader, `/manage/services/${service.id}`, cookie, { id: service.id });
    expect((await page.json()).satisfaction.figure).toEqual({ responses: 10, satisfied: 7, rate: null });
  });

  it("lists the newest comments first, with their service and answer, only those with a comment", async () => {
    const now = new Date();
    const canteen = await serviceIn(COMMUNITY, "助餐");
    const bathing = await serviceIn(COMMUNITY, "助浴");
    await opinion(canteen.id, { satisfied: true, givenAt: ago(400, now), comment: "一年多以前的留言" });
    await opinion(canteen.id, { satisfied: true, givenAt: ago(1, now) });
    for (let day = 10; day >= 2; day--)
      await opinion(day % 2 ? canteen.id : bathing.id, {
        satisfied: false,
        givenAt: ago(day, now),
        comment: `第${day}天`,
      });
    await opinion(bathing.id, { satisfied: true, givenAt: ago(0.5, now), comment: "很好", answer: "谢谢" });

    const comments = await recentComments({ communityCode: COMMUNITY }, now);
    expect(comments.map((c) => c.comment)).toEqual(["很好", "第2天", "第3天", "第4天", "第5天"]);
    expect(comments[0]).toMatchObject({ serviceName: "助浴", satisfied: true, answer: "谢谢" });
    expect(comments[1]).toMatchObject({ serviceName: "助浴", satisfied: false, answer: null, answeredAt: null });
    expect(new Date(comments[0].givenAt).getTime()).toBe(ago(0.5, now).getTime());

    const ofCanteen = await recentComments({ serviceId: canteen.id }, now);
    expect(ofCanteen.map((c) => c.comment)).toEqual(["第3天", "第5天", "第7天", "第9天"]);
  });
});

describe("answering a comment", () => {
  it("in scope: stores the answer with its author and date, audited, and goes back with a toast", async () => {
    const service = await serviceIn(COMMUNITY, "助餐");
    const id = await opinion(service.id, { satisfied: false, comment: "饭菜太咸" });
    const { user, cookie } = await signedIn("community_staff", COMMUNITY);

    const response = await postAnswer(
      id,
      { answer: "  已经和厨师沟通，少放盐。 ", redirectTo: `/manage/services/${service.id}#satisfaction` },
      cookie,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/manage/services/${service.id}#satisfaction`);
    expect(response.headers.get("Set-Cookie")).toContain("shequ_toast");
    const row = await stored(id);
    expect(row).toMatchObject({ answer: "已经和厨师沟通，少放盐。", answered_by: user.id });
    expect(row.answered_at).not.toBeNull();
    expect(await answerAudits(id)).toEqual([
      {
        region_code: COMMUNITY,
        actor_user_id: user.id,
        before: { answer: null },
        after: { answer: "已经和厨师沟通，少放盐。" },
      },
    ]);

    // an official above the community may answer too; an empty answer removes it, audited
    const district = await signedIn("district_official", "370102");
    const removed = await postAnswer(id, { answer: "" }, district.cookie);
    expect(removed.status).toBe(302);
    expect(removed.headers.get("Location")).toBe(`/manage/${COMMUNITY}#satisfaction`);
    expect(await stored(id)).toEqual({ answer: null, answered_by: null, answered_at: null });
    expect((await answerAudits(id)).at(-1)).toMatchObject({
      actor_user_id: district.user.id,
      before: { answer: "已经和厨师沟通，少放盐。" },
      after: { answer: null },
    });
  });

  it("out of scope is refused with 403, anonymous is sent to sign in; nothing changes, nothing is audited", async () => {
    const service = await serviceIn(COMMUNITY, "助餐");
    const id = await opinion(service.id, { satisfied: false, comment: "排队太久" });
    const outsider = await signedIn("community_staff", OTHER_COMMUNITY);
    const otherDistrict = await signedIn("district_official", "370103");
    const before = await auditCount();

    expect((await postAnswer(id, { answer: "不是我们的" }, outsider.cookie)).status).toBe(403);
    expect((await postAnswer(id, { answer: "不是我们的" }, otherDistrict.cookie)).status).toBe(403);
    const anonymous = await postAnswer(id, { answer: "匿名" });
    expect(anonymous.status === 401 || (anonymous.headers.get("Location") ?? "").startsWith("/login")).toBe(true);
    expect(
      (await callLoaderAs(answerLoader, `/manage/feedback/${id}`, outsider.cookie, { id: String(id) })).status,
    ).toBe(403);

    expect(await stored(id)).toEqual({ answer: null, answered_by: null, answered_at: null });
    expect(await auditCount()).toBe(before);
  });

  it("too long is refused with the typed answer given back; the rule holds below the form too", async () => {
    const service = await serviceIn(COMMUNITY, "助餐");
    const id = await opinion(service.id, { satisfied: true, comment: "很方便" });
    const { user, cookie } = await signedIn("community_staff", COMMUNITY);
    const long = "谢".repeat(501);

    const refused = await postAnswer(id, { answer: long }, cookie);
    expect(refused.status).toBe(400);
    const { result } = await refused.json();
    expect(result.error).toEqual({ answer: ["feedbackAnswers.answerTooLong"] });
    expect(result.initialValue.answer).toBe(long);
    expect(await stored(id)).toMatchObject({ answer: null });

    await expect(answerFeedback({ userId: user.id }, id, long)).rejects.toThrow(RangeError);
    expect(await answerFeedback({ userId: user.id }, id, "谢".repeat(500))).toMatchObject({ ok: true });
  });

  it("an opinion without a comment cannot be answered; an unknown or uncounted one is a 404", async () => {
    const service = await serviceIn(COMMUNITY, "助餐");
    const silent = await opinion(service.id, { satisfied: true });
    const old = await opinion(service.id, { satisfied: true, comment: "旧留言", givenAt: ago(400) });
    const { user, cookie } = await signedIn("community_staff", COMMUNITY);
    const before = await auditCount();

    const refused = await postAnswer(silent, { answer: "谢谢" }, cookie);
    expect(refused.status).toBe(400);
    expect((await refused.json()).result.error).toEqual({ "": ["feedbackAnswers.noComment"] });
    expect(await answerFeedback({ userId: user.id }, silent, "谢谢")).toEqual({ ok: false, reason: "no_comment" });
    expect(await stored(silent)).toMatchObject({ answer: null });

    expect((await postAnswer(old, { answer: "谢谢" }, cookie)).status).toBe(404);
    expect((await postAnswer(999999999, { answer: "谢谢" }, cookie)).status).toBe(404);
    expect((await callLoaderAs(answerLoader, "/manage/feedback/x", cookie, { id: "x" })).status).toBe(404);
    expect(await auditCount()).toBe(before);
  });

  it("is refused (409, the typed answer kept) when the resident replaced the opinion after staff read it", async () => {
    const service = await serviceIn(COMMUNITY, "助餐");
    const id = await opinion(service.id, { satisfied: false, comment: "饭菜太咸", givenAt: ago(3) });
    const { cookie } = await signedIn("community_staff", COMMUNITY);
    const [read] = await recentComments({ serviceId: service.id });
    await db.execute(
      sql`update service_feedback set comment = '现在好多了', satisfied = true, given_at = now() where id = ${id}`,
    );

    const refused = await postAnswer(id, { answer: "已经少放盐了", givenAt: read.givenAt }, cookie);
    expect(refused.status).toBe(409);
    const { result } = await refused.json();
    expect(result.error).toEqual({ "": ["feedbackAnswers.commentChanged"] });
    expect(result.initialValue.answer).toBe("已经少放盐了");
    expect(await stored(id)).toMatchObject({ answer: null });

    const [now] = await recentComments({ serviceId: service.id });
    expect((await postAnswer(id, { answer: "谢谢认可", givenAt: now.givenAt }, cookie)).status).toBe(302);
    expect(await stored(id)).toMatchObject({ answer: "谢谢认可" });
  });

  it("the answer page shows the comment to staff in scope", async () => {
    const service = await serviceIn(COMMUNITY, "助餐");
    const id = await opinion(service.id, { satisfied: false, comment: "电话没人接" });
    const { cookie } = await signedIn("community_staff", COMMUNITY);
    const page = await callLoaderAs(answerLoader, `/manage/feedback/${id}`, cookie, { id: String(id) });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({
      canAnswer: true,
      feedback: { id, comment: "电话没人接", serviceName: "助餐", communityCode: COMMUNITY },
    });
  });
});

describe("the public answers of a service", () => {
  it("are the answered opinions still counted, newest answer first, at most 5, without the comments", async () => {
    const now = new Date();
    const service = await serviceIn(COMMUNITY, "助餐");
    const other = await serviceIn(COMMUNITY, "助浴");
    const staff = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
    const ids: number[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(await opinion(service.id, { satisfied: i % 2 === 0, comment: `留言${i}`, givenAt: ago(20 - i, now) }));
    await opinion(service.id, { satisfied: true, comment: "没人回复" });
    const old = await opinion(service.id, { satisfied: true, comment: "旧留言", givenAt: ago(400, now) });
    await db.execute(
      sql`update service_feedback set answer = '一年多前的回复', answered_at = ${ago(399, now).toISOString()}::timestamptz where id = ${old}`,
    );
    await opinion(other.id, { satisfied: true, comment: "别的服务", answer: "别的回复" });
    for (const [i, id] of ids.entries())
      await answerFeedback({ userId: staff.id }, id, `回复${i}`, new Date(now.getTime() - (10 - i) * 60_000));

    const answers = await listPublicAnswers(service.id, now);
    expect(answers.map((a) => a.answer)).toEqual(["回复6", "回复5", "回复4", "回复3", "回复2"]);
    expect(answers[0]).toEqual({
      answer: "回复6",
      answeredAt: new Date(now.getTime() - 4 * 60_000).toISOString(),
      givenAt: ago(14, now).toISOString(),
      satisfied: true,
    });
    expect(JSON.stringify(answers)).not.toContain("留言");
  });
});
