import { sql, type SQL } from "drizzle-orm";

import { db, dbDriver, queryRows, type Database } from "../client.server";
import { DETOUR_FACTOR, LEVEL_CODE_LENGTH, toStoredCode, type RegionLevel } from "../identifiers";
import { recordAudit } from "./audit.server";

// Walking distance (docs/figures.md): the straight line times the detour factor, except between
// two points inside one loaded street network, where it is the shortest walk along its ways
// (pgRouting): from each point to its nearest vertex in a straight line, then along the network.
// Every living-circle figure, the gap list, the suggested sites and residents' walking minutes use
// this one model, so what the pages say about distance is true of all of them.

export type RoadNetworkSummary = {
  id: number;
  name: string;
  /** the region an official loaded it for; null: loaded from the command line */
  regionCode: string | null;
  sourceFile: string;
  vertices: number;
  edges: number;
  lengthM: number;
  loadedAt: string;
};

export type DistanceModel = {
  detourFactor: number;
  /** the loaded street networks; empty on the embedded database (no pgRouting) */
  networks: RoadNetworkSummary[];
};

/** Whether pgRouting is installed in this database (never on the embedded PGlite). */
export async function hasPgRouting(database: Database = db) {
  const [row] = await queryRows<{ present: boolean }>(
    sql`select exists (select 1 from pg_extension where extname = 'pgrouting') as present`,
    database,
  );
  return Boolean(row?.present);
}

export async function listRoadNetworks(database: Database = db): Promise<RoadNetworkSummary[]> {
  const rows = await queryRows<{
    id: number;
    name: string;
    region_code: string | null;
    source_file: string;
    vertices: number;
    edges: number;
    length_m: number;
    loaded_at: Date | string;
  }>(
    sql`select id, name, region_code, source_file, vertices, edges, length_m, loaded_at from road_networks order by id`,
    database,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    regionCode: r.region_code,
    sourceFile: r.source_file,
    vertices: Number(r.vertices),
    edges: Number(r.edges),
    lengthM: Number(r.length_m),
    loadedAt: new Date(r.loaded_at).toISOString(),
  }));
}

export async function getDetourFactor(database: Database = db) {
  const [row] = await queryRows<{ detour_factor: number }>(
    sql`select detour_factor from living_circle_settings where id = 1`,
    database,
  );
  return row ? Number(row.detour_factor) : DETOUR_FACTOR.default;
}

/** The model the living circle measures with now. Networks count only where pgRouting is installed. */
export async function getDistanceModel(database: Database = db): Promise<DistanceModel> {
  const [detourFactor, routing] = await Promise.all([getDetourFactor(database), hasPgRouting(database)]);
  return { detourFactor, networks: routing ? await listRoadNetworks(database) : [] };
}

export const isDetourFactor = (value: number) =>
  Number.isFinite(value) && value >= DETOUR_FACTOR.min && value <= DETOUR_FACTOR.max;

/** The province admin sets the detour factor (audited, in the caller's transaction). */
export async function saveDetourFactor(tx: Database, actor: { userId: string }, factor: number) {
  if (!isDetourFactor(factor)) {
    throw new RangeError(`detour factor must be in ${DETOUR_FACTOR.min}..${DETOUR_FACTOR.max}, got ${factor}`);
  }
  const before = await getDetourFactor(tx);
  await tx.execute(sql`
    insert into living_circle_settings (id, detour_factor, updated_at) values (1, ${factor}, now())
    on conflict (id) do update set detour_factor = excluded.detour_factor, updated_at = excluded.updated_at`);
  await recordAudit(tx, {
    actorUserId: actor.userId,
    action: "living_circle.detour_factor.update",
    objectType: "living_circle_settings",
    objectId: "detour_factor",
    regionCode: toStoredCode("37"),
    before: { detourFactor: before },
    after: { detourFactor: factor },
  });
  return { before, detourFactor: factor };
}

