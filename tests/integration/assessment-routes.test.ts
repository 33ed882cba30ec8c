import { sql } from "drizzle-orm";
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";

import { DutyConflictNotice, type DutiesView } from "~/components/assessment-duties";
import { createI18n } from "~/i18n";
import { action as standardAction, loader as standardLoader } from "~/routes/admin.standard";
import { loader as communityLoader } from "~/routes/manage.$code._index";
import { action as selfAction, loader as selfLoader } from "~/routes/manage.$code.assessment";
import { action as reviewAction, loader as reviewLoader } from "~/routes/review.$id";
import { loader as queueLoader } from "~/routes/review._index";

import { db, queryRows } from "../../db/client.server";
import { ROLES, type Role } from "../../db/identifiers";
import {
  getAssessment,
  getCurrentStandard,
  publishStandard,
  settleNoticePeriods,
} from "../../db/queries/assessments.server";
import { createFacility } from "../../db/queries/listings.server";
import { assessments, users } from "../../db/schema";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { EDITED, HOME, type Scope } from "../utils/authorization-cases/shared";
import { callAction, callLoaderAs } from "../utils/routes";

const DAY = 24 * 3600 * 1000;
const COMMUNITY = "370102001002";

async function signedIn(role: Role, regionCode = HOME[role].in) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

type Values = Partial<typeof assessments.$inferInsert>;
async function insertAssessment(code: string, values: Values) {
  const [row] = await db
    .insert(assessments)
    .values({ communityCode: code, standardVersion: 1, indicators: [], ...values })
    .returning({ id: assessments.id, version: assessments.version });
  return row;
}

const transitionCount = async (id: string) =>
  (
    await queryRows<{ n: number }>(
      sql`select count(*)::int as n from assessment_transitions where assessment_id = ${id}`,
    )
  )[0].n;

const self = (cookie: string, code: string, form: Record<string, string>) =>
  callAction(selfAction, `/manage/${code}/assessment`, { cookie, params: { code }, form });
const review = (cookie: string, id: string, form: Record<string, string>) =>
  callAction(reviewAction, `/review/${id}`, { cookie, params: { id }, form });

beforeEach(async () => {
  await db.execute(
    sql`truncate table assessment_transitions, assessments, community_access, services, facilities cascade`,
  );
  await db.execute(sql`delete from evaluation_standards where version > 1`);
});

// every transition × every role, in and out of scope. Community staff and all officials may fill
// the self-assessment in their scope (edit); only officials review (review), in their scope.
const cases = ROLES.flatMap((role) => (["in", "out"] as const).map((scope) => ({ role, scope })));
const mayEdit = (_role: Role, scope: Scope) => scope === "in";
const mayReview = (role: Role, scope: Scope) => scope === "in" && role !== "community_staff";

