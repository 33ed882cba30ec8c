// Living-circle reach on a real PostgreSQL with the demo data (62,074 community points, ~12,500
// facilities, ~22,000 services):
//   1. the full recompute of every measure for every community point (3 runs);
//   2. the incremental step alone for 200 random facility changes (moves up to ~1 km, suspends and
//      restores, service category changes), each in a transaction rolled back afterwards;
//   3. 200 whole listing writes through the real functions (updateFacility, setFacilityStatus,
//      setServiceStatus: version check, audit and the incremental step), committed;
// and as baselines in the same run: the bare SQL nearest-facility query for one community point
// and the full ÷ incremental ratio. At the end the table kept incrementally through (3) is
// compared with a full recompute.
//
//   npm run bench:living-circle
//
// BENCH_LIVING_CIRCLE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shequ_bench_living_circle) is
// created and loaded with the demo data when missing (about 15 s). BENCH_CHANGES (200).

import { mulberry32 } from "../../db/seed/random";
import { ensureBenchDatabase } from "./bench-database";

const BENCH_URL =
  process.env.BENCH_LIVING_CIRCLE_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/shequ_bench_living_circle";
const CHANGES = Number(process.env.BENCH_CHANGES || 200);
const GOALS = { fullMs: 10_000, incrementalMs: 50 };

// before anything from db/ is imported: the client reads the environment once
process.env.DATABASE_URL = BENCH_URL;

const log = (line: string) => console.log(line);

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const stats = (label: string, samples: number[]) => {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  log(
    `${label.padEnd(46)} p50 ${fmt(p50).padStart(9)}   p95 ${fmt(p95).padStart(9)}   max ${fmt(Math.max(...samples)).padStart(9)}`,
  );
  return { p50, p95 };
};

await ensureBenchDatabase(BENCH_URL, "BENCH_LIVING_CIRCLE_DATABASE_URL", { demo: true });
const { db, closeDb, queryRows } = await import("../../db/client.server");
const { sql } = await import("drizzle-orm");
const { SERVICE_CATEGORIES } = await import("../../db/identifiers");
const livingCircle = await import("../../db/queries/living-circle.server");
const listings = await import("../../db/queries/listings.server");
const { createTestUser } = await import("../utils/accounts");

const next = mulberry32(20221231);
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];

type FacilityRow = { id: string; lat: number; lng: number; status: string; service_ids: string[] | string };
const facilities = (
  await queryRows<FacilityRow>(sql`
    select f.id, ST_Y(f.point) as lat, ST_X(f.point) as lng, f.status::text as status,
      coalesce((select jsonb_agg(s.id order by s.id) from services s where s.facility_id = f.id), '[]'::jsonb) as service_ids
    from facilities f where f.point is not null and f.status in ('active', 'suspended') order by f.id`)
).map((f) => ({
  ...f,
  serviceIds: (typeof f.service_ids === "string" ? JSON.parse(f.service_ids) : f.service_ids) as string[],
}));
const [counts] = await queryRows<{ communities: number; services: number }>(
  sql`select (select count(*)::int from regions where level = 'community' and point is not null) as communities, (select count(*)::int from services) as services`,
);
log(
  `\nPostgreSQL, demo data: ${counts.communities} community points, ${facilities.length} facilities with a point, ${counts.services} services\n`,
);

// 1. full recompute
const full: number[] = [];
let rows = 0;
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  rows = (await livingCircle.recomputeLivingCircle()).rows;
  full.push(performance.now() - started);
}
log(`full recompute, 9 measures × ${counts.communities} points:  ${full.map(fmt).join(", ")} (${rows} rows covered)`);
const fullMedian = percentile(full, 50);

// baseline: the bare nearest-facility query for one community point and one measure
const communities = await queryRows<{ code: string }>(
  sql`select code from regions where level = 'community' and point is not null order by code`,
);
const bare: number[] = [];
for (let i = 0; i < CHANGES; i++) {
  const code = pick(communities).code;
  const category = pick(SERVICE_CATEGORIES);
  const started = performance.now();
  await queryRows(sql`
    select f.id, ST_Distance(r.point::geography, f.point::geography) as d
    from regions r join facilities f on ST_DWithin(r.point::geography, f.point::geography, 1010, false)
    where r.code = ${code} and f.status = 'active'
      and exists (select 1 from services s where s.facility_id = f.id and s.status = 'active' and s.category = ${category})
    order by d, f.id limit 1`);
  bare.push(performance.now() - started);
}

