// The officials' dashboard loader on a real PostgreSQL with the demo data: /dashboard/37 (the
// province: 16 cities, 62,074 village-level units, 1,597 assessments), /dashboard/370102 (a
// district) and, as the baseline measured in the same run, the regions API loader for the
// province (two indexed lookups). Loaders are called in-process as Remix calls them, with a
// signed-in province admin's cookie, one at a time. Prints p50/p95 of each and the ratios.
//
//   npm run bench:coverage
//
// BENCH_COVERAGE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shequ_bench_coverage) is
// created and loaded with the demo data when missing (about 15 s). BENCH_RUNS (200) per loader.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { ensureBenchDatabase } from "./bench-database";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BENCH_URL = process.env.BENCH_COVERAGE_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/shequ_bench_coverage";
const RUNS = Number(process.env.BENCH_RUNS || 200);
const GOAL_MS = 100;

// before anything from db/ is imported: the client reads the environment once
process.env.DATABASE_URL = BENCH_URL;

const log = (line: string) => console.log(line);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function time(label: string, run: () => Promise<Response>) {
  for (let i = 0; i < 20; i++) await run(); // warm-up: connections, plans, JIT of the module
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const response = await run();
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${label}: status ${response.status}`);
    await response.arrayBuffer();
  }
  samples.sort((a, b) => a - b);
  const result = { label, p50: percentile(samples, 50), p95: percentile(samples, 95) };
  log(`${label.padEnd(34)} p50 ${result.p50.toFixed(1).padStart(6)} ms   p95 ${result.p95.toFixed(1).padStart(6)} ms`);
  return result;
}

await ensureBenchDatabase(BENCH_URL, "BENCH_COVERAGE_DATABASE_URL", { demo: true });
const { closeDb } = await import("../../db/client.server");
const { createTestUser, sessionCookieFor } = await import("../utils/accounts");
const { callLoaderAs } = await import("../utils/routes");
// the loaders of the production build, as the app server runs them
log("building the app");
execFileSync("npx", ["remix", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
type Loader = Parameters<typeof callLoaderAs>[0];
const build = (await import(path.join(root, "build/index.js"))) as {
  routes: Record<string, { module: { loader: Loader } }>;
};
const dashboardLoader = build.routes["routes/dashboard.$code._index"].module.loader;
const regionLoader = build.routes["routes/api.v1.regions.$code"].module.loader;

const admin = await createTestUser({ role: "province_admin", regionCode: "37", username: `bench-${Date.now()}` });
const { cookie } = await sessionCookieFor(admin.id);

log(`\n${RUNS} calls each, one at a time, after 20 warm-up calls (PostgreSQL, demo data)\n`);
const baseline = await time("baseline: GET /api/v1/regions/37", () =>
  callLoaderAs(regionLoader, "/api/v1/regions/37", undefined, { code: "37" }),
);
const province = await time("dashboard loader /dashboard/37", () =>
  callLoaderAs(dashboardLoader, "/dashboard/37", cookie, { code: "37" }),
);
const villages = await time("  … with villages (?villages=1)", () =>
  callLoaderAs(dashboardLoader, "/dashboard/37?villages=1", cookie, { code: "37" }),
);
const district = await time("dashboard loader /dashboard/370102", () =>
  callLoaderAs(dashboardLoader, "/dashboard/370102", cookie, { code: "370102" }),
);

log("");
log(
  `province dashboard: p50 ${province.p50.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms: ${province.p50 <= GOAL_MS ? "met" : "missed"}), p95 ${province.p95.toFixed(1)} ms`,
);
log(
  `ratio to the baseline loader: province ${(province.p50 / baseline.p50).toFixed(1)}×, with villages ${(villages.p50 / baseline.p50).toFixed(1)}×, district ${(district.p50 / baseline.p50).toFixed(1)}×`,
);
await closeDb();
process.exit(0); // the build's own database client holds its pool open