describe.each(cases)("as $role, $scope of scope", ({ role, scope }) => {
  const target = EDITED[role][scope];
  // outside Shandong there is no community to hold an assessment: the guard refuses first
  const inShandong = target.code.startsWith("37");

  it("starts a self-assessment only with edit in scope", async () => {
    const { user, cookie } = await signedIn(role);
    const before = await auditCount();
    const response = await self(cookie, target.code, { intent: "start" });
    const rows = await db
      .select()
      .from(assessments)
      .where(sql`community_code = ${target.code}`);
    if (mayEdit(role, scope)) {
      expect(response.status).toBe(302);
      expect(response.headers.get("Set-Cookie")).toMatch(/shequ_toast=/);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ state: "draft", effectiveAt: null });
      const [transition] = await queryRows<{ to_state: string; actor_user_id: string }>(
        sql`select to_state, actor_user_id from assessment_transitions where assessment_id = ${rows[0].id}`,
      );
      expect(transition).toEqual({ to_state: "draft", actor_user_id: user.id });
      expect(await auditCount()).toBe(before + 1);
    } else {
      expect(response.status).toBe(403);
      expect(rows).toHaveLength(0);
      expect(await auditCount()).toBe(before);
    }
  });

  it("saves and submits a draft only with edit in scope", async () => {
    if (!inShandong) {
      const { cookie } = await signedIn(role);
      expect((await self(cookie, target.code, { intent: "save", version: "1" })).status).toBe(403);
      return;
    }
    const draft = await insertAssessment(target.code, { state: "draft" });
    const { cookie } = await signedIn(role);
    const saved = await self(cookie, target.code, {
      intent: "save",
      version: "1",
      "manual[0].key": "gigabit_fibre",
      "manual[0].met": "on",
      "manual[0].text": "千兆入户 90%",
      "manual[0].links": "https://example.org/a\nhttps://example.org/b",
    });
    const afterSave = (await getAssessment(draft.id))!;
    if (mayEdit(role, scope)) {
      expect(saved.status).toBe(302);
      expect(afterSave).toMatchObject({ state: "draft", version: 2 });
      expect(afterSave.indicators).toEqual([
        {
          key: "gigabit_fibre",
          met: true,
          evidence: { text: "千兆入户 90%", links: ["https://example.org/a", "https://example.org/b"] },
        },
      ]);
    } else {
      expect(saved.status).toBe(403);
      expect(afterSave).toMatchObject({ version: 1, indicators: [] });
    }

    const version = String(afterSave.version);
    const sent = await self(cookie, target.code, {
      intent: "submit",
      version,
      confirm: "on",
      "manual[0].key": "gigabit_fibre",
      "manual[0].met": "on",
      "manual[0].text": "千兆入户 90%",
    });
    const afterSubmit = (await getAssessment(draft.id))!;
    if (mayEdit(role, scope)) {
      expect(sent.status).toBe(302);
      expect(afterSubmit).toMatchObject({ state: "submitted", score: 10, effectiveAt: null });
      expect(afterSubmit.submittedAt).toBeInstanceOf(Date);
      expect(await transitionCount(draft.id)).toBe(1);
    } else {
      expect(sent.status).toBe(403);
      expect(afterSubmit.state).toBe("draft");
      expect(await transitionCount(draft.id)).toBe(0);
    }
  });

  it("approves (with the tier), rejects and revokes only as an official in scope", async () => {
    const { cookie } = await signedIn(role);
    if (!inShandong) {
      expect(
        (await review(cookie, "no-such-assessment", { intent: "approve", version: "1", tier: "basic" })).status,
      ).toBe(role === "community_staff" ? 403 : 404);
      return;
    }
    const allowed = mayReview(role, scope);
    const before = await auditCount();

    const toApprove = await insertAssessment(target.code, { state: "submitted", score: 92, submittedAt: new Date() });
    const approved = await review(cookie, toApprove.id, { intent: "approve", version: "1", tier: "benchmark" });
    const a = (await getAssessment(toApprove.id))!;
    if (allowed) {
      expect(approved.status).toBe(302);
      expect(a).toMatchObject({ state: "approved", tier: "benchmark", revokedAt: null });
      expect(a.effectiveAt).toEqual(a.approvedAt);
    } else {
      expect(approved.status).toBe(403);
      expect(a).toMatchObject({ state: "submitted", effectiveAt: null, approvedAt: null });
    }

    const toReject = await insertAssessment(target.code, { state: "submitted", score: 40, submittedAt: new Date() });
    const rejected = await review(cookie, toReject.id, { intent: "reject", version: "1", reason: "材料不全" });
    expect(rejected.status).toBe(allowed ? 302 : 403);
    expect((await getAssessment(toReject.id))!.state).toBe(allowed ? "rejected" : "submitted");

    const effective = new Date(Date.now() - 30 * DAY);
    const toRevoke = await insertAssessment(target.code, {
      state: "approved",
      tier: "basic",
      score: 70,
      approvedAt: effective,
      effectiveAt: effective,
    });
    const revoked = await review(cookie, toRevoke.id, { intent: "revoke", version: "1", reason: "服务已停止" });
    const r = (await getAssessment(toRevoke.id))!;
    if (allowed) {
      expect(revoked.status).toBe(302);
      expect(r).toMatchObject({ state: "revoked", effectiveAt: effective });
      expect(r.revokedAt!.getTime()).toBeGreaterThan(effective.getTime());
      expect(await auditCount()).toBe(before + 3);
    } else {
      expect(revoked.status).toBe(403);
      expect(r).toMatchObject({ state: "approved", revokedAt: null });
      expect(await auditCount()).toBe(before);
    }
  });

  it("approves into public notice, settles it, and rejects during notice only as an official in scope", async () => {
    if (!inShandong) return;
    const admin = await createTestUser({ role: "province_admin", regionCode: "37" });
    const current = await getCurrentStandard();
    expect(await publishStandard({ userId: admin.id }, { ...current, noticeDays: 10 })).toMatchObject({ ok: true });
    const { cookie } = await signedIn(role);
    const allowed = mayReview(role, scope);

    const first = await insertAssessment(target.code, { state: "submitted", score: 80, submittedAt: new Date() });
    const approved = await review(cookie, first.id, { intent: "approve", version: "1", tier: "growth" });
    const noticed = (await getAssessment(first.id))!;
    if (!allowed) {
      expect(approved.status).toBe(403);
      expect(noticed.state).toBe("submitted");
      const inNotice = await insertAssessment(target.code, {
        state: "notice",
        score: 80,
        tier: "growth",
        approvedAt: new Date(),
        effectiveAt: new Date(Date.now() + 5 * DAY),
      });
      expect((await review(cookie, inNotice.id, { intent: "reject", version: "1", reason: "异议" })).status).toBe(403);
      expect((await getAssessment(inNotice.id))!).toMatchObject({ state: "notice" });
      return;
    }
    expect(approved.status).toBe(302);
    expect(noticed).toMatchObject({ state: "notice", tier: "growth" });
    expect(noticed.effectiveAt!.getTime() - noticed.approvedAt!.getTime()).toBe(10 * DAY);
    expect(await settleNoticePeriods(new Date(noticed.effectiveAt!.getTime() + 1000))).toBe(1);
    expect((await getAssessment(first.id))!).toMatchObject({ state: "approved", effectiveAt: noticed.effectiveAt });

    const second = await insertAssessment(target.code, { state: "submitted", score: 80, submittedAt: new Date() });
    await review(cookie, second.id, { intent: "approve", version: "1", tier: "basic" });
    const rejected = await review(cookie, second.id, { intent: "reject", version: "2", reason: "公示期间收到异议" });
    expect(rejected.status).toBe(302);
    expect((await getAssessment(second.id))!).toMatchObject({ state: "rejected", effectiveAt: null });
  });
});

