import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";
import { reviewExportTable } from "~/domains/assessments/review-queue.server";
import { csvResponse, tableCsv } from "~/utils/csv.server";

// The review queue as the page shows it (the reader's scope, ?county=)
export async function loader({ request }: LoaderFunctionArgs) {
  const { prefixes } = await requireAnyScope(request, "review");
  const table = await reviewExportTable(request, prefixes);
  return csvResponse(tableCsv(table), "shequ-review-queue.csv");
}
