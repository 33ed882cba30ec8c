import { z } from "zod";

import type { ServiceFormValues } from "~/components/service-form";

import type { Service } from "../../../db/queries/listings.server";
import { textError } from "../../utils/responses.server";
import { formatHoursExceptions, versionSchema } from "./listing-schema";

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

type Serialized = Omit<Service, "lastVerifiedAt" | "updatedAt"> & {
  lastVerifiedAt: string | Date | null;
  updatedAt: string | Date;
};

/** A stored service as the form's default values; `closed` is the page's word for a closed date. */
export function serviceFormValues(s: Serialized, closed?: string): ServiceFormValues {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? undefined : String(v));
  return {
    name: s.name,
    category: s.category,
    subType: text(s.subType),
    description: s.description,
    minAge: text(s.eligibility?.minAge),
    maxAge: text(s.eligibility?.maxAge),
    residentsOnly: s.eligibility?.residentsOnly ? "on" : undefined,
    eligibilityNote: text(s.eligibility?.text),
    fee: text(s.fee),
    capacity: text(s.capacity),
    contact: text(s.contact),
    validFrom: text(s.validFrom),
    validTo: text(s.validTo),
    schedule: s.schedule
      ? {
          holidayNote: s.schedule.holidayNote,
          exceptions: formatHoursExceptions(s.schedule.exceptions, { closed }),
          week: Object.fromEntries(
            Object.entries(s.schedule.week).map(([d, intervals]) => [d, (intervals ?? []).join(", ")]),
          ),
        }
      : undefined,
  };
}
