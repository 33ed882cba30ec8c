import { createReadStream } from "node:fs";
import { SaxesParser } from "saxes";

// The walkable ways of an OpenStreetMap XML extract (.osm), streamed: a province's extract is
// far larger than what should be held as text. Nodes are kept only as coordinates until the ways
// name the ones they use.

/** `highway=*` values a resident may walk along unless tagged otherwise */
const WALKABLE_HIGHWAYS = new Set([
  "footway",
  "pedestrian",
  "path",
  "steps",
  "living_street",
  "residential",
  "service",
  "unclassified",
  "road",
  "track",
  "cycleway",
  "corridor",
  "tertiary",
  "tertiary_link",
  "secondary",
  "secondary_link",
  "primary",
  "primary_link",
]);
/** walkable only when `foot` says so: China's trunk roads are often urban expressways */
const WALKABLE_WHEN_FOOT_ALLOWED = new Set(["trunk", "trunk_link"]);
const FOOT_ALLOWED = new Set(["yes", "designated", "permissive"]);
const NO_ACCESS = new Set(["no", "private"]);

/** Whether a way with these tags may be walked along (both ways: one-way streets bind vehicles). */
export function isWalkable(tags: Record<string, string>) {
  const highway = tags.highway;
  if (!highway) return false;
  if (tags.foot === "no") return false;
  const footAllowed = FOOT_ALLOWED.has(tags.foot ?? "");
  if (NO_ACCESS.has(tags.access ?? "") && !footAllowed) return false;
  return WALKABLE_HIGHWAYS.has(highway) || (WALKABLE_WHEN_FOOT_ALLOWED.has(highway) && footAllowed);
}

export type WalkableNetwork = {
  /** OSM node id → its point, for every node a walkable way uses */
  nodes: Map<number, { lat: number; lng: number }>;
  /** consecutive node pairs of the walkable ways (OSM node ids) */
  segments: Array<[number, number]>;
  ways: number;
  skippedWays: number;
  /** node references of walkable ways that the file does not define */
  missingNodes: number;
};

export class OsmFileError extends Error {}

/** Reads an OSM XML file and keeps its walkable ways. Throws OsmFileError on a file that is not OSM XML. */
export async function readWalkableNetwork(file: string): Promise<WalkableNetwork> {
  const allNodes = new Map<number, { lat: number; lng: number }>();
  const ways: number[][] = [];
  let skippedWays = 0;
  let sawOsm = false;
  let way: { refs: number[]; tags: Record<string, string> } | null = null;
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on("error", (error) => {
    failure ??= new OsmFileError(`not readable as OSM XML: ${error.message}`);
  });
  parser.on("opentag", (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case "osm":
        sawOsm = true;
        break;
      case "node": {
        const lat = Number(a.lat);
        const lng = Number(a.lon);
        if (Number.isFinite(lat) && Number.isFinite(lng)) allNodes.set(Number(a.id), { lat, lng });
        break;
      }
      case "way":
        way = { refs: [], tags: {} };
        break;
      case "nd":
        if (way) way.refs.push(Number(a.ref));
        break;
      case "tag":
        if (way && a.k !== undefined) way.tags[a.k] = a.v ?? "";
        break;
    }
  });
  parser.on("closetag", (tag) => {
    if (tag.name !== "way" || !way) return;
    if (isWalkable(way.tags) && way.refs.length >= 2) ways.push(way.refs);
    else skippedWays++;
    way = null;
  });
  const stream = createReadStream(file, { encoding: "utf8" });
  for await (const chunk of stream) {
    parser.write(chunk as string);
    if (failure) {
      stream.destroy();
      throw failure;
    }
  }
  parser.close();
  if (failure) throw failure;
  if (!sawOsm) throw new OsmFileError("no <osm> element: not an OpenStreetMap XML file");

  const nodes = new Map<number, { lat: number; lng: number }>();
  const segments: Array<[number, number]> = [];
  let missingNodes = 0;
  for (const refs of ways) {
    // a way that leaves the extract is cut where its nodes are missing
    let previous: number | null = null;
    for (const ref of refs) {
      const point = allNodes.get(ref);
      if (!point) {
        missingNodes++;
        previous = null;
        continue;
      }
      nodes.set(ref, point);
      if (previous !== null && previous !== ref) segments.push([previous, ref]);
      previous = ref;
    }
  }
  return { nodes, segments, ways: ways.length, skippedWays, missingNodes };
}
