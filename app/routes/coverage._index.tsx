import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";

// The public coverage view opens on the province.
export function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const { search } = new URL(request.url);
  return redirect(`/coverage/37${search}`);
}
