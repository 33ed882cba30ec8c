import { useNavigate } from "@remix-run/react";
import { useMemo } from "react";
import { CircleMarker, GeoJSON, MapContainer, Tooltip } from "react-leaflet";

import { useCounties } from "~/components/county-outlines.client";
import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";
import { SHANDONG_EXTENT } from "~/domains/regions/coordinates";

import { FitBounds } from "./fit-bounds.client";
import { L } from "./leaflet-setup.client";

/** a point on the showcase's map: a community (coloured by its tier) or a facility; `href` is followed on a tap */
export type ShowcaseSpot = { key: string; name: string; lat: number; lng: number; colour: string; href?: string };

const shandong = L.latLngBounds(
  [SHANDONG_EXTENT.south, SHANDONG_EXTENT.west],
  [SHANDONG_EXTENT.north, SHANDONG_EXTENT.east],
);

/**
 * The showcase's communities (or one community's facilities) as coloured dots, fitted to them, over
 * the county outlines for orientation (drawn when they arrive).
 */
export function ShowcaseMap({
  spots,
  countiesUrl,
  maxZoom = 14,
  className = "showcase-map",
}: {
  spots: ShowcaseSpot[];
  countiesUrl: string;
  maxZoom?: number;
  className?: string;
}) {
  const tiles = useTilesFailed();
  const counties = useCounties(countiesUrl);
  const navigate = useNavigate();
  const bounds = useMemo(
    () => (spots.length > 0 ? L.latLngBounds(spots.map((s) => L.latLng(s.lat, s.lng))) : null),
    [spots],
  );
  return (
    <div className="map-with-notice">
      <TilesFailedNotice failed={tiles.failed} />
      <MapContainer bounds={shandong} scrollWheelZoom={false} className={className}>
        <BaseTiles onTileError={tiles.onTileError} />
        {counties ? (
          <GeoJSON
            data={counties}
            interactive={false}
            style={{ color: "#6b7280", weight: 1, fillOpacity: 0 }}
            // they arrive after the dots: beneath them
            eventHandlers={{ add: (e) => (e.target as L.GeoJSON).bringToBack() }}
          />
        ) : null}
        <FitBounds bounds={bounds} pad={0.15} maxZoom={maxZoom} />
        {spots.map((s) => (
          <CircleMarker
            key={s.key}
            center={[s.lat, s.lng]}
            radius={8}
            pathOptions={{ color: "#ffffff", weight: 2, fillColor: s.colour, fillOpacity: 0.9 }}
            eventHandlers={s.href ? { click: () => navigate(s.href!) } : undefined}
          >
            <Tooltip>{s.name}</Tooltip>
          </CircleMarker>
        ))}
      </MapContainer>
    </div>
  );
}
