import type { LoaderFunctionArgs } from "@remix-run/node";

import { requireAnyScope } from "~/domains/accounts/guards.server";
import { reviewExportTable } from "~/domains/assessments/review-queue.server";
import { parseExportLocale, xlsxResponse } from "~/utils/xlsx.server";

// review.csv as an Excel sheet: the same columns and rows (review-queue.server.ts)
export async function loader({ request }: LoaderFunctionArgs) {
  const { prefixes } = await requireAnyScope(request, "review");
  const locale = parseExportLocale(request);
  const table = await reviewExportTable(request, prefixes);
  return xlsxResponse(table, locale, "shequ-review-queue.xlsx");
}
