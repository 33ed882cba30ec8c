import { sql } from "drizzle-orm";

import { remindStaleListings } from "~/domains/notifications/notifications.server";
import { loader as rootLoader } from "~/root";
import { action as notificationsAction, loader as notificationsLoader } from "~/routes/notifications";

import { db, queryRows } from "../../db/client.server";
import { LISTING_FRESHNESS, type Role } from "../../db/identifiers";
import {
  approveAssessment,
  getCurrentStandard,
  publishStandard,
  rejectAssessment,
  revokeAssessment,
  settleNoticePeriods,
  submitAssessment,
} from "../../db/queries/assessments.server";
import {
  createFacility,
  createProblemReport,
  createService,
  setFacilityStatus,
  verifyFacility,
} from "../../db/queries/listings.server";
import { countUnreadNotifications } from "../../db/queries/notifications.server";
import { assessments, users } from "../../db/schema";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { resetDatabase } from "../utils/database";
import { callAction, callLoaderAs } from "../utils/routes";

// Who hears of what (db/queries/notifications.server.ts): each kind reaches exactly the accounts
// whose roles and scope cover the community, never another district's, a disabled account, an
// account without a role or whoever caused it; and each reader sees and marks only their own.

const HOME = "370102001002";
const NEIGHBOUR = "370102001003"; // same district
const DAY = 24 * 3600 * 1000;

/** one account of each kind that matters, by name */
async function people() {
  const make = (role: Role | undefined, regionCode?: string) => createTestUser({ role, regionCode });
  const accounts = {
    staff: await make("community_staff", HOME),
    neighbourStaff: await make("community_staff", NEIGHBOUR),
    otherDistrictStaff: await make("community_staff", "370103002001"),
    district: await make("district_official", "370102"),
    otherDistrict: await make("district_official", "370103"),
    city: await make("city_official", "3701"),
    otherCity: await make("city_official", "3702"),
    province: await make("province_admin", "37"),
    disabledStaff: await make("community_staff", HOME),
    disabledDistrict: await make("district_official", "370102"),
    noRole: await make(undefined),
  };
  await db
    .update(users)
    .set({ disabledAt: new Date() })
    .where(sql`${users.id} in (${accounts.disabledStaff.id}, ${accounts.disabledDistrict.id})`);
  return accounts;
}
type People = Awaited<ReturnType<typeof people>>;

/** who holds a notification of `kind`, by the names of people() */
async function recipients(who: People, kind: string) {
  const rows = await queryRows<{ user_id: string }>(
    sql`select user_id from notifications where kind = ${kind} order by user_id`,
  );
  const names = new Map(Object.entries(who).map(([name, user]) => [user.id, name]));
  return rows.map((r) => names.get(r.user_id) ?? r.user_id).sort();
}

async function notificationsOf(userId: string) {
  return queryRows<{ kind: string; link: string; params: Record<string, unknown> | string; region_code: string }>(
    sql`select kind, link, params, region_code from notifications where user_id = ${userId} order by id`,
  ).then((rows) => rows.map((r) => ({ ...r, params: typeof r.params === "string" ? JSON.parse(r.params) : r.params })));
}

async function facilityIn(code: string, ownerId: string, name = "老年食堂") {
  return createFacility({ userId: ownerId }, code, {
    name,
    type: "elderly_canteen",
    address: "",
    lat: 36.6651,
    lng: 117.0403,
  });
}

async function serviceAt(facilityId: string, ownerId: string, name: string) {
  const service = await createService({ userId: ownerId }, facilityId, {
    name,
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  });
  return service!;
}

/** an assessment of HOME in `state`, scored 100, written as the seeded ones are */
async function assessmentIn(state: "draft" | "submitted") {
  const [row] = await db
    .insert(assessments)
    .values({ communityCode: HOME, standardVersion: 1, state, score: 100, submittedAt: new Date(), indicators: [] })
    .returning({ id: assessments.id });
  return row.id;
}

async function setNoticeDays(actorId: string, noticeDays: number) {
  const published = await publishStandard({ userId: actorId }, { ...(await getCurrentStandard()), noticeDays });
  if (!published.ok) throw new Error("could not publish the standard");
}

beforeEach(async () => {
  await resetDatabase();
});

