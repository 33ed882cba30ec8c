import { useMemo } from "react";
import { Circle, CircleMarker, MapContainer, Tooltip } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import { FitBounds } from "./fit-bounds.client";
import { L } from "./leaflet-setup.client";

type Place = { code: string; name: string; lat: number; lng: number; label: string };

/** Uncovered communities as red dots; suggested sites as blue rings with their reach (the threshold). */
export function LivingCircleMap({
  gaps,
  sites,
  thresholdM,
  tilesUnavailableMessage,
}: {
  gaps: Place[];
  sites: Place[];
  thresholdM: number;
  tilesUnavailableMessage: string;
}) {
  const tiles = useTilesFailed();
  const fitted = useMemo(() => {
    const places = [...sites, ...gaps];
    return places.length ? L.latLngBounds(places.map((p) => [p.lat, p.lng] as [number, number])) : null;
  }, [sites, gaps]);
  return (
    <div className="map-frame" style={{ height: 440 }} data-testid="living-circle-map">
      <TilesFailedNotice failed={tiles.failed} message={tilesUnavailableMessage} />
      <MapContainer center={[36.4, 118.5]} zoom={7} scrollWheelZoom={false}>
        <BaseTiles onTileError={tiles.onTileError} />
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
