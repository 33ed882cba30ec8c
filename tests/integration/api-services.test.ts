import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";

import { loader as search } from "~/routes/api.v1.services";
import { loader as getOne } from "~/routes/api.v1.services.$id";
import { PUBLIC_API_PER_MINUTE } from "~/utils/api-rate-limit.server";

import { queryRows } from "../../db/client.server";
import type { ServiceCategory } from "../../db/identifiers";
import { createFacility, createService, setFacilityStatus, setServiceStatus } from "../../db/queries/listings.server";
import { firstWindow, searchServices, searchWindowSql } from "../../db/queries/search.server";
import type { OpeningHours } from "../../db/schema";
import { createTestUser } from "../utils/accounts";

const COMMUNITY = "370102001002";
/** 泉城广场, 济南 */
const P0 = { lat: 36.6512, lng: 117.1201 };
/** 50 km south of P0: a second cluster for the small-window cases */
const Q2 = { lat: 36.2, lng: 117.1 };

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;

let ipCounter = 0;
/** a fresh client address per call group, so the rate limit only counts where a test wants it */
const nextIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

async function call(
  loader: Loader,
  url: string,
  { params = {}, ip = nextIp() }: { params?: Record<string, string>; ip?: string } = {},
) {
  const request = new Request(new URL(url, "http://localhost"));
  try {
    return await loader({ request, params, context: { clientIp: ip } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Item = {
  id: string;
  name: string;
  category: string;
  distanceM: number;
  walkingM: number;
  walkMinutes: number;
  openNow: boolean | null;
  facility: { id: string; name: string; lat: number; lng: number };
};
type Page = { services: Item[]; nextCursor: string | null };

const qs = (query: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
async function find(query: Record<string, string | number>, ip?: string): Promise<Page> {
  const response = await call(search, `/api/v1/services?${qs(query)}`, { ip });
  expect(response.status).toBe(200);
  return response.json();
}
const names = (page: Page) => page.services.map((s) => s.name);

/** every page of a query, following nextCursor (bounded) */
async function allPages(query: Record<string, string | number>) {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page: Page = await find(cursor ? { ...query, cursor } : query);
    items.push(...page.services);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error("more than 100 pages");
}

// calendar and clock of China, as the API uses them
const chinaDate = (at: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at);
const TODAY = chinaDate(new Date());
const shiftDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isoWeekday = (date: string) => String(new Date(`${date}T00:00:00Z`).getUTCDay() || 7) as "1";

const ALWAYS: OpeningHours = {
  week: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, ["00:00-24:00"]])),
};
/** an hour on the day after tomorrow only: closed today whatever the time */
const NEVER_TODAY: OpeningHours = { week: { [isoWeekday(shiftDays(TODAY, 2))]: ["10:00-11:00"] } };

// metres → degrees, roughly, to place the fixtures
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const north = (p: { lat: number; lng: number }, deg: number) => ({ lat: round6(p.lat + deg), lng: p.lng });
const east = (p: { lat: number; lng: number }, deg: number) => ({ lat: p.lat, lng: round6(p.lng + deg) });

const fx: Record<string, string> = {};
let actor: { userId: string };

async function facility(
  key: string,
  name: string,
  at: { lat: number; lng: number } | null,
  openingHours: OpeningHours | null,
  address = "历下区泉城路",
) {
  const created = await createFacility(actor, COMMUNITY, {
    name,
    type: "other",
    address,
    phone: "0531-86001234",
    openingHours,
    ...(at ?? {}),
  });
  fx[key] = created.id;
  return created.id;
}

async function service(
  key: string,
  facilityKey: string,
  name: string,
  category: ServiceCategory,
  extra: {
    schedule?: OpeningHours;
    validFrom?: string;
    validTo?: string;
    contact?: string;
    fee?: string;
    capacity?: number;
    minAge?: number;
  } = {},
) {
  const created = await createService(actor, fx[facilityKey], {
    name,
    category,
    description: `${name}的说明`,
    residentsOnly: false,
    ...extra,
  });
  fx[key] = created!.id;
  return created!.id;
}

beforeAll(async () => {
  const user = await createTestUser({ role: "province_admin", regionCode: "37" });
  actor = { userId: user.id };

  // public, around P0
  await facility("fOk", "有效期测试站", north(P0, 0.0005), ALWAYS);
  await service("sToday", "fOk", "今日有效服务", "elderly_care", {
    validFrom: TODAY,
    validTo: TODAY,
    contact: "0531-88889999",
    fee: "免费",
    capacity: 30,
    minAge: 60,
  });
  await facility("f1", "泉城广场日间照料中心", north(P0, 0.001), ALWAYS);
  await service("s1a", "f1", "助餐", "elderly_care", { schedule: ALWAYS });
  await service("s1b", "f1", "健康体检", "health");
  await facility("f2", "解放路老年食堂", east(P0, -0.003), NEVER_TODAY);
  await service("s2a", "f2", "老年助餐", "elderly_care");
  await service("s2b", "f2", "就业岗位对接", "entrepreneurship", { schedule: ALWAYS });
  // ~998 m north and ~894 m east: by degrees north is nearer, by metres east is
  await facility("f3", "北侧养老服务站", north(P0, 0.009), NEVER_TODAY);
  await service("s3", "f3", "上门探访", "elderly_care");
  await facility("f4", "东侧康复站", east(P0, 0.01), null);
  await service("s4", "f4", "康复护理", "elderly_care");
  await facility("f5", "文化活动室", north(P0, 0.02), null, "历下区趵突泉南路 1 号");
  await service("s5", "f5", "社区书屋", "culture_education");
  await facility("f6", "党群服务中心", east(P0, 0.05), NEVER_TODAY);
  await service("s6", "f6", "党员活动", "party_building");

  // not public, all nearer P0 than anything public
  await facility("fSuspended", "已暂停设施", north(P0, 0.0001), ALWAYS);
  await service("sAtSuspended", "fSuspended", "暂停设施的服务", "elderly_care");
  await setFacilityStatus(actor, fx.fSuspended, 1, "suspended");
  await facility("fClosed", "已关闭设施", north(P0, 0.0002), ALWAYS);
  await service("sAtClosed", "fClosed", "关闭设施的服务", "elderly_care");
  await setFacilityStatus(actor, fx.fClosed, 1, "closed");
  await facility("fNoPoint", "没有坐标的设施", null, ALWAYS);
  await service("sNoPoint", "fNoPoint", "没有坐标的服务", "elderly_care");
  await service("sSuspended", "fOk", "已暂停服务", "elderly_care");
  await setServiceStatus(actor, fx.sSuspended, 1, "suspended");
  await service("sExpired", "fOk", "已过期服务", "elderly_care", { validTo: shiftDays(TODAY, -1) });
  await service("sFuture", "fOk", "尚未开始服务", "elderly_care", { validFrom: shiftDays(TODAY, 1) });

  // Q2: 25 services ~998 m north, one ~894 m east
  await facility("qN", "Q2 北", north(Q2, 0.009), ALWAYS);
  for (let i = 0; i < 25; i++) await service(`qN${i}`, "qN", `Q2 北 ${String(i).padStart(2, "0")}`, "industry");
  await facility("qE", "Q2 东", east(Q2, 0.01), ALWAYS);
  await service("qE", "qE", "Q2 东", "industry");
});

const NOT_PUBLIC = ["sAtSuspended", "sAtClosed", "sNoPoint", "sSuspended", "sExpired", "sFuture"];
const NEAR_P0 = [
  "今日有效服务",
  "助餐",
  "健康体检",
  "老年助餐",
  "就业岗位对接",
  "康复护理",
  "上门探访",
  "社区书屋",
  "党员活动",
];
/** services at one facility tie on distance and follow their ids */
const byIdWithin = (items: Item[]) => [...items].sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));

