import { useEffect, useMemo, useRef } from "react";
import { CircleMarker, GeoJSON, MapContainer, Marker, Tooltip, useMap, useMapEvents } from "react-leaflet";
import MarkerClusterGroup from "react-leaflet-cluster";

import { useCounties } from "~/components/county-outlines.client";
import { BaseTiles, TilesFailedNotice, useTilesFailed } from "~/components/map-tiles.client";
import { SHANDONG_EXTENT } from "~/domains/regions/coordinates";

import { FitBounds } from "./fit-bounds.client";
import { L } from "./leaflet-setup.client";

type Point = { lat: number; lng: number };
export type MapService = { id: string; name: string; facilityName: string; lat: number; lng: number };

const selectedIcon = new L.Icon.Default({ className: "marker-selected" });
const shandong = L.latLngBounds(
  [SHANDONG_EXTENT.south, SHANDONG_EXTENT.west],
  [SHANDONG_EXTENT.north, SHANDONG_EXTENT.east],
);

function PickOnTap({ onPick }: { onPick: (p: Point) => void }) {
  useMapEvents({
    click: (e) => onPick({ lat: Number(e.latlng.lat.toFixed(6)), lng: Number(e.latlng.lng.toFixed(6)) }),
  });
  return null;
}

function PanToSelected({ service }: { service: MapService | null }) {
  const map = useMap();
  useEffect(() => {
    if (service) map.panTo([service.lat, service.lng], { animate: false });
  }, [map, service]);
  return null;
}

/**
 * The residents' map: their point, the nearest services as clustered markers, county outlines
 * for orientation (drawn when they arrive). A tap sets a new point; choosing a marker selects its
 * list item and back.
 */
export function ServicesMap({
  origin,
  services,
  countiesUrl,
  selectedId,
  onSelect,
  onPick,
  tilesUnavailableMessage,
  youLabel,
}: {
  origin: Point | null;
  services: MapService[];
  countiesUrl: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
  onPick: (p: Point) => void;
  tilesUnavailableMessage: string;
  youLabel: string;
}) {
  const tiles = useTilesFailed();
  const counties = useCounties(countiesUrl);
  const selected = services.find((s) => s.id === selectedId) ?? null;
  // the resident's point and the nearest ten
  const fitted = useMemo(
    () => (origin ? L.latLngBounds([origin, ...services.slice(0, 10)].map((p) => L.latLng(p.lat, p.lng))) : null),
    [origin, services],
  );
  const clusterRef = useRef<L.MarkerClusterGroup>(null);
  return (
    <>
      <TilesFailedNotice failed={tiles.failed} message={tilesUnavailableMessage} />
      <MapContainer bounds={shandong} scrollWheelZoom={false} className="services-map">
        <BaseTiles onTileError={tiles.onTileError} />
        {counties ? (
          <GeoJSON
            data={counties}
            interactive={false}
            style={{ color: "#b3261e", weight: 1, fillOpacity: 0, className: "county-outline" }}
            // they arrive after the resident's point: beneath it
            eventHandlers={{ add: (e) => (e.target as L.GeoJSON).bringToBack() }}
          />
        ) : null}
        <PickOnTap onPick={onPick} />
        <FitBounds bounds={fitted} pad={0.15} maxZoom={16} />
        <PanToSelected service={selected} />
        {origin ? (
          <CircleMarker
            center={origin}
            radius={9}
            pathOptions={{ color: "#0b57d0", fillColor: "#0b57d0", fillOpacity: 0.6 }}
          >
            <Tooltip permanent direction="top">
              {youLabel}
            </Tooltip>
          </CircleMarker>
        ) : null}
        <MarkerClusterGroup ref={clusterRef} chunkedLoading>
          {services.map((s) => (
            <Marker
              key={s.id}
              position={[s.lat, s.lng]}
              icon={s.id === selectedId ? selectedIcon : new L.Icon.Default()}
              eventHandlers={{ click: () => onSelect(s.id) }}
              title={`${s.name} · ${s.facilityName}`}
            >
              <Tooltip>{`${s.name} · ${s.facilityName}`}</Tooltip>
            </Marker>
          ))}
        </MarkerClusterGroup>
      </MapContainer>
    </>
  );
}
