import type { FeatureCollection, MultiPolygon } from "geojson";
import { useEffect, useState } from "react";

type Counties = FeatureCollection<MultiPolygon, { code: string; name: string }>;

/** The county outlines, fetched once the map is shown (a cached file: routes/regions.counties[.geojson].ts) */
export function useCounties(url: string) {
  const [counties, setCounties] = useState<Counties | null>(null);
  useEffect(() => {
    let live = true;
    fetch(url)
      .then((r) => (r.ok ? (r.json() as Promise<Counties>) : null))
      .then((data) => live && setCounties(data))
      // the map works without them
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [url]);
  return counties;
}
