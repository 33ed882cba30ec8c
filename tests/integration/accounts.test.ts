import { sql } from "drizzle-orm";

import { getAuthenticated, refreshSessionCookie, requireUser } from "~/domains/accounts/auth.server";
import { action as accountAction, loader as accountLoader } from "~/routes/account._index";
import { action as passwordAction } from "~/routes/account.password";
import { loader as auditLoader } from "~/routes/admin.audit";
import { loader as auditCsvLoader } from "~/routes/admin.audit[.csv]";
import { action as userAction, loader as userLoader } from "~/routes/admin.users.$userId";
import { action as usersAction, loader as usersLoader } from "~/routes/admin.users._index";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as displayAction } from "~/routes/preferences.display";
import { action as localeAction } from "~/routes/preferences.locale";
import { ACCOUNT_FAILURES, IP_ATTEMPTS, PAIR_FAILURES } from "~/utils/rate-limit.server";
import { isCrossSiteMutation } from "~/utils/request.server";

import { db, queryRows } from "../../db/client.server";
import type { Role } from "../../db/identifiers";
import { roleAssignments } from "../../db/schema";
import { createTestUser, sessionCookieFor, sessionExists, TEST_PASSWORD } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

const cookieValue = (setCookie: string | null) => /shequ_session=([^;]*)/.exec(setCookie ?? "")?.[1] ?? null;
let ipCounter = 0;
const freshIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

const signIn = (username: string, password: string, options: { cookie?: string; clientIp?: string } = {}) =>
  callAction(loginAction, "/login", {
    form: { username, password },
    cookie: options.cookie,
    clientIp: options.clientIp ?? freshIp(),
  });

