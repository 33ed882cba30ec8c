import { useMemo } from "react";
import { Circle, CircleMarker, MapContainer, Tooltip, useMapEvents } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import { FitBounds } from "./fit-bounds.client";
import { L } from "./leaflet-setup.client";

type Point = { lat: number; lng: number };
type Gap = Point & { code: string; label: string; newly: boolean };

function ClickToAdd({ onAdd }: { onAdd: (point: Point) => void }) {
  useMapEvents({
    click: (event) => onAdd({ lat: Number(event.latlng.lat.toFixed(6)), lng: Number(event.latlng.lng.toFixed(6)) }),
  });
  return null;
}

/**
 * The plan's map: uncovered communities (red; green once a proposed site would cover them) and
 * the proposed sites (numbered, with their reach); a tap adds a site. It fits the communities
 * only, so adding a site does not move it.
 */
export function PlanMap({
  gaps,
  sites,
  thresholdM,
  onAdd,
  tilesUnavailableMessage,
}: {
  gaps: Gap[];
  sites: Point[];
  thresholdM: number;
  onAdd: (point: Point) => void;
  tilesUnavailableMessage: string;
}) {
  const tiles = useTilesFailed();
  const fitted = useMemo(() => {
    const places = gaps.length ? gaps : sites;
    return places.length ? L.latLngBounds(places.map((p) => [p.lat, p.lng] as [number, number])) : null;
    // sites only when there is nothing else to show
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [gaps]);
  return (
    <div className="map-frame" style={{ height: 440 }} data-testid="plan-map">
      <TilesFailedNotice failed={tiles.failed} message={tilesUnavailableMessage} />
      <MapContainer center={[36.4, 118.5]} zoom={7} scrollWheelZoom={false}>
        <BaseTiles onTileError={tiles.onTileError} />
        <ClickToAdd onAdd={onAdd} />
        {gaps.map((g) => (
          <CircleMarker
            key={g.code}
            center={[g.lat, g.lng]}
            radius={5}
            pathOptions={{ color: g.newly ? "#146c2e" : "#b3261e", fillOpacity: 0.6, weight: 1 }}
          >
            <Tooltip>{g.label}</Tooltip>
          </CircleMarker>
        ))}
        {sites.map((s, i) => (
          <Circle
            key={`reach-${i}-${s.lat},${s.lng}`}
            center={[s.lat, s.lng]}
            radius={thresholdM}
            interactive={false}
            pathOptions={{ color: "#0b57d0", fillOpacity: 0.08, weight: 1 }}
          />
        ))}
        {sites.map((s, i) => (
          <CircleMarker
            key={`site-${i}-${s.lat},${s.lng}`}
            center={[s.lat, s.lng]}
            radius={11}
            pathOptions={{ color: "#0b57d0", fillOpacity: 0.2, weight: 3 }}
          >
            <Tooltip permanent direction="top">
              {i + 1}
            </Tooltip>
          </CircleMarker>
        ))}
        <FitBounds bounds={fitted} />
      </MapContainer>
    </div>
  );
}
