// The app's one door to the data layer. Remix empties `.server` modules for the browser only
// inside app/, so routes import db/ through here, never directly (docs/decisions/002).
export { db } from "../../db/client.server";
export { checkDatabase } from "../../db/health.server";
export { isDatabaseUnavailable } from "../../db/errors.server";
export { sessions as sessionsTable, users as usersTable } from "../../db/schema";
export { listAuditEntries, type AuditRow } from "../../db/queries/audit.server";
export {
  getCountyBoundaries,
  getRegion,
  getRegionBoundary,
  getRegionSummary,
  searchCommunities,
  type CountyBoundaries,
} from "../../db/queries/regions.server";
export {
  addAssignment,
  createAccount,
  createApiToken,
  deleteAllSessions,
  getAccount,
  getPasswordHash,
  getUserForSignIn,
  getUserIdByTokenHash,
  listAccounts,
  listAccountsCovering,
  listApiTokens,
  recordSessionEvent,
  removeAssignment,
  revokeApiToken,
  setDisabled,
  setPassword,
  setPreferences,
  usernameTaken,
  type Account,
} from "../../db/queries/users.server";
export {
  createFacility,
  createProblemReport,
  createService,
  getCommunityProfile,
  getFacility,
  getProblemReport,
  getService,
  listFacilitiesWithServices,
  listProblemReports,
  listServicesOf,
  placePoint,
  resolveProblemReport,
  setFacilityStatus,
  setServiceStatus,
  staleSince,
  updateCommunityProfile,
  updateFacility,
  updateService,
  verifyFacility,
  verifyService,
  type CommunityProfile,
  type Facility,
  type FacilityWithServices,
  type ListingStatus,
  type Service,
  type WriteResult,
} from "../../db/queries/listings.server";
export {
  findCommunities,
  importListings,
  placePoints,
  type ImportFacility,
  type PointToPlace,
} from "../../db/queries/listing-import.server";
export type { FacilityFields, ServiceFields } from "../../db/queries/listings.server";
export {
  getPublicService,
  searchServices,
  MAX_LIMIT as SEARCH_MAX_LIMIT,
  type PublicService,
  type SearchCursor,
  type ServiceHit,
} from "../../db/queries/search.server";
// issue 6 page groups: each module's exports in full
export * from "../../db/queries/access.server";
export * from "../../db/queries/assessments.server";
export * from "../../db/queries/coverage.server";