describe("who is notified", () => {
  it("a resident's problem report: the community's staff, no one else", async () => {
    const who = await people();
    const facility = await facilityIn(HOME, who.province.id, "解放桥老年食堂");
    const service = await serviceAt(facility.id, who.province.id, "助餐");
    await createProblemReport({
      facilityId: facility.id,
      serviceId: service.id,
      communityCode: HOME,
      kind: "wrong_phone",
      text: "电话打不通",
    });
    expect(await recipients(who, "problem_report")).toEqual(["staff"]);
    const [notification] = await notificationsOf(who.staff.id);
    expect(notification).toMatchObject({
      kind: "problem_report",
      region_code: HOME,
      link: `/manage/${HOME}#reports`,
      params: { facility: "解放桥老年食堂", service: "助餐", problem: "wrong_phone" },
    });
  });

  it("a submission: the reviewers whose scope covers the community, not the submitter", async () => {
    const who = await people();
    const byStaff = await assessmentIn("draft");
    expect((await submitAssessment({ userId: who.staff.id }, byStaff, 1)).ok).toBe(true);
    expect(await recipients(who, "submission_waiting")).toEqual(["city", "district", "province"]);
    const [waiting] = await notificationsOf(who.district.id);
    expect(waiting).toMatchObject({ link: `/review/${byStaff}`, region_code: HOME });

    // an official may submit too (edit), and is not told of their own submission
    await db.execute(sql`delete from notifications`);
    await db.execute(sql`update assessments set state = 'rejected' where id = ${byStaff}`);
    const byDistrict = await assessmentIn("draft");
    expect((await submitAssessment({ userId: who.district.id }, byDistrict, 1)).ok).toBe(true);
    expect(await recipients(who, "submission_waiting")).toEqual(["city", "province"]);
  });

  it("a decision (approved, rejected, revoked): the community's staff only", async () => {
    const who = await people();
    const approved = await assessmentIn("submitted");
    const approval = await approveAssessment({ userId: who.district.id }, approved, 1, "basic");
    expect(approval.ok).toBe(true);
    expect(await recipients(who, "assessment_approved")).toEqual(["staff"]);
    expect((await notificationsOf(who.staff.id))[0]).toMatchObject({
      link: `/manage/${HOME}/assessment`,
      params: { tier: "basic" },
    });

    expect((await revokeAssessment({ userId: who.city.id }, approved, 2, "数据不实")).ok).toBe(true);
    expect(await recipients(who, "assessment_revoked")).toEqual(["staff"]);

    const rejected = await assessmentIn("submitted");
    expect((await rejectAssessment({ userId: who.province.id }, rejected, 1, "证据不足")).ok).toBe(true);
    expect(await recipients(who, "assessment_rejected")).toEqual(["staff"]);
    expect((await notificationsOf(who.staff.id)).at(-1)).toMatchObject({ params: { reason: "证据不足" } });
  });

  it("public notice, then its end: the staff hear of both, the reviewers in scope of the end, once", async () => {
    const who = await people();
    await setNoticeDays(who.province.id, 5);
    const id = await assessmentIn("submitted");
    const now = new Date();
    expect((await approveAssessment({ userId: who.district.id }, id, 1, "basic", now)).ok).toBe(true);
    expect(await recipients(who, "assessment_notice")).toEqual(["staff"]);
    const [notice] = await notificationsOf(who.staff.id);
    expect(new Date(notice.params.until as string).getTime()).toBe(now.getTime() + 5 * DAY);

    expect(await settleNoticePeriods(new Date(now.getTime() + 6 * DAY))).toBe(1);
    expect(await settleNoticePeriods(new Date(now.getTime() + 7 * DAY))).toBe(0);
    expect(await recipients(who, "notice_ended")).toEqual(["city", "district", "province", "staff"]);
    const links = await queryRows<{ link: string }>(
      sql`select distinct link from notifications where kind = 'notice_ended' order by link`,
    );
    expect(links.map((l) => l.link)).toEqual([`/manage/${HOME}/assessment`, `/review/${id}`]);
  });

  it("nothing when the workflow refuses the change (a stale version)", async () => {
    const who = await people();
    const id = await assessmentIn("submitted");
    const refused = await approveAssessment({ userId: who.district.id }, id, 7, "basic");
    expect(refused).toMatchObject({ ok: false, reason: "conflict" });
    expect(await queryRows(sql`select 1 from notifications`)).toEqual([]);
  });
});

