import { MapContainer, Marker, Tooltip, CircleMarker } from "react-leaflet";

import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";

import "./leaflet-setup.client";

type Point = { id: string; name: string; lat: number; lng: number };

/** The community's facilities as markers, the community point as a ring. */
export function FacilitiesMap({ facilities, centre }: { facilities: Point[]; centre: { lat: number; lng: number } }) {
  const tiles = useTilesFailed();
  return (
    <div data-testid="facilities-map" className="map-with-notice">
      <TilesFailedNotice failed={tiles.failed} />
      <MapContainer center={centre} zoom={15} scrollWheelZoom={false} className="picker-map">
        <BaseTiles onTileError={tiles.onTileError} />
        <CircleMarker center={centre} radius={8} pathOptions={{ color: "#b3261e" }} />
        {facilities.map((f) => (
          <Marker key={f.id} position={[f.lat, f.lng]}>
            <Tooltip>{f.name}</Tooltip>
          </Marker>
        ))}
      </MapContainer>
    </div>
  );
}
