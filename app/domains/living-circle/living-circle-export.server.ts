import { defineExportTable, filterMessages, villagesFilter, type ExportColumn } from "~/utils/export-table";

import type { LivingCircleMeasure } from "../../../db/identifiers";
import { todayInChina } from "../coverage/coverage";
import { gapExportRows, measureLabelKey } from "./living-circle";
import type { loadAllGaps } from "./living-circle.server";
import { planExportRows, type PlanExportRow } from "./scenarios";
import type { loadPlanExport } from "./scenarios.server";

const measureLabel = (measure: string) => measureLabelKey(measure as LivingCircleMeasure);

type GapRow = ReturnType<typeof gapExportRows>[number];

const GAP_COLUMNS = (includeVillages: boolean): ExportColumn<GapRow>[] => [
  { key: "code", type: "text", value: (r) => r.code },
  { key: "name", type: "text", value: (r) => r.name },
  { key: "township", type: "text", value: (r) => r.township },
  { key: "population_60", type: "integer", value: (r) => r.population60 },
  { key: "measure", type: "text", value: (r) => r.measure, labelKey: measureLabel },
  { key: "threshold_m", type: "integer", value: (r) => r.thresholdM },
  { key: "include_villages", type: "boolean", value: () => includeVillages },
  { key: "lat", type: "number", value: (r) => r.lat },
  { key: "lng", type: "number", value: (r) => r.lng },
];

/** Every uncovered community of the region for the measure, for living-circle.csv and .xlsx. */
export function gapsExportTable({ query, summary, thresholdM, gaps }: Awaited<ReturnType<typeof loadAllGaps>>) {
  return defineExportTable({
    id: "gaps",
    region: summary.region.name,
    asOf: todayInChina(),
    filters: [
      ...filterMessages({ measure: { key: measureLabelKey(query.measure) }, threshold: thresholdM }),
      villagesFilter(query.includeVillages),
    ],
    columns: GAP_COLUMNS(query.includeVillages),
    rows: gapExportRows(gaps, query.measure, thresholdM),
  });
}

const PLAN_COLUMNS: ExportColumn<PlanExportRow>[] = [
  { key: "site", type: "integer", value: (r) => r.site },
  { key: "lat", type: "number", value: (r) => r.lat },
  { key: "lng", type: "number", value: (r) => r.lng },
  { key: "measure", type: "text", value: (r) => r.measure, labelKey: measureLabel },
  { key: "newly_covered_communities", type: "integer", value: (r) => r.newlyCoveredCommunities },
  { key: "newly_covered_population_60", type: "integer", value: (r) => r.newlyCovered60 },
  { key: "community_codes", type: "text", value: (r) => r.communityCodes.join(" ") },
];

/** The plan (the current view or a saved scenario): one row per site and measure, for plan.csv and .xlsx. */
export function planExportTable({ state, results, region, scenario }: Awaited<ReturnType<typeof loadPlanExport>>) {
  return defineExportTable({
    id: "plan",
    region,
    asOf: todayInChina(),
    filters: [
      ...filterMessages({ scenario }),
      ...state.measures.map((m) => filterMessages({ measure: { key: measureLabelKey(m) } })[0]),
      ...filterMessages({ sites: state.sites.length }),
      villagesFilter(state.includeVillages),
    ],
    columns: PLAN_COLUMNS,
    rows: planExportRows(state.sites, results),
  });
}
