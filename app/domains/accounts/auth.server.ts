import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { hash, verify } from "@node-rs/argon2";
import { redirect } from "@remix-run/node";
import { Lucia, TimeSpan } from "lucia";
import { createHash, randomBytes } from "node:crypto";

import { db } from "../../../db/client.server";
import {
  getAccount,
  getUserForSignIn,
  getUserIdByTokenHash,
  recordSessionEvent,
  type Account,
} from "../../../db/queries/users.server";
import { sessions as sessionsTable, users as usersTable } from "../../../db/schema";
import { cookieSecure, env } from "../../utils/env.server";
import { SESSION_COOKIE_NAME } from "../../utils/http-cache.server";
import { beginSignInAttempt } from "../../utils/rate-limit.server";
import { apiError, isApiRequest } from "../../utils/responses.server";
import { homePath } from "./accounts";

// The one module that knows about lucia: routes and guards see accounts and cookies only, so
// lucia (deprecated upstream) can be replaced here without touching them.

const lucia = new Lucia(new DrizzlePostgreSQLAdapter(db, sessionsTable, usersTable), {
  sessionExpiresIn: new TimeSpan(7, "d"),
  sessionCookie: {
    name: SESSION_COOKIE_NAME,
    expires: true,
    attributes: { secure: cookieSecure(env), sameSite: "lax" },
  },
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
  }
}

export const SESSION_COOKIE = lucia.sessionCookieName;

// argon2id with the library's defaults (19 MiB, 2 passes): ~18 ms a hash here. Behind one object
// so that a test can count the checks a burst of sign-ins gets.
export const passwordHasher = {
  hash: (password: string) => hash(password),
  verify: (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false),
};

export const hashPassword = (password: string) => passwordHasher.hash(password);

// Verifying against this when the account does not exist makes both failures take as long.
let dummyHash: Promise<string> | undefined;

export type SignInResult =
  | { ok: true; setCookie: string; mustChangePassword: boolean; home: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export async function signIn(input: {
  username: string;
  password: string;
  clientIp: string;
  request: Request;
}): Promise<SignInResult> {
  // counted before the password is checked: a burst cannot get more checks than the limits allow
  const attempt = await beginSignInAttempt(input.username, input.clientIp);
  if (attempt.limited) return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };

  const user = await getUserForSignIn(input.username);
  dummyHash ??= passwordHasher.hash("not a password of anyone's");
  const valid = await passwordHasher.verify(user?.passwordHash ?? (await dummyHash), input.password);
  const ok = Boolean(user && valid && !user.disabledAt);
  await attempt.settle(ok);
  if (!ok || !user) return { ok: false, reason: "invalid" };

  // A session id planted before sign-in (fixation) is dropped, never reused.
  const planted = lucia.readSessionCookie(input.request.headers.get("Cookie") ?? "");
  if (planted) await lucia.invalidateSession(planted);
  const session = await lucia.createSession(user.id, {});
  await recordSessionEvent({ userId: user.id, action: "session.sign_in" });
  const account = await getAccount(user.id);
  return {
    ok: true,
    setCookie: lucia.createSessionCookie(session.id).serialize(),
    mustChangePassword: account?.mustChangePassword ?? false,
    home: homePath(account?.assignments ?? []),
  };
}

/** Ends this session on the server; the returned cookie clears it in the browser. */
export async function signOut(request: Request) {
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (sessionId) {
    const { user } = await lucia.validateSession(sessionId);
    await lucia.invalidateSession(sessionId);
    if (user) await recordSessionEvent({ userId: user.id, action: "session.sign_out" });
  }
  return lucia.createBlankSessionCookie().serialize();
}

/** A new session for the same user (after a password change), the others being ended. */
export async function renewSession(userId: string) {
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export type Authenticated = { account: Account; via: "session" | "token" };

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new personal API token and the hash to store; the token itself is shown once. */
export function generateApiToken() {
  const token = `shq_${randomBytes(24).toString("base64url")}`;
  return { token, tokenHash: tokenHash(token) };
}

/** The signed-in account (session cookie, or Bearer token on the API), or null. */
export async function getAuthenticated(request: Request): Promise<Authenticated | null> {
  const authorization = request.headers.get("Authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const userId = match ? await getUserIdByTokenHash(tokenHash(match[1])) : null;
    const account = userId ? await getAccount(userId) : null;
    return account && !account.disabledAt ? { account, via: "token" } : null;
  }
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  const { user } = await lucia.validateSession(sessionId);
  if (!user) return null;
  const account = await getAccount(user.id);
  return account && !account.disabledAt ? { account, via: "session" } : null;
}

/**
 * For the server's middleware, before any loader runs: validates the session cookie once and
 * answers the Set-Cookie that slides its expiry (or clears a dead one), or null.
 */
export async function refreshSessionCookie(cookieHeader: string | undefined): Promise<string | null> {
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return null;
  const { session } = await lucia.validateSession(sessionId);
  if (!session) return lucia.createBlankSessionCookie().serialize();
  return session.fresh ? lucia.createSessionCookie(session.id).serialize() : null;
}

/**
 * The signed-in account, or a thrown Response: 401 JSON on the API, a redirect to /login
 * elsewhere. An account with a temporary password is sent to change it first.
 */
export async function requireUser(request: Request, { allowTemporaryPassword = false } = {}) {
  const authenticated = await getAuthenticated(request);
  const url = new URL(request.url);
  if (!authenticated) {
    if (isApiRequest(request))
      throw apiError(401, "sign-in required", undefined, { headers: { "WWW-Authenticate": "Bearer" } });
    const redirectTo = url.pathname + url.search;
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
  }
  if (authenticated.account.mustChangePassword && !allowTemporaryPassword) {
    if (isApiRequest(request)) throw apiError(403, "the password must be changed first");
    throw redirect(`/account/password?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  return authenticated;
}

/** For /login: a visitor already signed in goes on. */
export async function getSignedInAccount(request: Request) {
  return (await getAuthenticated(request))?.account ?? null;
}

export function verifyCurrentPassword(passwordHash: string, password: string) {
  return passwordHasher.verify(passwordHash, password);
}
