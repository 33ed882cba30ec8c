// What a browser and a shared cache (a reverse proxy or a CDN in front, README "Caching in front")
// may keep of an answer. Public reads carry an entity tag, answer 304 to a matching If-None-Match,
// and say how long each kind may be reused; anything read signed in is never stored anywhere.
// Pages (HTML) are not shared-cached at all (entry.server.tsx): they carry a CSP nonce per answer
// and depend on the language and text-size cookies and on the sign-in state.
import { createHash } from "node:crypto";

/** lucia's cookie (domains/accounts/auth.server.ts); the app server's no-store rule reads it too */
export const SESSION_COOKIE_NAME = "shequ_session";

/** for anything read with a session or a token: no cache keeps it, shared or the browser's */
export const PRIVATE_NO_STORE = "private, no-store";

/**
 * Seconds a browser (`maxAge`) and a shared cache (`sMaxAge`) may reuse each kind of public read
 * before asking again (with If-None-Match: a 304 costs the query but not the transfer).
 */
export const PUBLIC_CACHE = {
  // search results and one service: open now is worked out per minute, and a listing registered
  // or suspended should reach residents within a minute (api-listings.test.ts: "at once" is the
  // app's promise, a minute is the cache's)
  listings: { maxAge: 60, sMaxAge: 60 },
  // coverage figures move when an assessment is approved, a few times a day per county: five
  // minutes late is fine for a public view; a browser asks again after one
  coverage: { maxAge: 60, sMaxAge: 300 },
  // regions, outlines and shapes are reference data, changed only by a new data release (a
  // deployment): a day in a shared cache, an hour in a browser
  geography: { maxAge: 3600, sMaxAge: 86_400 },
} as const satisfies Record<string, { maxAge: number; sMaxAge: number }>;

export type PublicCacheKind = keyof typeof PUBLIC_CACHE;

export const publicCacheControl = (kind: PublicCacheKind) =>
  `public, max-age=${PUBLIC_CACHE[kind].maxAge}, s-maxage=${PUBLIC_CACHE[kind].sMaxAge}`;

function hasCookie(header: string | null | undefined, name: string) {
  if (!header) return false;
  return header.split(";").some((pair) => pair.split("=", 1)[0].trim() === name);
}

/** A session cookie or an Authorization header: whatever the answer is, it is nobody else's. */
export function isSignedInRequest(headers: { cookie?: string | null; authorization?: string | null }) {
  return hasCookie(headers.cookie, SESSION_COOKIE_NAME) || (headers.authorization ?? undefined) !== undefined;
}

/** A strong entity tag for a body: a short hash of it. */
export function entityTag(body: string) {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
}

/** True when the request's If-None-Match names this entity tag (or is `*`); weak tags match too. */
export function matchesEtag(request: Request, etag: string) {
  return ifNoneMatchNames(request.headers.get("If-None-Match"), etag);
}

function ifNoneMatchNames(header: string | null | undefined, etag: string) {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}

/** An answer as data: what a Response carries, for code that answers without Remix (app/server/app.ts). */
export type PlainAnswer = { status: number; headers: Record<string, string>; body: string | null };

export const toResponse = (answer: PlainAnswer) =>
  new Response(answer.body, { status: answer.status, headers: answer.headers });

/** The request headers a public read depends on. */
export type ReadHeaders = { cookie?: string | null; authorization?: string | null; ifNoneMatch?: string | null };

export const readHeadersOf = (request: Request): ReadHeaders => ({
  cookie: request.headers.get("Cookie"),
  authorization: request.headers.get("Authorization"),
  ifNoneMatch: request.headers.get("If-None-Match"),
});

/**
 * The answer to a public read: with its entity tag and the Cache-Control of its kind, or 304
 * without the body when the client holds it already. Read signed in (a public route called with
 * a session or a token): `private, no-store` and no entity tag, so that no cache keeps it.
 */
export function publicRead(
  headers: ReadHeaders,
  body: string,
  { contentType, kind }: { contentType: string; kind: PublicCacheKind },
): PlainAnswer {
  if (isSignedInRequest(headers)) {
    return { status: 200, headers: { "Content-Type": contentType, "Cache-Control": PRIVATE_NO_STORE }, body };
  }
  const etag = entityTag(body);
  const answerHeaders = { "Content-Type": contentType, "Cache-Control": publicCacheControl(kind), ETag: etag };
  if (ifNoneMatchNames(headers.ifNoneMatch, etag)) return { status: 304, headers: answerHeaders, body: null };
  return { status: 200, headers: answerHeaders, body };
}

export const publicReadResponse = (request: Request, body: string, options: Parameters<typeof publicRead>[2]) =>
  toResponse(publicRead(readHeadersOf(request), body, options));

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** publicRead for a JSON body. */
export const publicJsonAnswer = (headers: ReadHeaders, data: unknown, kind: PublicCacheKind) =>
  publicRead(headers, JSON.stringify(data), { contentType: JSON_CONTENT_TYPE, kind });

/** publicReadResponse for a JSON body (as Remix's `json` would type it). */
export function publicJson(request: Request, data: unknown, kind: PublicCacheKind) {
  return toResponse(publicJsonAnswer(readHeadersOf(request), data, kind));
}
