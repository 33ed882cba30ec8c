import { writeFileSync } from "node:fs";

// A street grid written as OpenStreetMap XML, for the street-network tests and bench: `size`
// nodes a side, `spacingM` apart, from a south-west corner. A river runs east-west between two
// rows; only a footbridge at the east end crosses it on foot (a motorway crosses it too, which no
// one may walk along).

export type StreetGrid = {
  /** the point of the node in column `col` (west to east) and row `row` (south to north) */
  at: (col: number, row: number) => { lat: number; lng: number };
  /** rows 0..riverBelowRow are south of the river */
  riverBelowRow: number;
  bridgeCol: number;
  motorwayCol: number;
  edges: number;
};

const METRES_PER_DEGREE_LAT = 111_320;

export function writeStreetGrid(
  file: string,
  {
    origin,
    size,
    spacingM,
    riverBelowRow = Math.floor(size / 2) - 1,
  }: { origin: { lat: number; lng: number }; size: number; spacingM: number; riverBelowRow?: number },
): StreetGrid {
  const dLat = spacingM / METRES_PER_DEGREE_LAT;
  const dLng = spacingM / (METRES_PER_DEGREE_LAT * Math.cos((origin.lat * Math.PI) / 180));
  const at = (col: number, row: number) => ({ lat: origin.lat + row * dLat, lng: origin.lng + col * dLng });
  const id = (col: number, row: number) => row * size + col + 1;
  const bridgeCol = size - 1;
  const motorwayCol = Math.floor(size / 4);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="shequ tests">'];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const p = at(col, row);
      lines.push(`  <node id="${id(col, row)}" lat="${p.lat.toFixed(8)}" lon="${p.lng.toFixed(8)}"/>`);
    }
  }
  let wayId = 1;
  let edges = 0;
  const way = (refs: number[], tags: Record<string, string>) => {
    lines.push(`  <way id="${wayId++}">`);
    for (const ref of refs) lines.push(`    <nd ref="${ref}"/>`);
    for (const [k, v] of Object.entries(tags)) lines.push(`    <tag k="${k}" v="${v}"/>`);
    lines.push("  </way>");
  };
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  for (let row = 0; row < size; row++) {
    way(
      range(0, size - 1).map((col) => id(col, row)),
      { highway: "residential", name: `Row ${row}` },
    );
    edges += size - 1;
  }
  for (let col = 0; col < size; col++) {
    // each column stops at the river on both banks
    way(
      range(0, riverBelowRow).map((row) => id(col, row)),
      { highway: "residential" },
    );
    way(
      range(riverBelowRow + 1, size - 1).map((row) => id(col, row)),
      { highway: "residential" },
    );
    edges += size - 2;
  }
  way([id(bridgeCol, riverBelowRow), id(bridgeCol, riverBelowRow + 1)], { highway: "footway", bridge: "yes" });
  edges += 1;
  way([id(motorwayCol, riverBelowRow), id(motorwayCol, riverBelowRow + 1)], { highway: "motorway", bridge: "yes" });
  way(
    range(0, size - 1).map((col) => id(col, riverBelowRow)),
    { waterway: "river" },
  );
  lines.push("</osm>");
  writeFileSync(file, lines.join("\n"));
  return { at, riverBelowRow, bridgeCol, motorwayCol, edges };
}
