import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { getCatalogueFile } from "~/i18n/catalogue-files.server";
import { isLocale } from "~/i18n/i18n";
import { notFound, versionedFileResponse } from "~/utils/responses.server";

// A language's message catalogue, fetched by the browser before the page hydrates
// (i18n.ts, loadCatalogue); the server renders from the catalogues themselves.
export function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  if (!isLocale(params.locale)) throw notFound(request, "unknown language");
  return versionedFileResponse(request, getCatalogueFile(params.locale), {
    contentType: "application/json; charset=utf-8",
  });
}
