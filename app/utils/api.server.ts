import type { ZodError } from "zod";

import { createI18n } from "~/i18n";

import { apiError } from "./responses.server";

const english = createI18n("en");

/** Catalogue keys (the forms' messages) → English reasons, one per field (dotted path). */
export function fieldReasons(errors: Record<string, string[] | null | undefined>) {
  const fields: Record<string, string> = {};
  for (const [field, messages] of Object.entries(errors)) {
    const first = messages?.[0];
    if (first) fields[field || "_"] = english.t(first, { defaultValue: first });
  }
  return fields;
}

export function zodFieldErrors(error: ZodError) {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

export const MAX_JSON_BYTES = 256 * 1024;

/** The request's JSON body, or a thrown 413 (too large), 415 or 400 (not JSON) as API errors. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_JSON_BYTES) throw apiError(413, `the body is larger than ${MAX_JSON_BYTES} bytes`);
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw apiError(413, `the body is larger than ${MAX_JSON_BYTES} bytes`);
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return body as Record<string, unknown>;
  } catch {
    throw apiError(400, "the body must be a JSON object");
  }
}

/** API routes answer only the methods they name; anything else is 405. */
export function requireMethod(request: Request, ...methods: string[]) {
  if (!methods.includes(request.method.toUpperCase())) {
    throw apiError(405, `method ${request.method} not allowed`, undefined, { headers: { Allow: methods.join(", ") } });
  }
}