describe("GET /api/v1/services", () => {
  it("lists the public services nearest first, with true distances, walking time and open-now", async () => {
    const page = await find({ ...P0, radius: 5000 });
    expect(page.services.map((s) => s.id).sort()).toEqual(
      ["sToday", "s1a", "s1b", "s2a", "s2b", "s3", "s4", "s5", "s6"].map((k) => fx[k]).sort(),
    );
    expect(page.services).toEqual(byIdWithin(page.services));
    expect(names(page).filter((n) => !["健康体检", "就业岗位对接"].includes(n))).toEqual(
      NEAR_P0.filter((n) => !["健康体检", "就业岗位对接"].includes(n)),
    );
    // by degrees 上门探访 is nearer; by metres 康复护理 is
    expect(names(page).indexOf("康复护理")).toBeLessThan(names(page).indexOf("上门探访"));
    expect(page.nextCursor).toBeNull();

    const truth = await queryRows<{ id: string; m: number }>(sql`
      select s.id, ST_Distance(f.point::geography, ST_SetSRID(ST_MakePoint(${P0.lng}::float8, ${P0.lat}::float8), 4326)::geography) as m
      from services s join facilities f on f.id = s.facility_id where f.point is not null`);
    const metres = new Map(truth.map((r) => [r.id, Number(r.m)]));
    for (const item of page.services) {
      expect(item.distanceM).toBe(Math.round(metres.get(item.id)!));
      // walking: the straight line times the detour factor (1.3 by default), at 80 m a minute
      expect(item.walkingM).toBe(Math.round(metres.get(item.id)! * 1.3));
      expect(item.walkMinutes).toBe(Math.max(1, Math.ceil((metres.get(item.id)! * 1.3) / 80)));
    }
    expect(page.services.find((s) => s.name === "康复护理")!.distanceM).toBeGreaterThan(880);
    expect(page.services.find((s) => s.name === "上门探访")!.distanceM).toBeGreaterThan(990);

    expect(page.services[0]).toEqual({
      id: fx.sToday,
      name: "今日有效服务",
      category: "elderly_care",
      subType: null,
      status: "active",
      facility: {
        id: fx.fOk,
        name: "有效期测试站",
        address: "历下区泉城路",
        lat: north(P0, 0.0005).lat,
        lng: P0.lng,
        communityCode: COMMUNITY,
      },
      distanceM: Math.round(metres.get(fx.sToday)!),
      walkingM: Math.round(metres.get(fx.sToday)! * 1.3),
      walkMinutes: 1,
      openNow: true,
      phone: "0531-88889999",
      eligibility: { minAge: 60 },
      lastVerified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const open = Object.fromEntries(page.services.map((s) => [s.name, s.openNow]));
    expect(open).toMatchObject({
      助餐: true,
      健康体检: true,
      老年助餐: false,
      就业岗位对接: true,
      上门探访: false,
      康复护理: null,
      社区书屋: null,
    });
    // a contact that is not a number leaves the facility's phone
    expect(page.services.find((s) => s.name === "助餐")).toMatchObject({ phone: "0531-86001234" });
  });

  it("is exact even when the first window by degrees misses the nearest in metres", async () => {
    // limit 1: a window of 23 holds only the 25 services 998 m north; the one 894 m east is found in the next
    expect(firstWindow(1)).toBeLessThan(25);
    const one = await find({ ...Q2, category: "industry", limit: 1 });
    expect(names(one)).toEqual(["Q2 东"]);
    const three = await find({ ...Q2, category: "industry", limit: 3 });
    const northIds = Array.from({ length: 25 }, (_, i) => fx[`qN${i}`]).sort();
    expect(three.services.map((s) => s.id)).toEqual([fx.qE, northIds[0], northIds[1]]);
    expect(three.services[1].distanceM).toBe(three.services[2].distanceM);
    // the window of 12 vouches for none of them: a second statement reads all within 998 m
    const direct = await searchServices({ ...Q2, category: "industry", limit: 1, now: new Date() });
    expect(direct.services.map((s) => s.id)).toEqual([fx.qE]);
    expect(direct.statements).toBe(2);
    // within a radius too; the radius's last page says so
    const r950 = await find({ ...Q2, category: "industry", radius: 950, limit: 1 });
    expect(names(r950)).toEqual(["Q2 东"]);
    expect(r950.nextCursor).toBeNull();
    expect(await allPages({ ...Q2, category: "industry", radius: 1000, limit: 4 })).toHaveLength(26);
    const all = await allPages({ ...Q2, category: "industry", limit: 1 });
    expect(all).toHaveLength(26);
    expect(new Set(all.map((s) => s.id)).size).toBe(26);
    expect(all[0].name).toBe("Q2 东");
    expect(all.slice(1)).toEqual(byIdWithin(all.slice(1)));
  });

  it("filters by radius in metres", async () => {
    expect(names(await find({ ...P0, radius: 500 })).sort()).toEqual(
      ["今日有效服务", "助餐", "健康体检", "老年助餐", "就业岗位对接"].sort(),
    );
    const r950 = names(await find({ ...P0, radius: 950 }));
    expect(r950).toContain("康复护理");
    expect(r950).not.toContain("上门探访");
    expect((await find({ ...P0, radius: 1 })).services).toEqual([]);
    // no radius: anything, however far (the Q2 cluster, 50 km away, comes last)
    const everything = await find({ ...P0, limit: 100 });
    expect(everything.services).toHaveLength(9 + 26);
    expect(everything.services.at(-1)!.distanceM).toBeGreaterThan(45_000);
  });

  it("filters by category", async () => {
    expect(names(await find({ ...P0, radius: 5000, category: "elderly_care" }))).toEqual([
      "今日有效服务",
      "助餐",
      "老年助餐",
      "康复护理",
      "上门探访",
    ]);
    expect(names(await find({ ...P0, radius: 5000, category: "culture_education" }))).toEqual(["社区书屋"]);
    expect((await find({ ...P0, radius: 5000, category: "green_low_carbon" })).services).toEqual([]);
  });

  it("matches q against the service's name, the facility's name and the address", async () => {
    expect(names(await find({ ...P0, q: "趵突泉" }))).toEqual(["社区书屋"]);
    expect(names(await find({ ...P0, q: "康复" }))).toEqual(["康复护理"]);
    expect(names(await find({ ...P0, q: "老年食堂" })).sort()).toEqual(["老年助餐", "就业岗位对接"].sort());
    expect(names(await find({ ...P0, q: "q2 东" }))).toEqual(["Q2 东"]);
    // LIKE's wildcards are literal text here
    expect((await find({ ...P0, q: "%" })).services).toEqual([]);
    expect((await find({ ...P0, q: "_" })).services).toEqual([]);
  });

  it("keeps only what is open now when asked, paging over the closed ones", async () => {
    const openNames = ["今日有效服务", "助餐", "健康体检", "就业岗位对接"].sort();
    for (const flag of ["true", "1"]) {
      const page = await find({ ...P0, radius: 5000, openNow: flag });
      expect(names(page).sort()).toEqual(openNames);
      expect(page.services.every((s) => s.openNow === true)).toBe(true);
    }
    for (const flag of ["false", "0"])
      expect((await find({ ...P0, radius: 5000, openNow: flag })).services).toHaveLength(9);
    const paged = await allPages({ ...P0, radius: 5000, openNow: "true", limit: 1 });
    expect(paged.map((s) => s.name).sort()).toEqual(openNames);
    // the Q2 cluster is open round the clock: 26 more without a radius
    expect((await find({ ...P0, openNow: "true", limit: 100 })).services).toHaveLength(4 + 26);
  });

  it("takes limit 1..100 (default 20) and pages with an opaque cursor, never skipping or repeating", async () => {
    const first = await find({ ...P0, limit: 2 });
    expect(first.services).toHaveLength(2);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await find({ ...P0 })).services).toHaveLength(20);
    expect((await find({ ...P0, limit: 100 })).services).toHaveLength(35);

    const whole = (await find({ ...P0, limit: 100 })).services.map((s) => s.id);
    for (const limit of [1, 2, 3, 7]) {
      const paged = await allPages({ ...P0, limit });
      expect(paged.map((s) => s.id)).toEqual(whole);
    }
    const second = await find({ ...P0, limit: 2, cursor: first.nextCursor! });
    expect(second.services.map((s) => s.id)).toEqual(whole.slice(2, 4));
    // a cursor carries on with other filters too: what follows it, nearest first
    const afterFirstTwo = await find({ ...P0, limit: 100, category: "elderly_care", cursor: first.nextCursor! });
    expect(
      afterFirstTwo.services.every((s) => s.category === "elderly_care" && !first.services.some((f) => f.id === s.id)),
    ).toBe(true);
  });

  it("answers 400 naming each bad parameter", async () => {
    const cases: [string, string][] = [
      [`lng=${P0.lng}`, "lat"],
      [`lat=${P0.lat}`, "lng"],
      [`lat=91&lng=117`, "lat"],
      [`lat=-90.5&lng=117`, "lat"],
      [`lat=36&lng=181`, "lng"],
      [`lat=36&lng=abc`, "lng"],
      [`lat=36&lng=1e2`, "lng"],
      [`lat=36&lng=117&category=spaceship`, "category"],
      [`lat=36&lng=117&radius=0`, "radius"],
      [`lat=36&lng=117&radius=50001`, "radius"],
      [`lat=36&lng=117&radius=1.5`, "radius"],
      [`lat=36&lng=117&radius=-5`, "radius"],
      [`lat=36&lng=117&openNow=yes`, "openNow"],
      [`lat=36&lng=117&q=${"长".repeat(101)}`, "q"],
      [`lat=36&lng=117&limit=0`, "limit"],
      [`lat=36&lng=117&limit=101`, "limit"],
      [`lat=36&lng=117&limit=ten`, "limit"],
      [`lat=36&lng=117&cursor=not*base64`, "cursor"],
      [`lat=36&lng=117&cursor=${Buffer.from("[1,2]").toString("base64url")}`, "cursor"],
      [`lat=36&lng=117&cursor=${Buffer.from(JSON.stringify({ d: -1, i: "x" })).toString("base64url")}`, "cursor"],
      [
        `lat=36&lng=117&cursor=${Buffer.from(JSON.stringify({ d: 5, i: "x", sql: "drop" })).toString("base64url")}`,
        "cursor",
      ],
    ];
    for (const [query, field] of cases) {
      const response = await call(search, `/api/v1/services?${query}`);
      expect(response.status, query).toBe(400);
      const body = await response.json();
      expect(body.error, query).toBe("invalid query");
      expect(Object.keys(body.fields), query).toEqual([field]);
      expect(body.fields[field], query).toEqual(expect.any(String));
    }
    const missing = await (await call(search, "/api/v1/services")).json();
    expect(missing.fields).toEqual({ lat: "required", lng: "required" });
    expect((await (await call(search, "/api/v1/services?lat=91&lng=0&limit=101")).json()).fields).toMatchObject({
      lat: "a number from -90 to 90",
      limit: "a whole number from 1 to 100",
    });
    // a valid WGS84 point far from Shandong is refused, naming the axis that is out (coordinates.ts: SEARCH_AREA)
    const sydney = await call(search, `/api/v1/services?${qs({ lat: -33.9, lng: 151.2, radius: 50_000 })}`);
    expect(sydney.status).toBe(400);
    expect(Object.keys((await sydney.json()).fields).sort()).toEqual(["lat", "lng"]);
    const pole = await (await call(search, `/api/v1/services?${qs({ lat: 90, lng: 117, limit: 1 })}`)).json();
    expect(pole.fields).toEqual({ lat: expect.stringMatching(/outside Shandong/) });
  });

  it("leaves out what is not public", async () => {
    const everything = await find({ ...P0, limit: 100 });
    for (const key of NOT_PUBLIC) expect(everything.services.map((s) => s.id)).not.toContain(fx[key]);
    const viaSearch = await searchServices({ ...P0, limit: 100, now: new Date() });
    expect(viaSearch.services).toHaveLength(35);
  });

  it("limits each client address (429 with Retry-After), on both endpoints", async () => {
    const ip = "198.18.0.77";
    for (let i = 0; i < PUBLIC_API_PER_MINUTE; i++) {
      const response = await call(search, `/api/v1/services?lat=999&lng=0`, { ip });
      expect(response.status).toBe(400);
    }
    const limited = await call(search, `/api/v1/services?${qs(P0)}`, { ip });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({ error: expect.stringMatching(/too many requests/) });
    expect((await call(getOne, `/api/v1/services/${fx.s1a}`, { ip, params: { id: fx.s1a } })).status).toBe(429);
    // another address is not affected
    expect((await call(search, `/api/v1/services?${qs(P0)}`)).status).toBe(200);
  });
});

