import type { ServiceHit } from "../../../db/queries/search.server";
import { walkingMinutes } from "../../utils/format";
import { isOpenNow, type PublicCalendar } from "../listings/open-now";
import type { PublicServiceJson } from "./search-json";

// How a public search hit is shown, the same in the JSON API and on the residents' pages.

/** the distances the residents' page offers, in metres, or any distance */
export const RESIDENT_RADII = ["500", "1000", "3000", "any"] as const;

/** the service's own schedule decides; without one, the facility's hours */
export const openNowOf = (
  hit: Pick<ServiceHit, "schedule" | "facilityOpeningHours">,
  now: Date,
  calendar: PublicCalendar,
) => isOpenNow(hit.schedule, now, calendar) ?? isOpenNow(hit.facilityOpeningHours, now, calendar);

/** `openNow` is passed in: the list route answers it once per set of hours per minute */
export function publicServiceJson(hit: ServiceHit, openNow: boolean | null): PublicServiceJson {
  const metres = hit.distanceM ?? 0;
  const walking = hit.walkingM ?? metres;
  return {
    id: hit.id,
    name: hit.name,
    category: hit.category,
    subType: hit.subType,
    status: hit.status,
    facility: hit.facility,
    distanceM: Math.round(metres),
    walkingM: Math.round(walking),
    walkMinutes: walkingMinutes(walking),
    openNow,
    phone: hit.phone,
    eligibility: hit.eligibility,
    lastVerified: hit.lastVerified,
    ...(hit.demo ? { demo: true as const } : {}),
  };
}
export type { PublicServiceJson } from "./search-json";
