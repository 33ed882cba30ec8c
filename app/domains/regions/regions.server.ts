// Regions on the server: the administrative tree, boundaries and community lookup, as the
// queries in db/queries/regions.server.ts answer them.
import { createHash } from "node:crypto";

import { getCountyOutlines } from "../../../db/queries/regions.server";

export {
  getAreaAt,
  getRegion,
  getRegionBoundary,
  getRegionSummary,
  searchCommunities,
  type CountyBoundaries,
} from "../../../db/queries/regions.server";

export type CountyOutlinesFile = { body: string; etag: string; version: string };

let countyOutlines: Promise<CountyOutlinesFile> | null = null;

/**
 * The province's county outlines as one GeoJSON file and its version (a hash of the body). The
 * boundaries are reference data, loaded before the app starts and never edited by it: made once
 * per process (about 50 ms), then served from memory.
 */
export function getCountyOutlinesFile(): Promise<CountyOutlinesFile> {
  countyOutlines ??= getCountyOutlines("37").then((outlines) => {
    const body = JSON.stringify(outlines);
    const version = createHash("sha256").update(body).digest("base64url").slice(0, 16);
    return { body, etag: `"${version}"`, version };
  });
  // a failure (the database away) is not kept: the next request tries again
  countyOutlines.catch(() => {
    countyOutlines = null;
  });
  return countyOutlines;
}
