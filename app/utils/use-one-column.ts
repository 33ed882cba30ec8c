import { useEffect, useReducer } from "react";
import { useHydrated } from "remix-utils/use-hydrated";

import { useRootData } from "./use-root-data";

/** the layout's one-column width (app.css) */
const ONE_COLUMN = "(max-width: 760px)";

/**
 * True once the page runs on a narrow screen (the layout's one-column width) or in large text.
 * Read while rendering, not in an effect, so that a phone's first render after hydration does not
 * mount a map only to take it away (and fetch Leaflet for nothing).
 */
export function useOneColumn() {
  const largeText = useRootData()?.largeText ?? false;
  const hydrated = useHydrated();
  const [, widthChanged] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const query = window.matchMedia(ONE_COLUMN);
    query.addEventListener("change", widthChanged);
    return () => query.removeEventListener("change", widthChanged);
  }, []);
  return hydrated && (largeText || window.matchMedia(ONE_COLUMN).matches);
}