/**
 * How far, as a share of a walking threshold, a straight-line search must reach to find every pair
 * within it: the detour factor shortens it, unless a network is loaded (a walk along one is at
 * least the straight line).
 */
export const straightLineReach = (model: DistanceModel) => (model.networks.length > 0 ? 1 : 1 / model.detourFactor);

/**
 * Runs a statement built on walkingDistances. With a network, its CTEs are estimated at one row
 * each and the planner joins them in nested loops: one county's recompute took 45 s that way, and
 * 0.8 s with hash joins, so nested loops are off for this statement only (in a savepoint when
 * `database` is a transaction already).
 */
export async function queryWalking<T>(database: Database, model: DistanceModel, query: SQL): Promise<T[]> {
  if (model.networks.length === 0) return queryRows<T>(query, database);
  return database.transaction(async (tx) => {
    await tx.execute(sql`set local enable_nestloop = off`);
    const rows = await queryRows<T>(query, tx);
    await tx.execute(sql`set local enable_nestloop = on`);
    return rows;
  });
}

// 1° of longitude is 89 km at Shandong's latitude (35–38° N): 85 km a degree grows the box enough
const METRES_PER_DEGREE_AT_LEAST = 85_000;

/**
 * A point's network (the first whose bounds hold it) and its nearest vertex there, with the
 * straight line to it (`net`, `v`, `s`): no row outside every network.
 */
const nearestVertex = (point: SQL) => sql`
    select n.id as net, v.id as v, ST_Distance(v.point::geography, ${point}::geography) as s
    from road_networks n
    cross join lateral (select rv.id, rv.point from road_vertices rv where rv.network_id = n.id
                        order by rv.point <-> ${point} limit 1) v
    where ST_Covers(n.bounds, ${point})
    order by n.id limit 1`;

/**
 * Walking distance for candidate pairs. `pairs` is a CTE body with columns
 * `code` (community), `cpoint` (its geometry), `site` (text key), `spoint` (geometry), `d` (the
 * straight line in metres) and any others, passed through. Returns a statement body selecting
 * every column of `pairs` plus `w`, the walking distance in metres: null when both points lie in
 * one network that does not connect them. `longestM` bounds the walks searched for (the longest
 * threshold among the pairs).
 */
export function walkingDistances(model: DistanceModel, pairs: SQL, longestM: number): SQL {
  if (model.networks.length === 0) {
    return sql`with pairs as (${pairs}) select pairs.*, pairs.d * ${model.detourFactor}::float8 as w from pairs`;
  }
  const grow = longestM / METRES_PER_DEGREE_AT_LEAST;
  // Each point's network (the first whose bounds hold it) and its nearest vertex there. The walk is
  // searched from the community's vertex (pgr_drivingDistance, up to the longest threshold), so a
  // full recompute and an incremental one search from the same vertex and find the same distance.

  return sql`
    with pairs as (${pairs}),
    csnap as (
      select c.code, sn.net, sn.v, sn.s from (select distinct code, cpoint from pairs) c
      left join lateral (${nearestVertex(sql`c.cpoint`)}) sn on true
    ),
    ssnap as (
      select x.site, sn.net, sn.v, sn.s from (select distinct site, spoint from pairs) x
      left join lateral (${nearestVertex(sql`x.spoint`)}) sn on true
    ),
    starts as (
      select array_agg(distinct c.v) as vids,
        format('select id, source, target, length_m as cost, length_m as reverse_cost from road_edges where geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)',
          min(ST_X(p.cpoint)) - ${grow}::float8, min(ST_Y(p.cpoint)) - ${grow}::float8,
          max(ST_X(p.cpoint)) + ${grow}::float8, max(ST_Y(p.cpoint)) + ${grow}::float8) as edges
      from pairs p join csnap c on c.code = p.code join ssnap s on s.site = p.site
      where c.net = s.net
      having count(*) > 0
    ),
    walks as (
      select dd.from_v, dd.node, dd.agg_cost from starts
      cross join lateral pgr_drivingDistance(starts.edges, starts.vids, ${longestM}::float8, directed => false) dd
    )
    select pairs.*,
      case when c.net is not null and c.net = s.net
        then round((c.s + wk.agg_cost + s.s)::numeric, 2)::float8
        else pairs.d * ${model.detourFactor}::float8 end as w
    from pairs
    join csnap c on c.code = pairs.code
    join ssnap s on s.site = pairs.site
    left join walks wk on c.net = s.net and wk.from_v = c.v and wk.node = s.v`;
}