describe("sign-in and sessions", () => {
  it("signs in with the right password, setting an HttpOnly SameSite=Lax cookie", async () => {
    const user = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
    const response = await signIn(user.username, TEST_PASSWORD);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/manage/370102001002");
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const request = new Request("http://localhost/account", {
      headers: { Cookie: `shequ_session=${cookieValue(setCookie)}` },
    });
    expect((await getAuthenticated(request))?.account.username).toBe(user.username);
  });

  it("lands each role on its home with no redirectTo; a safe redirectTo still wins", async () => {
    const homes: [Role, string, string][] = [
      ["community_staff", "370102001002", "/manage/370102001002"],
      ["district_official", "370102", "/dashboard/370102"],
      ["city_official", "3701", "/dashboard/3701"],
      ["province_admin", "37", "/dashboard"],
    ];
    for (const [role, regionCode, home] of homes) {
      const user = await createTestUser({ role, regionCode });
      expect((await signIn(user.username, TEST_PASSWORD)).headers.get("Location")).toBe(home);
      const { cookie } = await sessionCookieFor(user.id);
      expect((await callLoaderAs(loginLoader, "/login", cookie)).headers.get("Location")).toBe(home);
      const asked = await callAction(loginAction, "/login", {
        form: { username: user.username, password: TEST_PASSWORD, redirectTo: "/review?state=submitted" },
        clientIp: freshIp(),
      });
      expect(asked.headers.get("Location")).toBe("/review?state=submitted");
    }
    // staff of two communities choose in the workspace's list; no role at all: the account page
    const twice = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
    await db.insert(roleAssignments).values({ userId: twice.id, role: "community_staff", regionCode: "370102001003" });
    expect((await signIn(twice.username, TEST_PASSWORD)).headers.get("Location")).toBe("/manage");
    const none = await createTestUser();
    expect((await signIn(none.username, TEST_PASSWORD)).headers.get("Location")).toBe("/account");
  });

  it("gives the same answer for an unknown user and a wrong password", async () => {
    const user = await createTestUser();
    const wrong = await signIn(user.username, "not the password");
    const unknown = await signIn(`nobody-${Date.now()}`, "not the password");
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a.error).toEqual({ "": ["login.invalid"] });
    expect(b.error).toEqual(a.error);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
  });

  it("refuses a disabled account with the same error", async () => {
    const user = await createTestUser();
    await queryRows(sql`update users set disabled_at = now() where id = ${user.id}`);
    const response = await signIn(user.username, TEST_PASSWORD);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({ "": ["login.invalid"] });
  });

  it("never reuses a session id planted before sign-in", async () => {
    const attacker = await createTestUser();
    const victim = await createTestUser();
    const planted = await sessionCookieFor(attacker.id);
    const response = await signIn(victim.username, TEST_PASSWORD, { cookie: planted.cookie });
    const issued = cookieValue(response.headers.get("Set-Cookie"));
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted.sessionId);
    expect(await sessionExists(planted.sessionId)).toBe(false);
  });

  it("ends the session on the server at sign-out", async () => {
    const user = await createTestUser();
    const { cookie, sessionId } = await sessionCookieFor(user.id);
    const response = await callAction(logoutAction, "/logout", { cookie });
    expect(response.status).toBe(302);
    expect(cookieValue(response.headers.get("Set-Cookie"))).toBe("");
    expect(await sessionExists(sessionId)).toBe(false);
    const replay = new Request("http://localhost/account", { headers: { Cookie: cookie } });
    expect(await getAuthenticated(replay)).toBeNull();
  });

  it("treats an expired session as signed out and clears its cookie", async () => {
    const user = await createTestUser();
    const { cookie } = await sessionCookieFor(user.id, new Date(Date.now() - 1000));
    const request = new Request("http://localhost/account", { headers: { Cookie: cookie } });
    expect(await getAuthenticated(request)).toBeNull();
    await expect(requireUser(request)).rejects.toMatchObject({ status: 302 });
    expect(cookieValue(await refreshSessionCookie(cookie))).toBe("");
  });

  it("slides the expiry of a session past half its life", async () => {
    const user = await createTestUser();
    const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    const { cookie, sessionId } = await sessionCookieFor(user.id, soon);
    const refreshed = await refreshSessionCookie(cookie);
    expect(refreshed).toMatch(/Max-Age=604800/);
    expect(cookieValue(refreshed)).toBe(sessionId);
    const [row] = await queryRows<{ expires_at: Date }>(sql`select expires_at from sessions where id = ${sessionId}`);
    expect(new Date(row.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);

    const fresh = await sessionCookieFor(user.id);
    expect(await refreshSessionCookie(fresh.cookie)).toBeNull();
  });

  it("signs out everywhere", async () => {
    const user = await createTestUser();
    const one = await sessionCookieFor(user.id);
    const two = await sessionCookieFor(user.id);
    const response = await callAction(accountAction, "/account", {
      cookie: one.cookie,
      form: { intent: "sign_out_everywhere" },
    });
    expect(response.status).toBe(302);
    expect(await sessionExists(one.sessionId)).toBe(false);
    expect(await sessionExists(two.sessionId)).toBe(false);
  });

  it("sends an account with a temporary password to change it, then lets it in", async () => {
    const user = await createTestUser({ mustChangePassword: true });
    const signedIn = await signIn(user.username, TEST_PASSWORD);
    expect(signedIn.headers.get("Location")).toBe("/account/password?redirectTo=%2Faccount");
    const cookie = `shequ_session=${cookieValue(signedIn.headers.get("Set-Cookie"))}`;
    const blocked = await callLoaderAs(accountLoader, "/account", cookie);
    expect(blocked.headers.get("Location")).toMatch(/^\/account\/password/);

    const mismatch = await callAction(passwordAction, "/account/password", {
      cookie,
      form: { currentPassword: TEST_PASSWORD, newPassword: "a new password!", confirmPassword: "something else" },
    });
    expect(mismatch.status).toBe(400);
    const wrongCurrent = await callAction(passwordAction, "/account/password", {
      cookie,
      form: { currentPassword: "wrong one", newPassword: "a new password!", confirmPassword: "a new password!" },
    });
    expect((await wrongCurrent.json()).error.currentPassword).toEqual(["password.currentWrong"]);

    const changed = await callAction(passwordAction, "/account/password", {
      cookie,
      form: { currentPassword: TEST_PASSWORD, newPassword: "a new password!", confirmPassword: "a new password!" },
    });
    expect(changed.status).toBe(302);
    const renewed = `shequ_session=${cookieValue(changed.headers.get("Set-Cookie"))}`;
    expect((await callLoaderAs(accountLoader, "/account", renewed)).status).toBe(200);
    expect((await signIn(user.username, "a new password!")).status).toBe(302);
  });
});