describe("the self-assessment page", () => {
  it("shows the indicators live, the state after submission and the reason after rejection", async () => {
    const { cookie } = await signedIn("community_staff");
    let page = await (
      await callLoaderAs(selfLoader, `/manage/${COMMUNITY}/assessment`, cookie, { code: COMMUNITY })
    ).json();
    expect(page).toMatchObject({
      latest: null,
      canStart: true,
      standard: { version: 1 },
      live: { score: 0, tier: null, passes: false },
    });
    expect(page.live.rows).toHaveLength(9);
    expect(page.live.rows[0]).toMatchObject({
      indicator: { key: "elderly_care_service", weight: 15 },
      met: false,
      automatic: { detail: { count: 0 } },
    });

    await self(cookie, COMMUNITY, { intent: "start" });
    page = await (
      await callLoaderAs(selfLoader, `/manage/${COMMUNITY}/assessment`, cookie, { code: COMMUNITY })
    ).json();
    expect(page).toMatchObject({ latest: { state: "draft", version: 1 }, canStart: false });
    // a second start is refused while one is open
    expect((await self(cookie, COMMUNITY, { intent: "start" })).status).toBe(409);

    // submitting needs the confirmation; evidence is checked beside its field
    const unconfirmed = await self(cookie, COMMUNITY, { intent: "submit", version: "1" });
    expect(unconfirmed.status).toBe(400);
    expect((await unconfirmed.json()).result.error).toEqual({ confirm: ["assessment.errors.confirmRequired"] });
    const badLinks = await self(cookie, COMMUNITY, {
      intent: "save",
      version: "1",
      "manual[0].key": "video_coverage",
      "manual[0].links": "not a link",
    });
    expect((await badLinks.json()).result.error).toEqual({ "manual[0].links": ["assessment.errors.linkFormat"] });
    const stale = await self(cookie, COMMUNITY, { intent: "save", version: "7" });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error).toBe("assessment.errors.conflict");

    await self(cookie, COMMUNITY, {
      intent: "submit",
      version: "1",
      confirm: "on",
      "manual[0].key": "video_coverage",
      "manual[0].met": "on",
      "manual[0].text": "重点部位 48 路视频",
    });
    page = await (
      await callLoaderAs(selfLoader, `/manage/${COMMUNITY}/assessment`, cookie, { code: COMMUNITY })
    ).json();
    expect(page).toMatchObject({
      latest: { state: "submitted", score: 10 },
      canStart: false,
      asSubmitted: { score: 10 },
    });

    const district = await signedIn("district_official");
    await review(district.cookie, page.latest.id, {
      intent: "reject",
      version: String(page.latest.version),
      reason: "请补充养老服务",
    });
    page = await (
      await callLoaderAs(selfLoader, `/manage/${COMMUNITY}/assessment`, cookie, { code: COMMUNITY })
    ).json();
    expect(page).toMatchObject({ latest: { state: "rejected" }, canStart: true });
    expect(
      page.history[0].transitions.map((t: { toState: string; reason: string | null; actor: string }) => [
        t.toState,
        t.reason,
        t.actor,
      ]),
    ).toEqual([
      ["draft", null, expect.any(String)],
      ["submitted", null, expect.any(String)],
      ["rejected", "请补充养老服务", district.user.username],
    ]);

    // the workspace shows the outcome with the reason
    const workspace = await (
      await callLoaderAs(communityLoader, `/manage/${COMMUNITY}`, cookie, { code: COMMUNITY })
    ).json();
    expect(workspace.assessment).toMatchObject({ state: "rejected", reason: "请补充养老服务" });
    expect(workspace.canAssess).toBe(true);
  });

  it("is for communities only, within edit scope", async () => {
    const { cookie } = await signedIn("district_official");
    expect((await callLoaderAs(selfLoader, "/manage/370102001/assessment", cookie, { code: "370102001" })).status).toBe(
      404,
    );
    expect(
      (await callLoaderAs(selfLoader, "/manage/370103002001/assessment", cookie, { code: "370103002001" })).status,
    ).toBe(403);
    const anonymous = await callLoaderAs(selfLoader, `/manage/${COMMUNITY}/assessment`, undefined, { code: COMMUNITY });
    expect(anonymous.headers.get("Location") ?? "").toMatch(/^\/login/);
  });
});

