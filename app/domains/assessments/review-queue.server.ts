import { z } from "zod";

import { defineExportTable, filterMessages, type ExportColumn } from "~/utils/export-table";

import { listReviewQueue, type QueueItem } from "../../../db/queries/assessments.server";
import { todayInChina } from "../coverage/coverage";

// The review queue as the page (routes/review._index.tsx) and its exports (review.csv,
// review.xlsx) read it: the reader's scope, narrowed by ?county= to one county inside it.

const filterSchema = z.object({
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
});

/** the ?county= filter, when it lies inside the reader's scope (it narrows the scope, never widens it) */
export function reviewCounty(request: Request, prefixes: readonly string[]) {
  const { county } = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return county && prefixes.some((p) => county.startsWith(p)) ? county : undefined;
}

/** the queue under the reader's prefixes in the county (if any), and the counties it spans */
export async function readReviewQueue(prefixes: readonly string[], county: string | undefined) {
  const queue = await listReviewQueue({ prefixes });
  const counties = [
    ...new Map(
      queue.map((item) => [item.communityCode.slice(0, 6), item.county ?? item.communityCode.slice(0, 6)]),
    ).entries(),
  ]
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.code.localeCompare(b.code));
  return {
    queue: county ? queue.filter((item) => item.communityCode.startsWith(county)) : queue,
    counties,
  };
}

const REVIEW_COLUMNS: ExportColumn<QueueItem>[] = [
  { key: "community_code", type: "text", value: (r) => r.communityCode },
  { key: "community", type: "text", value: (r) => r.community },
  { key: "township", type: "text", value: (r) => r.township },
  { key: "county", type: "text", value: (r) => r.county },
  { key: "state", type: "text", value: (r) => r.state, labelKey: (state) => `assessment.states.${state}` },
  { key: "score", type: "number", value: (r) => r.score },
  {
    key: "suggested_tier",
    type: "text",
    value: (r) => r.suggestedTier,
    labelKey: (tier) => `assessment.tiers.${tier}`,
  },
  { key: "submitted_at", type: "datetime", value: (r) => r.submittedAt },
  { key: "effective_at", type: "datetime", value: (r) => r.effectiveAt },
  { key: "demo", type: "boolean", value: (r) => r.isDemo },
];

/** The queue the page shows, for review.csv and review.xlsx. */
export async function reviewExportTable(request: Request, prefixes: readonly string[]) {
  const county = reviewCounty(request, prefixes);
  const { queue, counties } = await readReviewQueue(prefixes, county);
  return defineExportTable({
    id: "review",
    region: null,
    asOf: todayInChina(),
    filters: filterMessages({ county: county && (counties.find((c) => c.code === county)?.name ?? county) }),
    columns: REVIEW_COLUMNS,
    rows: queue,
  });
}
