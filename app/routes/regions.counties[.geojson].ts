import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getCountyOutlinesFile } from "~/domains/regions/regions.server";
import { geoJsonFileResponse } from "~/utils/geojson.server";

// The province's county outlines for the residents' map, fetched by the map once it is on the
// screen, never inlined in a page. The pages link the current version (`?v=`), which never
// changes: cached for a year. Without it, or with an old one, an hour and the entity tag.
export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const file = await getCountyOutlinesFile();
  const current = new URL(request.url).searchParams.get("v") === file.version;
  return geoJsonFileResponse(request, file, current ? "public, max-age=31536000, immutable" : "public, max-age=3600");
}