describe("the review pages", () => {
  it("queue the reviewer's scope oldest first, with recent decisions; staff are refused", async () => {
    const older = await insertAssessment(COMMUNITY, {
      state: "submitted",
      score: 80,
      submittedAt: new Date("2026-09-01T00:00:00Z"),
    });
    const [neighbour] = await queryRows<{ code: string }>(
      sql`select code from regions where level = 'community' and code like '370102%' and code <> ${COMMUNITY} order by code limit 1`,
    );
    const other = await insertAssessment(neighbour.code, {
      state: "submitted",
      score: 50,
      submittedAt: new Date("2026-09-03T00:00:00Z"),
    });
    const outside = await insertAssessment("370103002001", {
      state: "submitted",
      score: 95,
      submittedAt: new Date("2026-08-01T00:00:00Z"),
    });
    const district = await signedIn("district_official");
    const queue = await (await callLoaderAs(queueLoader, "/review", district.cookie)).json();
    expect(queue.queue.map((q: { id: string }) => q.id)).toEqual([older.id, other.id]);
    expect(queue.queue[0]).toMatchObject({
      suggestedTier: "growth",
      community: expect.any(String),
      township: expect.any(String),
    });
    expect(queue.queue[1].suggestedTier).toBeNull();
    expect(queue.canFilter).toBe(false);

    const city = await signedIn("city_official");
    const cityQueue = await (await callLoaderAs(queueLoader, "/review?county=370103", city.cookie)).json();
    expect(cityQueue).toMatchObject({ canFilter: true, county: "370103" });
    expect(cityQueue.queue.map((q: { id: string }) => q.id)).toEqual([outside.id]);
    expect(cityQueue.counties.map((c: { code: string }) => c.code)).toEqual(["370102", "370103"]);
    // a county outside the reader's scope is ignored, never widened
    const wide = await (await callLoaderAs(queueLoader, "/review?county=370202", district.cookie)).json();
    expect(wide.county).toBeNull();
    expect(wide.queue).toHaveLength(2);

    const staff = await signedIn("community_staff");
    expect((await callLoaderAs(queueLoader, "/review", staff.cookie)).status).toBe(403);
    expect((await callLoaderAs(reviewLoader, `/review/${older.id}`, staff.cookie, { id: older.id })).status).toBe(403);

    await review(district.cookie, older.id, { intent: "approve", version: "1", tier: "basic" });
    const after = await (await callLoaderAs(queueLoader, "/review", district.cookie)).json();
    expect(after.recent).toMatchObject([
      { id: older.id, decision: "approved", tier: "basic", actor: district.user.username },
    ]);
  });

  it("shows the assessment as submitted and as of now; 404 when missing, 403 out of scope", async () => {
    const submitted = await insertAssessment(COMMUNITY, {
      state: "submitted",
      score: 60,
      submittedAt: new Date(),
      indicators: [
        { key: "elderly_care_service", met: true },
        { key: "gigabit_fibre", met: true, evidence: { text: "千兆", links: ["https://example.org"] } },
      ],
    });
    const district = await signedIn("district_official");
    const page = await (
      await callLoaderAs(reviewLoader, `/review/${submitted.id}`, district.cookie, { id: submitted.id })
    ).json();
    expect(page).toMatchObject({ suggestedTier: "basic", noticeDays: 0, community: { code: COMMUNITY } });
    const row = (rows: { indicator: { key: string }; met: boolean }[], key: string) =>
      rows.find((r) => r.indicator.key === key)!;
    expect(row(page.asSubmitted.rows, "elderly_care_service").met).toBe(true);
    expect(row(page.asOfNow.rows, "elderly_care_service").met).toBe(false);
    expect(row(page.asSubmitted.rows, "gigabit_fibre")).toMatchObject({ met: true, evidence: { text: "千兆" } });

    expect((await callLoaderAs(reviewLoader, "/review/nope", district.cookie, { id: "nope" })).status).toBe(404);
    const other = await signedIn("district_official", "370103");
    expect(
      (await callLoaderAs(reviewLoader, `/review/${submitted.id}`, other.cookie, { id: submitted.id })).status,
    ).toBe(403);
  });

  it("asks for a reason, refuses a tier above the score and a stale version", async () => {
    const submitted = await insertAssessment(COMMUNITY, { state: "submitted", score: 70, submittedAt: new Date() });
    const { cookie } = await signedIn("district_official");
    const before = await auditCount();
    const noReason = await review(cookie, submitted.id, { intent: "reject", version: "1", reason: "  " });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).result.error).toEqual({ reason: ["assessment.errors.reasonRequired"] });
    const tooHigh = await review(cookie, submitted.id, { intent: "approve", version: "1", tier: "benchmark" });
    expect(tooHigh.status).toBe(400);
    expect((await tooHigh.json()).result.error).toEqual({ tier: ["assessment.errors.tierTooHigh"] });
    const stale = await review(cookie, submitted.id, { intent: "approve", version: "3", tier: "basic" });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error).toBe("assessment.errors.conflict");
    const revokeSubmitted = await review(cookie, submitted.id, { intent: "revoke", version: "1", reason: "x" });
    expect(revokeSubmitted.status).toBe(409);
    expect((await revokeSubmitted.json()).error).toBe("assessment.errors.invalidState");
    expect(await auditCount()).toBe(before);
    expect((await getAssessment(submitted.id))!).toMatchObject({ state: "submitted", version: 1 });
  });
});

