// The residents' search on the server: the public services near a point and one public service,
// as db/queries/search.server.ts answers them (public data only).
export {
  MAX_LIMIT as SEARCH_MAX_LIMIT,
  getPublicService,
  searchServices,
  type SearchCursor,
  type ServiceHit,
} from "../../../db/queries/search.server";
