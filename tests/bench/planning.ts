// Planning on a real PostgreSQL with the demo data:
//   1. exact sites (k = 5, elderly care) for the county with the most community points, against
//      greedy on the same instance: solve time, objective (residents aged 60+ newly covered), proven
//      optimal or not (3 runs each; the covering input, read once, is timed apart);
//   2. the living-circle recompute of that county's communities with walking distances along a
//      street grid laid over it (tests/utils/street-grid.ts, ≥ 100,000 edges), against the same
//      recompute with the straight line times the detour factor, in the same run (3 runs each).
// Goals: exact ≤ 2 s for k = 5; network recompute ≤ 5 × straight-line. The grid is removed again
// at the end and the county recomputed as it was.
//
//   npm run bench:planning
//
// BENCH_PLANNING_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shequ_bench_planning) is
// created and loaded with the demo data when missing. BENCH_GRID_SIZE (225 nodes a side, 50 m apart).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { writeStreetGrid } from "../utils/street-grid";
import { ensureBenchDatabase } from "./bench-database";

const BENCH_URL = process.env.BENCH_PLANNING_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/shequ_bench_planning";
const GRID_SIZE = Number(process.env.BENCH_GRID_SIZE || 225);
const GRID_SPACING_M = 50;
const RUNS = 3;
const GOALS = { exactMs: 2_000, networkRatio: 5 };

process.env.DATABASE_URL = BENCH_URL;

const log = (line: string) => console.log(line);
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const ms = (value: number) => `${value.toFixed(0)} ms`;
async function timed<T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

await ensureBenchDatabase(BENCH_URL, "BENCH_PLANNING_DATABASE_URL", { demo: true });
const { db, closeDb, queryRows } = await import("../../db/client.server");
const { sql } = await import("drizzle-orm");
const { getCoveringInput } = await import("../../db/queries/planning.server");
const { recomputeLivingCircle } = await import("../../db/queries/living-circle.server");
const roads = await import("../../db/queries/road-network.server");
const { readWalkableNetwork } = await import("../../db/road-network-osm.server");
const { pickSitesGreedy, solveSitesExact } = await import("../../app/domains/living-circle/site-selection.server");

const [county] = await queryRows<{ code: string; name: string; communities: number }>(sql`
  select c.code, c.name, count(*)::int as communities
  from regions r join regions c on c.level = 'county' and c.code = left(r.code, 6) || '000000'
  where r.level = 'community' and r.kind = 'community' and r.point is not null
  group by c.code, c.name order by 3 desc, 1 limit 1`);
log(
  `bench:planning on ${new URL(BENCH_URL).pathname.slice(1)}; load average ${(await import("node:os")).loadavg()[0].toFixed(1)}`,
);
log(`county with the most community points: ${county.name} (${county.code.slice(0, 6)}), ${county.communities} points`);

// ---------------------------------------------------------------------------------------------
// 1. exact against greedy: elderly care as the brief asks, and the day-care circle (300 m, many
// more gaps) as a harder instance
for (const measure of ["elderly_care", "elderly_day_care"] as const) {
  const input = await timed(() => getCoveringInput(county.code, measure));
  const instance = {
    reach: input.value!.reach,
    weight: new Map(input.value!.demand.map((d) => [d.code, d.population60])),
  };
  const pairs = [...instance.reach.values()].reduce((n, r) => n + r.length, 0);
  log(
    `${measure}: ${input.value!.demand.length} uncovered communities, ${input.value!.candidates.length} candidates, ` +
      `${pairs} candidate-community pairs within ${input.value!.thresholdM} m on foot (read in ${ms(input.ms)})`,
  );
  const greedyRuns: number[] = [];
  const exactRuns: number[] = [];
  let greedy = pickSitesGreedy(instance, 5);
  let exact = await solveSitesExact(instance, 5);
  for (let i = 0; i < RUNS; i++) {
    const g = await timed(() => pickSitesGreedy(instance, 5));
    greedyRuns.push(g.ms);
    greedy = g.value;
    const e = await timed(() => solveSitesExact(instance, 5));
    exactRuns.push(e.ms);
    exact = e.value;
  }
  log(`  greedy k=5: ${ms(median(greedyRuns))} (median of ${RUNS}), newly covers ${greedy.covered60} aged 60+`);
  log(
    `  exact  k=5: ${ms(median(exactRuns))} (median of ${RUNS}), newly covers ${exact.covered60} aged 60+, ` +
      `${exact.optimal ? "proven optimal" : "NOT proven optimal"} (${exact.method}); ` +
      `exact − greedy = ${exact.covered60 - greedy.covered60}`,
  );
  log(`  goal exact ≤ ${GOALS.exactMs} ms: ${median(exactRuns) <= GOALS.exactMs ? "met" : "missed"}`);
}

