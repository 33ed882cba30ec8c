import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";

import { uuidv5 } from "~/domains/hsds/ids.server";
import { TAXONOMY_ID, termsOf } from "~/domains/hsds/objects.server";
import { loader as root } from "~/routes/api.hsds.v3._index";
import { loader as locations } from "~/routes/api.hsds.v3.locations";
import { loader as organizations } from "~/routes/api.hsds.v3.organizations";
import { loader as organization } from "~/routes/api.hsds.v3.organizations.$id";
import { loader as serviceAtLocations } from "~/routes/api.hsds.v3.service_at_locations";
import { loader as services } from "~/routes/api.hsds.v3.services";
import { loader as service } from "~/routes/api.hsds.v3.services.$id";
import { loader as taxonomies } from "~/routes/api.hsds.v3.taxonomies";
import { loader as taxonomyOne } from "~/routes/api.hsds.v3.taxonomies.$id";
import { loader as terms } from "~/routes/api.hsds.v3.taxonomy_terms";
import { loader as termOne } from "~/routes/api.hsds.v3.taxonomy_terms.$id";
import { PUBLIC_API_PER_MINUTE } from "~/utils/api-rate-limit.server";

import { db, queryRows } from "../../db/client.server";
import { SERVICE_CATEGORIES, SERVICE_SUB_TYPES, type ServiceCategory } from "../../db/identifiers";
import {
  createFacility,
  createService,
  getService,
  setFacilityStatus,
  setServiceStatus,
  updateFacility,
  updateService,
} from "../../db/queries/listings.server";
import type { OpeningHours } from "../../db/schema";
import { schemaErrors, type ValidatorName } from "../hsds/schemas";
import { createTestUser } from "../utils/accounts";

const COMMUNITY = "370102001002";
const OTHER_COMMUNITY = "370102007003";

// the answers are checked against the schemas; the test reads into them loosely
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;

