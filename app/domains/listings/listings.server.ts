import { parseWithZod } from "@conform-to/zod";
import { json } from "@remix-run/node";
import { z } from "zod";

import { PROBLEM_KINDS, toStoredCode } from "../../../db/identifiers";
import { importListings as importListingsInDb } from "../../../db/queries/listing-import.server";
import { getCommunityProfile, getFacility, getService, placePoint } from "../../../db/queries/listings.server";
import { geocodeAddress } from "../../utils/geocode.server";
import { notFound } from "../../utils/responses.server";
import type { Permission } from "../accounts/accounts";
import { requireScope } from "../accounts/guards.server";
import { JOBS } from "../jobs/job-names";
import { sendJob } from "../jobs/job-queue.server";
import { facilityInputSchema, type FacilityInput } from "./listing-schema";

// Facilities, services and problem reports on the server: the writes and reads of
// db/queries/listings.server.ts and the bulk import's transaction, then the rules below.
export {
  createFacility,
  createProblemReport,
  createService,
  getCommunityProfile,
  getProblemReport,
  listFacilitiesWithServices,
  listProblemReports,
  listServicesOf,
  resolveProblemReport,
  setFacilityStatus,
  setServiceStatus,
  updateCommunityProfile,
  updateFacility,
  updateService,
  verifyFacility,
  verifyService,
} from "../../../db/queries/listings.server";

/** A bulk import; a big one's living-circle recompute runs in the background once it has committed. */
export async function importListings(...args: Parameters<typeof importListingsInDb>) {
  const counts = await importListingsInDb(...args);
  if (counts.recompute) await sendJob(JOBS.recomputeLivingCircle);
  return counts;
}

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

// The facility form's server half, shared by "register" and "edit": geocode on request,
// validate, check the point, and answer conform's reply when something needs the user.

export async function readFacilityForm(
  formData: FormData,
  communityCode: string,
): Promise<{ ok: true; value: FacilityInput } | { ok: false; response: Response }> {
  const intent = formData.get("intent");
  if (intent === "geocode") {
    const submission = parseWithZod(formData, { schema: facilityInputSchema });
    const address = String(formData.get("address") ?? "");
    const found = await geocodeAddress(address);
    const reply = submission.reply();
    if (found.ok) {
      reply.initialValue = { ...(reply.initialValue ?? {}), lat: String(found.lat), lng: String(found.lng) };
    }
    // only the geocoding is reported: the user has not tried to save yet
    reply.error = {};
    return {
      ok: false,
      response: json({
        result: reply,
        needsConfirmation: false,
        geocode: found.ok
          ? { key: "manage.geocodeFound", params: { label: found.label } }
          : { key: found.reason === "not_found" ? "manage.geocodeNotFound" : "manage.geocodeUnavailable" },
        conflict: null,
      }),
    };
  }
  const submission = parseWithZod(formData, { schema: facilityInputSchema });
  if (submission.status !== "success") {
    return {
      ok: false,
      response: json(
        { result: submission.reply(), needsConfirmation: false, geocode: null, conflict: null },
        { status: 400 },
      ),
    };
  }
  const pointProblem = await checkFacilityPoint(communityCode, submission.value);
  if (pointProblem) {
    return {
      ok: false,
      response: json(
        {
          result: submission.reply({ fieldErrors: { [pointProblem.field]: [pointProblem.message] } }),
          needsConfirmation: pointProblem.needsConfirmation,
          geocode: null,
          conflict: null,
        },
        { status: 422 },
      ),
    };
  }
  return { ok: true, value: submission.value };
}

const problemReportSchema = z.object({
  kind: z.enum(PROBLEM_KINDS),
  text: z.string().trim().max(500).default(""),
});

/** a resident's problem report from the public service page's form */
export const parseProblemReport = (form: Record<string, unknown>) => problemReportSchema.safeParse(form);
