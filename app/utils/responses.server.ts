// The one maker of error Responses for loaders, actions and guards (the app server answers its own
// refusals in app/server/responses.ts): JSON `{error, fields?}` on /api/, plain text elsewhere,
// which the routes' error boundaries turn into a page. And of the versioned files' responses.
import { json } from "@remix-run/node";
import { z } from "zod";

import { entityTag, JSON_CONTENT_TYPE, matchesEtag, type PlainAnswer } from "./http-cache.server";

/** the API's one error shape (the OpenAPI document's ApiError) */
export const apiErrorSchema = z.object({
  error: z.string().describe("what went wrong, in English"),
  fields: z.record(z.string()).optional().describe("field (dotted path) → the reason it was refused"),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const isApiRequest = (request: Request) => new URL(request.url).pathname.startsWith("/api/");

const apiErrorBody = (error: string, fields?: Record<string, string>): ApiErrorBody =>
  fields ? { error, fields } : { error };

/** The one shape of a JSON API error: `{error, fields}` with the status it names. */
export function apiError(status: number, error: string, fields?: Record<string, string>, init?: ResponseInit) {
  return json<ApiErrorBody>(apiErrorBody(error, fields), { ...init, status });
}

/** apiError as data, for an answer given without Remix (the app server's hot path). */
export const apiErrorAnswer = (
  status: number,
  error: string,
  fields?: Record<string, string>,
  headers: Record<string, string> = {},
): PlainAnswer => ({
  status,
  headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers },
  body: JSON.stringify(apiErrorBody(error, fields)),
});

/** 409 on the API: what to fix, and the current record to start again from. */
export function apiConflict<T>(error: string, fields: Record<string, string>, current: T) {
  return json({ error, fields, current }, { status: 409 });
}

/** A page's refusal as text; its route's error boundary shows it. */
export function textError(status: number, message: string, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("Content-Type")) headers.set("Content-Type", "text/plain; charset=utf-8");
  return new Response(message, { ...init, status, headers });
}

/**
 * A download's Content-Disposition: an ASCII file name for every client, and the same name in
 * UTF-8 (RFC 6266's filename*) when it has other characters.
 */
export function attachmentDisposition(filename: string) {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** JSON on the API, text elsewhere: for code that serves both. */
export function errorResponse(request: Request, status: number, message: string, init?: ResponseInit) {
  return isApiRequest(request) ? apiError(status, message, undefined, init) : textError(status, message, init);
}

/** 403: never the data. */
export const forbidden = (request: Request, message = "outside your scope") => errorResponse(request, 403, message);

export const notFound = (request: Request, message: string) => errorResponse(request, 404, message);

/** Throws a text Response (404 by default) when the condition fails; for loaders and actions. */
export function invariantResponse(
  condition: unknown,
  message: string,
  init: ResponseInit = { status: 404 },
): asserts condition {
  if (!condition) throw textError(init.status ?? 404, message, init);
}

export type PageBudgetExceeded = { limited: true; retryAfterSeconds: number };

/** 429 for the residents' page: data (not text) that its error boundary turns into a readable message. */
export function pageBudgetExceeded(retryAfterSeconds: number) {
  return json<PageBudgetExceeded>(
    { limited: true, retryAfterSeconds },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

/** a file made once per process and served many times, named by a hash of its body */
export type VersionedFile = { body: string; etag: string; version: string };

export function versionedFile(body: string): VersionedFile {
  const etag = entityTag(body);
  return { body, etag, version: etag.slice(1, -1) };
}

/**
 * A versioned file's response: its entity tag, and 304 Not Modified without the body when the
 * browser already holds that version. Pages link the current version (`?v=`), which never
 * changes: cached for a year; without it, or with an old one, an hour and the entity tag.
 */
export function versionedFileResponse(
  request: Request,
  file: VersionedFile,
  { contentType, cacheControl }: { contentType: string; cacheControl?: string },
) {
  const current = new URL(request.url).searchParams.get("v") === file.version;
  const headers = new Headers({
    "Content-Type": contentType,
    "Cache-Control": cacheControl ?? (current ? "public, max-age=31536000, immutable" : "public, max-age=3600"),
    ETag: file.etag,
  });
  if (matchesEtag(request, file.etag)) return new Response(null, { status: 304, headers });
  return new Response(file.body, { headers });
}
