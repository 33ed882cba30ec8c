import type { AppLoadContext } from "@remix-run/node";
import { sql } from "drizzle-orm";

import { action as accountAction, loader as accountLoader } from "~/routes/account._index";
import { action as passwordAction } from "~/routes/account.password";
import { action as userAction } from "~/routes/admin.users.$userId";
import { loader as facilitiesLoader } from "~/routes/api.v1.facilities";

import { queryRows } from "../../db/client.server";
import { createTestUser, sessionCookieFor, sessionExists, TEST_PASSWORD } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

// A password change, a reset by an official, "sign out everywhere" and disabling an account end
// the account's API tokens and its other sessions, in the transaction of the change, audited.

const COMMUNITY = "370102001002";

/** Status of an API read with this Bearer token (the token's owner is in scope: 200 while it lives). */
async function apiStatus(token: string) {
  const request = new Request(`http://localhost/api/v1/facilities?scope=${COMMUNITY}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  try {
    return (
      await facilitiesLoader({ request, params: {}, context: { clientIp: "127.0.0.1" } as unknown as AppLoadContext })
    ).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

/** A community staff member signed in twice (two devices) with one API token; all three work. */
async function staffWithCredentials() {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  const here = await sessionCookieFor(user.id);
  const elsewhere = await sessionCookieFor(user.id);
  const created = await callAction(accountAction, "/account", {
    cookie: here.cookie,
    form: { intent: "create_token", name: "sync" },
  });
  const token: string = (await created.json()).token.value;
  expect(await apiStatus(token)).toBe(200);
  return { user, here, elsewhere, token };
}

async function revocationsOf(userId: string) {
  return queryRows<{ action: string; actor_user_id: string; after: { revoked: boolean; cause: string } }>(sql`
    select a.action, a.actor_user_id, a.after from audit_entries a join api_tokens t on t.id = a.object_id
    where t.user_id = ${userId} and a.action = 'api_token.revoke'`);
}

async function officialFor() {
  const official = await createTestUser({ role: "district_official", regionCode: "370102" });
  return { official, cookie: (await sessionCookieFor(official.id)).cookie };
}

describe("credentials end with a change of password or access", () => {
  it("a password change revokes the API tokens and the other sessions, and keeps the person signed in", async () => {
    const { user, here, elsewhere, token } = await staffWithCredentials();
    const bystander = await staffWithCredentials();
    const changed = await callAction(passwordAction, "/account/password", {
      cookie: here.cookie,
      form: { currentPassword: TEST_PASSWORD, newPassword: "a new password!", confirmPassword: "a new password!" },
    });
    expect(changed.status).toBe(302);
    expect(await apiStatus(token)).toBe(401);
    expect(await sessionExists(elsewhere.sessionId)).toBe(false);
    const renewed = /shequ_session=([^;]+)/.exec(changed.headers.get("Set-Cookie") ?? "")?.[1];
    expect(renewed).toBeTruthy();
    expect((await callLoaderAs(accountLoader, "/account", `shequ_session=${renewed}`)).status).toBe(200);
    expect(await revocationsOf(user.id)).toEqual([
      {
        action: "api_token.revoke",
        actor_user_id: user.id,
        after: { name: "sync", revoked: true, cause: "user.change_password" },
      },
    ]);
    // someone else's token is untouched
    expect(await apiStatus(bystander.token)).toBe(200);
    expect(await sessionExists(bystander.elsewhere.sessionId)).toBe(true);
  });

  it("a reset by an official revokes the API tokens and every session", async () => {
    const { user, here, elsewhere, token } = await staffWithCredentials();
    const { official, cookie } = await officialFor();
    const reset = await callAction(userAction, `/admin/users/${user.id}`, {
      cookie,
      params: { userId: user.id },
      form: { intent: "reset_password" },
    });
    expect(reset.status).toBe(200);
    expect(await apiStatus(token)).toBe(401);
    expect(await sessionExists(here.sessionId)).toBe(false);
    expect(await sessionExists(elsewhere.sessionId)).toBe(false);
    expect(await revocationsOf(user.id)).toMatchObject([
      { actor_user_id: official.id, after: { cause: "user.reset_password" } },
    ]);
  });

  it('"sign out everywhere" revokes the API tokens and every session', async () => {
    const { user, here, elsewhere, token } = await staffWithCredentials();
    const response = await callAction(accountAction, "/account", {
      cookie: here.cookie,
      form: { intent: "sign_out_everywhere" },
    });
    expect(response.status).toBe(302);
    expect(await apiStatus(token)).toBe(401);
    expect(await sessionExists(here.sessionId)).toBe(false);
    expect(await sessionExists(elsewhere.sessionId)).toBe(false);
    expect(await revocationsOf(user.id)).toMatchObject([
      { actor_user_id: user.id, after: { cause: "user.sign_out_everywhere" } },
    ]);
  });

  it("disabling revokes the API tokens and every session, and enabling again brings none back", async () => {
    const { user, here, elsewhere, token } = await staffWithCredentials();
    const { cookie } = await officialFor();
    const act = (intent: string) =>
      callAction(userAction, `/admin/users/${user.id}`, { cookie, params: { userId: user.id }, form: { intent } });
    expect((await act("disable")).status).toBe(302);
    expect(await apiStatus(token)).toBe(401);
    expect(await sessionExists(here.sessionId)).toBe(false);
    expect(await sessionExists(elsewhere.sessionId)).toBe(false);
    expect((await act("enable")).status).toBe(302);
    expect(await apiStatus(token)).toBe(401);
    expect(await revocationsOf(user.id)).toMatchObject([{ after: { cause: "user.disable" } }]);
  });

  it("the account page lists the revoked token as revoked", async () => {
    const { user, here } = await staffWithCredentials();
    await callAction(passwordAction, "/account/password", {
      cookie: here.cookie,
      form: { currentPassword: TEST_PASSWORD, newPassword: "a new password!", confirmPassword: "a new password!" },
    });
    const fresh = await sessionCookieFor(user.id);
    const page = await (await callLoaderAs(accountLoader, "/account", fresh.cookie)).json();
    expect(page.tokens).toHaveLength(1);
    expect(page.tokens[0].revokedAt).not.toBeNull();
  });
});
