import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TileLayer } from "react-leaflet";

import { useRootData } from "~/utils/use-root-data";

// Every map's basemap, as the server configured it (db/env.server.ts, basemapFor: OpenStreetMap,
// Tianditu's vector map and annotation with its approval number, or MAP_TILE_URL), and a notice
// above the map when its tiles fail to load. The maps draw their own shapes (boundaries, points)
// on top, so they stay useful without tiles.

export function useTilesFailed() {
  const [failed, setFailed] = useState(false);
  return { failed, onTileError: () => setFailed(true) };
}

export function TilesFailedNotice({ failed, message }: { failed: boolean; message?: string }) {
  const { t } = useTranslation();
  if (!failed) return null;
  return (
    <p className="notice map-notice" role="status">
      {message ?? t("app.mapTilesUnavailable")}
    </p>
  );
}

export function BaseTiles({ onTileError }: { onTileError: () => void }) {
  const basemap = useRootData()?.ENV.BASEMAP;
  if (!basemap) return null;
  return (
    <>
      {basemap.layers.map((layer, i) => (
        <TileLayer
          key={layer.url}
          url={layer.url}
          subdomains={layer.subdomains ?? "abc"}
          // the attribution once, on the bottom layer
          attribution={i === 0 ? basemap.attribution : undefined}
          eventHandlers={{ tileerror: onTileError }}
        />
      ))}
    </>
  );
}
