// Input limits, applied before anything parses a request: the URL, the cookies, the body's type
// and size, and the characters a text may hold. What passes reaches Remix unchanged (the body as
// the bytes read); what does not gets a 400, 413 or 415 naming the reason, never a 500.
import type express from "express";
import { Readable, Transform } from "node:stream";

import { isApiPath, type ServerError } from "./responses";

export const MiB = 1024 * 1024;

/** Forms and JSON bodies; the CSV upload has its own, larger limit. */
export const DEFAULT_BODY_LIMIT = MiB;

/** The bulk import: a larger body, and a longer deadline (it checks and writes up to 20,000 rows). */
export const isBulkImport = (path: string) => /^\/manage\/import\/?$/.test(path);

// the import takes a 5 MB file: the multipart framing around it needs a little more
export const bodyLimitFor = (path: string) => (isBulkImport(path) ? 5 * MiB + 64 * 1024 : DEFAULT_BODY_LIMIT);

const formatBytes = (bytes: number) =>
  bytes >= MiB ? `${Math.round(bytes / MiB)} MB` : `${Math.round(bytes / 1024)} KB`;

const badInput = (field: string, reason: string): ServerError => ({
  status: 400,
  error: `${field}: ${reason}`,
  fields: { [field]: reason },
  message: { key: "errors.badInput", params: { field } },
});

const tooLarge = (limit: number): ServerError => ({
  status: 413,
  error: `the body is larger than ${formatBytes(limit)}`,
  message: { key: "errors.tooLarge", params: { limit: formatBytes(limit) } },
  close: true,
});

const unsupportedType = (expected: string): ServerError => ({
  status: 415,
  error: `the body must be ${expected}`,
  message: { key: "errors.unsupportedType" },
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A text the database and every reader can hold: no NUL, no unpaired UTF-16 surrogate. */
export function textProblem(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character";
  if (LONE_SURROGATE.test(text)) return "contains an unpaired surrogate (not valid Unicode)";
  return null;
}

function decodeComponent(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * `a=1&b=2` decoded strictly: a malformed `%` escape or bytes that are not UTF-8 (which is how an
 * encoded lone surrogate arrives) are reported instead of being replaced silently.
 */
function checkUrlEncoded(encoded: string, what: "query" | "form"): ServerError | null {
  for (const pair of encoded.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const name = decodeComponent(rawName.replace(/\+/g, " "));
    if (name === null) return badInput(what, "a malformed % escape or bytes that are not UTF-8 in a name");
    const nameProblem = textProblem(name);
    if (nameProblem) return badInput(what, `a name ${nameProblem}`);
    const value = decodeComponent(rawValue.replace(/\+/g, " "));
    if (value === null) return badInput(name, "a malformed % escape or bytes that are not UTF-8");
    const valueProblem = textProblem(value);
    if (valueProblem) return badInput(name, valueProblem);
  }
  return null;
}

/** The path and the query string: every segment and parameter must decode to a clean text. */
export function checkUrl(originalUrl: string): ServerError | null {
  const q = originalUrl.indexOf("?");
  const path = q === -1 ? originalUrl : originalUrl.slice(0, q);
  for (const segment of path.split("/")) {
    const decoded = decodeComponent(segment);
    if (decoded === null) return badInput("path", "a malformed % escape or bytes that are not UTF-8");
    const problem = textProblem(decoded);
    if (problem) return badInput("path", problem);
  }
  return q === -1 ? null : checkUrlEncoded(originalUrl.slice(q + 1), "query");
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The Cookie header without the pairs nobody could have set: a malformed one (`x=%zz`) must not
 * take every page down with it, so it is dropped as if it had not been sent.
 */
export function cleanCookieHeader(header: string): string {
  return header
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => {
      const eq = pair.indexOf("=");
      if (eq <= 0) return false;
      if (!COOKIE_NAME.test(pair.slice(0, eq))) return false;
      const value = decodeComponent(pair.slice(eq + 1));
      // control characters are what this looks for
      // eslint-disable-next-line no-control-regex
      return value !== null && textProblem(value) === null && !/[\u0000-\u001f\u007f]/.test(value);
    })
    .join("; ");
}

/** A JSON value's first string (or key) that is not a clean text, with its dotted path. */
function findJsonProblem(value: unknown, path: string): { path: string; problem: string } | null {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? { path: path || "_", problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findJsonProblem(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: path || "_", problem: `a key ${keyProblem}` };
      const found = findJsonProblem(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function checkJsonBody(bytes: Buffer): ServerError | null {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return badInput("_", "the body is not valid UTF-8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // the route says what it expected
    return null;
  }
  const found = findJsonProblem(parsed, "");
  return found ? badInput(found.path, found.problem) : null;
}

const mediaType = (req: express.Request) => (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();

const hasBody = (req: express.Request) =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;

export type BodyOutcome =
  { ok: true; body?: ReadableStream<Uint8Array> | Buffer } | { ok: false; problem: ServerError };

/**
 * Reads (or streams) the body within the route's limit. Forms and JSON are at most 1 MB and are
 * read here to check their texts; a multipart upload streams through a counter that stops it at
 * the limit. Past the limit the rest is never read: the caller answers 413 and closes.
 */
export async function readRequestBody(
  req: express.Request,
  onTooLarge: (problem: ServerError) => void,
): Promise<BodyOutcome> {
  if (req.method === "GET" || req.method === "HEAD") return { ok: true };
  if (!hasBody(req)) return { ok: true };
  const limit = bodyLimitFor(req.path);
  const type = mediaType(req);
  const api = isApiPath(req.path);
  if (api && type !== "application/json") return { ok: false, problem: unsupportedType("application/json") };
  if (!api && type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    return { ok: false, problem: unsupportedType("a form (application/x-www-form-urlencoded or multipart/form-data)") };
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return { ok: false, problem: tooLarge(limit) };

  if (type === "multipart/form-data") {
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        seen += chunk.length;
        if (seen > limit) {
          req.unpipe(counter);
          req.pause();
          onTooLarge(tooLarge(limit));
          callback(new Error("request body too large"));
          return;
        }
        callback(null, chunk);
      },
    });
    req.pipe(counter);
    return { ok: true, body: Readable.toWeb(counter) as ReadableStream<Uint8Array> };
  }

  const chunks: Buffer[] = [];
  let seen = 0;
  const outcome = await new Promise<BodyOutcome>((resolve) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        req.off("data", onData);
        req.pause();
        resolve({ ok: false, problem: tooLarge(limit) });
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve({ ok: true, body: Buffer.concat(chunks) }));
    req.once("error", () => resolve({ ok: false, problem: badInput("_", "the body could not be read") }));
  });
  if (!outcome.ok || !(outcome.body instanceof Buffer)) return outcome;
  const problem = type === "application/json" ? checkJsonBody(outcome.body) : checkFormBody(outcome.body);
  return problem ? { ok: false, problem } : outcome;
}

function checkFormBody(bytes: Buffer): ServerError | null {
  // percent-encoding is ASCII: raw bytes above 0x7f that are not UTF-8 are refused like escapes
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return badInput("_", "the body is not valid UTF-8");
  }
  return checkUrlEncoded(text, "form");
}
