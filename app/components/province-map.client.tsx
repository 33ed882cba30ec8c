import type { FeatureCollection, MultiPolygon } from "geojson";
import { useMemo, useState } from "react";
import { GeoJSON, MapContainer, TileLayer } from "react-leaflet";

import { L } from "./leaflet-setup.client";

type CountyProps = { code: string; name: string };

export function ProvinceMap({
  counties,
  tileUrl,
  tileAttribution,
  tilesUnavailableMessage,
}: {
  counties: FeatureCollection<MultiPolygon, CountyProps>;
  tileUrl: string;
  tileAttribution: string;
  tilesUnavailableMessage: string;
}) {
  const [tilesFailed, setTilesFailed] = useState(false);
  const bounds = useMemo(() => L.geoJSON(counties).getBounds(), [counties]);

  return (
    <>
      {tilesFailed ? (
        <p className="notice map-notice" role="status">
          {tilesUnavailableMessage}
        </p>
      ) : null}
      <MapContainer bounds={bounds} scrollWheelZoom={false}>
        {tileUrl ? (
          <TileLayer
            url={tileUrl}
            attribution={tileAttribution}
            eventHandlers={{ tileerror: () => setTilesFailed(true) }}
          />
        ) : null}
        <GeoJSON
          data={counties}
          style={{ color: "#b3261e", weight: 1, fillColor: "#f4a259", fillOpacity: 0.15 }}
          onEachFeature={(feature, layer) => {
            layer.bindTooltip(`${feature.properties.name} ${feature.properties.code}`, { sticky: true });
          }}
        />
      </MapContainer>
    </>
  );
}