describe("sign-in limits", () => {
  it(`locks an account at one address after ${PAIR_FAILURES} failures there, saying how long to wait; the owner gets in elsewhere`, async () => {
    const user = await createTestUser();
    const clientIp = freshIp();
    for (let i = 0; i < PAIR_FAILURES; i++)
      expect((await signIn(user.username, "wrong", { clientIp })).status).toBe(400);
    const locked = await signIn(user.username, TEST_PASSWORD, { clientIp });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(60);
    const [message] = (await locked.json()).error[""];
    expect(message).toMatch(/^login\.rateLimited\|1[0-5]$/);
    const other = await createTestUser();
    expect((await signIn(other.username, TEST_PASSWORD, { clientIp })).status).toBe(302);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(302);
  });

  it(`locks an account everywhere after ${ACCOUNT_FAILURES} failures from any addresses`, async () => {
    const user = await createTestUser();
    for (let i = 0; i < ACCOUNT_FAILURES; i++) expect((await signIn(user.username, "wrong")).status).toBe(400);
    expect((await signIn(user.username, TEST_PASSWORD)).status).toBe(429);
  });

  it(`limits one address to ${IP_ATTEMPTS} attempts, whatever the accounts`, async () => {
    const clientIp = "192.0.2.77";
    for (let i = 0; i < IP_ATTEMPTS; i++) {
      const response = await signIn(`unknown-${i}`, "wrong", { clientIp });
      expect(response.status).toBe(400);
    }
    const user = await createTestUser();
    expect((await signIn(user.username, TEST_PASSWORD, { clientIp })).status).toBe(429);
    expect((await signIn(user.username, TEST_PASSWORD, { clientIp: "192.0.2.78" })).status).toBe(302);
  });
});

describe("redirects after sign-in, a password change or a preference stay on the site", () => {
  // as each arrives in the action or the loader, decoded once from the form or the query
  const payloads = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "//evil.example",
    "/\\evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/..//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\u2028/evil.example",
    "/社区",
  ];
  const stays = (response: Response, fallback: string) => {
    expect(response.status).toBe(302);
    const location = response.headers.get("Location") ?? "";
    const url = new URL(location, "https://shequ.example/here");
    expect(url.origin).toBe("https://shequ.example");
    expect(url.pathname.startsWith("//")).toBe(false);
    if (!location.startsWith("/%E7")) expect(url.pathname).toBe(fallback);
  };

  it.each(payloads)("signing in with redirectTo=%j", async (redirectTo) => {
    const user = await createTestUser();
    const response = await callAction(loginAction, "/login", {
      form: { username: user.username, password: TEST_PASSWORD, redirectTo },
      clientIp: freshIp(),
    });
    stays(response, "/account");
  });

  it.each(payloads)("visiting /login signed in with redirectTo=%j", async (redirectTo) => {
    const user = await createTestUser();
    const { cookie } = await sessionCookieFor(user.id);
    stays(await callLoaderAs(loginLoader, `/login?${new URLSearchParams({ redirectTo })}`, cookie), "/account");
  });

  it("the finding as typed: /login?redirectTo=/%09/evil.example, signed in and right after signing in", async () => {
    const user = await createTestUser({ mustChangePassword: true });
    const { cookie } = await sessionCookieFor(user.id);
    const loaded = await callLoaderAs(loginLoader, "/login?redirectTo=/%09/evil.example", cookie);
    expect(loaded.headers.get("Location")).toBe("/account");
    const signedIn = await callAction(loginAction, "/login", {
      form: { username: user.username, password: TEST_PASSWORD, redirectTo: "/\t/evil.example" },
      clientIp: freshIp(),
    });
    expect(signedIn.headers.get("Location")).toBe("/account/password?redirectTo=%2Faccount");
  });

  it.each(payloads)("changing the password with redirectTo=%j", async (redirectTo) => {
    const user = await createTestUser();
    const { cookie } = await sessionCookieFor(user.id);
    const response = await callAction(passwordAction, "/account/password", {
      cookie,
      form: {
        currentPassword: TEST_PASSWORD,
        newPassword: "a new password!",
        confirmPassword: "a new password!",
        redirectTo,
      },
    });
    stays(response, "/account");
  });

  it.each(payloads)("switching the language or the text size with redirectTo=%j", async (redirectTo) => {
    stays(await callAction(localeAction, "/preferences/locale", { form: { locale: "en", redirectTo } }), "/");
    stays(await callAction(displayAction, "/preferences/display", { form: { largeText: "on", redirectTo } }), "/");
  });

  it("keeps a redirect to a page of the site, query included", async () => {
    const response = await callAction(localeAction, "/preferences/locale", {
      form: { locale: "en", redirectTo: "/admin/users?q=li" },
    });
    expect(response.headers.get("Location")).toBe("/admin/users?q=li");
  });
});

