// Residents' search at province scale: GET /api/v1/services?lat=&lng=&category=elderly_care&limit=20
// against the production app server on a synthetic province (>= 500,000 active services), from
// CONCURRENCY clients at random points inside Shandong's 16 cities (the same points every run),
// then the same search SQL straight through postgres.js with the same concurrency and points.
// Prints p50/p95/p99 latency and requests/s of each and the ratio API/SQL.
//
//   npm run bench:search
//
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shequ_bench) is created when
// missing and filled by tests/bench/synthetic-province.ts when it has fewer services than that
// (about a minute). The app is built first when build/ lacks the search route. Loopback only;
// the server it starts is stopped at the end. BENCH_CONCURRENCY (8) and BENCH_REQUESTS (4000)
// change the load; BENCH_PROFILE=1 writes a CPU profile of the app server.
import { PgDialect } from "drizzle-orm/pg-core";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import postgres from "postgres";

import { freePort } from "../fault/postgres-instance";
import { stopServer, waitForHealth } from "./app-server";
import { cityPoints, ensureBenchDatabase, type BenchPoint } from "./bench-database";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BENCH_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/shequ_bench";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 4000);
const WARMUP = 400;
const LIMIT = 20;
const CATEGORY = "elderly_care" as const;
const GOALS = { p50: 10, p99: 50, ratio: 0.5 };

// before anything from db/ is imported: the client reads the environment once
process.env.DATABASE_URL = BENCH_URL;

const log = (line: string) => console.log(line);
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** the files whose code this bench measures: a build older than any of them is rebuilt */
const MEASURED_SOURCES = [
  "app/routes/api.v1.services.ts",
  "app/utils/api-rate-limit.server.ts",
  "app/domains/listings/open-now.ts",
  "app/utils/format.ts",
  "db/queries/search.server.ts",
];

function ensureBuild() {
  const buildFile = path.join(root, "build/index.js");
  if (existsSync(buildFile)) {
    const built = statSync(buildFile).mtimeMs;
    const fresh = MEASURED_SOURCES.every((file) => statSync(path.join(root, file)).mtimeMs <= built);
    if (fresh && readFileSync(buildFile, "utf8").includes('"routes/api.v1.services"')) return;
  }
  log("building the app (npm run build)");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(port: number, urlPath: string): Promise<{ status: number; body: Buffer; encoding?: string }> {
  return new Promise((resolve, reject) => {
    // as a phone's browser asks: gzip, which the app server's compression answers
    const request = http.get(
      { host: "127.0.0.1", port, path: urlPath, agent, headers: { "Accept-Encoding": "gzip" } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            encoding: response.headers["content-encoding"],
          }),
        );
        response.on("error", reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error(`timeout: ${urlPath}`)));
    request.on("error", reject);
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  // BENCH_PROFILE=1: a V8 CPU profile of the app server in .cache/bench-profile/ (open it in Chrome's devtools)
  const profile =
    process.env.BENCH_PROFILE === "1"
      ? ["--cpu-prof", `--cpu-prof-dir=${path.join(root, ".cache/bench-profile")}`]
      : [];
  const server = spawn(process.execPath, [...profile, "--import", "tsx", "app/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: BENCH_URL,
      NODE_ENV: "production",
      PORT: String(port),
      API_RATE_LIMIT_PER_MINUTE: "1000000000",
      MOCKS: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk: Buffer) => process.stdout.write(`  [server] ${chunk}`));
  server.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`  [server] ${chunk}`));
  await waitForHealth(server, port, 60_000);
  return server;
}

type Run = { latencies: number[]; seconds: number; errors: number };

/** `work` for every item with CONCURRENCY in flight; latencies of each call */
async function measure<T>(items: T[], work: (item: T) => Promise<boolean>): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        const ok = await work(item);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, errors };
}

function summary(run: Run) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
    rps: run.latencies.length / run.seconds,
    errors: run.errors,
  };
}

