// Freshness (docs/figures.md): the province's N and M, the staff's flags at N, residents' search
// hiding at M, and the share of listings verified within N days per region.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";

import {
  loadFreshnessReport,
  loadListingFreshness,
  loadRegionFreshness,
  loadStaleListings,
} from "~/domains/listings/freshness.server";
import { loader as servicePageLoader } from "~/routes/_resident.services.$id";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.settings";
import { loader as searchLoader } from "~/routes/api.v1.services";
import { loader as serviceApiLoader } from "~/routes/api.v1.services.$id";
import { loader as dashboardLoader } from "~/routes/dashboard.$code._index";
import { loader as freshnessLoader } from "~/routes/dashboard.$code.freshness";
import { loader as workspaceLoader } from "~/routes/manage.$code._index";
import { action as facilityAction, loader as facilityLoader } from "~/routes/manage.facilities.$id._index";
import { loader as staffServiceLoader } from "~/routes/manage.services.$id";

import { queryRows } from "../../db/client.server";
import type { Role } from "../../db/identifiers";
import {
  getFreshnessSettings,
  getRegionFreshness,
  listChildrenFreshness,
  saveFreshnessSettings,
} from "../../db/queries/freshness.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { searchServices } from "../../db/queries/search.server";
import { auditCount, createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoader, callLoaderAs } from "../utils/routes";

const DAY = 24 * 3600 * 1000;
const A = "370102001002";
const B = "370102001003";
const C = "370103002001";
/** 泉城广场, 济南 */
const P0 = { lat: 36.6512, lng: 117.1201 };

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

let owner: { id: string };
beforeEach(async () => {
  await queryRows(sql`truncate table services, facilities, audit_entries cascade`);
  await queryRows(sql`delete from province_settings`);
  owner = await createTestUser({ role: "province_admin", regionCode: "37" });
});

async function facility(community: string, name: string, point = P0) {
  const created = await createFacility({ userId: owner.id }, community, {
    name,
    type: "elderly_service_station",
    address: "",
    ...point,
  });
  return created as { id: string; version: number };
}
async function service(facilityId: string, name: string) {
  const created = await createService({ userId: owner.id }, facilityId, {
    name,
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  });
  return created as { id: string };
}
/** verified exactly `days` days before `now` (explicit timestamps); null days: never verified, created then */
async function verifiedAgo(table: "facilities" | "services", id: string, days: number, now: Date, never = false) {
  const at = new Date(now.getTime() - days * DAY).toISOString();
  if (never) {
    await queryRows(
      sql`update ${sql.identifier(table)} set last_verified_at = null, created_at = ${at}::timestamptz where id = ${id}`,
    );
  } else {
    await queryRows(sql`update ${sql.identifier(table)} set last_verified_at = ${at}::timestamptz where id = ${id}`);
  }
}

