import type { ServiceHit } from "../../db/queries/search.server";
import { walkingMinutes } from "./format";
import { isOpenNow } from "./open-now";

// How a public search hit is shown, the same in the JSON API and on the residents' pages.

/** the service's own schedule decides; without one, the facility's hours */
export const openNowOf = (hit: Pick<ServiceHit, "schedule" | "facilityOpeningHours">, now: Date) =>
  isOpenNow(hit.schedule, now) ?? isOpenNow(hit.facilityOpeningHours, now);

export function publicServiceJson(hit: ServiceHit, now: Date) {
  const { schedule, facilityOpeningHours, distanceM, demo, ...rest } = hit;
  const metres = distanceM ?? 0;
  return {
    ...rest,
    distanceM: Math.round(metres),
    walkMinutes: walkingMinutes(metres),
    openNow: openNowOf(hit, now),
    ...(demo ? { demo } : {}),
  };
}
export type PublicServiceJson = ReturnType<typeof publicServiceJson>;
