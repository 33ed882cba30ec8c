import { sql } from "drizzle-orm";

import { action as communityAction, loader as communityLoader } from "~/routes/manage.$code._index";
import { action as newFacilityAction } from "~/routes/manage.$code.facilities.new";
import { loader as manageIndexLoader } from "~/routes/manage._index";
import { action as facilityAction, loader as facilityLoader } from "~/routes/manage.facilities.$id._index";
import { action as newServiceAction } from "~/routes/manage.facilities.$id.services.new";
import { action as serviceAction } from "~/routes/manage.services.$id";

import { queryRows, db } from "../../db/client.server";
import { createFacility } from "../../db/queries/listings.server";
import { problemReports } from "../../db/schema";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

const COMMUNITY = "370102001002";

async function staffCookie() {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

const newFacility = (cookie: string, form: Record<string, string>) =>
  callAction(newFacilityAction, `/manage/${COMMUNITY}/facilities/new`, { cookie, params: { code: COMMUNITY }, form });

describe("/manage", () => {
  it("takes a staffer straight to their community, an official to a chooser", async () => {
    const { cookie } = await staffCookie();
    const response = await callLoaderAs(manageIndexLoader, "/manage", cookie);
    expect(response.headers.get("Location")).toBe(`/manage/${COMMUNITY}`);
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const page = await callLoaderAs(manageIndexLoader, "/manage", (await sessionCookieFor(official.id)).cookie);
    expect(page.status).toBe(200);
  });
});

describe("registering a facility on the page", () => {
  it("creates it with hours from the form's day fields, and redirects with a toast", async () => {
    const { cookie } = await staffCookie();
    const response = await newFacility(cookie, {
      intent: "save",
      name: "解放桥日间照料中心",
      type: "elderly_day_care",
      address: "历下区解放路",
      lat: "36.6651",
      lng: "117.0403",
      "openingHours.week.1": "08:00-11:30, 13:30-17:30",
      "openingHours.week.7": "",
      "openingHours.holidayNote": "春节休息",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Set-Cookie")).toMatch(/shequ_toast=/);
    const id = response.headers.get("Location")!.split("/").pop()!;
    const page = await (await callLoaderAs(facilityLoader, `/manage/facilities/${id}`, cookie, { id })).json();
    expect(page.facility).toMatchObject({
      name: "解放桥日间照料中心",
      openingHours: { week: { "1": ["08:00-11:30", "13:30-17:30"] }, holidayNote: "春节休息" },
      lat: 36.6651,
      version: 1,
    });
  });

  it("shows errors beside their fields and stores nothing", async () => {
    const { cookie } = await staffCookie();
    const before = await auditCount();
    const response = await newFacility(cookie, {
      intent: "save",
      name: "",
      type: "x",
      lat: "36.6",
      "openingHours.week.3": "9点",
    });
    expect(response.status).toBe(400);
    const { result } = await response.json();
    expect(result.error).toMatchObject({
      name: ["form.required"],
      type: ["form.invalidChoice"],
      "openingHours.week.3": ["listing.hoursFormat"],
    });
    const halfPoint = await newFacility(cookie, { intent: "save", name: "x", type: "other", lat: "36.6" });
    expect((await halfPoint.json()).result.error).toEqual({ lng: ["listing.pointIncomplete"] });
    expect(await auditCount()).toBe(before);
  });

  it("asks to confirm a point outside the county and refuses one outside Shandong", async () => {
    const { cookie } = await staffCookie();
    const qingdao = { intent: "save", name: "青岛的点", type: "other", lat: "36.063", lng: "120.385" };
    const asked = await newFacility(cookie, qingdao);
    expect(asked.status).toBe(422);
    const body = await asked.json();
    expect(body.needsConfirmation).toBe(true);
    expect(body.result.error.lat).toEqual(["listing.outsideCounty"]);
    expect((await newFacility(cookie, { ...qingdao, confirmOutsideCounty: "on" })).status).toBe(302);

    const beijing = await newFacility(cookie, {
      ...qingdao,
      lat: "39.9087",
      lng: "116.3975",
      confirmOutsideCounty: "on",
    });
    expect(beijing.status).toBe(422);
    expect((await beijing.json()).result.error.lat).toEqual(["listing.outsideShandong"]);
  });

  it("locates an address through the geocoder without saving", async () => {
    const { cookie } = await staffCookie();
    const before = await auditCount();
    const found = await newFacility(cookie, { intent: "geocode", name: "x", address: "山东省济南市历下区解放路" });
    const body = await found.json();
    expect(body.geocode.key).toBe("manage.geocodeFound");
    expect(Number(body.result.initialValue.lat)).toBeCloseTo(36.6651, 3);
    expect(Number(body.result.initialValue.lng)).toBeCloseTo(117.0403, 3);
    const missing = await (await newFacility(cookie, { intent: "geocode", address: "不存在的地方" })).json();
    expect(missing.geocode.key).toBe("manage.geocodeNotFound");
    expect(await auditCount()).toBe(before);
  });
});

describe("editing on the page", () => {
  async function fixture() {
    const { cookie, user } = await staffCookie();
    const facility = await createFacility({ userId: user.id }, COMMUNITY, {
      name: "老年食堂",
      type: "elderly_canteen",
      address: "",
      lat: 36.6651,
      lng: 117.0403,
    });
    return { cookie, facility };
  }

  it("saves with the current version and shows a conflict, with the newer values, for a stale one", async () => {
    const { cookie, facility } = await fixture();
    const save = (form: Record<string, string>) =>
      callAction(facilityAction, `/manage/facilities/${facility.id}`, { cookie, params: { id: facility.id }, form });
    const base = { intent: "save", name: "老年食堂", type: "elderly_canteen", lat: "36.6651", lng: "117.0403" };
    expect((await save({ ...base, version: "1", phone: "0531-1111111" })).status).toBe(302);
    const stale = await save({ ...base, version: "1", phone: "0531-2222222" });
    expect(stale.status).toBe(409);
    expect((await stale.json()).conflict).toMatchObject({ version: 2, phone: "0531-1111111" });
    const [row] = await queryRows<{ phone: string }>(sql`select phone from facilities where id = ${facility.id}`);
    expect(row.phone).toBe("0531-1111111");
    expect((await save({ intent: "suspend", version: "2" })).status).toBe(302);
    expect((await save({ intent: "restore", version: "3" })).status).toBe(302);
    expect((await save({ intent: "verify", version: "4" })).status).toBe(302);
    expect((await save({ intent: "save" })).status).toBe(400);
    const actions = await queryRows<{ action: string }>(
      sql`select action from audit_entries where object_id = ${facility.id} order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual([
      "facility.create",
      "facility.update",
      "facility.suspend",
      "facility.restore",
      "facility.verify",
    ]);
  });

  it("adds a service with its own schedule and edits it with versions", async () => {
    const { cookie, facility } = await fixture();
    const created = await callAction(newServiceAction, `/manage/facilities/${facility.id}/services/new`, {
      cookie,
      params: { id: facility.id },
      form: {
        name: "助餐",
        category: "elderly_care",
        subType: "meal_assistance",
        minAge: "60",
        residentsOnly: "on",
        "schedule.week.1": "11:00-13:00",
      },
    });
    expect(created.status).toBe(302);
    const [service] = await queryRows<{ id: string; schedule: unknown; eligibility: unknown }>(sql`
      select id, schedule, eligibility from services where facility_id = ${facility.id}`);
    expect(service.schedule).toEqual({ week: { "1": ["11:00-13:00"] } });
    expect(service.eligibility).toEqual({ minAge: 60, residentsOnly: true });
    const edit = (form: Record<string, string>) =>
      callAction(serviceAction, `/manage/services/${service.id}`, { cookie, params: { id: service.id }, form });
    expect(
      (await edit({ intent: "save", version: "1", name: "助餐", category: "elderly_care", fee: "8 元" })).status,
    ).toBe(302);
    expect((await edit({ intent: "save", version: "1", name: "x", category: "elderly_care" })).status).toBe(409);
    expect(
      (await edit({ intent: "save", version: "2", name: "x", category: "elderly_care", minAge: "80", maxAge: "60" }))
        .status,
    ).toBe(400);
    expect((await edit({ intent: "close", version: "2" })).status).toBe(302);
  });
});

describe("the community page", () => {
  it("lists facilities with filters, listings unverified for 180 days, and resolves problem reports", async () => {
    const { cookie, user } = await staffCookie();
    const old = await createFacility({ userId: user.id }, COMMUNITY, {
      name: "旧活动室",
      type: "culture_room",
      address: "",
    });
    await queryRows(sql`update facilities set last_verified_at = now() - interval '200 days' where id = ${old.id}`);
    await createFacility({ userId: user.id }, COMMUNITY, { name: "卫生站", type: "health_station", address: "" });
    const [report] = await db
      .insert(problemReports)
      .values({ facilityId: old.id, communityCode: COMMUNITY, kind: "wrong_phone", text: "电话打不通" })
      .returning();

    const page = await (
      await callLoaderAs(communityLoader, `/manage/${COMMUNITY}`, cookie, { code: COMMUNITY })
    ).json();
    expect(page.facilities.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(["旧活动室", "卫生站"]),
    );
    expect(page.stale.map((f: { name: string }) => f.name)).toContain("旧活动室");
    expect(page.stale.map((f: { name: string }) => f.name)).not.toContain("卫生站");
    expect(page.reports).toHaveLength(1);
    const filtered = await (
      await callLoaderAs(communityLoader, `/manage/${COMMUNITY}?type=health_station`, cookie, { code: COMMUNITY })
    ).json();
    expect(filtered.facilities.map((f: { name: string }) => f.name)).toEqual(["卫生站"]);

    const fixed = await callAction(communityAction, `/manage/${COMMUNITY}`, {
      cookie,
      params: { code: COMMUNITY },
      form: { intent: "resolve_report", reportId: report.id, status: "fixed" },
    });
    expect(fixed.status).toBe(302);
    const [row] = await queryRows<{ status: string; resolved_by: string }>(
      sql`select status, resolved_by from problem_reports where id = ${report.id}`,
    );
    expect(row).toEqual({ status: "fixed", resolved_by: user.id });

    const outsider = await createTestUser({ role: "community_staff", regionCode: "370103002001" });
    const foreign = await callAction(communityAction, `/manage/370103002001`, {
      cookie: (await sessionCookieFor(outsider.id)).cookie,
      params: { code: "370103002001" },
      form: { intent: "resolve_report", reportId: report.id, status: "dismissed" },
    });
    expect(foreign.status).toBe(404);
  });

  it("saves the community profile, which then is no longer demo data", async () => {
    const { cookie } = await staffCookie();
    const response = await callAction(communityAction, `/manage/${COMMUNITY}`, {
      cookie,
      params: { code: COMMUNITY },
      form: {
        intent: "update_profile",
        lat: "36.6651",
        lng: "117.0403",
        households: "2300",
        population: "6100",
        population60: "1500",
      },
    });
    expect(response.status).toBe(302);
    const [row] = await queryRows<{ households: number; population_60: number; is_demo: boolean }>(sql`
      select households, population_60, is_demo from regions where code = ${COMMUNITY}`);
    expect(row).toEqual({ households: 2300, population_60: 1500, is_demo: false });
    const bad = await callAction(communityAction, `/manage/${COMMUNITY}`, {
      cookie,
      params: { code: COMMUNITY },
      form: { intent: "update_profile", population: "100", population60: "500", households: "-1" },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).result.error).toMatchObject({
      population60: ["manage.population60TooLarge"],
      households: ["manage.countFormat"],
    });
  });
});