describe("remindStaleListings", () => {
  const { staleAfterDays, reminderLeadDays } = LISTING_FRESHNESS;

  async function verifiedDaysAgo(table: "facilities" | "services", id: string, days: number, now: Date) {
    const at = new Date(now.getTime() - days * DAY).toISOString();
    await db.execute(sql`update ${sql.identifier(table)} set last_verified_at = ${at}::timestamptz where id = ${id}`);
  }

  /** listings at each side of the line, verified relative to `now` */
  async function listings(who: People, now: Date) {
    const due = await facilityIn(HOME, who.province.id, "快到期的站点");
    const fresh = await facilityIn(HOME, who.province.id, "新核实的站点");
    const closed = await facilityIn(HOME, who.province.id, "已关闭的站点");
    const service = await serviceAt(fresh.id, who.province.id, "过期的服务");
    const neighbours = await facilityIn(NEIGHBOUR, who.province.id, "邻居的站点");
    await verifiedDaysAgo("facilities", due.id, staleAfterDays - reminderLeadDays + 1, now);
    await verifiedDaysAgo("facilities", fresh.id, staleAfterDays - reminderLeadDays - 1, now);
    await verifiedDaysAgo("services", service.id, staleAfterDays + 20, now);
    await setFacilityStatus({ userId: who.province.id }, closed.id, 1, "closed");
    await verifiedDaysAgo("facilities", closed.id, staleAfterDays + 100, now);
    await verifiedDaysAgo("facilities", neighbours.id, staleAfterDays, now);
    return { due, service, neighbours };
  }

  it("tells each community's staff of its listings due within the lead time or stale, and no one else", async () => {
    const who = await people();
    const now = new Date();
    const { due, service, neighbours } = await listings(who, now);
    expect(await remindStaleListings(now)).toBe(3);
    expect(await recipients(who, "listing_stale")).toEqual(["neighbourStaff", "staff", "staff"]);
    const mine = await notificationsOf(who.staff.id);
    expect(mine.map((n) => n.link).sort()).toEqual(
      [`/manage/facilities/${due.id}`, `/manage/services/${service.id}`].sort(),
    );
    const dueOne = mine.find((n) => n.link.endsWith(due.id))!;
    expect(dueOne.params).toMatchObject({ listing: "facility", name: "快到期的站点" });
    const staleOn = new Date(dueOne.params.staleOn as string).getTime();
    expect(Math.abs(staleOn - (now.getTime() + (reminderLeadDays - 1) * DAY))).toBeLessThan(1000);
    expect((await notificationsOf(who.neighbourStaff.id))[0].link).toBe(`/manage/facilities/${neighbours.id}`);
  });

  it("is idempotent: again, or twice at once, writes nothing more; verified anew, a new period reminds again", async () => {
    const who = await people();
    const now = new Date();
    const { due } = await listings(who, now);
    const [first, second] = await Promise.all([remindStaleListings(now), remindStaleListings(now)]);
    expect(first + second).toBe(3);
    expect(await remindStaleListings(new Date(now.getTime() + DAY))).toBe(0);
    expect(await queryRows(sql`select 1 from notifications`)).toHaveLength(3);

    await verifyFacility({ userId: who.staff.id }, due.id, 1);
    expect(await remindStaleListings(now)).toBe(0);
    // near the end of the new period: the verified one again, and the one verified 165 days ago now due
    const later = new Date(Date.now() + (staleAfterDays - reminderLeadDays + 1) * DAY);
    expect(await remindStaleListings(later)).toBe(2);
    const links = await queryRows<{ link: string }>(sql`select link from notifications`);
    expect(links.filter((n) => n.link === `/manage/facilities/${due.id}`)).toHaveLength(2);
  });
});

