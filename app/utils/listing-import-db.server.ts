// The CSV import's door to the data layer (db.server.ts re-exports the rest; docs/decisions/002).
export {
  findCommunities,
  importListings,
  placePoints,
  type ImportFacility,
  type PointToPlace,
} from "../../db/queries/listing-import.server";
export type { FacilityFields, ServiceFields } from "../../db/queries/listings.server";
