import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireRegionScope } from "~/domains/accounts/guards.server";
import { planExportRows } from "~/domains/living-circle/scenarios";
import { loadPlanExport } from "~/domains/living-circle/scenarios.server";
import { csvResponse, toCsv } from "~/utils/csv.server";

// The current view (?m=…&s=…) or a saved scenario (?scenario=ID): one row per site and measure.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const { state, results, filename } = await loadPlanExport(request, code);
  const csv = toCsv(planExportRows(state.sites, results), [
    { header: "site", value: (r) => r.site },
    { header: "lat", value: (r) => r.lat },
    { header: "lng", value: (r) => r.lng },
    { header: "measure", value: (r) => r.measure },
    { header: "newly_covered_communities", value: (r) => r.newlyCoveredCommunities },
    { header: "newly_covered_population_60", value: (r) => r.newlyCovered60 },
    { header: "community_codes", value: (r) => r.communityCodes.join(" ") },
  ]);
  return csvResponse(csv, `${filename}.csv`);
}
