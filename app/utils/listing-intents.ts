import { z } from "zod";

import { versionSchema } from "./listing-schema";
import { textError } from "./responses.server";

// The buttons on a facility's or a service's page: what each asks for and what it says after.

const STATUS_OF_INTENT = { suspend: "suspended", close: "closed", restore: "active" } as const;
type StatusIntent = keyof typeof STATUS_OF_INTENT;

const controlSchema = z.object({
  intent: z.enum(["save", "geocode", "verify", "suspend", "close", "restore"]).default("save"),
  version: versionSchema,
});

/** The intent and the version it was based on; a 400 when either is missing or unknown. */
export function readListingControl(formData: FormData) {
  const parsed = controlSchema.safeParse({
    intent: formData.get("intent") ?? undefined,
    version: formData.get("version"),
  });
  if (!parsed.success) throw textError(400, "a version and a known action are required");
  return parsed.data;
}

export const isStatusIntent = (intent: string): intent is StatusIntent => intent in STATUS_OF_INTENT;
export const statusOfIntent = (intent: StatusIntent) => STATUS_OF_INTENT[intent];

export const toastKeyOfIntent = (intent: string) =>
  intent === "save" || intent === "geocode"
    ? "manage.saved"
    : intent === "verify"
      ? "manage.verified"
      : "manage.statusChanged";