/** A network that cannot be loaded: `reason` names the catalogue message (livingCircle.roads_<reason>). */
export class RoadNetworkUnavailable extends Error {
  constructor(
    readonly reason: "noRouting" | "empty" | "outside",
    message: string,
  ) {
    super(message);
  }
}

/** pgRouting in this database: created if the role may, else a clear refusal. */
async function ensurePgRouting(tx: Database) {
  if (await hasPgRouting(tx)) return;
  const [available] = await queryRows<{ present: boolean }>(
    sql`select exists (select 1 from pg_available_extensions where name = 'pgrouting') as present`,
    tx,
  );
  if (!available?.present) {
    throw new RoadNetworkUnavailable(
      "noRouting",
      "pgRouting is not installed on the database server (Debian: apt-get install postgresql-15-pgrouting)",
    );
  }
  await tx.execute(sql`create extension if not exists pgrouting`);
}

const CHUNK = 10_000;

/**
 * Loads (or replaces, by name) a walkable street network in one transaction, and queues a
 * recompute of every living-circle measure in it: the caller sends the job once committed.
 */
export async function replaceRoadNetwork(
  name: string,
  sourceFile: string,
  network: { nodes: Map<number, { lat: number; lng: number }>; segments: Array<[number, number]> },
  queueRecompute: (tx: Database) => Promise<string>,
  region?: { code: string; actor: { userId: string } },
): Promise<RoadNetworkSummary & { recompute: string }> {
  if (network.segments.length === 0) throw new RoadNetworkUnavailable("empty", "the file has no walkable ways");
  return db.transaction(async (tx) => {
    if (!(await hasPgRouting(tx)) && dbDriver === "pglite") {
      throw new RoadNetworkUnavailable("noRouting", "the embedded database has no pgRouting");
    }
    if (region) await requireInsideRegion(tx, region.code, network.nodes.values());
    await ensurePgRouting(tx);
    await tx.execute(sql`delete from road_networks where name = ${name}`);
    const [created] = await queryRows<{ id: number }>(
      sql`insert into road_networks (name, source_file, bounds, vertices, edges, length_m, region_code, loaded_by)
          values (${name}, ${sourceFile}, ST_GeomFromText('POLYGON EMPTY', 4326), 0, 0, 0,
                  ${region?.code ?? null}, ${region?.actor.userId ?? null}) returning id`,
      tx,
    );
    const networkId = Number(created.id);
    const vertexId = new Map<number, number>();
    const nodes = [...network.nodes];
    for (let i = 0; i < nodes.length; i += CHUNK) {
      const rows = await queryRows<{ id: number; osm_id: number }>(
        sql`insert into road_vertices (network_id, osm_id, point)
            select ${networkId}::int, x.o, ST_SetSRID(ST_MakePoint(x.x, x.y), 4326)
            from jsonb_to_recordset(${JSON.stringify(
              nodes.slice(i, i + CHUNK).map(([o, p]) => ({ o, x: p.lng, y: p.lat })),
            )}::jsonb) as x(o bigint, x float8, y float8)
            returning id, osm_id`,
        tx,
      );
      for (const row of rows) vertexId.set(Number(row.osm_id), Number(row.id));
    }
    for (let i = 0; i < network.segments.length; i += CHUNK) {
      const pairs = network.segments.slice(i, i + CHUNK).map(([a, b]) => ({ s: vertexId.get(a), t: vertexId.get(b) }));
      await tx.execute(
        sql`insert into road_edges (network_id, source, target, length_m, geom)
            select ${networkId}::int, a.id, b.id, ST_Length(ST_MakeLine(a.point, b.point)::geography), ST_MakeLine(a.point, b.point)
            from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(s bigint, t bigint)
            join road_vertices a on a.id = x.s join road_vertices b on b.id = x.t`,
      );
    }
    // the hull grown by 50 m: a community at the network's edge still counts as inside it
    await tx.execute(sql`
      update road_networks n set
        bounds = (select ST_Buffer(ST_ConvexHull(ST_Collect(point))::geography, 50)::geometry from road_vertices where network_id = n.id),
        vertices = (select count(*) from road_vertices where network_id = n.id),
        edges = (select count(*) from road_edges where network_id = n.id),
        length_m = (select coalesce(sum(length_m), 0) from road_edges where network_id = n.id)
      where n.id = ${networkId}`);
    await tx.execute(sql`analyze road_vertices`);
    await tx.execute(sql`analyze road_edges`);
    const recompute = await queueRecompute(tx);
    forgetNetworksPresent();
    const summary = (await listRoadNetworks(tx)).find((n) => n.id === networkId)!;
    if (region) {
      await recordAudit(tx, {
        actorUserId: region.actor.userId,
        action: "road_network.load",
        objectType: "road_network",
        objectId: name,
        regionCode: region.code,
        after: { sourceFile, vertices: summary.vertices, edges: summary.edges, lengthM: Math.round(summary.lengthM) },
      });
    }
    return { ...summary, recompute };
  });
}