let ipCounter = 0;
async function call(
  loader: Loader,
  url: string,
  params: Record<string, string> = {},
  {
    headers = {},
    // a new address per request, from a range no other test uses (100.96.0.0/16): paging the
    // lists must not meet the per-address budget that another file spent on a shared address
    clientIp = `100.96.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`,
  }: { headers?: Record<string, string>; clientIp?: string } = {},
) {
  const request = new Request(new URL(url, "http://localhost"), { headers });
  try {
    return await loader({ request, params, context: { clientIp } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** GETs, expects 200 and an answer that validates against `schema` */
async function valid<T = Json>(
  loader: Loader,
  url: string,
  schema: ValidatorName,
  params: Record<string, string> = {},
) {
  const response = await call(loader, url, params);
  expect(response.status, url).toBe(200);
  const body = (await response.json()) as T;
  expect(schemaErrors(schema, body), url).toEqual([]);
  return { body, response };
}

type Page = { total_items: number; total_pages: number; page_number: number; size: number; contents: Json[] };

/** every page of a list, checking the envelope on each */
async function allPages(loader: Loader, path: string, schema: ValidatorName, perPage = 2) {
  const items: Json[] = [];
  const join = path.includes("?") ? "&" : "?";
  for (let page = 1; page <= 100; page++) {
    const { body } = await valid<Page & { first_page: boolean; last_page: boolean; empty: boolean }>(
      loader,
      `${path}${join}page=${page}&per_page=${perPage}`,
      schema,
    );
    expect(body.page_number).toBe(page);
    expect(body.first_page).toBe(page === 1);
    expect(body.size).toBe(body.contents.length);
    expect(body.total_pages).toBe(Math.ceil(body.total_items / perPage));
    items.push(...body.contents);
    if (body.last_page) {
      expect(items.length).toBe(body.total_items);
      return items;
    }
    expect(body.size).toBe(perPage);
  }
  throw new Error("more than 100 pages");
}

const chinaDate = (at: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at);
const TODAY = chinaDate(new Date());
const shiftDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const HOURS: OpeningHours = {
  week: { "1": ["08:00-11:30", "14:00-17:30"], "2": ["08:00-17:30"], "6": ["09:00-12:00"] },
  holidayNote: "法定节假日另行通知",
  exceptions: [
    { from: "2026-10-01", to: "2026-10-07", hours: [] },
    { from: "2026-12-31", to: "2026-12-31", hours: ["09:00-11:00"] },
  ],
};

const fx: Record<string, string> = {};
let actor: { userId: string };
let createdFrom: string;

async function addFacility(key: string, name: string, community: string, at: { lat: number; lng: number } | null) {
  const created = await createFacility(actor, community, {
    name,
    type: "other",
    address: "历下区泉城路 1 号",
    phone: "0531-86001234",
    openingHours: HOURS,
    ...(at ?? {}),
  });
  fx[key] = created.id;
}

async function addService(
  key: string,
  facilityKey: string,
  name: string,
  category: ServiceCategory,
  extra: Partial<Parameters<typeof createService>[2]> = {},
) {
  const created = await createService(actor, fx[facilityKey], {
    name,
    category,
    description: `${name}的说明`,
    residentsOnly: false,
    ...extra,
  });
  fx[key] = created!.id;
}

const publicIdOf = async (key: string) =>
  (await queryRows<{ p: string }>(sql`select public_id::text as p from services where id = ${fx[key]}`))[0].p;

const PUBLIC = ["meal", "checkup", "calligraphy", "yoga", "incubator", "elsewhere", "today"];
const NOT_PUBLIC = ["suspended", "atClosed", "atNoPoint", "expired", "future"];
const ids: Record<string, string> = {};

beforeAll(async () => {
  createdFrom = new Date(Date.now() - 1000).toISOString();
  const user = await createTestUser({ role: "province_admin", regionCode: "37" });
  actor = { userId: user.id };
  await addFacility("fA", "泉城广场日间照料中心", COMMUNITY, { lat: 36.6612, lng: 117.0201 });
  await addService("meal", "fA", "老年助餐", "elderly_care", {
    subType: "meal_assistance",
    contact: "0531-88889999",
    minAge: 60,
    maxAge: 120,
    residentsOnly: true,
    eligibilityNote: "行动不便的老人优先",
    fee: "每餐 10 元",
  });
  await addService("checkup", "fA", "健康体检", "health", { schedule: { week: { "3": ["08:00-10:00"] } } });
  await addService("calligraphy", "fA", "书法班", "culture_education", { description: "每周三下午的书法课" });
  await addService("yoga", "fA", "Yoga for elders", "health", { contact: "王老师" });
  await addService("today", "fA", "今日有效服务", "other", { validFrom: TODAY, validTo: TODAY });
  await addFacility("fB", "创业孵化基地", OTHER_COMMUNITY, { lat: 36.67, lng: 117.05 });
  await addService("incubator", "fB", "创业孵化", "entrepreneurship", { subType: "incubation" });
  await addService("elsewhere", "fB", "就业岗位对接", "entrepreneurship", { subType: "自定义子类" });

  await addService("suspended", "fA", "已暂停服务", "elderly_care");
  await setServiceStatus(actor, fx.suspended, 1, "suspended");
  await addService("expired", "fA", "已过期服务", "elderly_care", { validTo: shiftDays(TODAY, -1) });
  await addService("future", "fA", "尚未开始服务", "elderly_care", { validFrom: shiftDays(TODAY, 1) });
  await addFacility("fClosed", "已关闭设施", COMMUNITY, { lat: 36.66, lng: 117.02 });
  await addService("atClosed", "fClosed", "关闭设施的服务", "elderly_care");
  await setFacilityStatus(actor, fx.fClosed, 1, "closed");
  await addFacility("fNoPoint", "没有坐标的设施", COMMUNITY, null);
  await addService("atNoPoint", "fNoPoint", "没有坐标的服务", "elderly_care");
  for (const key of [...PUBLIC, ...NOT_PUBLIC]) ids[key] = await publicIdOf(key);
});

describe("HSDS 3.0 API", () => {
  it("answers its root with the version and profile", async () => {
    const { body } = await valid(root, "/api/hsds/v3/", "root");
    expect(body.version).toBe("3.0");
  });

  it("pages through every public service exactly once and no other, by published id", async () => {
    const items = await allPages(services, "/api/hsds/v3/services", "servicePage");
    const seen = items.map((s) => s.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(PUBLIC.map((k) => ids[k]).sort());
    expect(seen).toEqual([...seen].sort());
    for (const key of NOT_PUBLIC) expect(seen).not.toContain(ids[key]);
    for (const item of items) expect(item.organization?.id).toBe(item.organization_id);
  });

  it("pages the full services, the services at locations, the locations and the organizations, all valid", async () => {
    const full = await allPages(services, "/api/hsds/v3/services?full=true", "fullServicePage", 3);
    expect(full.map((s) => s.id).sort()).toEqual(PUBLIC.map((k) => ids[k]).sort());
    const pairs = await allPages(serviceAtLocations, "/api/hsds/v3/service_at_locations", "serviceAtLocationPage");
    expect(pairs.map((p) => p.service_id).sort()).toEqual(PUBLIC.map((k) => ids[k]).sort());
    const fullPairs = await allPages(
      serviceAtLocations,
      "/api/hsds/v3/service_at_locations?full=true",
      "serviceAtLocationPage",
      50,
    );
    for (const pair of fullPairs) {
      expect(schemaErrors("service", pair.service)).toEqual([]);
      expect(pair.location.addresses).toHaveLength(1);
      expect(pair.service.schedules.length).toBeGreaterThan(0);
    }
    const places = await allPages(locations, "/api/hsds/v3/locations", "locationPage", 1);
    expect(places.map((l) => l.name).sort()).toEqual(["创业孵化基地", "泉城广场日间照料中心"]);
    const committees = await allPages(organizations, "/api/hsds/v3/organizations", "organizationPage", 1);
    expect(committees).toHaveLength(2);
    expect(committees.map((o) => o.description).join()).toContain(COMMUNITY);
  });

  it("nests organization, location, address, phones, schedules, eligibility and taxonomy in one service", async () => {
    const { body, response } = await valid(service, "/api/hsds/v3/services/x", "service", { id: ids.meal });
    expect(response.headers.get("Cache-Control")).toMatch(/public/);
    expect(response.headers.get("ETag")).toBeTruthy();
    expect(body).toMatchObject({
      id: ids.meal,
      name: "老年助餐",
      status: "active",
      minimum_age: 60,
      maximum_age: 120,
      fees_description: "每餐 10 元",
      eligibility_description: "行动不便的老人优先；仅限本社区居民",
      url: `http://localhost/services/${fx.meal}`,
      organization: { name: expect.stringContaining("解放桥") },
      phones: [{ number: "0531-88889999", service_id: ids.meal }],
    });
    expect(body.last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const [pair] = body.service_at_locations;
    expect(pair.service_id).toBe(ids.meal);
    expect(pair.location).toMatchObject({
      location_type: "physical",
      name: "泉城广场日间照料中心",
      latitude: 36.6612,
      longitude: 117.0201,
      phones: [{ number: "0531-86001234" }],
      addresses: [
        {
          address_1: "历下区泉城路 1 号",
          city: "济南市",
          region: "历下区",
          state_province: "山东省",
          country: "CN",
          postal_code: "",
          address_type: "physical",
        },
      ],
    });
    // the facility's hours (the service has none of its own): 4 weekly intervals, then the exceptions
    expect(body.schedules.map((s: Json) => s.byday ?? `${s.valid_from}/${s.valid_to}`)).toEqual([
      "MO",
      "MO",
      "TU",
      "SA",
      "2026-10-01/2026-10-07",
      "2026-12-31/2026-12-31",
    ]);
    expect(body.schedules[0]).toMatchObject({ freq: "WEEKLY", opens_at: "08:00+08:00", closes_at: "11:30+08:00" });
    expect(body.schedules[0].notes).toBe("法定节假日另行通知");
    expect(pair.location.schedules).toHaveLength(6);
    expect(body.attributes.map((a: Json) => a.taxonomy_term.name)).toEqual(["养老服务", "助餐"]);

    const own = await valid(service, "/api/hsds/v3/services/x", "service", { id: ids.checkup });
    expect(own.body.schedules.map((s: Json) => [s.byday, s.opens_at])).toEqual([["WE", "08:00+08:00"]]);
    // a contact that is not a phone number is no phone
    const yoga = await valid(service, "/api/hsds/v3/services/x", "service", { id: ids.yoga });
    expect(yoga.body.phones).toEqual([]);
  });

  it("filters by search (Chinese, case-insensitive), taxonomy, organization and modified_after", async () => {
    const names = async (query: string) => {
      const items = await allPages(services, `/api/hsds/v3/services?${query}`, "servicePage", 50);
      return items.map((s) => s.name).sort();
    };
    expect(await names("search=书法")).toEqual(["书法班"]);
    expect(await names("search=YOGA")).toEqual(["Yoga for elders"]);
    expect(await names("search=100%25")).toEqual([]);
    const [elderly, meal] = termsOf("elderly_care", "meal_assistance");
    expect(await names(`taxonomy_term_id=${elderly.id}`)).toEqual(["老年助餐"]);
    expect(await names(`taxonomy_term_id=${meal.id}`)).toEqual(["老年助餐"]);
    const [entrepreneurship] = termsOf("entrepreneurship", null);
    expect(await names(`taxonomy_term_id=${entrepreneurship.id}`)).toEqual(["创业孵化", "就业岗位对接"]);
    expect(await names(`taxonomy_term_id=${uuidv5("x", TAXONOMY_ID)}`)).toEqual([]);
    expect(await names(`taxonomy_id=${TAXONOMY_ID}`)).toHaveLength(PUBLIC.length);
    expect(await names(`taxonomy_id=${uuidv5("other", TAXONOMY_ID)}`)).toEqual([]);
    const [{ p: other }] = await queryRows<{ p: string }>(
      sql`select public_id::text as p from regions where code = ${OTHER_COMMUNITY}`,
    );
    expect(await names(`organization_id=${other}`)).toEqual(["创业孵化", "就业岗位对接"]);
    expect(await names(`organization_id=${other}&search=孵化`)).toEqual(["创业孵化"]);

    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await names(`modified_after=${encodeURIComponent(later)}`)).toEqual([]);
    expect(await names(`modified_after=${encodeURIComponent(createdFrom)}`)).toHaveLength(PUBLIC.length);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    const current = (await getService(fx.calligraphy))!;
    await updateService(actor, fx.calligraphy, current.version, {
      name: "书法班（周三）",
      category: "culture_education",
      description: "每周三下午的书法课",
      residentsOnly: false,
    });
    expect(await names(`modified_after=${encodeURIComponent(since)}`)).toEqual(["书法班（周三）"]);
    // the same on the pairs' list
    const pairs = await allPages(
      serviceAtLocations,
      `/api/hsds/v3/service_at_locations?modified_after=${encodeURIComponent(since)}`,
      "serviceAtLocationPage",
    );
    expect(pairs.map((p) => p.service.name)).toEqual(["书法班（周三）"]);
  });

  it("keeps every id across an edit of the service and of its facility", async () => {
    const before = (await valid(service, "/api/hsds/v3/services/x", "service", { id: ids.checkup })).body;
    const current = (await getService(fx.checkup))!;
    const edited = await updateService(actor, fx.checkup, current.version, {
      name: "健康体检（新）",
      category: "health",
      description: "改过的说明",
      residentsOnly: false,
      schedule: { week: { "3": ["08:00-10:00"] } },
    });
    expect(edited.ok).toBe(true);
    const facility = (await queryRows<{ version: number }>(sql`select version from facilities where id = ${fx.fA}`))[0];
    await updateFacility(actor, fx.fA, Number(facility.version), {
      name: "泉城广场日间照料中心（新址）",
      type: "other",
      address: "历下区泉城路 2 号",
      phone: "0531-86001234",
      lat: 36.6612,
      lng: 117.0201,
      openingHours: HOURS,
    });
    const after = (await valid(service, "/api/hsds/v3/services/x", "service", { id: ids.checkup })).body;
    expect(after.name).toBe("健康体检（新）");
    expect(after.service_at_locations[0].location.name).toBe("泉城广场日间照料中心（新址）");
    const idsOf = (s: Json) => [
      s.id,
      s.organization.id,
      s.schedules.map((x: Json) => x.id),
      s.service_at_locations[0].id,
      s.service_at_locations[0].location.id,
      s.service_at_locations[0].location.addresses[0].id,
      s.service_at_locations[0].location.phones[0].id,
      s.attributes.map((a: Json) => a.id),
    ];
    expect(idsOf(after)).toEqual(idsOf(before));
  });

  it("answers 404 for an unknown, malformed or non-public id", async () => {
    for (const id of [uuidv5("nobody", TAXONOMY_ID), "not-a-uuid", "1", ...NOT_PUBLIC.map((k) => ids[k])]) {
      const response = await call(service, "/api/hsds/v3/services/x", { id });
      expect(response.status, id).toBe(404);
      expect((await response.json()).error).toBeTruthy();
    }
    expect((await call(organization, "/x", { id: "nope" })).status).toBe(404);
    expect((await call(organization, "/x", { id: uuidv5("nobody", TAXONOMY_ID) })).status).toBe(404);
    expect((await call(taxonomyOne, "/x", { id: uuidv5("nobody", TAXONOMY_ID) })).status).toBe(404);
    expect((await call(termOne, "/x", { id: "nope" })).status).toBe(404);
  });

  it("answers 400 naming each bad parameter", async () => {
    const cases: [Loader, string, string][] = [
      [services, "page=0", "page"],
      [services, "page=x", "page"],
      [services, "per_page=201", "per_page"],
      [services, "per_page=1.5", "per_page"],
      [services, "taxonomy_term_id=elderly_care", "taxonomy_term_id"],
      [services, "organization_id=370102001002", "organization_id"],
      [services, "modified_after=yesterday", "modified_after"],
      [services, "modified_after=2026-13-45", "modified_after"],
      [services, "format=ndjson", "format"],
      [services, "full=yes", "full"],
      [serviceAtLocations, "postcode=250000", "postcode"],
      [organizations, "per_page=0", "per_page"],
      [locations, "organization_id=x", "organization_id"],
      [terms, "parent_id=x", "parent_id"],
      [taxonomies, "page=-1", "page"],
    ];
    for (const [loader, query, field] of cases) {
      const response = await call(loader, `/api/hsds/v3/x?${query}`);
      expect(response.status, query).toBe(400);
      const body = await response.json();
      expect(Object.keys(body.fields), query).toEqual([field]);
    }
  });

  it("publishes an organization with its services, and the taxonomy with its terms", async () => {
    const [{ p }] = await queryRows<{ p: string }>(
      sql`select public_id::text as p from regions where code = ${COMMUNITY}`,
    );
    const { body } = await valid(organization, "/x", "organization", { id: p });
    expect(body.services.map((s: Json) => s.id).sort()).toEqual(
      ["meal", "checkup", "calligraphy", "yoga", "today"].map((k) => ids[k]).sort(),
    );
    const all = await allPages(taxonomies, "/api/hsds/v3/taxonomies", "taxonomyPage");
    expect(all.map((t) => t.id)).toEqual([TAXONOMY_ID]);
    await valid(taxonomyOne, "/x", "taxonomy", { id: TAXONOMY_ID });
    const termList = await allPages(terms, "/api/hsds/v3/taxonomy_terms", "taxonomyTermPage", 5);
    const top = await allPages(terms, "/api/hsds/v3/taxonomy_terms?top_only=true", "taxonomyTermPage", 50);
    expect(top.map((t) => t.code)).toEqual([...SERVICE_CATEGORIES]);
    const [elderly] = termsOf("elderly_care", null);
    const children = await allPages(terms, `/api/hsds/v3/taxonomy_terms?parent_id=${elderly.id}`, "taxonomyTermPage");
    expect(children.map((t) => t.name)).toEqual(["助餐", "日间照料", "上门服务", "健康检查", "康复护理"]);
    // every category, then each of its sub-types under it
    expect(termList.length).toBe(top.length + Object.values(SERVICE_SUB_TYPES).flat().length);
    const { body: one } = await valid(termOne, "/x", "taxonomyTerm", { id: children[0].id });
    expect(one).toMatchObject({ name: "助餐", description: "Meal assistance", parent_id: elderly.id, language: "zh" });
    const found = await allPages(terms, "/api/hsds/v3/taxonomy_terms?search=elderly", "taxonomyTermPage");
    expect(found.map((t) => t.code)).toEqual(["elderly_care"]);
  });

  it("answers an empty page past the end", async () => {
    const { body } = await valid(services, "/api/hsds/v3/services?page=99&per_page=50", "servicePage");
    expect(body).toMatchObject({ page_number: 99, size: 0, empty: true, last_page: true, first_page: false });
  });

  it("answers 304 to a matching If-None-Match, and 429 past the public API's budget per address", async () => {
    const first = await call(services, "/api/hsds/v3/services?per_page=3");
    const etag = first.headers.get("ETag")!;
    const again = await call(services, "/api/hsds/v3/services?per_page=3", {}, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    const clientIp = "192.0.2.77";
    const statuses: number[] = [];
    for (let i = 0; i <= PUBLIC_API_PER_MINUTE; i++)
      statuses.push((await call(root, "/api/hsds/v3/", {}, { clientIp })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(PUBLIC_API_PER_MINUTE);
    const limited = await call(service, "/x", { id: ids.meal }, { clientIp });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBeTruthy();
  });

  it("reads a page of fully nested services in the same few statements however many it holds", async () => {
    const statementsFor = async (url: string) => {
      const spy = vi.spyOn(db, "execute");
      try {
        const { body } = await valid(services, url, "fullServicePage");
        return { statements: spy.mock.calls.length, size: (body as Page).size };
      } finally {
        spy.mockRestore();
      }
    };
    const one = await statementsFor("/api/hsds/v3/services?full=true&per_page=1");
    const all = await statementsFor("/api/hsds/v3/services?full=true&per_page=100");
    expect(one.size).toBe(1);
    expect(all.size).toBe(PUBLIC.length);
    // the page and its count (the budget's statement aside)
    expect(all.statements).toBe(one.statements);
    expect(one.statements).toBeGreaterThanOrEqual(2);
    expect(all.statements).toBeLessThanOrEqual(3);
  });
});