describe("the freshness setting (/admin/settings)", () => {
  it("is read with the defaults when never set, and the province admin sets it (audited with before and after)", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const page = await (await callLoaderAs(settingsLoader, "/admin/settings", cookie)).json();
    expect(page.freshness).toEqual({ staleDays: 180, hiddenDays: 365, updatedAt: null });

    const audits = await auditCount();
    const saved = await callAction(settingsAction, "/admin/settings", {
      cookie,
      form: { intent: "freshness", staleDays: "30", hiddenDays: "60" },
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/admin/settings");
    expect(saved.headers.get("Set-Cookie")).toContain("shequ_toast=");
    expect(await auditCount()).toBe(audits + 1);
    const [entry] = await queryRows<{ action: string; before: unknown; after: unknown }>(
      sql`select action, before, after from audit_entries order by id desc limit 1`,
    );
    expect(entry).toEqual({
      action: "province_settings.freshness.update",
      before: { staleDays: 180, hiddenDays: 365 },
      after: { staleDays: 30, hiddenDays: 60 },
    });
    expect(await getFreshnessSettings()).toMatchObject({ staleDays: 30, hiddenDays: 60 });
    const after = await (await callLoaderAs(settingsLoader, "/admin/settings", cookie)).json();
    expect(after.freshness.updatedAt).not.toBeNull();

    await saveFreshnessSettings({ userId: owner.id }, 90, 100);
    const [second] = await queryRows<{ before: unknown }>(
      sql`select before from audit_entries order by id desc limit 1`,
    );
    expect(second.before).toEqual({ staleDays: 30, hiddenDays: 60 });
  });

  it("refuses days that are not whole, out of 1..3650 or M ≤ N, beside the form with what was typed, and writes nothing", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ staleDays: "0", hiddenDays: "365" }, { staleDays: ["freshness.daysRange"] }],
      [{ staleDays: "180", hiddenDays: "3651" }, { hiddenDays: ["freshness.daysRange"] }],
      [{ staleDays: "180.5", hiddenDays: "365" }, { staleDays: ["freshness.daysRange"] }],
      [{ staleDays: "abc", hiddenDays: "365" }, { staleDays: ["freshness.daysRange"] }],
      [{ staleDays: "", hiddenDays: "365" }, { staleDays: ["form.required"] }],
      [{ staleDays: "400", hiddenDays: "300" }, { hiddenDays: ["freshness.order"] }],
      [{ staleDays: "200", hiddenDays: "200" }, { hiddenDays: ["freshness.order"] }],
    ];
    const audits = await auditCount();
    for (const [form, errors] of cases) {
      const refused = await callAction(settingsAction, "/admin/settings", {
        cookie,
        form: { intent: "freshness", ...form },
      });
      expect(refused.status, JSON.stringify(form)).toBe(400);
      const body = await refused.json();
      expect(body.result.error, JSON.stringify(form)).toEqual(errors);
      // what was typed comes back to the form (conform leaves out empty fields)
      const typed = Object.fromEntries(Object.entries(form).filter(([, value]) => value !== ""));
      expect(body.result.initialValue).toMatchObject(typed);
    }
    expect(await auditCount()).toBe(audits);
    expect(await getFreshnessSettings()).toMatchObject({ staleDays: 180, hiddenDays: 365, updatedAt: null });
    await expect(saveFreshnessSettings({ userId: owner.id }, 365, 180)).rejects.toThrow(RangeError);
  });

  it("is the province admin's only: officials and staff get 403, anonymous is sent to sign in", async () => {
    const audits = await auditCount();
    for (const [role, code] of [
      ["city_official", "3701"],
      ["district_official", "370102"],
      ["community_staff", A],
    ] as const) {
      const { cookie } = await signedIn(role, code);
      expect((await callLoaderAs(settingsLoader, "/admin/settings", cookie)).status).toBe(403);
      const refused = await callAction(settingsAction, "/admin/settings", {
        cookie,
        form: { intent: "freshness", staleDays: "10", hiddenDays: "20" },
      });
      expect(refused.status).toBe(403);
    }
    const anonymous = await callAction(settingsAction, "/admin/settings", {
      form: { intent: "freshness", staleDays: "10", hiddenDays: "20" },
    });
    expect([401, 302]).toContain(anonymous.status);
    expect(await getFreshnessSettings()).toMatchObject({ staleDays: 180, hiddenDays: 365 });
    expect(await auditCount()).toBe(audits);
  });
});

