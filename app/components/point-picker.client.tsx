import { useEffect } from "react";
import { CircleMarker, MapContainer, Marker, Tooltip, useMap, useMapEvents } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import "./leaflet-setup.client";

type LatLng = { lat: number; lng: number };

function ClickToPlace({ onPick }: { onPick: (point: LatLng) => void }) {
  useMapEvents({
    click: (event) => onPick({ lat: Number(event.latlng.lat.toFixed(6)), lng: Number(event.latlng.lng.toFixed(6)) }),
  });
  return null;
}

function FollowPoint({ point }: { point: LatLng | null }) {
  const map = useMap();
  useEffect(() => {
    if (point && !map.getBounds().contains([point.lat, point.lng]))
      map.panTo([point.lat, point.lng], { animate: false });
  }, [map, point]);
  return null;
}

/**
 * Tap the map to set the point; the lat/lng inputs beside it stay the source of truth. The
 * community's own point is drawn too, so that without tiles the map still shows where it is.
 */
export function PointPicker({
  point,
  centre,
  onPick,
  tilesUnavailableMessage,
  community,
  communityLabel,
}: {
  point: LatLng | null;
  centre: LatLng;
  onPick: (point: LatLng) => void;
  tilesUnavailableMessage: string;
  /** the community's own point, when it has one */
  community: LatLng | null;
  communityLabel: string;
}) {
  const tiles = useTilesFailed();
  return (
    <div data-testid="point-picker">
      <TilesFailedNotice failed={tiles.failed} message={tilesUnavailableMessage} />
      <MapContainer center={point ?? centre} zoom={16} scrollWheelZoom={false} className="picker-map">
        <BaseTiles onTileError={tiles.onTileError} />
        <ClickToPlace onPick={onPick} />
        <FollowPoint point={point} />
        {community ? (
          <CircleMarker
            center={community}
            radius={7}
            interactive={false}
            // set at creation: Leaflet applies a className only then, not through setStyle
            className="community-point"
            pathOptions={{ color: "#b3261e", fillColor: "#b3261e", fillOpacity: 0.5 }}
          >
            <Tooltip permanent direction="top" className="community-point-label">
              {communityLabel}
            </Tooltip>
          </CircleMarker>
        ) : null}
        {point ? <Marker position={point} /> : null}
      </MapContainer>
    </div>
  );
}
