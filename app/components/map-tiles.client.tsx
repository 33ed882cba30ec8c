import { useState } from "react";
import { TileLayer } from "react-leaflet";

// Every map's basemap: the tiles, and a notice above the map when they fail to load. The maps draw
// their own shapes (boundaries, points) on top, so they stay useful without tiles.

export function useTilesFailed() {
  const [failed, setFailed] = useState(false);
  return { failed, onTileError: () => setFailed(true) };
}

export function TilesFailedNotice({ failed, message }: { failed: boolean; message: string }) {
  if (!failed) return null;
  return (
    <p className="notice map-notice" role="status">
      {message}
    </p>
  );
}

export function BaseTiles({
  url,
  attribution,
  onTileError,
}: {
  url: string;
  attribution: string;
  onTileError: () => void;
}) {
  if (!url) return null;
  return <TileLayer url={url} attribution={attribution} eventHandlers={{ tileerror: onTileError }} />;
}
