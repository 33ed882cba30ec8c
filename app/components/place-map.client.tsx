import { MapContainer, Marker } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import "./leaflet-setup.client";

/** A small map of one place. */
export function PlaceMap({ lat, lng }: { lat: number; lng: number }) {
  const tiles = useTilesFailed();
  return (
    <div className="map-with-notice">
      <TilesFailedNotice failed={tiles.failed} />
      <MapContainer center={[lat, lng]} zoom={16} scrollWheelZoom={false} className="place-map">
        <BaseTiles onTileError={tiles.onTileError} />
        <Marker position={[lat, lng]} />
      </MapContainer>
    </div>
  );
}
