import { json } from "@remix-run/node";

export type ApiErrorBody = { error: string; fields?: Record<string, string> };

/** The one shape of a JSON API error: `{error, fields}` with the status it names. */
export function apiError(
  status: number,
  error: string,
  fields?: Record<string, string>,
  init?: ResponseInit,
) {
  return json<ApiErrorBody>(fields ? { error, fields } : { error }, { ...init, status });
}
