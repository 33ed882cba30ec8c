import { useNavigate } from "@remix-run/react";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { useEffect, useMemo, useState } from "react";
import { GeoJSON, MapContainer } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import { FitBounds } from "./fit-bounds.client";
import { L } from "./leaflet-setup.client";

export type ChildShading = "achieved" | "p75" | "p50" | "below" | "none";
type Shapes = FeatureCollection<Geometry, { code: string; name: string }>;

/**
 * The children of a region shaded by certified ÷ target (colours in coverage.css, by class), as
 * outlines where the reference data has boundaries and as dots where it has points only.
 * A click drills down when the reader may.
 */
export function CoverageMap({
  shapesUrl,
  shading,
  tilesUnavailableMessage,
  query,
}: {
  shapesUrl: string;
  shading: Record<string, { shading: ChildShading; href: string | null; label: string }>;
  tilesUnavailableMessage: string;
  query: string;
}) {
  const navigate = useNavigate();
  const [shapes, setShapes] = useState<Shapes | null>(null);
  const tiles = useTilesFailed();
  useEffect(() => {
    let live = true;
    fetch(shapesUrl)
      .then((r) => (r.ok ? (r.json() as Promise<Shapes>) : null))
      .then((data) => live && setShapes(data))
      .catch(() => live && setShapes(null));
    return () => {
      live = false;
    };
  }, [shapesUrl]);
  const key = useMemo(
    () =>
      `${shapesUrl}|${Object.values(shading)
        .map((s) => s.shading)
        .join()}|${shapes?.features.length ?? 0}`,
    [shapesUrl, shading, shapes],
  );
  const style = (feature?: Feature<Geometry, { code: string }>) => ({
    className: `shade shade-${feature ? (shading[feature.properties.code]?.shading ?? "none") : "none"}`,
    weight: 1,
    fillOpacity: 0.75,
  });
  return (
    <div className="coverage-map map-frame" data-testid="coverage-map">
      <TilesFailedNotice failed={tiles.failed} message={tilesUnavailableMessage} />
      <MapContainer center={[36.4, 118.5]} zoom={6} scrollWheelZoom={false}>
        <BaseTiles onTileError={tiles.onTileError} />
        {shapes ? (
          <>
            <GeoJSON
              key={key}
              data={shapes}
              style={style}
              pointToLayer={(feature, latlng) =>
                L.circleMarker(latlng, { radius: 7, ...style(feature as Feature<Geometry, { code: string }>) })
              }
              onEachFeature={(feature, layer) => {
                const entry = shading[(feature.properties as { code: string }).code];
                if (!entry) return;
                layer.bindTooltip(entry.label);
                if (entry.href) {
                  const href = entry.href;
                  layer.on("click", () => navigate(query ? `${href}?${query}` : href));
                }
              }}
            />
            <FitBounds bounds={L.geoJSON(shapes).getBounds()} pad={0.05} />
          </>
        ) : null}
      </MapContainer>
    </div>
  );
}