// ---------------------------------------------------------------------------------------------
// 2. network recompute against straight-line, on a grid over the county's communities
const [centre] = await queryRows<{ lat: number; lng: number }>(sql`
  select ST_Y(ST_Centroid(ST_Collect(point))) as lat, ST_X(ST_Centroid(ST_Collect(point))) as lng
  from regions where level = 'community' and code like ${`${county.code.slice(0, 6)}%`} and point is not null`);
const halfM = ((GRID_SIZE - 1) * GRID_SPACING_M) / 2;
const origin = {
  lat: Number(centre.lat) - halfM / 111_320,
  lng: Number(centre.lng) - halfM / (111_320 * Math.cos((Number(centre.lat) * Math.PI) / 180)),
};
const dir = mkdtempSync(path.join(tmpdir(), "shequ-bench-roads-"));
const file = path.join(dir, "grid.osm");
const grid = writeStreetGrid(file, { origin, size: GRID_SIZE, spacingM: GRID_SPACING_M });
const prefix = county.code.slice(0, 6);
// the recomputes are the bench's: nothing is queued for the job queue
const noQueue = async () => "bench";
try {
  await roads.removeRoadNetwork("bench-grid", noQueue);
  const straight: number[] = [];
  for (let i = 0; i < RUNS; i++) straight.push((await timed(() => recomputeLivingCircle(db, undefined, prefix))).ms);
  const read = await timed(() => readWalkableNetwork(file));
  const loaded = await timed(() => roads.replaceRoadNetwork("bench-grid", "grid.osm", read.value, noQueue));
  log(
    `street grid: ${GRID_SIZE} × ${GRID_SIZE} nodes ${GRID_SPACING_M} m apart, ${loaded.value.edges} edges ` +
      `(${grid.edges} written); read in ${ms(read.ms)}, loaded in ${ms(loaded.ms)}`,
  );
  const network: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(() => recomputeLivingCircle(db, undefined, prefix));
    network.push(run.ms);
    rows = run.value.rows;
  }
  const [inside] = await queryRows<{ n: number }>(sql`
    select count(*)::int as n from regions r, road_networks n
    where n.name = 'bench-grid' and r.level = 'community' and r.code like ${`${prefix}%`} and ST_Covers(n.bounds, r.point)`);
  log(
    `recompute of ${county.name}'s communities, every measure: straight line × factor ${ms(median(straight))}, ` +
      `street network ${ms(median(network))} (median of ${RUNS}; ${inside.n} communities inside the grid, ${rows} pairs kept)`,
  );
  const ratio = median(network) / median(straight);
  log(
    `network ÷ straight-line = ${ratio.toFixed(1)}; goal ≤ ${GOALS.networkRatio}: ${ratio <= GOALS.networkRatio ? "met" : "missed"}`,
  );
} finally {
  await roads.removeRoadNetwork("bench-grid", noQueue);
  await recomputeLivingCircle(db, undefined, prefix);
  rmSync(dir, { recursive: true, force: true });
  await closeDb();
}
