import type { Geometry, MultiPolygon, Polygon, Position } from "geojson";

// The printed region report's pieces that need no database: its map, drawn on the server as an
// inline SVG (no tiles, no Leaflet: they neither load offline nor print well).

/** the map's width in SVG units; its height follows the region's shape */
export const REPORT_MAP_WIDTH = 600;
/** the tallest the map may be, so that a tall region still leaves room on its page */
export const REPORT_MAP_MAX_HEIGHT = 520;
/** a vertex closer than this (SVG units) to the last one kept is dropped */
const MIN_STEP = 0.6;
/** a child known only by a point is a dot of this radius */
export const REPORT_MAP_DOT = 7;
/** the gap lists of a county or township show this many communities per measure, then "and N more" */
export const REPORT_GAP_LIST_LIMIT = 25;

export type ReportMapShape = { code: string; name: string } & (
  { kind: "area"; d: string } | { kind: "dot"; cx: number; cy: number }
);
export type ReportMap = { width: number; height: number; shapes: ReportMapShape[]; outline: string | null };

type Shape = { code: string; name: string; geometry: Geometry };

const ringsOf = (geometry: Geometry): Position[][] =>
  geometry.type === "Polygon"
    ? (geometry as Polygon).coordinates
    : geometry.type === "MultiPolygon"
      ? (geometry as MultiPolygon).coordinates.flat()
      : [];

const pointsOf = (geometry: Geometry): Position[] =>
  geometry.type === "Point" ? [geometry.coordinates] : ringsOf(geometry).flat();

/**
 * Projects the children's shapes (GeoJSON, WGS84) to SVG paths: an equirectangular projection
 * scaled by the cosine of the middle latitude (true to shape at Shandong's extent), north up,
 * fitted to REPORT_MAP_WIDTH (or REPORT_MAP_MAX_HEIGHT), each ring thinned to vertices at least
 * MIN_STEP apart. Points become dots. `outline`: the region's own boundary, drawn beneath (a
 * county whose townships are points). Null when there is nothing to draw.
 */
export function projectReportMap(shapes: readonly Shape[], outline: Geometry | null = null): ReportMap | null {
  const all = [...shapes.flatMap((s) => pointsOf(s.geometry)), ...(outline ? pointsOf(outline) : [])];
  if (all.length === 0) return null;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of all) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const cos = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  // a lone point or a line of points still gets a frame of about a kilometre
  const spanX = Math.max((maxX - minX) * cos, 0.01);
  const spanY = Math.max(maxY - minY, 0.01);
  const pad = REPORT_MAP_DOT + 2;
  const scale = Math.min((REPORT_MAP_WIDTH - 2 * pad) / spanX, (REPORT_MAP_MAX_HEIGHT - 2 * pad) / spanY);
  const width = Math.round(spanX * scale + 2 * pad);
  const height = Math.round(spanY * scale + 2 * pad);
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;
  const project = ([x, y]: Position): [number, number] => [
    width / 2 + (x - midX) * cos * scale,
    height / 2 - (y - midY) * scale,
  ];
  const round = (v: number) => Math.round(v * 10) / 10;
  const pathOf = (geometry: Geometry) =>
    ringsOf(geometry)
      .map((ring) => {
        const kept: [number, number][] = [];
        for (const position of ring) {
          const p = project(position);
          const last = kept.at(-1);
          if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) kept.push(p);
        }
        return kept.length >= 3 ? `M${kept.map(([x, y]) => `${round(x)} ${round(y)}`).join("L")}Z` : "";
      })
      .join("");
  const projected = shapes.flatMap((s): ReportMapShape[] => {
    if (s.geometry.type === "Point") {
      const [cx, cy] = project(s.geometry.coordinates);
      return [{ code: s.code, name: s.name, kind: "dot", cx: round(cx), cy: round(cy) }];
    }
    const d = pathOf(s.geometry);
    return d ? [{ code: s.code, name: s.name, kind: "area", d }] : [];
  });
  return { width, height, shapes: projected, outline: outline ? pathOf(outline) || null : null };
}

/** Gap counts per child and measure, from the rows of countLivingCircleGapsByChild, keyed by child code. */
export function gapsByChild<M extends string>(rows: readonly { code: string; measure: M; gaps: number }[]) {
  const byChild = new Map<string, Partial<Record<M, number>>>();
  for (const row of rows) {
    const entry: Partial<Record<M, number>> = byChild.get(row.code) ?? {};
    entry[row.measure] = row.gaps;
    byChild.set(row.code, entry);
  }
  return byChild;
}
