import { useRouteLoaderData } from "@remix-run/react";

import type { loader } from "~/root";

/** The root loader's data (locale, client env) from any route or component. */
export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}
