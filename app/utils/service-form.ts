import type { ServiceFormValues } from "~/components/service-form";

import type { Service } from "../../db/queries/listings.server";

type Serialized = Omit<Service, "lastVerifiedAt" | "updatedAt"> & {
  lastVerifiedAt: string | Date | null;
  updatedAt: string | Date;
};

/** A stored service as the form's default values. */
export function serviceFormValues(s: Serialized): ServiceFormValues {
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
          week: Object.fromEntries(
            Object.entries(s.schedule.week).map(([d, intervals]) => [d, (intervals ?? []).join(", ")]),
          ),
        }
      : undefined,
  };
}
