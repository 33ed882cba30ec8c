import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getCountyOutlinesFile } from "~/domains/regions/regions.server";
import { geoJsonFileResponse } from "~/utils/geojson.server";

// The province's county outlines for the residents' map, fetched by the map once it is on the
// screen, never inlined in a page. The pages link the current version (`?v=`): cached for a year
// (versionedFileResponse).
export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  return geoJsonFileResponse(request, await getCountyOutlinesFile());
}
