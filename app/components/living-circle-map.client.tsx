import type { Feature, MultiPolygon } from "geojson";
import { useEffect, useMemo, useState } from "react";
import { Circle, CircleMarker, GeoJSON, MapContainer, Tooltip } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import { FitBounds } from "./fit-bounds.client";
import { L } from "./leaflet-setup.client";

type Place = { code: string; name: string; lat: number; lng: number; label: string };

/**
 * The region's outline (its county's for a township); uncovered communities as red dots; suggested
 * sites as blue rings with their reach (the threshold).
 */
export function LivingCircleMap({
  gaps,
  sites,
  thresholdM,
  boundaryUrl,
  tilesUnavailableMessage,
}: {
  gaps: Place[];
  sites: Place[];
  thresholdM: number;
  /** GET /api/v1/regions/:code/boundary of the region drawn; a 404 (no boundary) draws none */
  boundaryUrl: string;
  tilesUnavailableMessage: string;
}) {
  const tiles = useTilesFailed();
  const [outline, setOutline] = useState<Feature<MultiPolygon> | null>(null);
  useEffect(() => {
    let live = true;
    fetch(boundaryUrl)
      .then((r) => (r.ok ? (r.json() as Promise<Feature<MultiPolygon>>) : null))
      .then((data) => live && setOutline(data))
      .catch(() => live && setOutline(null));
    return () => {
      live = false;
    };
  }, [boundaryUrl]);
  const fitted = useMemo(() => {
    const places = [...sites, ...gaps];
    const bounds = places.length ? L.latLngBounds(places.map((p) => [p.lat, p.lng] as [number, number])) : null;
    if (!outline) return bounds;
    const drawn = L.geoJSON(outline).getBounds();
    return bounds ? drawn.extend(bounds) : drawn;
  }, [sites, gaps, outline]);
  return (
    <div className="map-frame" style={{ height: 440 }} data-testid="living-circle-map">
      <TilesFailedNotice failed={tiles.failed} message={tilesUnavailableMessage} />
      <MapContainer center={[36.4, 118.5]} zoom={7} scrollWheelZoom={false}>
        <BaseTiles onTileError={tiles.onTileError} />
        {outline ? (
          <GeoJSON
            key={boundaryUrl}
            data={outline}
            interactive={false}
            style={{ className: "region-outline", color: "#3c4043", weight: 2, fill: false }}
          />
        ) : null}
        {gaps.map((g) => (
          <CircleMarker
            key={g.code}
            center={[g.lat, g.lng]}
            radius={5}
            pathOptions={{ color: "#b3261e", fillOpacity: 0.6, weight: 1 }}
          >
            <Tooltip>{g.label}</Tooltip>
          </CircleMarker>
        ))}
        {sites.map((s) => (
          <Circle
            key={`reach-${s.code}`}
            center={[s.lat, s.lng]}
            radius={thresholdM}
            pathOptions={{ color: "#0b57d0", fillOpacity: 0.08, weight: 1 }}
          />
        ))}
        {sites.map((s) => (
          <CircleMarker
            key={`site-${s.code}`}
            center={[s.lat, s.lng]}
            radius={11}
            pathOptions={{ color: "#0b57d0", fillOpacity: 0.2, weight: 3 }}
          >
            <Tooltip permanent direction="top">
              {s.label}
            </Tooltip>
          </CircleMarker>
        ))}
        <FitBounds bounds={fitted} />
      </MapContainer>
    </div>
  );
}