describe("cross-site requests", () => {
  const url = "http://localhost:3000/admin/users";
  it.each([
    ["POST", { "Sec-Fetch-Site": "cross-site" }, true],
    ["POST", { "Sec-Fetch-Site": "same-site" }, true],
    ["POST", { "Sec-Fetch-Site": "same-origin" }, false],
    ["POST", { "Sec-Fetch-Site": "none" }, false],
    ["POST", { Origin: "http://evil.example" }, true],
    ["POST", { Origin: "null" }, true],
    ["POST", { Origin: "http://localhost:3000" }, false],
    ["PATCH", { Origin: "https://localhost:3000" }, true],
    ["DELETE", { Origin: "http://localhost:3001" }, true],
    ["POST", {}, false],
    ["GET", { Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" }, false],
  ] as const)("%s with %j refused: %s", (method, headers, refused) => {
    expect(isCrossSiteMutation(method, url, new Headers(headers))).toBe(refused);
  });
});

describe("account management within scope", () => {
  it("lets a district official create community staff in the district with a temporary password, audited", async () => {
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { cookie } = await sessionCookieFor(official.id);
    const username = `staff-${Date.now()}`;
    const response = await callAction(usersAction, "/admin/users", {
      cookie,
      form: { username, displayName: "新同事", role: "community_staff", regionCode: "370102001002" },
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.created.temporaryPassword).toMatch(/^[A-Za-z2-9]{14}$/);
    const signedIn = await signIn(username, body.created.temporaryPassword);
    expect(signedIn.headers.get("Location")).toMatch(/^\/account\/password/);

    const [entry] = await queryRows<{
      action: string;
      region_code: string;
      after: { assignments: string[] };
      before: unknown;
    }>(sql`
      select action, region_code, before, after from audit_entries where object_id = ${body.created.id} and action = 'user.create'`);
    expect(entry).toMatchObject({ action: "user.create", region_code: "370102001002", before: null });
    expect(entry.after.assignments).toEqual(["community_staff@370102001002"]);
    expect(JSON.stringify(entry.after)).not.toMatch(/argon2/);
  });

  it("refuses a role at or above the official's own level, and unknown or mis-levelled regions", async () => {
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { cookie } = await sessionCookieFor(official.id);
    const attempt = (role: string, regionCode: string) =>
      callAction(usersAction, "/admin/users", {
        cookie,
        form: { username: `x-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, role, regionCode },
      });
    expect((await attempt("district_official", "370102")).status).toBe(403);
    expect((await attempt("community_staff", "370103002001")).status).toBe(403);
    const unknown = await attempt("community_staff", "370102999999");
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).result.error.regionCode).toEqual(["users.regionUnknown"]);
    const wrongLevel = await attempt("community_staff", "370102001");
    expect((await wrongLevel.json()).result.error.regionCode).toEqual(["users.regionLevel.community_staff"]);
    const badName = await callAction(usersAction, "/admin/users", {
      cookie,
      form: { username: "Bad Name!", role: "community_staff", regionCode: "370102001002" },
    });
    expect((await badName.json()).result.error.username).toEqual(["users.usernameRule"]);
  });

  it("lists only the accounts the official may manage and answers 403 for another county's", async () => {
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const mine = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
    const theirs = await createTestUser({ role: "community_staff", regionCode: "370103002001" });
    const peer = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { cookie } = await sessionCookieFor(official.id);
    const list = await (await callLoaderAs(usersLoader, "/admin/users", cookie)).json();
    const usernames = list.accounts.map((a: { username: string }) => a.username);
    expect(usernames).toContain(mine.username);
    expect(usernames).not.toContain(theirs.username);
    expect(usernames).not.toContain(peer.username);
    expect(list.assignableRoles).toEqual(["community_staff"]);

    expect((await callLoaderAs(userLoader, `/admin/users/${mine.id}`, cookie, { userId: mine.id })).status).toBe(200);
    expect((await callLoaderAs(userLoader, `/admin/users/${theirs.id}`, cookie, { userId: theirs.id })).status).toBe(
      403,
    );
    expect((await callLoaderAs(userLoader, `/admin/users/${peer.id}`, cookie, { userId: peer.id })).status).toBe(403);
    expect((await callLoaderAs(userLoader, "/admin/users/nope", cookie, { userId: "nope" })).status).toBe(404);
  });

  it("sends anonymous visitors to sign in and refuses community staff", async () => {
    const anonymous = await callLoaderAs(usersLoader, "/admin/users");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers");
    const staff = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
    const { cookie } = await sessionCookieFor(staff.id);
    expect((await callLoaderAs(usersLoader, "/admin/users", cookie)).status).toBe(403);
    expect((await callLoaderAs(auditLoader, "/admin/audit", cookie)).status).toBe(403);
  });

  it("resets, disables and re-enables an account, adds and removes a role; each with before and after", async () => {
    const official = await createTestUser({ role: "city_official", regionCode: "3701" });
    const target = await createTestUser({ role: "district_official", regionCode: "370102" });
    const targetSession = await sessionCookieFor(target.id);
    const { cookie } = await sessionCookieFor(official.id);
    const act = (form: Record<string, string>) =>
      callAction(userAction, `/admin/users/${target.id}`, { cookie, params: { userId: target.id }, form });

    const reset = await act({ intent: "reset_password" });
    expect((await reset.json()).temporaryPassword).toMatch(/^[A-Za-z2-9]{14}$/);
    expect(await sessionExists(targetSession.sessionId)).toBe(false);
    expect((await act({ intent: "disable" })).status).toBe(302);
    expect((await act({ intent: "enable" })).status).toBe(302);
    expect((await act({ intent: "add_role", role: "district_official", regionCode: "370103" })).status).toBe(302);
    expect((await act({ intent: "add_role", role: "district_official", regionCode: "370202" })).status).toBe(403);
    expect((await act({ intent: "remove_role", role: "district_official", regionCode: "370103" })).status).toBe(302);

    const entries = await queryRows<{
      action: string;
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    }>(sql`
      select action, before, after from audit_entries where object_id = ${target.id} order by id`);
    expect(entries.map((e) => e.action)).toEqual([
      "user.reset_password",
      "user.disable",
      "user.enable",
      "user.add_role",
      "user.remove_role",
    ]);
    expect(entries[0].after.mustChangePassword).toBe(true);
    expect(entries[1]).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
    expect(entries[3].after.assignments).toEqual(["district_official@370102000000", "district_official@370103000000"]);
    expect(entries[4].after.assignments).toEqual(["district_official@370102000000"]);
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, work as Bearer on the API and stop when revoked", async () => {
    const user = await createTestUser({ role: "community_staff", regionCode: "370102001002" });
    const { cookie } = await sessionCookieFor(user.id);
    const created = await callAction(accountAction, "/account", {
      cookie,
      form: { intent: "create_token", name: "sync script" },
    });
    const token: string = (await created.json()).token.value;
    expect(token).toMatch(/^shq_/);
    const stored = await queryRows<{ token_hash: string; id: string }>(
      sql`select id, token_hash from api_tokens where user_id = ${user.id}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(token);

    const apiRequest = (value: string) =>
      new Request("http://localhost/api/v1/x", { headers: { Authorization: `Bearer ${value}` } });
    expect((await getAuthenticated(apiRequest(token)))?.account.id).toBe(user.id);
    expect(await getAuthenticated(apiRequest("shq_forged"))).toBeNull();
    await expect(requireUser(apiRequest("shq_forged"))).rejects.toMatchObject({ status: 401 });

    await callAction(accountAction, "/account", { cookie, form: { intent: "revoke_token", tokenId: stored[0].id } });
    expect(await getAuthenticated(apiRequest(token))).toBeNull();
    const list = await (await callLoaderAs(accountLoader, "/account", cookie)).json();
    expect(JSON.stringify(list)).not.toContain(token);
  });
});

describe("audit log", () => {
  it("shows officials the entries in their scope only, and exports CSV with formulas neutralised", async () => {
    const lixia = await createTestUser({ role: "district_official", regionCode: "370102" });
    const shizhong = await createTestUser({ role: "district_official", regionCode: "370103" });
    for (const [official, region, name] of [
      [lixia, "370102001002", '=HYPERLINK("http://evil.example")'],
      [shizhong, "370103002001", "市中区同事"],
    ] as const) {
      const { cookie } = await sessionCookieFor(official.id);
      const response = await callAction(usersAction, "/admin/users", {
        cookie,
        form: {
          username: `audit-${Math.random().toString(36).slice(2, 8)}`,
          displayName: name,
          role: "community_staff",
          regionCode: region,
        },
      });
      expect(response.status).toBe(201);
    }
    const { cookie } = await sessionCookieFor(lixia.id);
    const page = await (await callLoaderAs(auditLoader, "/admin/audit?action=user.create", cookie)).json();
    const regions = new Set(page.entries.map((e: { regionCode: string }) => e.regionCode.slice(0, 6)));
    expect([...regions]).toEqual(["370102"]);

    const bytes = new Uint8Array(
      await (await callLoaderAs(auditCsvLoader, "/admin/audit.csv?action=user.create", cookie)).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes);
    expect(csv.split("\n")[0]).toBe("at,actor,action,object_type,object_id,region_code,before,after");
    expect(csv).toContain("370102001002");
    expect(csv).not.toContain("370103002001");
    const afterCells = csv.split("\n").slice(1).filter(Boolean);
    expect(afterCells.length).toBeGreaterThan(0);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