let server: ChildProcess | null = null;
let sqlClient: postgres.Sql | null = null;
const { closeDb } = await import("../../db/client.server");
try {
  await ensureBenchDatabase(BENCH_URL, "BENCH_DATABASE_URL");
  const synthetic = await import("./synthetic-province");
  const active = await synthetic.countActiveServices();
  if (active < synthetic.MIN_ACTIVE_SERVICES) {
    log(`the bench database has ${active} active services: generating the synthetic province`);
    await synthetic.generateSyntheticProvince({ regenerate: true });
  }
  const { queryRows } = await import("../../db/client.server");
  const { sql } = await import("drizzle-orm");
  const [counts] = await queryRows<{ facilities: number; services: number; active: number }>(sql`
    select (select count(*)::int from facilities) as facilities, (select count(*)::int from services) as services,
           (select count(*)::int from services where status = 'active') as active`);
  log(
    `database: ${new URL(BENCH_URL).pathname.slice(1)}: ${counts.facilities} facilities, ${counts.services} services (${counts.active} active)`,
  );

  ensureBuild();
  const points = await cityPoints(BENCH_URL, WARMUP + REQUESTS);
  const warm = points.slice(0, WARMUP);
  const measured = points.slice(WARMUP);

  // how many searches take a second statement (exact metre order), measured in-process, untimed
  const { searchServices, searchWindowSql, firstWindow } = await import("../../db/queries/search.server");
  const now = new Date();
  let twoStatements = 0;
  for (const p of measured.slice(0, 500)) {
    const page = await searchServices({ ...p, category: CATEGORY, limit: LIMIT, now });
    if (page.statements > 1) twoStatements++;
  }

  const port = await freePort();
  log(`starting the app server (production build) on 127.0.0.1:${port}`);
  server = await startServer(port);

  const urlFor = (p: BenchPoint) => `/api/v1/services?lat=${p.lat}&lng=${p.lng}&category=${CATEGORY}&limit=${LIMIT}`;
  let sampled = 0;
  let emptyPages = 0;
  const callApi = async (p: BenchPoint) => {
    const response = await get(port, urlFor(p));
    if (response.status !== 200) {
      if (sampled++ < 3) log(`  HTTP ${response.status}: ${response.body.toString().slice(0, 200)}`);
      return false;
    }
    // check a sample of bodies (parsing every one would weigh on the client's share of the CPU)
    if (Math.random() < 0.05) {
      const text = (response.encoding === "gzip" ? gunzipSync(response.body) : response.body).toString();
      const body = JSON.parse(text) as { services: unknown[] };
      if (body.services.length === 0) emptyPages++;
    }
    return true;
  };
  log(`\nAPI: GET ${urlFor(measured[0])} …`);
  log(`  warm-up ${WARMUP} requests, then ${REQUESTS} with ${CONCURRENCY} concurrent clients`);
  await measure(warm, callApi);
  const api = summary(await measure(measured, callApi));
  // the stack's floor: the same route answering 400 (a bad latitude) before any query
  const floor = summary(
    await measure(
      measured,
      async (p) => (await get(port, `/api/v1/services?lat=${p.lat + 100}&lng=${p.lng}`)).status === 400,
    ),
  );
  await stopServer(server);
  server = null;

  // the same statement the API's first round runs, straight through postgres.js
  sqlClient = postgres(BENCH_URL, {
    max: CONCURRENCY,
    onnotice: () => {},
    connection: { application_name: "shequ-bench" },
  });
  const dialect = new PgDialect();
  const client = sqlClient;
  const callSql = async (p: BenchPoint) => {
    const query = dialect.sqlToQuery(
      searchWindowSql({ ...p, category: CATEGORY, now }, null, { size: firstWindow(LIMIT), want: LIMIT + 1 }),
    );
    const rows = await client.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[]);
    return rows.length >= 0;
  };
  log(`\nSQL: the search's first statement (window ${firstWindow(LIMIT)}), postgres.js, same points and concurrency`);
  await measure(warm, callSql);
  const bare = summary(await measure(measured, callSql));

  const line = (label: string, s: ReturnType<typeof summary>) =>
    log(
      `${label.padEnd(6)}p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  max ${ms(s.max).padStart(9)}  ` +
        `${s.rps.toFixed(0).padStart(5)} req/s  errors ${s.errors}`,
    );
  log(`\nresults (${REQUESTS} requests each, ${CONCURRENCY} concurrent, loopback)`);
  line("API", api);
  line("SQL", bare);
  line("floor", floor);
  log("(floor: the same API route answering 400 before any query: express + Remix + the rate limit + zod)");
  const ratio = api.rps / bare.rps;
  log(`API/SQL throughput: ${(ratio * 100).toFixed(0)}%`);
  log(
    `searches needing a second statement: ${((twoStatements / 500) * 100).toFixed(1)}% (of 500); empty pages in the sample: ${emptyPages}`,
  );
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  log(
    `goals: p50 <= ${GOALS.p50} ms ${verdict(api.p50 <= GOALS.p50)}; p99 <= ${GOALS.p99} ms ${verdict(api.p99 <= GOALS.p99)}; ` +
      `API >= ${GOALS.ratio * 100}% of SQL ${verdict(ratio >= GOALS.ratio)}`,
  );
  if (api.errors > 0 || bare.errors > 0) process.exitCode = 1;
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  if (server) await stopServer(server);
  agent.destroy();
  await sqlClient?.end({ timeout: 5 });
  await closeDb();
}