/**
 * Removes a network by name (its area goes back to the detour factor); with `region`, only one
 * loaded for a region inside it (audited). Null when there is none.
 */
export async function removeRoadNetwork(
  name: string,
  queueRecompute: (tx: Database) => Promise<string>,
  region?: { prefix: string; actor: { userId: string } },
) {
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ id: number; region_code: string | null }>(
      region
        ? sql`delete from road_networks where name = ${name} and region_code like ${`${region.prefix}%`} returning id, region_code`
        : sql`delete from road_networks where name = ${name} returning id, region_code`,
      tx,
    );
    if (rows.length === 0) return null;
    forgetNetworksPresent();
    if (region) {
      await recordAudit(tx, {
        actorUserId: region.actor.userId,
        action: "road_network.remove",
        objectType: "road_network",
        objectId: name,
        regionCode: rows[0].region_code,
      });
    }
    return { recompute: await queueRecompute(tx) };
  });
}

/** An official's network must lie in their region: its outline (or its communities' hull) grown by 1 km. */
async function requireInsideRegion(tx: Database, regionCode: string, points: Iterable<{ lat: number; lng: number }>) {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const p of points) {
    west = Math.min(west, p.lng);
    east = Math.max(east, p.lng);
    south = Math.min(south, p.lat);
    north = Math.max(north, p.lat);
  }
  const [region] = await queryRows<{ level: RegionLevel }>(
    sql`select level::text as level from regions where code = ${regionCode}`,
    tx,
  );
  const prefix = regionCode.slice(0, LEVEL_CODE_LENGTH[region?.level ?? "community"]);
  const [row] = await queryRows<{ inside: boolean | null }>(
    sql`
    select ST_Covers(
      ST_Buffer(coalesce(r.boundary, (select ST_ConvexHull(ST_Collect(c.point)) from regions c
                                      where c.level = 'community' and c.point is not null
                                        and c.code like ${`${prefix}%`}))::geography, 1000)::geometry,
      ST_MakeEnvelope(${west}::float8, ${south}::float8, ${east}::float8, ${north}::float8, 4326)) as inside
    from regions r where r.code = ${regionCode}`,
    tx,
  );
  if (!row?.inside) throw new RoadNetworkUnavailable("outside", "the street network reaches outside the region");
}

