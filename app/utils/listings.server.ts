import { toStoredCode } from "../../db/identifiers";
import { getCommunityProfile, getFacility, getService, placePoint } from "./db.server";
import type { FacilityInput } from "./listing-schema";
import type { Permission } from "./permissions";
import { notFound } from "./responses.server";
import { requireScope } from "./scope.server";

// The workspace's server rules, shared by the pages and the JSON API so both validate, scope
// and audit alike.

/** A community (12-digit code) the signed-in account holds `permission` on. */
export async function requireCommunity(request: Request, code: string, permission: Permission) {
  const stored = toStoredCode(code);
  // scope first: an out-of-scope caller learns nothing, not even whether the code exists
  const authenticated = await requireScope(request, stored, permission);
  const community = await getCommunityProfile(stored);
  if (!community) throw notFound(request, "no such community");
  return { ...authenticated, community };
}

export async function requireFacility(request: Request, id: string, permission: Permission) {
  const facility = await getFacility(id);
  if (!facility) throw notFound(request, "no such facility");
  const authenticated = await requireScope(request, facility.communityCode, permission);
  return { ...authenticated, facility };
}

export async function requireService(request: Request, id: string, permission: Permission) {
  const service = await getService(id);
  if (!service) throw notFound(request, "no such service");
  const authenticated = await requireScope(request, service.facility.communityCode, permission);
  return { ...authenticated, service };
}

export type PointProblem = {
  field: "lat";
  message: "listing.outsideShandong" | "listing.outsideCounty";
  needsConfirmation: boolean;
};

/**
 * A point outside Shandong is refused; outside the community's county it needs the user's
 * confirmation (boundaries are generalised by ~100 m, and facilities sit near county lines).
 */
export async function checkFacilityPoint(communityCode: string, input: FacilityInput): Promise<PointProblem | null> {
  if (input.lat === undefined || input.lng === undefined) return null;
  const placement = await placePoint(communityCode, input.lat, input.lng);
  if (placement === "outside_shandong")
    return { field: "lat", message: "listing.outsideShandong", needsConfirmation: false };
  if (placement === "outside_county" && !input.confirmOutsideCounty) {
    return { field: "lat", message: "listing.outsideCounty", needsConfirmation: true };
  }
  return null;
}
