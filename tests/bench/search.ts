// Residents' search at province scale: GET /api/v1/services?lat=&lng=&category=elderly_care&limit=20
// against the production app server (its default process count: one per core) on a synthetic
// province (>= 500,000 active services), from CONCURRENCY clients at random points inside
// Shandong's 16 cities (the same points every run); in the same run, the same search SQL straight
// through postgres.js with the same concurrency and points ("SQL"), and the same route answering
// 400 for a bad latitude before any query ("floor": the HTTP stack, the rate limit and zod).
// The three alternate in BENCH_ROUNDS rounds, so that the shared machine's load weighs on each
// alike. Prints p50/p95/p99 latency and requests/s of each, the CPU each request cost the app
// processes, PostgreSQL and this client, and the ratio API/SQL against the goals.
//
//   npm run bench:search
//
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shequ_bench) is created when
// missing and filled by tests/bench/synthetic-province.ts when it has fewer services than that
// (about a minute). The app is built first when build/ is older than the code measured. Loopback
// only; the server it starts is stopped at the end. BENCH_CONCURRENCY (8), BENCH_REQUESTS (4000
// of each kind), BENCH_ROUNDS (4) change the load; WEB_CONCURRENCY the app processes (unset: one
// per core, as in production); BENCH_PROFILE=1 writes a CPU profile of each app process to
// .cache/bench-profile/; BENCH_PREPARED=1 adds the bare SQL prepared (the app's is not: decision 011).
import { PgDialect } from "drizzle-orm/pg-core";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import postgres from "postgres";

import { freePort } from "../fault/postgres-instance";
import { appProcessCount, cpuSeconds, ensureBuild, stopServer, treeCpuSeconds, waitForHealth } from "./app-server";
import { cityPoints, ensureBenchDatabase, type BenchPoint } from "./bench-database";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BENCH_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/shequ_bench";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 4000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 4));
const WARMUP = 400;
const LIMIT = 20;
const CATEGORY = "elderly_care" as const;
const GOALS = { p50: 10, p99: 50, ratio: 0.7 };

// before anything from db/ is imported: the client reads the environment once
process.env.DATABASE_URL = BENCH_URL;

const log = (line: string) => console.log(line);
const ms = (x: number) => `${x.toFixed(2)} ms`;

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

type Run = {
  latencies: number[];
  seconds: number;
  errors: number;
  cpu: { app: number; database: number; client: number };
};

/** CPU seconds used so far by the app server's processes, the database's sessions named `names`, and this process */
type CpuReading = { app: number; database: Map<number, number>; client: number };

/**
 * `work` for every item with CONCURRENCY in flight: latencies of each call, and the CPU seconds
 * the app processes, the PostgreSQL sessions of this database (`databasePids()`: the server's
 * backends on this machine, read from /proc) and this client spent meanwhile.
 */
async function measure<T>(
  items: T[],
  work: (item: T) => Promise<boolean>,
  cpu: () => Promise<CpuReading>,
): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const before = await cpu();
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
  const seconds = (performance.now() - started) / 1000;
  const after = await cpu();
  let database = 0;
  for (const [pid, used] of after.database) database += used - (before.database.get(pid) ?? 0);
  return {
    latencies,
    seconds,
    errors,
    cpu: { app: after.app - before.app, database, client: after.client - before.client },
  };
}