/** the loaded networks, each removable when an official loaded it inside `prefix` */
export async function listRoadNetworksIn(prefix: string, database: Database = db) {
  return (await listRoadNetworks(database)).map((n) => ({
    ...n,
    removable: n.regionCode !== null && n.regionCode.startsWith(prefix),
  }));
}

// ---------------------------------------------------------------------------------------------
// residents: walking from their point to the facilities a search found

/** beyond this straight line a resident's walk is not routed: the detour factor says enough */
export const RESIDENT_ROUTED_WITHIN_M = 3_000;
// searches in a province without networks should not pay a query to learn it: asked every 10 s
let networksKnown = { at: 0, present: false };

async function networksPresent(database: Database) {
  if (Date.now() - networksKnown.at < 10_000) return networksKnown.present;
  const [row] = await queryRows<{ present: boolean }>(
    sql`select exists (select 1 from road_networks)
          and exists (select 1 from pg_extension where extname = 'pgrouting') as present`,
    database,
  );
  networksKnown = { at: Date.now(), present: Boolean(row?.present) };
  return networksKnown.present;
}

/** after a network is loaded or removed in this process, the next search asks again */
export const forgetNetworksPresent = () => {
  networksKnown = { at: 0, present: false };
};

/**
 * Walking metres along a loaded street network from a resident's point to facilities, for those
 * within RESIDENT_ROUTED_WITHIN_M in a straight line that lie in the point's network and that it
 * connects to it (docs/figures.md). The others are absent: the caller keeps the detour factor.
 */
export async function walkingAlongNetworkFrom(
  from: { lat: number; lng: number },
  facilities: Array<{ id: string; lat: number; lng: number; straightM: number }>,
  database: Database = db,
): Promise<Map<string, number>> {
  const near = facilities.filter((f) => f.straightM <= RESIDENT_ROUTED_WITHIN_M);
  if (near.length === 0 || !(await networksPresent(database))) return new Map();
  const here = sql`ST_SetSRID(ST_MakePoint(${from.lng}::float8, ${from.lat}::float8), 4326)`;

  // the box around the point and the facilities, grown enough for a walk around a river
  const lats = [from.lat, ...near.map((f) => f.lat)];
  const lngs = [from.lng, ...near.map((f) => f.lng)];
  const grow = 1_500 / METRES_PER_DEGREE_AT_LEAST;
  const rows = await queryRows<{ id: string; w: number }>(
    sql`
    with hs as (${nearestVertex(here)}),
    fs as (
      select x.id, sn.net, sn.v, sn.s
      from jsonb_to_recordset(${JSON.stringify(near.map((f) => ({ id: f.id, lat: f.lat, lng: f.lng })))}::jsonb)
        as x(id text, lat float8, lng float8)
      cross join lateral (${nearestVertex(sql`ST_SetSRID(ST_MakePoint(x.lng, x.lat), 4326)`)}) sn
    ),
    targets as (select fs.* from fs join hs on fs.net = hs.net),
    walks as (
      select d.end_vid, d.agg_cost from hs
      cross join lateral pgr_dijkstraCost(
        format('select id, source, target, length_m as cost, length_m as reverse_cost from road_edges where geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)',
          ${Math.min(...lngs) - grow}::float8, ${Math.min(...lats) - grow}::float8,
          ${Math.max(...lngs) + grow}::float8, ${Math.max(...lats) + grow}::float8),
        hs.v, (select array_agg(distinct t.v) from targets t where t.v <> hs.v), directed => false) d
      where exists (select 1 from targets t where t.v <> hs.v)
    )
    select t.id, hs.s + case when t.v = hs.v then 0 else w.agg_cost end + t.s as w
    from targets t cross join hs
    left join walks w on w.end_vid = t.v
    where t.v = hs.v or w.agg_cost is not null`,
    database,
  );
  return new Map(rows.map((r) => [r.id, Number(r.w)]));
}
