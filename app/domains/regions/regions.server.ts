// Regions on the server: the administrative tree, boundaries and community lookup, as the
// queries in db/queries/regions.server.ts answer them.
export {
  getCountyBoundaries,
  getRegion,
  getRegionBoundary,
  getRegionSummary,
  searchCommunities,
  type CountyBoundaries,
} from "../../../db/queries/regions.server";