describe("GET /api/v1/services/:id", () => {
  const getService = (id: string, query = "") => call(getOne, `/api/v1/services/${id}${query}`, { params: { id } });

  it("answers one public service with its details, the facility's hours and phone", async () => {
    const response = await getService(fx.sToday);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: fx.sToday,
      name: "今日有效服务",
      category: "elderly_care",
      subType: null,
      status: "active",
      facility: {
        id: fx.fOk,
        name: "有效期测试站",
        address: "历下区泉城路",
        lat: north(P0, 0.0005).lat,
        lng: P0.lng,
        communityCode: COMMUNITY,
        openingHours: ALWAYS,
        phone: "0531-86001234",
      },
      distanceM: null,
      walkingM: null,
      walkMinutes: null,
      openNow: true,
      phone: "0531-88889999",
      eligibility: { minAge: 60 },
      lastVerified: expect.any(String),
      description: "今日有效服务的说明",
      fee: "免费",
      capacity: 30,
      schedule: null,
      contact: "0531-88889999",
      validFrom: TODAY,
      validTo: TODAY,
    });
    const from = await (await getService(fx.s4, `?lat=${P0.lat}&lng=${P0.lng}`)).json();
    // about 890 m in a straight line, 1,160 m on foot at the detour factor 1.3: 15 minutes at 80 m a minute
    expect(from).toMatchObject({ name: "康复护理", openNow: null, walkMinutes: 15, facility: { openingHours: null } });
    expect(from.distanceM).toBeGreaterThan(880);
    expect((await (await getService(fx.s2b)).json()).openNow).toBe(true);
    expect((await (await getService(fx.s2a)).json()).openNow).toBe(false);
    expect((await getService(fx.s4, "?lat=95&lng=1")).status).toBe(400);
  });

  it("answers 404 JSON for an unknown or non-public service", async () => {
    for (const key of NOT_PUBLIC) {
      const response = await getService(fx[key]);
      expect(response.status, key).toBe(404);
      expect(await response.json()).toEqual({ error: "no such service" });
    }
    expect((await getService("no-such-service")).status).toBe(404);
  });
});

