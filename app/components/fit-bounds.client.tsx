import { useEffect } from "react";
import { useMap } from "react-leaflet";

import type { L } from "./leaflet-setup.client";

/**
 * Moves the map to show `bounds` whenever they change. Never animated: Leaflet ends a zoom
 * animation on a timer that throws when the map has been removed meanwhile (a followed link).
 */
export function FitBounds({
  bounds,
  pad = 0.1,
  maxZoom = 15,
}: {
  bounds: L.LatLngBounds | null;
  pad?: number;
  maxZoom?: number;
}) {
  const map = useMap();
  const key = bounds?.isValid() ? bounds.toBBoxString() : "";
  useEffect(() => {
    if (bounds?.isValid()) map.fitBounds(bounds.pad(pad), { animate: false, maxZoom });
    // the bounds' text stands for the bounds: a new object with the same box does not move the map
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key, pad, maxZoom]);
  return null;
}
