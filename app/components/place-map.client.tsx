import { MapContainer, Marker, TileLayer } from "react-leaflet";

import "./leaflet-setup.client";

/** A small map of one place. */
export function PlaceMap({
  lat,
  lng,
  tileUrl,
  tileAttribution,
}: {
  lat: number;
  lng: number;
  tileUrl: string;
  tileAttribution: string;
}) {
  return (
    <MapContainer center={[lat, lng]} zoom={16} scrollWheelZoom={false} className="place-map">
      {tileUrl ? <TileLayer url={tileUrl} attribution={tileAttribution} /> : null}
      <Marker position={[lat, lng]} />
    </MapContainer>
  );
}
