import { MapContainer, Marker, TileLayer, Tooltip, CircleMarker } from "react-leaflet";

import "./leaflet-setup.client";

type Point = { id: string; name: string; lat: number; lng: number };

/** The community's facilities as markers, the community point as a ring. */
export function FacilitiesMap({
  facilities,
  centre,
  tileUrl,
  tileAttribution,
}: {
  facilities: Point[];
  centre: { lat: number; lng: number };
  tileUrl: string;
  tileAttribution: string;
}) {
  return (
    <div data-testid="facilities-map">
      <MapContainer center={centre} zoom={15} scrollWheelZoom={false} className="picker-map">
        {tileUrl ? <TileLayer url={tileUrl} attribution={tileAttribution} /> : null}
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
