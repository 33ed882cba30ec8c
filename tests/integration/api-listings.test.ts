import { sql } from "drizzle-orm";

import { generateApiToken } from "~/domains/accounts/auth.server";
import { action as createFacilityAction, loader as listFacilities } from "~/routes/api.v1.facilities";
import { action as patchFacility, loader as getFacilityLoader } from "~/routes/api.v1.facilities.$id";
import { action as createServiceAction } from "~/routes/api.v1.facilities.$id.services";
import { action as patchService } from "~/routes/api.v1.services.$id";

import { queryRows } from "../../db/client.server";
import { createApiToken } from "../../db/queries/users.server";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

const COMMUNITY = "370102001002";
const IN_LIXIA = { lat: 36.6651, lng: 117.0403 };

async function staff() {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  return { user, ...(await sessionCookieFor(user.id)) };
}

const post = (cookie: string | undefined, json: unknown, headers: Record<string, string> = {}) =>
  callAction(createFacilityAction, "/api/v1/facilities", { cookie, json, headers });

async function counts() {
  const [row] = await queryRows<{ facilities: number; services: number }>(sql`
    select (select count(*)::int from facilities) as facilities, (select count(*)::int from services) as services`);
  return { ...row, audit: await auditCount() };
}

describe("POST /api/v1/facilities", () => {
  it("creates a facility (201 with id and version) and audits it", async () => {
    const { cookie, user } = await staff();
    const response = await post(cookie, {
      communityCode: COMMUNITY,
      name: "解放桥社区日间照料中心",
      type: "elderly_day_care",
      address: "历下区解放路",
      ...IN_LIXIA,
      phone: "0531-86000000",
      openingHours: {
        week: { "1": ["08:00-11:30", "13:30-17:30"], "6": "09:00-12:00" },
        holidayNote: "法定节假日休息",
      },
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({
      id: expect.any(String),
      version: 1,
      communityCode: COMMUNITY,
      status: "active",
      lat: IN_LIXIA.lat,
      lng: IN_LIXIA.lng,
      openingHours: {
        week: { "1": ["08:00-11:30", "13:30-17:30"], "6": ["09:00-12:00"] },
        holidayNote: "法定节假日休息",
      },
    });
    expect(response.headers.get("Location")).toBe(`/api/v1/facilities/${body.id}`);
    const [entry] = await queryRows<{ actor_user_id: string; action: string; after: { name: string } }>(sql`
      select actor_user_id, action, after from audit_entries where object_id = ${body.id}`);
    expect(entry).toMatchObject({
      actor_user_id: user.id,
      action: "facility.create",
      after: { name: "解放桥社区日间照料中心" },
    });
  });

  it("answers 401 without a session or token, 403 out of scope, and stores nothing", async () => {
    const before = await counts();
    expect((await post(undefined, { communityCode: COMMUNITY, name: "x", type: "other" })).status).toBe(401);
    const { cookie } = await staff();
    const out = await post(cookie, { communityCode: "370103002001", name: "x", type: "other" });
    expect(out.status).toBe(403);
    expect(await out.json()).toEqual({ error: "outside your scope" });
    expect(await counts()).toEqual(before);
  });

  it("validates with a field for each problem (400 / 422) and stores nothing", async () => {
    const { cookie } = await staff();
    const before = await counts();
    const missingCode = await post(cookie, { name: "x", type: "other" });
    expect(missingCode.status).toBe(400);
    expect((await missingCode.json()).fields).toHaveProperty("communityCode");

    const invalid = await post(cookie, {
      communityCode: COMMUNITY,
      name: "",
      type: "spaceship",
      lat: 95,
      openingHours: { week: { "2": ["8-11"] } },
      phone: "call me",
    });
    expect(invalid.status).toBe(422);
    const { error, fields } = await invalid.json();
    expect(error).toBe("invalid facility");
    expect(fields).toMatchObject({
      name: "Required",
      type: "Choose one of the options",
      lat: "Latitude is a number from -90 to 90",
      "openingHours.week.2": "Times look like 08:00-11:30; separate several with commas",
      phone: "A phone number has digits, spaces, +, - and brackets only",
    });
    const badJson = await callAction(createFacilityAction, "/api/v1/facilities", { cookie, form: { a: "b" } });
    expect(badJson.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("refuses a point outside Shandong and asks to confirm one outside the county", async () => {
    const { cookie } = await staff();
    const beijing = await post(cookie, {
      communityCode: COMMUNITY,
      name: "x",
      type: "other",
      lat: 39.9087,
      lng: 116.3975,
    });
    expect(beijing.status).toBe(422);
    expect((await beijing.json()).fields.lat).toBe("This point is outside Shandong and cannot be saved");

    const qingdao = { communityCode: COMMUNITY, name: "青岛的点", type: "other", lat: 36.063, lng: 120.385 };
    const unconfirmed = await post(cookie, qingdao);
    expect(unconfirmed.status).toBe(422);
    expect((await unconfirmed.json()).fields).toHaveProperty("confirmOutsideCounty");
    expect((await post(cookie, { ...qingdao, confirmOutsideCounty: true })).status).toBe(201);
  });

  it("answers 413 for a body that is too large", async () => {
    const { cookie } = await staff();
    const response = await post(cookie, { communityCode: COMMUNITY, name: "x".repeat(300_000), type: "other" });
    expect(response.status).toBe(413);
  });

  it("accepts a personal API token", async () => {
    const { user } = await staff();
    const { token, tokenHash } = generateApiToken();
    await createApiToken({ userId: user.id, name: "script", tokenHash });
    const response = await post(
      undefined,
      { communityCode: COMMUNITY, name: "用令牌登记", type: "culture_room" },
      { Authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(201);
  });
});

describe("PATCH /api/v1/facilities/:id and services", () => {
  async function facilityWithService() {
    const { cookie } = await staff();
    const created = await (
      await post(cookie, { communityCode: COMMUNITY, name: "老年食堂", type: "elderly_canteen", ...IN_LIXIA })
    ).json();
    const serviceResponse = await callAction(createServiceAction, `/api/v1/facilities/${created.id}/services`, {
      cookie,
      params: { id: created.id },
      json: {
        name: "助餐",
        category: "elderly_care",
        subType: "meal_assistance",
        eligibility: { minAge: 60, residentsOnly: true },
        fee: "每餐 8 元",
      },
    });
    expect(serviceResponse.status).toBe(201);
    return { cookie, facility: created, service: await serviceResponse.json() };
  }

  it("updates with the current version (200) and refuses a stale one (409) with the newer values", async () => {
    const { cookie, facility } = await facilityWithService();
    const patch = (json: unknown) =>
      callAction(patchFacility, `/api/v1/facilities/${facility.id}`, {
        cookie,
        params: { id: facility.id },
        method: "PATCH",
        json,
      });
    const first = await patch({ version: 1, phone: "0531-11111111" });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ version: 2, phone: "0531-11111111", name: "老年食堂" });

    const stale = await patch({ version: 1, phone: "0531-22222222" });
    expect(stale.status).toBe(409);
    const conflict = await stale.json();
    expect(conflict.current).toMatchObject({ version: 2, phone: "0531-11111111" });
    expect(conflict.fields.version).toMatch(/2/);

    expect((await patch({ phone: "x" })).status).toBe(400);
    expect((await patch({ version: 2, type: "nope" })).status).toBe(422);
    const suspended = await patch({ version: 2, status: "suspended" });
    expect(await suspended.json()).toMatchObject({ version: 3, status: "suspended" });

    const read = await callLoaderAs(getFacilityLoader, `/api/v1/facilities/${facility.id}`, cookie, {
      id: facility.id,
    });
    expect(await read.json()).toMatchObject({
      phone: "0531-11111111",
      status: "suspended",
      services: [{ name: "助餐" }],
    });
  });

  it("creates and patches services with the same rules", async () => {
    const { cookie, service } = await facilityWithService();
    expect(service).toMatchObject({
      version: 1,
      category: "elderly_care",
      eligibility: { minAge: 60, residentsOnly: true },
    });
    const patch = (json: unknown) =>
      callAction(patchService, `/api/v1/services/${service.id}`, {
        cookie,
        params: { id: service.id },
        method: "PATCH",
        json,
      });
    expect(await (await patch({ version: 1, fee: "免费" })).json()).toMatchObject({
      version: 2,
      fee: "免费",
      eligibility: { minAge: 60 },
    });
    expect((await patch({ version: 1, fee: "x" })).status).toBe(409);
    const bad = await patch({ version: 2, eligibility: { minAge: 80, maxAge: 60 } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).fields.maxAge).toBe("The maximum age cannot be below the minimum");
    expect((await patch({ version: 2, validFrom: "2026-12-01", validTo: "2026-01-01" })).status).toBe(422);
  });

  it("answers 404 for unknown ids and 403 for another community's records", async () => {
    const { facility, service } = await facilityWithService();
    const outsider = await createTestUser({ role: "community_staff", regionCode: "370103002001" });
    const { cookie } = await sessionCookieFor(outsider.id);
    expect(
      (
        await callAction(patchFacility, "/api/v1/facilities/nope", {
          cookie,
          params: { id: "nope" },
          method: "PATCH",
          json: { version: 1 },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await callAction(patchFacility, `/api/v1/facilities/${facility.id}`, {
          cookie,
          params: { id: facility.id },
          method: "PATCH",
          json: { version: 1, name: "hijack" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await callAction(patchService, `/api/v1/services/${service.id}`, {
          cookie,
          params: { id: service.id },
          method: "PATCH",
          json: { version: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await callAction(createServiceAction, `/api/v1/facilities/${facility.id}/services`, {
          cookie,
          params: { id: facility.id },
          json: { name: "x", category: "other" },
        })
      ).status,
    ).toBe(403);
  });
});

describe("GET /api/v1/facilities", () => {
  it("exports the facilities in scope as JSON, CSV and GeoJSON, honouring filters", async () => {
    const { cookie } = await staff();
    await post(cookie, {
      communityCode: COMMUNITY,
      name: '=HYPERLINK("http://evil.example")',
      type: "culture_room",
      ...IN_LIXIA,
    });
    await post(cookie, { communityCode: COMMUNITY, name: "健康小屋", type: "health_station", ...IN_LIXIA });
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const officialCookie = (await sessionCookieFor(official.id)).cookie;

    const all = await (await callLoaderAs(listFacilities, "/api/v1/facilities?scope=370102", officialCookie)).json();
    expect(all.facilities.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(["健康小屋"]));
    const filtered = await (
      await callLoaderAs(listFacilities, "/api/v1/facilities?scope=370102&type=health_station", officialCookie)
    ).json();
    expect(filtered.facilities.every((f: { type: string }) => f.type === "health_station")).toBe(true);

    const csv = await (
      await callLoaderAs(listFacilities, `/api/v1/facilities?scope=${COMMUNITY}&format=csv`, cookie)
    ).text();
    expect(csv.split("\n")[0]).toMatch(/^facility_ref,community_code,facility_name,facility_type/);
    expect(csv).toContain(`'=HYPERLINK(`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);

    const geo = await callLoaderAs(listFacilities, `/api/v1/facilities?scope=${COMMUNITY}&format=geojson`, cookie);
    expect(geo.headers.get("Content-Type")).toBe("application/geo+json");
    const collection = await geo.json();
    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features[0].geometry).toEqual({ type: "Point", coordinates: [IN_LIXIA.lng, IN_LIXIA.lat] });

    expect((await callLoaderAs(listFacilities, "/api/v1/facilities?scope=370103", cookie)).status).toBe(403);
    expect((await callLoaderAs(listFacilities, "/api/v1/facilities?scope=abc", cookie)).status).toBe(400);
    expect((await callLoaderAs(listFacilities, "/api/v1/facilities?scope=370102&format=xml", cookie)).status).toBe(400);
    expect((await callLoaderAs(listFacilities, "/api/v1/facilities?scope=370102")).status).toBe(401);
  });
});

describe("a new listing reaches residents at once", () => {
  it("is found by the public search right after it is registered, and gone when suspended", async () => {
    const { loader: searchLoader } = await import("~/routes/api.v1.services");
    const { cookie } = await staff();
    const facility = await (
      await post(cookie, { communityCode: COMMUNITY, name: "刚登记的助餐点", type: "elderly_canteen", ...IN_LIXIA })
    ).json();
    const service = await (
      await callAction(createServiceAction, `/api/v1/facilities/${facility.id}/services`, {
        cookie,
        params: { id: facility.id },
        json: { name: "刚登记的助餐", category: "elderly_care" },
      })
    ).json();
    const search = async () =>
      (await (
        await callLoaderAs(
          searchLoader,
          `/api/v1/services?lat=${IN_LIXIA.lat}&lng=${IN_LIXIA.lng}&category=elderly_care&radius=50&limit=100`,
        )
      ).json()) as {
        services: { id: string; distanceM: number }[];
      };
    const found = (await search()).services.find((s) => s.id === service.id);
    expect(found?.distanceM).toBe(0);
    await callAction(patchFacility, `/api/v1/facilities/${facility.id}`, {
      cookie,
      params: { id: facility.id },
      method: "PATCH",
      json: { version: 1, status: "suspended" },
    });
    expect((await search()).services.map((s) => s.id)).not.toContain(service.id);
  });
});