describe("separation of duties on the review page", () => {
  it("says why the submitter and a later listing editor cannot approve and who else in scope can; the action refuses them with 403", async () => {
    const submitter = await signedIn("district_official");
    const editor = await signedIn("district_official");
    const uninvolved = await signedIn("district_official");
    await db
      .update(users)
      .set({ displayName: "王审核" })
      .where(sql`id = ${uninvolved.user.id}`);
    const city = await signedIn("city_official");
    const province = await signedIn("province_admin");
    const disabled = await signedIn("district_official");
    await db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(sql`id = ${disabled.user.id}`);
    const elsewhere = await signedIn("district_official", "370103");
    const staff = await signedIn("community_staff");

    // the district official fills and submits the community's self-assessment through the page
    expect((await self(submitter.cookie, COMMUNITY, { intent: "start" })).status).toBe(302);
    const [draft] = await db
      .select()
      .from(assessments)
      .where(sql`community_code = ${COMMUNITY}`);
    expect(
      (await self(submitter.cookie, COMMUNITY, { intent: "submit", version: String(draft.version), confirm: "on" }))
        .status,
    ).toBe(302);
    await db
      .update(assessments)
      .set({ score: 100 })
      .where(sql`id = ${draft.id}`);
    const { version } = (await getAssessment(draft.id))!;
    // after the submission another official adds a facility to the community
    await createFacility({ userId: editor.user.id }, COMMUNITY, { name: "提交后新增", type: "other", address: "" });

    const page = async (cookie: string) =>
      (await callLoaderAs(reviewLoader, `/review/${draft.id}`, cookie, { id: draft.id })).json();
    const names = (duties: { otherReviewers: { username: string; displayName: string }[] }) =>
      duties.otherReviewers.map((r) => r.username);

    const mine = await page(submitter.cookie);
    expect(mine.duties.conflicts).toEqual([{ conflict: "submitted", count: 1, lastAt: expect.any(String) }]);
    const others = names(mine.duties);
    expect(others).toEqual(
      expect.arrayContaining([uninvolved.user.username, city.user.username, province.user.username]),
    );
    for (const excluded of [submitter, editor, disabled, elsewhere, staff])
      expect(others).not.toContain(excluded.user.username);
    // the nearest level first: district officials, then the city's, then the province's
    expect(others.indexOf(uninvolved.user.username)).toBeLessThan(others.indexOf(city.user.username));
    expect(others.indexOf(city.user.username)).toBeLessThan(others.indexOf(province.user.username));
    expect(mine.duties.otherReviewers).toContainEqual({ username: uninvolved.user.username, displayName: "王审核" });
    // what the page shows from it, in both languages
    const notice = (duties: DutiesView, locale: "zh-CN" | "en" = "zh-CN") =>
      renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(locale) }, h(DutyConflictNotice, { duties }))).replace(
        /<[^>]+>/g,
        " ",
      );
    expect(notice(mine.duties)).toContain("这份自评是您提交的。");
    expect(notice(mine.duties)).toContain(`王审核 (${uninvolved.user.username})`);
    expect(notice(mine.duties, "en")).toContain("You submitted it.");

    const edited = await page(editor.cookie);
    expect(edited.duties.conflicts).toEqual([{ conflict: "edited_listings", count: 1, lastAt: expect.any(String) }]);
    expect(notice(edited.duties)).toContain("提交后您修改过本社区的设施、服务或社区信息（1 处，最近一次 ");
    expect(notice(edited.duties, "en")).toContain("after it was submitted (changes: 1; the latest on ");
    expect(names(edited.duties)).toContain(uninvolved.user.username);
    expect(names(edited.duties)).not.toContain(submitter.user.username);
    expect((await page(uninvolved.cookie)).duties).toEqual({ conflicts: [], otherReviewers: [] });
    // the queue marks what the reader may not approve
    const queueOf = async (cookie: string) =>
      (await (await callLoaderAs(queueLoader, "/review", cookie)).json()).conflicts;
    expect(await queueOf(submitter.cookie)).toEqual({ [draft.id]: ["submitted"] });
    expect(await queueOf(editor.cookie)).toEqual({ [draft.id]: ["edited_listings"] });
    expect(await queueOf(uninvolved.cookie)).toEqual({});

    const before = await auditCount();
    for (const refused of [submitter, editor]) {
      const response = await review(refused.cookie, draft.id, {
        intent: "approve",
        version: String(version),
        tier: "basic",
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ result: null, error: "assessment.errors.separationOfDuties" });
    }
    expect(await auditCount()).toBe(before);
    expect((await getAssessment(draft.id))!).toMatchObject({ state: "submitted", version });

    expect(
      (await review(uninvolved.cookie, draft.id, { intent: "approve", version: String(version), tier: "basic" }))
        .status,
    ).toBe(302);
    expect((await getAssessment(draft.id))!.state).toBe("approved");
    // decided: nothing left to explain
    expect((await page(submitter.cookie)).duties).toEqual({ conflicts: [], otherReviewers: [] });
  });

  it("says so when no one else in scope may approve", async () => {
    const submitted = await insertAssessment("370103002001", {
      state: "submitted",
      score: 100,
      submittedAt: new Date(Date.now() - 60_000),
    });
    const reviewers = await queryRows<{ id: string }>(sql`select distinct user_id as id from role_assignments
      where (role = 'district_official' and region_code like '370103%') or (role = 'city_official' and region_code like '3701%') or role = 'province_admin'`);
    const official = await signedIn("district_official", "370103");
    // everyone else who could review this community is disabled for the test
    const others = sql`id in (${sql.join(
      reviewers.map((r) => sql`${r.id}`),
      sql`, `,
    )})`;
    await db.update(users).set({ disabledAt: new Date() }).where(others);
    try {
      await createFacility({ userId: official.user.id }, "370103002001", {
        name: "提交后新增",
        type: "other",
        address: "",
      });
      const page = await (
        await callLoaderAs(reviewLoader, `/review/${submitted.id}`, official.cookie, { id: submitted.id })
      ).json();
      expect(page.duties).toMatchObject({ conflicts: [{ conflict: "edited_listings" }], otherReviewers: [] });
      const text = renderToStaticMarkup(
        h(I18nextProvider, { i18n: createI18n("zh-CN") }, h(DutyConflictNotice, { duties: page.duties })),
      );
      expect(text).toContain("辖区内没有其他可以审核通过的人员，请联系上级部门审核。");
    } finally {
      await db.update(users).set({ disabledAt: null }).where(others);
    }
  });
});