describe("the reader's notifications", () => {
  async function withNotifications(count: number) {
    const who = await people();
    const facility = await facilityIn(HOME, who.province.id);
    for (let i = 0; i < count; i++) {
      await createProblemReport({
        facilityId: facility.id,
        serviceId: null,
        communityCode: HOME,
        kind: "other",
        text: `第 ${i + 1} 条`,
      });
    }
    const { cookie } = await sessionCookieFor(who.staff.id);
    const other = await sessionCookieFor(who.neighbourStaff.id);
    return { who, cookie, otherCookie: other.cookie };
  }

  const ids = async (userId: string) =>
    (await queryRows<{ id: number }>(sql`select id from notifications where user_id = ${userId} order by id`)).map(
      (r) => Number(r.id),
    );

  it("the bell counts the unread on every signed-in page, from an index; anonymous pages ask nothing", async () => {
    const { who, cookie } = await withNotifications(3);
    const signedIn = await (await callLoaderAs(rootLoader, "/", cookie)).json();
    expect(signedIn.user.unreadNotifications).toBe(3);
    const anonymous = await (await callLoaderAs(rootLoader, "/")).json();
    expect(anonymous.user).toBeNull();
    expect(await countUnreadNotifications({ userId: who.neighbourStaff.id, prefixes: [NEIGHBOUR] })).toBe(0);
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<{ "QUERY PLAN": string }>(
        sql`explain select count(*) from notifications
              where user_id = ${who.staff.id} and region_code like ${`${HOME}%`} and read_at is null`,
        tx,
      );
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("notifications_user_unread_idx");
  });

  it("lists newest first, a page at a time, only the reader's own", async () => {
    const { cookie, otherCookie } = await withNotifications(23);
    const first = await (await callLoaderAs(notificationsLoader, "/notifications", cookie)).json();
    expect(first.notifications).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    expect(first.notifications.map((n: { id: number }) => n.id)).toEqual(
      [...first.notifications.map((n: { id: number }) => n.id)].sort((a: number, b: number) => b - a),
    );
    const second = await (await callLoaderAs(notificationsLoader, "/notifications?page=2", cookie)).json();
    expect(second.notifications).toHaveLength(3);
    expect(second.hasMore).toBe(false);
    const others = await (await callLoaderAs(notificationsLoader, "/notifications", otherCookie)).json();
    expect(others.notifications).toEqual([]);
  });

  it("marks one read, then all; another reader's id is 404 and changes nothing; none of it is audited", async () => {
    const { who, cookie, otherCookie } = await withNotifications(3);
    const [oldest, , newest] = await ids(who.staff.id);
    const audits = await auditCount();

    const read = await callAction(notificationsAction, "/notifications?page=1", {
      cookie,
      form: { intent: "read", id: String(newest) },
    });
    expect(read.status).toBe(302);
    expect(read.headers.get("Location")).toBe("/notifications?page=1");
    expect(await countUnreadNotifications({ userId: who.staff.id, prefixes: [HOME] })).toBe(2);
    // again: still read, no error
    expect(
      (
        await callAction(notificationsAction, "/notifications", {
          cookie,
          form: { intent: "read", id: String(newest) },
        })
      ).status,
    ).toBe(302);

    const theirs = await callAction(notificationsAction, "/notifications", {
      cookie: otherCookie,
      form: { intent: "read", id: String(oldest) },
    });
    expect(theirs.status).toBe(404);
    const missing = await callAction(notificationsAction, "/notifications", {
      cookie,
      form: { intent: "read", id: "999999" },
    });
    expect(missing.status).toBe(404);
    const junk = await callAction(notificationsAction, "/notifications", { cookie, form: { intent: "read", id: "x" } });
    expect(junk.status).toBe(400);
    // the other reader's "mark all" marks nothing of this reader's
    await callAction(notificationsAction, "/notifications", { cookie: otherCookie, form: { intent: "read_all" } });
    expect(await countUnreadNotifications({ userId: who.staff.id, prefixes: [HOME] })).toBe(2);

    const all = await callAction(notificationsAction, "/notifications", { cookie, form: { intent: "read_all" } });
    expect(all.status).toBe(302);
    expect(await countUnreadNotifications({ userId: who.staff.id, prefixes: [HOME] })).toBe(0);
    expect(await auditCount()).toBe(audits);
  });

  it("only within the reader's scope now: a staffer moved to another community no longer reads or marks the old ones", async () => {
    const { who, cookie } = await withNotifications(2);
    const [oldest] = await ids(who.staff.id);
    await db.execute(
      sql`update role_assignments set region_code = ${NEIGHBOUR} where user_id = ${who.staff.id} and region_code = ${HOME}`,
    );
    const page = await (await callLoaderAs(notificationsLoader, "/notifications", cookie)).json();
    expect(page.notifications).toEqual([]);
    expect((await (await callLoaderAs(rootLoader, "/", cookie)).json()).user.unreadNotifications).toBe(0);
    const marked = await callAction(notificationsAction, "/notifications", {
      cookie,
      form: { intent: "read", id: String(oldest) },
    });
    expect(marked.status).toBe(404);
    // an account with no role at all has no notifications page
    const bare = await createTestUser();
    const refused = await callLoaderAs(notificationsLoader, "/notifications", (await sessionCookieFor(bare.id)).cookie);
    expect(refused.status).toBe(403);
  });

  it("anonymous readers are sent to sign in", async () => {
    const response = await callLoaderAs(notificationsLoader, "/notifications");
    expect(response.headers.get("Location")).toMatch(/^\/login/);
    const posted = await callAction(notificationsAction, "/notifications", { form: { intent: "read_all" } });
    expect(posted.headers.get("Location")).toMatch(/^\/login/);
  });
});
