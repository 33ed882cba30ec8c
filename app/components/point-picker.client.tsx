import { useEffect } from "react";
import { MapContainer, Marker, TileLayer, useMap, useMapEvents } from "react-leaflet";

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

/** Tap the map to set the point; the lat/lng inputs beside it stay the source of truth. */
export function PointPicker({
  point,
  centre,
  onPick,
  tileUrl,
  tileAttribution,
}: {
  point: LatLng | null;
  centre: LatLng;
  onPick: (point: LatLng) => void;
  tileUrl: string;
  tileAttribution: string;
}) {
  return (
    <div data-testid="point-picker">
      <MapContainer center={point ?? centre} zoom={16} scrollWheelZoom={false} className="picker-map">
        {tileUrl ? <TileLayer url={tileUrl} attribution={tileAttribution} /> : null}
        <ClickToPlace onPick={onPick} />
        <FollowPoint point={point} />
        {point ? <Marker position={point} /> : null}
      </MapContainer>
    </div>
  );
}
