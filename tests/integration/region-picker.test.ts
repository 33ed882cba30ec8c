import { sql } from "drizzle-orm";

import * as targetsPage from "~/routes/admin.targets";
import * as userPage from "~/routes/admin.users.$userId";
import { loader as regionsApi } from "~/routes/api.v1.regions._index";

import { queryRows } from "../../db/client.server";
import type { Role } from "../../db/identifiers";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { renderPage, textOf } from "../utils/render-page";
import { callLoader, callLoaderAs } from "../utils/routes";

// Issue 16, part 6: the admin forms take a region by name (a picker fed by GET /api/v1/regions),
// still by code without JavaScript, and explain an unknown one.

async function signedIn(role: Role, regionCode: string) {
  const user = await createTestUser({ role, regionCode });
  return { user, cookie: (await sessionCookieFor(user.id)).cookie };
}

type Choice = { code: string; name: string; level: string; label: string };
const search = async (cookie: string, query: string) => {
  const response = await callLoaderAs(regionsApi, `/api/v1/regions?${query}`, cookie);
  return { status: response.status, body: await response.json() };
};

describe("GET /api/v1/regions?search=", () => {
  it("finds regions by name or code prefix within the reader's scope, 20 at most, labelled name (code)", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const byName = await search(cookie, `search=${encodeURIComponent("历下")}`);
    expect(byName.status).toBe(200);
    expect(byName.body.regions).toContainEqual({
      code: "370102",
      name: "历下区",
      level: "county",
      label: "历下区 (370102)",
    });

    const byCode = (await search(cookie, "search=3701")).body.regions as Choice[];
    expect(byCode.length).toBe(20);
    // the higher levels first: the city, then its counties
    expect(byCode[0]).toMatchObject({ code: "3701", name: "济南市", level: "city" });
    expect(byCode.every((r) => r.code.startsWith("3701"))).toBe(true);

    const counties = (await search(cookie, `search=${encodeURIComponent("区")}&level=county`)).body.regions as Choice[];
    expect(counties.length).toBeGreaterThan(0);
    expect(counties.every((r) => r.level === "county")).toBe(true);

    // a district official sees their district's regions only
    const district = await signedIn("district_official", "370102");
    const own = (await search(district.cookie, `search=${encodeURIComponent("社区")}`)).body.regions as Choice[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.code.startsWith("370102"))).toBe(true);
    expect((await search(district.cookie, "search=370103")).body.regions).toEqual([]);
  });

  it("refuses an empty search and a bad level (400 naming the field), staff (403) and the anonymous (401)", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const empty = await search(cookie, "search=");
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.fields)).toEqual(["search"]);
    const level = await search(cookie, "search=37&level=planet");
    expect(level.status).toBe(400);
    expect(Object.keys(level.body.fields)).toEqual(["level"]);
    const staff = await signedIn("community_staff", "370102001002");
    expect((await search(staff.cookie, "search=37")).status).toBe(403);
    expect((await callLoader(regionsApi, "/api/v1/regions?search=37")).status).toBe(401);
  });
});

describe("the region picker in the admin forms", () => {
  it("targets: a labelled field with suggestions; a choice as shown saves its code; an unknown code is explained, keeping what was typed", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const page = (await renderPage(targetsPage, "/admin/targets", "/admin/targets", { cookie })).html;
    const input = /<input[^>]*name="regionCode"[^>]*>/.exec(page)?.[0] ?? "";
    const id = /id="([^"]+)"/.exec(input)?.[1];
    expect(page).toContain(`<label for="${id}">`);
    expect(input).toMatch(new RegExp(`list="${id}-regions"`));
    expect(page).toContain(`<datalist id="${id}-regions">`);

    const form = { intent: "save", year: "2027", ratePercent: "30", count: "", deadline: "2027-12-31" };
    const saved = await renderPage(targetsPage, "/admin/targets", "/admin/targets", {
      cookie,
      form: { ...form, regionCode: "历下区 (370102)" },
    });
    expect(saved.status).toBe(302);
    const rows = await queryRows(sql`select 1 from targets where region_code = '370102000000' and year = 2027`);
    expect(rows).toHaveLength(1);

    const unknown = await renderPage(targetsPage, "/admin/targets", "/admin/targets", {
      cookie,
      form: { ...form, regionCode: "379999" },
    });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html)).toContain("没有这个区域");
    expect(unknown.html).toMatch(/<input[^>]*name="regionCode"[^>]*value="379999"/);
  });

  it("roles: adds a role for a region chosen as shown", async () => {
    const { cookie } = await signedIn("district_official", "370102");
    const target = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
    const page = (await renderPage(userPage, "/admin/users/:userId", `/admin/users/${target.id}`, { cookie })).html;
    expect(page).toMatch(/<input[^>]*name="regionCode"[^>]*list="[^"]+-regions"/);
    const added = await renderPage(userPage, "/admin/users/:userId", `/admin/users/${target.id}`, {
      cookie,
      form: { intent: "add_role", role: "community_staff", regionCode: "后坡街社区 (370102001003)" },
    });
    expect(added.status).toBeLessThan(400);
    const roles = await queryRows<{ region_code: string }>(
      sql`select region_code from role_assignments where user_id = ${target.id} order by region_code`,
    );
    expect(roles.map((r) => r.region_code)).toEqual(["370102001002", "370102001003"]);
  });
});