describe("the standard page", () => {
  async function form() {
    const current = await getCurrentStandard();
    const values: Record<string, string> = {
      basedOn: String(current.version),
      passScore: "65",
      noticeDays: "7",
      "tierScores.basic": "65",
      "tierScores.growth": "80",
      "tierScores.benchmark": "92",
    };
    current.indicators.forEach((indicator, i) => {
      values[`indicators[${i}].key`] = indicator.key;
      values[`indicators[${i}].weight`] = String(indicator.weight);
      values[`indicators[${i}].labelZh`] = indicator.label["zh-CN"];
      values[`indicators[${i}].labelEn`] = indicator.label.en;
    });
    return values;
  }

  it("publishes a new version: weights, scores, notice days, renamed, removed and added manual indicators", async () => {
    const { cookie } = await signedIn("province_admin");
    const values = await form();
    values["indicators[5].weight"] = "0"; // listings_verified
    values["indicators[6].labelZh"] = "家庭千兆光纤覆盖率"; // gigabit_fibre renamed
    values["indicators[8].remove"] = "on"; // resident_platform removed
    Object.assign(values, { "added.labelZh": "智慧停车", "added.labelEn": "Smart parking", "added.weight": "15" });
    const response = await callAction(standardAction, "/admin/standard", { cookie, form: values });
    expect(response.status).toBe(302);
    const current = await getCurrentStandard();
    expect(current).toMatchObject({
      version: 2,
      passScore: 65,
      noticeDays: 7,
      tierScores: { basic: 65, growth: 80, benchmark: 92 },
    });
    expect(current.indicators.map((i) => [i.key, i.kind, i.weight])).toEqual([
      ["elderly_care_service", "automatic", 15],
      ["entrepreneurship_service", "automatic", 10],
      ["scenario_breadth", "automatic", 15],
      ["facility_data_complete", "automatic", 10],
      ["elderly_care_access", "automatic", 15],
      ["listings_verified", "automatic", 0],
      ["gigabit_fibre", "manual", 10],
      ["video_coverage", "manual", 10],
      ["manual_1", "manual", 15],
    ]);
    expect(current.indicators[6].label["zh-CN"]).toBe("家庭千兆光纤覆盖率");
    const page = await (await callLoaderAs(standardLoader, "/admin/standard", cookie)).json();
    expect(page.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    // the same form again is based on version 1: refused, nothing published
    const again = await callAction(standardAction, "/admin/standard", { cookie, form: values });
    expect(again.status).toBe(409);
    expect((await getCurrentStandard()).version).toBe(2);
  });

  it("shows clear field errors and publishes nothing", async () => {
    const { cookie } = await signedIn("province_admin");
    const values = await form();
    Object.assign(values, {
      noticeDays: "45",
      "indicators[0].weight": "-3",
      "indicators[7].labelEn": "",
      passScore: "abc",
    });
    const response = await callAction(standardAction, "/admin/standard", { cookie, form: values });
    expect(response.status).toBe(400);
    expect((await response.json()).result.error).toEqual({
      noticeDays: ["assessment.errors.noticeDaysRange"],
      passScore: ["assessment.errors.scoreRange"],
      "indicators[0].weight": ["assessment.errors.weightRange"],
      "indicators[7].labelEn": ["assessment.errors.labelRequired"],
    });
    // the rules between fields once every field is well-formed
    const ordered = await form();
    Object.assign(ordered, {
      passScore: "70",
      "tierScores.basic": "60",
      "tierScores.benchmark": "75",
      "added.labelZh": "只有中文名",
    });
    const misordered = await callAction(standardAction, "/admin/standard", { cookie, form: ordered });
    expect(misordered.status).toBe(400);
    expect((await misordered.json()).result.error).toEqual({
      "tierScores.basic": ["assessment.errors.basicBelowPass"],
      "tierScores.benchmark": ["assessment.errors.tierOrder"],
      "added.labelEn": ["assessment.errors.labelRequired"],
      "added.weight": ["assessment.errors.weightRange"],
    });
    const noAutomaticRemoval = await form();
    noAutomaticRemoval["indicators[0].remove"] = "on";
    const refused = await callAction(standardAction, "/admin/standard", { cookie, form: noAutomaticRemoval });
    expect(refused.status).toBe(400);
    expect((await refused.json()).result.error).toEqual({
      "indicators[0].remove": ["assessment.errors.automaticKeys"],
    });
    expect((await getCurrentStandard()).version).toBe(1);
  });

  it("is the province admin's only", async () => {
    for (const role of ["community_staff", "district_official", "city_official"] as const) {
      const { cookie } = await signedIn(role);
      expect((await callLoaderAs(standardLoader, "/admin/standard", cookie)).status).toBe(403);
    }
  });
});
