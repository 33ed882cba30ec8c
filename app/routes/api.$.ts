import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { apiError } from "~/utils/responses.server";

// Any address under /api/ that no route answers: the API's JSON 404, whatever the method, instead
// of the HTML page of routes/$.tsx. (A known path asked with a method it lacks is answered 405 by
// the app server, from the OpenAPI document: app/server/app.ts.)
const unknown = (request: Request) =>
  apiError(404, `no API at ${new URL(request.url).pathname}: the API is described at /api/v1/openapi.json`, undefined, {
    headers: { "Cache-Control": "no-store" },
  });

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  return unknown(request);
}

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  return unknown(request);
}
