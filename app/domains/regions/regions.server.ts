// Regions on the server: the administrative tree, boundaries and community lookup, as the
// queries in db/queries/regions.server.ts answer them.
import { getCountyOutlines } from "../../../db/queries/regions.server";
import { versionedFile, type VersionedFile } from "../../utils/responses.server";

export {
  getAreaAt,
  getRegion,
  getRegionBoundary,
  getRegionSummary,
  searchCommunities,
  searchRegions,
  type CountyBoundaries,
} from "../../../db/queries/regions.server";

let countyOutlines: Promise<VersionedFile> | null = null;

/**
 * The province's county outlines as one GeoJSON file and its version (a hash of the body). The
 * boundaries are reference data, loaded before the app starts and never edited by it: made once
 * per process (about 50 ms), then served from memory.
 */
export function getCountyOutlinesFile(): Promise<VersionedFile> {
  countyOutlines ??= getCountyOutlines("37").then((outlines) => versionedFile(JSON.stringify(outlines)));
  // a failure (the database away) is not kept: the next request tries again
  countyOutlines.catch(() => {
    countyOutlines = null;
  });
  return countyOutlines;
}
