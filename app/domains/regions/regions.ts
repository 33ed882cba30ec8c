import { z } from "zod";

import { toStoredCode } from "../../../db/identifiers";

const regionCode = z
  .string({ required_error: "a region code is required" })
  .regex(/^\d+$/, "a region code has digits only")
  .refine((c) => [2, 4, 6, 9, 12].includes(c.length), "a region code has 2, 4, 6, 9 or 12 digits");

/** Validates a code from a URL or form; `stored` is the 12-digit form used in the database. */
export function parseRegionCodeParam(
  input: string | undefined,
): { ok: true; stored: string } | { ok: false; error: string } {
  const parsed = regionCode.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "invalid region code" };
  return { ok: true, stored: toStoredCode(parsed.data) };
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