// 2. the incremental step alone, rolled back
class Rollback extends Error {}
const step: number[] = [];
const kinds = { move: 0, status: 0, category: 0 };
for (let i = 0; i < CHANGES; i++) {
  const f = pick(facilities);
  const kind = f.serviceIds.length && next() < 0.3 ? "category" : next() < 0.6 ? "move" : "status";
  kinds[kind]++;
  try {
    await db.transaction(async (tx) => {
      const settle = await livingCircle.watchFacilityReach(tx, f.id);
      if (kind === "move") {
        await tx.execute(
          sql`update facilities set point = ST_SetSRID(ST_MakePoint(${f.lng + (next() - 0.5) * 0.02}::float8, ${f.lat + (next() - 0.5) * 0.016}::float8), 4326) where id = ${f.id}`,
        );
      } else if (kind === "status") {
        await tx.execute(
          sql`update facilities set status = (case when status = 'active' then 'suspended' else 'active' end)::facility_status where id = ${f.id}`,
        );
      } else {
        await tx.execute(
          sql`update services set category = ${pick(SERVICE_CATEGORIES)}::service_category where id = ${pick(f.serviceIds)}`,
        );
      }
      const started = performance.now();
      await settle();
      step.push(performance.now() - started);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}

// 3. whole listing writes, committed
const actor = {
  userId: (
    await createTestUser({ role: "province_admin", regionCode: "37", username: `bench-living-circle-${Date.now()}` })
  ).id,
};
const writes: number[] = [];
for (let i = 0; i < CHANGES; i++) {
  const f = pick(facilities);
  const current = (await listings.getFacility(f.id))!;
  const started = performance.now();
  let result: { ok: boolean };
  if (f.serviceIds.length && next() < 0.3) {
    const service = (await listings.getService(pick(f.serviceIds)))!;
    result = await listings.setServiceStatus(
      actor,
      service.id,
      service.version,
      service.status === "active" ? "suspended" : "active",
    );
  } else if (next() < 0.6) {
    result = await listings.updateFacility(actor, f.id, current.version, {
      name: current.name,
      type: current.type,
      address: current.address,
      phone: current.phone ?? undefined,
      openingHours: current.openingHours,
      lat: (current.lat ?? f.lat) + (next() - 0.5) * 0.016,
      lng: (current.lng ?? f.lng) + (next() - 0.5) * 0.02,
    });
  } else {
    result = await listings.setFacilityStatus(
      actor,
      f.id,
      current.version,
      current.status === "active" ? "suspended" : "active",
    );
  }
  writes.push(performance.now() - started);
  if (!result.ok) throw new Error(`a listing write failed: ${JSON.stringify(result)}`);
}

log(
  `\n${CHANGES} facility changes each (${kinds.move} moves, ${kinds.status} status changes, ${kinds.category} service category changes in step 2)\n`,
);
const bareStats = stats("baseline: bare nearest-facility SQL, one point", bare);
const stepStats = stats("incremental living-circle step (rolled back)", step);
const writeStats = stats("listing write incl. living-circle step (committed)", writes);

const kept = await queryRows<{ c: string; m: string; f: string; d: number }>(
  sql`select community_code as c, measure as m, facility_id as f, distance_m as d from community_access order by 1, 2`,
);
await livingCircle.recomputeLivingCircle();
const recomputed = await queryRows<{ c: string; m: string; f: string; d: number }>(
  sql`select community_code as c, measure as m, facility_id as f, distance_m as d from community_access order by 1, 2`,
);
const same = JSON.stringify(kept) === JSON.stringify(recomputed);

log("");
log(
  `full recompute: median ${fmt(fullMedian)} (goal ≤ ${GOALS.fullMs / 1000} s: ${fullMedian <= GOALS.fullMs ? "met" : "missed"})`,
);
log(
  `incremental step: p50 ${fmt(stepStats.p50)}, p95 ${fmt(stepStats.p95)} (goal ≤ ${GOALS.incrementalMs} ms: ${stepStats.p95 <= GOALS.incrementalMs ? "met at p95" : stepStats.p50 <= GOALS.incrementalMs ? "met at p50" : "missed"}); whole write p50 ${fmt(writeStats.p50)}`,
);
log(
  `ratios: full ÷ incremental p50 = ${Math.round(fullMedian / stepStats.p50)}×; incremental p50 ÷ bare nearest query p50 = ${(stepStats.p50 / bareStats.p50).toFixed(1)}×`,
);
log(`table kept incrementally through ${CHANGES} committed writes equals a full recompute: ${same ? "yes" : "NO"}`);
await closeDb();
process.exit(same ? 0 : 1);