describe("the search plan", () => {
  it("walks the facilities' GiST index nearest first on a large table", async () => {
    await queryRows(sql`
      insert into facilities (id, community_code, name, type, address, point, status)
      select 'plan-f-' || g, ${COMMUNITY}, '计划测试设施 ' || g, 'other', '',
             ST_SetSRID(ST_MakePoint(114.8 + random() * 7.9, 34.4 + random() * 4.0), 4326),
             case when g % 50 = 0 then 'suspended'::facility_status else 'active'::facility_status end
      from generate_series(1, 50000) g`);
    await queryRows(sql`
      insert into services (id, facility_id, name, category)
      select 'plan-s-' || f.id || '-' || k, f.id, '计划测试服务',
             (array['elderly_care', 'health', 'culture_education', 'party_building'])[1 + (hashtext(f.id || k) & 3)]::service_category
      from facilities f, generate_series(1, 2) k where f.id like 'plan-f-%'`);
    await queryRows(sql`analyze facilities`);
    await queryRows(sql`analyze services`);

    const explain = async (
      query: Parameters<typeof searchWindowSql>[0],
      after: Parameters<typeof searchWindowSql>[1] = null,
    ) => {
      const rows = await queryRows<Record<string, string>>(
        sql`explain ${searchWindowSql(query, after, { size: firstWindow(20), want: 21, within: query.radiusM })}`,
      );
      return rows.map((r) => Object.values(r)[0]).join("\n");
    };
    const now = new Date();
    const nearest = [
      await explain({ ...P0, category: "elderly_care", now }),
      await explain({ ...P0, now }),
      await explain({ ...P0, q: "计划", now }),
      await explain({ ...P0, category: "elderly_care", now }, { d: 1234.5, id: "plan-s-x" }),
    ];
    for (const plan of nearest) {
      expect(plan).toMatch(/Index Scan using facilities_point_gist on facilities/);
      expect(plan).toMatch(/Order By: \(point <-> /);
      expect(plan).not.toMatch(/Seq Scan on facilities/);
      // the only sort is of the window's few rows by metres, never of facilities by `<->`
      expect(plan).not.toMatch(/Sort Key: .*point <->/);
    }
    // with a radius the degree box is an index condition: the planner walks the index nearest
    // first, or (a small box) reads the box from it and sorts the few rows; never the table
    for (const radiusM of [300, 3000, 50_000]) {
      const plan = await explain({ ...P0, category: "health", radiusM, now });
      expect(plan).toMatch(/Index Scan (using|on) facilities_point_gist/);
      expect(plan).toMatch(/Index Cond: \(.*point && /);
      expect(plan).not.toMatch(/Seq Scan on facilities/);
    }

    const page = await searchServices({ ...P0, category: "elderly_care", limit: 20, now });
    expect(page.services).toHaveLength(20);
    expect(page.services.map((s) => s.distanceM)).toEqual(
      [...page.services.map((s) => s.distanceM)].sort((a, b) => a! - b!),
    );
  });
});