/** runs of one kind, added up */
function combine(runs: Run[]): Run {
  return {
    latencies: runs.flatMap((r) => r.latencies),
    seconds: runs.reduce((sum, r) => sum + r.seconds, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpu: {
      app: runs.reduce((sum, r) => sum + r.cpu.app, 0),
      database: runs.reduce((sum, r) => sum + r.cpu.database, 0),
      client: runs.reduce((sum, r) => sum + r.cpu.client, 0),
    },
  };
}

function summary(run: Run) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const perRequest = (seconds: number) => (seconds * 1000) / run.latencies.length;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
    rps: run.latencies.length / run.seconds,
    errors: run.errors,
    cpuMs: { app: perRequest(run.cpu.app), database: perRequest(run.cpu.database), client: perRequest(run.cpu.client) },
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
  await closeDb();

  const port = await freePort();
  log(`starting the app server (production build) on 127.0.0.1:${port}`);
  server = await startServer(port);
  const serverPid = server.pid!;
  const appProcesses = appProcessCount(serverPid);

  // the same statement the API's first round runs, straight through postgres.js
  sqlClient = postgres(BENCH_URL, {
    max: CONCURRENCY,
    onnotice: () => {},
    connection: { application_name: "shequ-bench" },
  });
  const client = sqlClient;
  const dialect = new PgDialect();
  // unprepared, as drizzle sends the app's statements (docs/decisions/011)
  const sqlCall =
    (prepare: boolean) =>
    async (p: BenchPoint): Promise<boolean> => {
      const query = dialect.sqlToQuery(
        searchWindowSql({ ...p, category: CATEGORY, now }, null, { size: firstWindow(LIMIT), want: LIMIT + 1 }),
      );
      const rows = await client.unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare });
      return rows.length >= 0;
    };
  const callSql = sqlCall(false);

  // CPU of the database's sessions for the app ("shequ") and for the bare SQL ("shequ-bench")
  const databasePids = async () =>
    (
      await client<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and application_name in ('shequ', 'shequ-bench') and pid <> pg_backend_pid()`
    ).map((r) => r.pid);
  const readCpu = async (): Promise<CpuReading> => {
    const usage = process.cpuUsage();
    const database = new Map<number, number>();
    for (const pid of await databasePids()) database.set(pid, cpuSeconds(pid) ?? 0);
    return { app: treeCpuSeconds(serverPid) ?? 0, database, client: (usage.user + usage.system) / 1e6 };
  };

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
  // the stack's floor: the same route answering 400 (a bad latitude) before any query
  const callFloor = async (p: BenchPoint) =>
    (await get(port, `/api/v1/services?lat=${p.lat + 100}&lng=${p.lng}`)).status === 400;

  const kinds = [
    { name: "API", work: callApi },
    { name: "SQL", work: callSql },
    { name: "floor", work: callFloor },
    // BENCH_PREPARED=1: the same statement prepared, for what preparing it would save
    ...(process.env.BENCH_PREPARED === "1" ? [{ name: "SQLprep", work: sqlCall(true) }] : []),
  ];
  log(`\nAPI: GET ${urlFor(measured[0])} …`);
  log(`SQL: the search's first statement (window ${firstWindow(LIMIT)}), postgres.js, same points and concurrency`);
  log(`floor: GET /api/v1/services?lat=${measured[0].lat + 100}&lng=${measured[0].lng} (400)`);
  log(
    `${appProcesses} app process(es); warm-up ${WARMUP} of each, then ${REQUESTS} of each with ${CONCURRENCY} concurrent clients in ${ROUNDS} alternating rounds`,
  );
  for (const kind of kinds) await measure(warm, kind.work, readCpu);
  const runs = new Map<string, Run[]>(kinds.map((k) => [k.name, []]));
  const perRound = Math.ceil(measured.length / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const slice = measured.slice(round * perRound, (round + 1) * perRound);
    // a different kind first each round: none always runs right after another
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(round + i) % kinds.length];
      runs.get(kind.name)!.push(await measure(slice, kind.work, readCpu));
    }
  }
  const [api, bare, floor, prepared] = kinds.map((k) => summary(combine(runs.get(k.name)!)));

  const line = (label: string, s: ReturnType<typeof summary>) =>
    log(
      `${label.padEnd(8)}p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  max ${ms(s.max).padStart(9)}  ` +
        `${s.rps.toFixed(0).padStart(5)} req/s  errors ${s.errors}  ` +
        `CPU/request: app ${s.cpuMs.app.toFixed(2)} ms, PostgreSQL ${s.cpuMs.database.toFixed(2)} ms, client ${s.cpuMs.client.toFixed(2)} ms`,
    );
  log(`\nresults (${REQUESTS} requests each, ${CONCURRENCY} concurrent, ${appProcesses} app process(es), loopback)`);
  line("API", api);
  line("SQL", bare);
  line("floor", floor);
  if (prepared) line("SQLprep", prepared);
  log("(floor: the same API route answering 400 before any query: the HTTP stack, the rate limit and zod)");
  log(`machine load average (1 min) at the end: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
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
  if (api.errors > 0 || bare.errors > 0 || floor.errors > 0) process.exitCode = 1;
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  if (server) await stopServer(server);
  agent.destroy();
  await sqlClient?.end({ timeout: 5 });
  await closeDb();
}
