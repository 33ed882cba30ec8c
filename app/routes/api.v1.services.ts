import type { LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { answerServiceSearch } from "~/domains/search/services-api.server";
import { readHeadersOf, toResponse } from "~/utils/http-cache.server";

// GET /api/v1/services?lat=&lng=&category=&radius=&openNow=&q=&limit=&cursor= — residents'
// search, public: the nearest public services first, with distance, walking time and open-now.
// The answer is made in domains/search/services-api.server.ts, which the app server's hot path
// (app/server/app.ts) calls too: this module answers what that path leaves to Remix (a signed-in
// request, HEAD).

export async function loader({ request, context }: LoaderFunctionArgs) {
  publicRoute();
  return toResponse(
    await answerServiceSearch({
      query: new URL(request.url).searchParams,
      clientIp: context.clientIp,
      headers: readHeadersOf(request),
    }),
  );
}
