import { toStoredCode } from "../../../db/identifiers";

// Plain checks, not a zod schema: the public pages import this module, and a schema built at
// the top of a module stays in their browser code with zod.

/** a region code of 2, 4, 6, 9 or 12 digits (regions.server.ts documents it as a zod schema) */
export const REGION_CODE_PATTERN = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

/** Validates a code from a URL or form; `stored` is the 12-digit form used in the database. */
export function parseRegionCodeParam(
  input: string | undefined,
): { ok: true; stored: string } | { ok: false; error: string } {
  if (typeof input !== "string") return { ok: false, error: "a region code is required" };
  if (!/^\d+$/.test(input)) return { ok: false, error: "a region code has digits only" };
  if (!REGION_CODE_PATTERN.test(input)) return { ok: false, error: "a region code has 2, 4, 6, 9 or 12 digits" };
  return { ok: true, stored: toStoredCode(input) };
}

/**
 * Any form of a code → its significant digits (the scope prefix). No real unit has an all-zero
 * segment at its own level, so trailing zero segments belong to the padding.
 */
export function significantCode(code: string): string {
  let short = code;
  for (const [length, segment] of [
    [12, 3],
    [9, 3],
    [6, 2],
    [4, 2],
  ] as const) {
    if (short.length === length && short.endsWith("0".repeat(segment))) short = short.slice(0, length - segment);
  }
  return short;
}

/**
 * The region whose outline a map of `code` draws (GET /api/v1/regions/:code/boundary): its own for
 * the province, a city or a county; its county's for a township or a community, which have none.
 */
export function outlineCode(code: string): string {
  const short = significantCode(code);
  return short.length > 6 ? short.slice(0, 6) : short;
}

/**
 * A region as typed in a form: its code, or a choice of the region picker as shown
 * ("历下区 (370102)"), whose code is taken; anything else is returned trimmed, for the code's check.
 */
export function regionCodeInput(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const chosen = /\((\d{2,12})\)\s*$/.exec(value.trim());
  return chosen ? chosen[1] : value.trim();
}