describe("stale at N, flagged to staff", () => {
  const now = new Date("2026-06-15T04:00:00Z");

  it("lists a listing verified N+1 days ago and not one verified N-1 days ago, at the default and a set N", async () => {
    const young = await facility(A, "N-1 天的站点");
    const old = await facility(A, "N+1 天的站点");
    const oldService = await service(young.id, "N+1 天的服务");
    const closed = await facility(A, "已关闭的站点");
    await queryRows(sql`update facilities set status = 'closed' where id = ${closed.id}`);
    await verifiedAgo("facilities", closed.id, 1000, now);
    await verifiedAgo("facilities", young.id, 179, now);
    await verifiedAgo("facilities", old.id, 181, now);
    await verifiedAgo("services", oldService.id, 181, now);

    const community = { code: A, level: "community" as const };
    const atDefault = await loadStaleListings(community, now);
    expect(atDefault.stale.map((l) => [l.kind, l.name, l.hidden])).toEqual([
      ["facility", "N+1 天的站点", false],
      ["service", "N+1 天的服务", false],
    ]);
    expect(atDefault.counts).toEqual({ stale: 2, hidden: 0 });
    expect((await loadListingFreshness({ kind: "facility", id: young.id }, now))?.state).toBe("fresh");
    expect((await loadListingFreshness({ kind: "facility", id: old.id }, now))?.state).toBe("stale");

    await saveFreshnessSettings({ userId: owner.id }, 30, 100);
    await verifiedAgo("facilities", young.id, 29, now);
    await verifiedAgo("facilities", old.id, 31, now);
    await verifiedAgo("services", oldService.id, 101, now);
    const atThirty = await loadStaleListings(community, now);
    expect(atThirty.stale.map((l) => [l.name, l.hidden])).toEqual([
      ["N+1 天的服务", true],
      ["N+1 天的站点", false],
    ]);
    expect(atThirty.counts).toEqual({ stale: 2, hidden: 1 });
    expect(await loadListingFreshness({ kind: "service", id: oldService.id }, now)).toMatchObject({
      state: "hidden",
      staleDays: 30,
      hiddenDays: 100,
      facilityHidden: false,
    });
  });

  it("shows the workspace's counts and each listing page's flag, stale or hidden, beside its verify button", async () => {
    const { cookie } = await signedIn("community_staff", A);
    const real = new Date();
    const stale = await facility(A, "半年多没核实");
    const hidden = await facility(A, "一年多没核实");
    const atHidden = await service(hidden.id, "站点隐藏的服务");
    await verifiedAgo("facilities", stale.id, 200, real);
    await verifiedAgo("facilities", hidden.id, 400, real);

    const workspace = await (await callLoaderAs(workspaceLoader, `/manage/${A}`, cookie, { code: A })).json();
    expect(workspace.stale.map((l: { name: string }) => l.name)).toEqual(["一年多没核实", "半年多没核实"]);
    expect(workspace.freshness).toEqual({
      counts: { stale: 2, hidden: 1 },
      settings: { staleDays: 180, hiddenDays: 365, updatedAt: null },
    });

    const page = async (id: string) =>
      (await callLoaderAs(facilityLoader, `/manage/facilities/${id}`, cookie, { id })).json();
    expect((await page(stale.id)).freshness).toMatchObject({ state: "stale", staleDays: 180 });
    expect((await page(hidden.id)).freshness).toMatchObject({ state: "hidden", hiddenDays: 365 });
    const servicePage = await (
      await callLoaderAs(staffServiceLoader, `/manage/services/${atHidden.id}`, cookie, { id: atHidden.id })
    ).json();
    expect(servicePage.freshness).toMatchObject({ state: "fresh", facilityHidden: true });

    const verified = await callAction(facilityAction, `/manage/facilities/${stale.id}`, {
      cookie,
      params: { id: stale.id },
      form: { intent: "verify", version: String(stale.version) },
    });
    expect(verified.status).toBe(302);
    expect((await page(stale.id)).freshness.state).toBe("fresh");
    const again = await (await callLoaderAs(workspaceLoader, `/manage/${A}`, cookie, { code: A })).json();
    expect(again.freshness.counts).toEqual({ stale: 1, hidden: 1 });
  });
});

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;
let ip = 0;
async function publicCall(loader: Loader, url: string, params: Record<string, string> = {}) {
  const request = new Request(new URL(url, "http://localhost"));
  try {
    return await loader({ request, params, context: { clientIp: `203.0.113.${(ip++ % 250) + 1}` } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("hidden from residents at M", () => {
  const found = async (now: Date) =>
    (await searchServices({ ...P0, category: "elderly_care", limit: 20, now })).services.map((s) => s.name);

  it("hides a service whose facility or itself was not verified for M days, by the setting, at the instant asked", async () => {
    const now = new Date("2026-06-15T04:00:00Z");
    const f = await facility(A, "站点");
    await service(f.id, "助餐");
    await verifiedAgo("facilities", f.id, 364, now);
    expect(await found(now)).toEqual(["助餐"]);
    await verifiedAgo("facilities", f.id, 366, now);
    expect(await found(now)).toEqual([]);
    // the instant matters: two days earlier it was 364 days
    expect(await found(new Date(now.getTime() - 2 * DAY))).toEqual(["助餐"]);
    // M is read from the setting
    await saveFreshnessSettings({ userId: owner.id }, 180, 400);
    expect(await found(now)).toEqual(["助餐"]);
    await saveFreshnessSettings({ userId: owner.id }, 180, 365);
    expect(await found(now)).toEqual([]);
    // never verified: counted from its creation
    await verifiedAgo("facilities", f.id, 10, now);
    const [s] = await queryRows<{ id: string }>(sql`select id from services`);
    await verifiedAgo("services", s.id, 366, now, true);
    expect(await found(now)).toEqual([]);
    await verifiedAgo("services", s.id, 364, now, true);
    expect(await found(now)).toEqual(["助餐"]);
  });

  it("hides it from the search API, the service API and the service page; verifying the facility shows it again at once", async () => {
    const { cookie } = await signedIn("community_staff", A);
    const f = await facility(A, "老站点");
    const s = await service(f.id, "老站点的助餐");
    await verifiedAgo("facilities", f.id, 366, new Date());
    const search = `/api/v1/services?lat=${P0.lat}&lng=${P0.lng}&category=elderly_care`;
    const names = async () =>
      ((await (await publicCall(searchLoader, search)).json()) as { services: { name: string }[] }).services.map(
        (x) => x.name,
      );
    expect(await names()).toEqual([]);
    expect((await publicCall(serviceApiLoader, `/api/v1/services/${s.id}`, { id: s.id })).status).toBe(404);
    expect((await callLoader(servicePageLoader, `/services/${s.id}`, { id: s.id })).status).toBe(404);

    const [{ version }] = await queryRows<{ version: number }>(sql`select version from facilities where id = ${f.id}`);
    const verified = await callAction(facilityAction, `/manage/facilities/${f.id}`, {
      cookie,
      params: { id: f.id },
      form: { intent: "verify", version: String(version) },
    });
    expect(verified.status).toBe(302);
    expect(await names()).toEqual(["老站点的助餐"]);
    expect((await publicCall(serviceApiLoader, `/api/v1/services/${s.id}`, { id: s.id })).status).toBe(200);
    expect((await callLoader(servicePageLoader, `/services/${s.id}`, { id: s.id })).status).toBe(200);
  });
});

describe("the share of listings verified within N days", () => {
  const now = new Date("2026-06-15T04:00:00Z");

  /** A: 3 listings, 2 fresh; B: 2, 1 fresh, 1 hidden; C (another district): 2, 1 fresh; closed ones left out */
  async function listings() {
    const fa1 = await facility(A, "A 站点");
    const sa1 = await service(fa1.id, "A 新服务");
    const sa2 = await service(fa1.id, "A 旧服务");
    const sa3 = await service(fa1.id, "A 关闭的服务");
    const fa2 = await facility(A, "A 关闭的站点");
    const sa4 = await service(fa2.id, "A 关闭站点的服务");
    await queryRows(sql`update services set status = 'closed' where id = ${sa3.id}`);
    await queryRows(sql`update facilities set status = 'closed' where id = ${fa2.id}`);
    await verifiedAgo("facilities", fa1.id, 10, now);
    await verifiedAgo("services", sa1.id, 179, now);
    await verifiedAgo("services", sa2.id, 200, now);
    await verifiedAgo("services", sa3.id, 500, now);
    await verifiedAgo("services", sa4.id, 500, now);
    const fb1 = await facility(B, "B 站点");
    const sb1 = await service(fb1.id, "B 服务");
    await verifiedAgo("facilities", fb1.id, 400, now);
    await verifiedAgo("services", sb1.id, 1, now);
    const fc1 = await facility(C, "C 新站点");
    const fc2 = await facility(C, "C 旧站点");
    await verifiedAgo("facilities", fc1.id, 100, now, true);
    await verifiedAgo("facilities", fc2.id, 200, now, true);
  }

  it("counts listings and the fresh ones per region, and a parent's are the sums of its children's", async () => {
    await listings();
    const settings = await getFreshnessSettings();
    const figure = (code: string, level: "province" | "city" | "county" | "township" | "community") =>
      getRegionFreshness({ code, level }, settings, now);
    expect(await figure(A, "community")).toEqual({ listings: 3, fresh: 2, stale: 1, hidden: 0 });
    expect(await figure(B, "community")).toEqual({ listings: 2, fresh: 1, stale: 1, hidden: 1 });
    expect(await figure(C, "community")).toEqual({ listings: 2, fresh: 1, stale: 1, hidden: 0 });
    expect(await figure("370102", "county")).toEqual({ listings: 5, fresh: 3, stale: 2, hidden: 1 });
    expect(await figure("3701", "city")).toEqual({ listings: 7, fresh: 4, stale: 3, hidden: 1 });

    // a direct count, as the definition says
    const [direct] = await queryRows<{ listings: number; fresh: number }>(sql`
      with l as (
        select coalesce(last_verified_at, created_at) as v from facilities where status <> 'closed'
        union all
        select coalesce(s.last_verified_at, s.created_at) from services s join facilities f on f.id = s.facility_id
         where s.status <> 'closed' and f.status <> 'closed')
      select count(*)::int as listings,
             (count(*) filter (where v >= ${new Date(now.getTime() - 180 * DAY).toISOString()}::timestamptz))::int as fresh
        from l`);
    expect(await figure("37", "province")).toMatchObject(direct);

    for (const [code, level] of [
      ["37", "province"],
      ["3701", "city"],
      ["370102", "county"],
      ["370102001", "township"],
    ] as const) {
      const children = await listChildrenFreshness({ code, level }, settings, now);
      expect(children.length, code).toBeGreaterThan(1);
      const sum = (key: "listings" | "fresh" | "stale" | "hidden") => children.reduce((n, c) => n + c[key], 0);
      expect(
        { listings: sum("listings"), fresh: sum("fresh"), stale: sum("stale"), hidden: sum("hidden") },
        code,
      ).toEqual(await figure(code, level));
      expect(children.every((c) => c.code.length > code.length && c.code.startsWith(code))).toBe(true);
    }
    const townships = await listChildrenFreshness({ code: "370102", level: "county" }, settings, now);
    expect(townships.find((c) => c.code === "370102001")).toMatchObject({ listings: 5, fresh: 3 });
    const communities = await listChildrenFreshness({ code: "370102001", level: "township" }, settings, now);
    expect(communities.find((c) => c.code === A)).toMatchObject({ listings: 3, fresh: 2, level: "community" });
    expect(communities.find((c) => c.code === B)).toMatchObject({ listings: 2, fresh: 1 });

    // the drill-down's total is its children's sums; at a community, its stale and hidden listings
    const report = await loadFreshnessReport({ code: "3701", level: "city" }, now);
    expect(report.figure).toEqual({ listings: 7, fresh: 4, stale: 3, hidden: 1 });
    const atB = await loadFreshnessReport({ code: B, level: "community" }, now);
    expect(atB.stale.map((l) => [l.name, l.hidden])).toEqual([["B 站点", true]]);
    // the officials' block follows N
    await saveFreshnessSettings({ userId: owner.id }, 5, 100);
    expect((await loadRegionFreshness({ code: "370102", level: "county" }, now)).figure).toEqual({
      listings: 5,
      fresh: 1,
      stale: 4,
      hidden: 3,
    });
  });

  it("shows on the dashboard and its drill-down pages within the reader's scope only", async () => {
    await listings();
    const district = await signedIn("district_official", "370102");
    const dashboard = await (
      await callLoaderAs(dashboardLoader, "/dashboard/370102", district.cookie, { code: "370102" })
    ).json();
    expect(dashboard.freshness.figure).toMatchObject({ listings: 5 });
    expect(dashboard.freshness.settings).toMatchObject({ staleDays: 180 });

    const page = async (code: string, cookie?: string) =>
      callLoaderAs(freshnessLoader, `/dashboard/${code}/freshness`, cookie, { code });
    const county = await (await page("370102", district.cookie)).json();
    expect(county.region).toMatchObject({ code: "370102", level: "county" });
    expect(county.children.length).toBeGreaterThan(1);
    expect(county.figure.listings).toBe(5);
    const community = await (await page(A, district.cookie)).json();
    expect(community.region.level).toBe("community");
    expect(community.children).toEqual([]);
    expect(community.figure).toMatchObject({ listings: 3, fresh: expect.any(Number) });

    expect((await page("370103", district.cookie)).status).toBe(403);
    expect((await page(C, district.cookie)).status).toBe(403);
    expect((await page("3701", district.cookie)).status).toBe(403);
    const staff = await signedIn("community_staff", A);
    expect((await page("370102", staff.cookie)).status).toBe(403);
    const anonymous = await page("370102");
    expect([401, 302]).toContain(anonymous.status);
    expect((await page("12345", district.cookie)).status).toBe(400);
    const city = await signedIn("city_official", "3701");
    expect((await page("3701", city.cookie)).status).toBe(200);
    expect((await page("3702", city.cookie)).status).toBe(403);
  });
});
