// The app server under load: BENCH_CONNECTIONS keep-alive connections (200) for BENCH_SECONDS (30)
// at (1) the search API, GET /api/v1/services?lat=&lng=&category=elderly_care&limit=20 at fixed
// random points inside Shandong's 16 cities (bench:search's points), and (2) public pages: the
// residents' page `/` at such a point, `/coverage` (a redirect) and the city report `/coverage/3701`.
// Each scenario first runs with BENCH_BASELINE_CONNECTIONS (8) in the same run, as a baseline on
// this shared machine. While a scenario runs, `/healthz/ready` is polled once a second on its own
// connection (not counted in the load) and every answer other than 200 in time is counted.
//
//   npm run bench:load
//
// Every answer is classified: accepted = 2xx, 3xx and 4xx other than 429; shed = 503 with
// Retry-After that says the server is busy (the server's load shedding, before any work);
// rate-limited = 429 (the bench raises the limit, so 0); failed = any other 5xx (a 503 after the
// request was taken, its deadline passed, or without Retry-After too), a connection error or no
// answer within 30 s. Latency percentiles are of the accepted answers only. A request whose
// kept-alive connection the server closed just as it was reused is sent once more, as browsers do.
//
// The database is bench:search's (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/shequ_bench): created when missing and filled with the
// synthetic province (~40 s) when it has too few services. The app is built when build/ is older
// than app/ or db/. The production server is started on a free loopback port with
// MAX_IN_FLIGHT_REQUESTS from BENCH_MAX_IN_FLIGHT when set (else the server's default) and the API
// rate limit raised out of the way, and stopped at the end. Loopback only; the run is bounded
// (a watchdog stops it and the server if it overruns).
//
// Also: BENCH_SCENARIOS (api,pages), BENCH_READY_TIMEOUT_MS (5000: a poll without an answer by
// then counts as not ready; polls slower than 1 s are counted apart), BENCH_SHED_PAUSE_MS (0: how
// long a connection waits after a shed answer before its next request; 0 = hammer, the worst case).
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

import { freePort } from "../fault/postgres-instance";
import { ensureBuild, stopServer, treeCpuSeconds } from "./app-server";
import { cityPoints, ensureBenchDatabase, type BenchPoint } from "./bench-database";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BENCH_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/shequ_bench";

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: a positive integer, please (got "${raw}")`);
  return value;
}

const CONNECTIONS = positiveInteger("BENCH_CONNECTIONS", 200);
const SECONDS = positiveInteger("BENCH_SECONDS", 30);
const BASELINE_CONNECTIONS = positiveInteger("BENCH_BASELINE_CONNECTIONS", 8);
const READY_TIMEOUT_MS = positiveInteger("BENCH_READY_TIMEOUT_MS", 5000);
const SHED_PAUSE_MS = Number(process.env.BENCH_SHED_PAUSE_MS || 0);
const MAX_IN_FLIGHT = process.env.BENCH_MAX_IN_FLIGHT ? String(positiveInteger("BENCH_MAX_IN_FLIGHT", 32)) : undefined;
const SCENARIO_NAMES = (process.env.BENCH_SCENARIOS || "api,pages")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const REQUEST_TIMEOUT_MS = 30_000;
const WARMUP_SECONDS = 3;
const PAUSE_MS = 2000;
const SLOW_READY_MS = 1000;
const GOAL_P99_MS = 1000;
const CATEGORY = "elderly_care";
const LIMIT = 20;
const POINTS = 20_000;

// before anything from db/ is imported: the client reads the environment once
process.env.DATABASE_URL = BENCH_URL;
if (!/^(127\.0\.0\.1|localhost|\[::1\])$/.test(new URL(BENCH_URL).hostname)) {
  throw new Error(
    `BENCH_DATABASE_URL: the load bench runs on this machine only (got host ${new URL(BENCH_URL).hostname})`,
  );
}

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- build and server ---------------------------------------------------------------------------

type Answer = {
  status: number;
  retryAfter: boolean;
  ms: number;
  body: string;
  error?: string;
  /** the request went out on a connection opened for it (not a kept-alive one) */
  newConnection: boolean;
  /** how long it waited in this client for a connection: the bench's own queue, not the server's */
  socketWaitMs: number;
  /** sent again after a kept-alive connection was closed under it (see `get`) */
  retried?: boolean;
};

const seenSockets = new WeakSet<object>();

/**
 * One GET on `agent` to 127.0.0.1:`port`: its status, time to the last byte and, for answers other
 * than 2xx/3xx, the start of the body. Never rejects: a connection error or no answer within
 * `timeoutMs` comes back as status 0 with `error`. A request that found its kept-alive connection
 * closed by the server (idle past its keep-alive timeout as it was reused: reset before any answer)
 * is sent once more on a new connection, as browsers do; its time counts from the first try.
 */
async function get(agent: http.Agent, port: number, urlPath: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Answer> {
  const first = await getOnce(agent, port, urlPath, timeoutMs);
  if (
    first.status !== 0 ||
    first.newConnection ||
    first.answered ||
    (first.error !== "ECONNRESET" && first.error !== "EPIPE")
  )
    return first;
  const second = await getOnce(agent, port, urlPath, Math.max(1, timeoutMs - first.ms));
  return {
    ...second,
    ms: first.ms + second.ms,
    socketWaitMs: Math.max(first.socketWaitMs, second.socketWaitMs),
    retried: true,
  };
}

function getOnce(
  agent: http.Agent,
  port: number,
  urlPath: string,
  timeoutMs: number,
): Promise<Answer & { answered: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let newConnection = false;
    let socketWaitMs = 0;
    let answered = false;
    const finish = (answer: Omit<Answer, "ms" | "newConnection" | "socketWaitMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, ms: performance.now() - started, newConnection, socketWaitMs, answered });
    };
    // as a phone's browser asks: gzip, which the app server's compression answers
    const request = http.get(
      { host: "127.0.0.1", port, path: urlPath, agent, headers: { "Accept-Encoding": "gzip" } },
      (response) => {
        answered = true;
        const status = response.statusCode ?? 0;
        // the body of errors only (a shed answer is told from a deadline's by it), never a page's
        const keep = status >= 400;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (keep && kept < 16_384) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        response.on("end", () => {
          let body = "";
          if (keep) {
            try {
              const raw = Buffer.concat(chunks);
              body = (response.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString();
            } catch {
              body = "(a body that did not decompress)";
            }
          }
          finish({ status, retryAfter: response.headers["retry-after"] !== undefined, body });
        });
        response.on("error", (error) => finish({ status: 0, retryAfter: false, body: "", error: errorName(error) }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: 0, retryAfter: false, body: "", error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    request.on("error", (error) => finish({ status: 0, retryAfter: false, body: "", error: errorName(error) }));
    request.once("socket", (socket) => {
      socketWaitMs = performance.now() - started;
      newConnection = !seenSockets.has(socket);
      seenSockets.add(socket);
    });
  });
}

const errorName = (error: Error) => (error as NodeJS.ErrnoException).code ?? error.message;

let serverOutputLines = 0;
const SERVER_OUTPUT_SHOWN = 40;
function relay(chunk: Buffer, write: (text: string) => void) {
  for (const line of chunk.toString().split("\n")) {
    if (!line) continue;
    serverOutputLines++;
    if (serverOutputLines <= SERVER_OUTPUT_SHOWN) write(`  [server] ${line}\n`);
    else if (serverOutputLines === SERVER_OUTPUT_SHOWN + 1) write("  [server] … (further output counted, not shown)\n");
  }
}

async function startServer(port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["--import", "tsx", "app/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: BENCH_URL,
      NODE_ENV: "production",
      PORT: String(port),
      COOKIE_SECURE: "false",
      API_RATE_LIMIT_PER_MINUTE: "1000000000",
      MOCKS: "false",
      ...(MAX_IN_FLIGHT ? { MAX_IN_FLIGHT_REQUESTS: MAX_IN_FLIGHT } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk: Buffer) => relay(chunk, (text) => process.stdout.write(text)));
  server.stderr!.on("data", (chunk: Buffer) => relay(chunk, (text) => process.stderr.write(text)));
  const agent = new http.Agent({ keepAlive: false });
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) throw new Error(`the app server exited with ${server.exitCode}`);
      const health = await get(agent, port, "/healthz", 5000);
      if (health.status === 200) return server;
      await sleep(250);
    }
  } finally {
    agent.destroy();
  }
  server.kill("SIGKILL");
  throw new Error("the app server did not answer /healthz within 60 s");
}

// ---- the load -----------------------------------------------------------------------------------

type Tally = {
  label: string;
  connections: number;
  seconds: number;
  accepted: number[];
  accepted4xx: number;
  shed: number[];
  limited: number;
  failed: number;
  failures: Map<string, number>;
  samples: string[];
  ready: { polls: number; notReady: number; slow: number; maxMs: number; reasons: Map<string, number>; live: number[] };
  clientCpu: number;
  serverCpu: number | null;
  /** connections opened (past the first `connections`: the server closed some) and the longest wait for one in this client */
  opened: number;
  socketWaitMaxMs: number;
  retried: number;
  /** the machine's 1-minute load average at the start and the end: other work on a shared machine */
  load: [number, number];
};

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Polls `readyPath` once a second on a connection of its own until `stopped()`, and after each
 * poll `/healthz/live` (no database: its latency is the server's event-loop delay, or its wait for
 * a core).
 */
async function pollReady(port: number, readyPath: string, stopped: () => boolean, tally: Tally["ready"]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (!stopped()) {
      const started = performance.now();
      const answer = await get(agent, port, readyPath, READY_TIMEOUT_MS);
      tally.polls++;
      tally.maxMs = Math.max(tally.maxMs, answer.ms);
      if (answer.ms > SLOW_READY_MS) tally.slow++;
      if (answer.status !== 200) {
        tally.notReady++;
        bump(
          tally.reasons,
          answer.error ?? `${answer.status}${answer.retryAfter ? " (Retry-After)" : ""} ${answer.body.slice(0, 160)}`,
        );
      }
      if (hasLive) {
        const live = await get(agent, port, "/healthz/live", READY_TIMEOUT_MS);
        tally.live.push(live.status === 200 ? live.ms : Infinity);
      }
      const wait = 1000 - (performance.now() - started);
      // wake early when the run ends, so a scenario never waits on its poller
      for (let left = wait; left > 0 && !stopped(); left -= 100) await sleep(Math.min(100, left));
    }
  } finally {
    agent.destroy();
  }
}

async function run(
  port: number,
  label: string,
  urls: string[],
  connections: number,
  seconds: number,
  { readyPath, serverPid }: { readyPath: string | null; serverPid?: number },
): Promise<Tally> {
  const tally: Tally = {
    label,
    connections,
    seconds: 0,
    accepted: [],
    accepted4xx: 0,
    shed: [],
    limited: 0,
    failed: 0,
    failures: new Map(),
    samples: [],
    ready: { polls: 0, notReady: 0, slow: 0, maxMs: 0, reasons: new Map(), live: [] },
    clientCpu: 0,
    serverCpu: null,
    opened: 0,
    socketWaitMaxMs: 0,
    retried: 0,
    load: [os.loadavg()[0], 0],
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const sample = (line: string) => {
    if (tally.samples.length < 5) tally.samples.push(line);
  };
  let next = 0;
  let done = false;
  const cpuBefore = process.cpuUsage();
  const serverBefore = treeCpuSeconds(serverPid);
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const poller = readyPath ? pollReady(port, readyPath, () => done, tally.ready) : Promise.resolve();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < stopAt) {
        const url = urls[next++ % urls.length];
        const answer = await get(agent, port, url);
        const { status } = answer;
        if (answer.newConnection) tally.opened++;
        if (answer.retried) tally.retried++;
        tally.socketWaitMaxMs = Math.max(tally.socketWaitMaxMs, answer.socketWaitMs);
        if (status === 503 && answer.retryAfter && isShed(answer.body)) {
          tally.shed.push(answer.ms);
          if (SHED_PAUSE_MS > 0) await sleep(SHED_PAUSE_MS);
        } else if (status === 429) {
          tally.limited++;
          sample(`429 ${url}: ${answer.body.slice(0, 300)}`);
        } else if (status >= 200 && status < 500) {
          tally.accepted.push(answer.ms);
          if (status >= 400) {
            tally.accepted4xx++;
            sample(`${status} ${url}: ${answer.body.slice(0, 300)}`);
          }
        } else {
          tally.failed++;
          const reason =
            answer.error ??
            `HTTP ${status}${status === 503 && !answer.retryAfter ? " without Retry-After" : ""}: ${reasonOf(answer.body)}`;
          bump(tally.failures, reason);
          sample(`${reason} ${url}: ${answer.body.slice(0, 300)}`);
        }
      }
    }),
  );
  tally.seconds = (performance.now() - started) / 1000;
  done = true;
  await poller;
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  tally.clientCpu = (cpu.user + cpu.system) / 1e6 / tally.seconds;
  const serverAfter = treeCpuSeconds(serverPid);
  tally.serverCpu = serverBefore !== null && serverAfter !== null ? (serverAfter - serverBefore) / tally.seconds : null;
  tally.load[1] = os.loadavg()[0];
  return tally;
}

/**
 * A 503 is load shedding when it says the server is busy (the API's JSON `{error}`, the page's
 * English paragraph); a 503 after the request was taken (its deadline passed, the database went
 * away) is a failure, even with Retry-After.
 */
const isShed = (body: string) => /\bbusy\b|too many people/i.test(body);

/** the API's `{error}` or the error page's first English paragraph, short */
function reasonOf(body: string) {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error.slice(0, 100);
  } catch {
    // a page
  }
  const english = body.split('lang="en"')[1] ?? body;
  const paragraph = /<p>([^<]*)<\/p>/.exec(english)?.[1] ?? english.replace(/<[^>]*>/g, " ");
  return paragraph.replace(/\s+/g, " ").trim().slice(0, 100);
}

function percentiles(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

const fmtMs = (x: number) =>
  Number.isNaN(x) ? "–" : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`;

function row(t: Tally) {
  const total = t.accepted.length + t.shed.length + t.limited + t.failed;
  const p = percentiles(t.accepted);
  const ready = t.ready.polls
    ? `${t.ready.notReady} of ${t.ready.polls} (${t.ready.slow} > 1 s; max ${fmtMs(t.ready.maxMs)})`
    : "–";
  return `| ${t.label} | ${t.connections} | ${t.seconds.toFixed(1)} | ${(total / t.seconds).toFixed(0)} | ${t.accepted.length} (${(t.accepted.length / t.seconds).toFixed(0)}/s) | ${t.shed.length} | ${t.limited} | ${t.failed} | ${fmtMs(p.p50)} | ${fmtMs(p.p95)} | ${fmtMs(p.p99)} | ${fmtMs(p.max)} | ${ready} |`;
}

function details(t: Tally) {
  const lines: string[] = [];
  const shed = percentiles(t.shed);
  const cpu =
    `CPU: bench client ${(t.clientCpu * 100).toFixed(0)}% of a core${t.serverCpu !== null ? `, app server ${(t.serverCpu * 100).toFixed(0)}%` : ""}; ` +
    `machine load average ${t.load[0].toFixed(1)} → ${t.load[1].toFixed(1)} (${os.cpus().length} cores)`;
  lines.push(`  ${t.label}, ${t.connections} connections: ${cpu}`);
  lines.push(
    `    connections opened ${t.opened}; longest wait for a connection in this client ${fmtMs(t.socketWaitMaxMs)}; ` +
      `sent again after the server closed an idle kept-alive connection under it: ${t.retried}`,
  );
  if (t.accepted.length) {
    const mean = t.accepted.reduce((a, b) => a + b, 0) / t.accepted.length;
    // Little's law: what was in flight on average for the accepted answers, to set beside the cap
    lines.push(
      `    accepted: mean ${fmtMs(mean)} × ${(t.accepted.length / t.seconds).toFixed(1)}/s = ${((mean / 1000) * (t.accepted.length / t.seconds)).toFixed(1)} in flight on average`,
    );
  }
  if (t.accepted4xx) lines.push(`    accepted includes ${t.accepted4xx} 4xx answers`);
  if (t.shed.length)
    lines.push(`    shed answered in p50 ${fmtMs(shed.p50)}, p99 ${fmtMs(shed.p99)}, max ${fmtMs(shed.max)}`);
  for (const [reason, n] of t.failures) lines.push(`    failed: ${n} × ${reason}`);
  for (const [reason, n] of t.ready.reasons) lines.push(`    ready poll not ready: ${n} × ${reason}`);
  if (t.ready.live.length) {
    const live = percentiles(t.ready.live);
    lines.push(
      `    /healthz/live (no database) answered in p50 ${fmtMs(live.p50)}, max ${fmtMs(live.max)}: the server's event-loop delay`,
    );
  }
  for (const s of t.samples) lines.push(`    sample: ${s}`);
  return lines;
}

// ---- main ---------------------------------------------------------------------------------------

let server: ChildProcess | null = null;
let hasLive = false;
const killServerNow = () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}: stopping the app server`);
    killServerNow();
    process.exit(130);
  });
}

const { closeDb } = await import("../../db/client.server");
try {
  const known = ["api", "pages"];
  const unknown = SCENARIO_NAMES.filter((name) => !known.includes(name));
  if (unknown.length || SCENARIO_NAMES.length === 0)
    throw new Error(`BENCH_SCENARIOS: a list of ${known.join(", ")} (got "${process.env.BENCH_SCENARIOS}")`);

  await ensureBenchDatabase(BENCH_URL, "BENCH_DATABASE_URL");
  const synthetic = await import("./synthetic-province");
  const active = await synthetic.countActiveServices();
  if (active < synthetic.MIN_ACTIVE_SERVICES) {
    log(`the bench database has ${active} active services: generating the synthetic province`);
    await synthetic.generateSyntheticProvince({ regenerate: true });
  } else {
    // a migration added since the province was generated
    const { migrateDatabase } = await import("../../db/migrate.server");
    await migrateDatabase();
  }
  const { queryRows } = await import("../../db/client.server");
  const { sql } = await import("drizzle-orm");
  const [counts] = await queryRows<{ facilities: number; services: number; active: number }>(sql`
    select (select count(*)::int from facilities) as facilities, (select count(*)::int from services) as services,
           (select count(*)::int from services where status = 'active') as active`);
  log(
    `database: ${new URL(BENCH_URL).pathname.slice(1)}: ${counts.facilities} facilities, ${counts.services} services (${counts.active} active)`,
  );
  const points: BenchPoint[] = await cityPoints(BENCH_URL, POINTS);
  await closeDb();

  ensureBuild();
  const port = await freePort();
  log(
    `starting the app server (production build) on 127.0.0.1:${port}, MAX_IN_FLIGHT_REQUESTS ${MAX_IN_FLIGHT ?? "unset (the server's default)"}`,
  );
  server = await startServer(port);
  const serverPid = server.pid;

  // from here on the run is bounded: a watchdog stops everything if it overruns
  const runs = SCENARIO_NAMES.length * 3;
  const budgetMs =
    SCENARIO_NAMES.length * (WARMUP_SECONDS + 2 * SECONDS) * 1000 + runs * (REQUEST_TIMEOUT_MS + PAUSE_MS) + 60_000;
  setTimeout(() => {
    console.error(
      `bench: still running after ${(budgetMs / 1000).toFixed(0)} s: stopping the app server and giving up`,
    );
    killServerNow();
    process.exit(2);
  }, budgetMs).unref();

  const probe = new http.Agent({ keepAlive: false });
  let readyPath = "/healthz/ready";
  const ready = await get(probe, port, readyPath, READY_TIMEOUT_MS);
  if (ready.status === 404) {
    readyPath = "/healthz";
    log("note: the server has no /healthz/ready: polling /healthz instead");
  }
  hasLive = (await get(probe, port, "/healthz/live", READY_TIMEOUT_MS)).status === 200;

  const apiUrls = points.map((p) => `/api/v1/services?lat=${p.lat}&lng=${p.lng}&category=${CATEGORY}&limit=${LIMIT}`);
  // the public pages a resident or a visitor opens: the residents' page at a point (half of the
  // requests), the coverage entry (a redirect to the province) and a city's public report
  const pageUrls = points.map((p, i) =>
    i % 4 === 1 ? "/coverage" : i % 4 === 3 ? "/coverage/3701" : `/?lat=${p.lat}&lng=${p.lng}`,
  );
  const scenarios = { api: apiUrls, pages: pageUrls };
  // each kind of URL once, so a broken route shows before the load hides it
  for (const url of [apiUrls[0], pageUrls[0], pageUrls[1], pageUrls[3]].filter((u, i, all) => all.indexOf(u) === i)) {
    const answer = await get(probe, port, url);
    log(`  check: GET ${url} → ${answer.status || answer.error} in ${fmtMs(answer.ms)}`);
    if (answer.status === 0 || answer.status >= 400)
      throw new Error(`GET ${url} answered ${answer.status || answer.error}: ${answer.body}`);
  }
  probe.destroy();

  log(
    `\nload: ${CONNECTIONS} keep-alive connections for ${SECONDS} s per scenario (baseline ${BASELINE_CONNECTIONS}), ` +
      `request timeout ${REQUEST_TIMEOUT_MS / 1000} s, ${readyPath} polled once a second (timeout ${READY_TIMEOUT_MS} ms), ` +
      `pause after a shed answer ${SHED_PAUSE_MS} ms`,
  );
  const tallies: Tally[] = [];
  for (const name of SCENARIO_NAMES as (keyof typeof scenarios)[]) {
    const urls = scenarios[name];
    log(`\n${name}: warm-up ${WARMUP_SECONDS} s with ${BASELINE_CONNECTIONS} connections (not counted)`);
    await run(port, name, urls.slice(-2000), BASELINE_CONNECTIONS, WARMUP_SECONDS, { readyPath: null });
    for (const connections of [BASELINE_CONNECTIONS, CONNECTIONS]) {
      await sleep(PAUSE_MS);
      log(`${name}: ${connections} connections for ${SECONDS} s`);
      const tally = await run(port, name, urls, connections, SECONDS, { readyPath, serverPid });
      tallies.push(tally);
      log(row(tally));
      if (server.exitCode !== null || server.signalCode !== null)
        throw new Error(`the app server died during ${name} (${server.exitCode ?? server.signalCode})`);
    }
  }

  log(
    `\nresults (loopback; the app server, PostgreSQL and this client share the machine; latency of accepted answers)`,
  );
  log(
    `\n| scenario | connections | seconds | requests/s | accepted | shed (503) | 429 | failed | p50 | p95 | p99 | max | ${readyPath} not ready |`,
  );
  log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const t of tallies) log(row(t));
  log("");
  for (const t of tallies) for (const line of details(t)) log(line);
  log("");
  for (const t of tallies.filter((t) => t.connections === CONNECTIONS)) {
    const p99 = percentiles(t.accepted).p99;
    const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
    log(
      `goal, ${t.label} at ${CONNECTIONS} connections: accepted p99 <= ${GOAL_P99_MS} ms ${verdict(p99 <= GOAL_P99_MS)} (${fmtMs(p99)}); ` +
        `${readyPath} never not ready ${verdict(t.ready.notReady === 0)} (${t.ready.notReady} of ${t.ready.polls}); ` +
        `no failures ${verdict(t.failed === 0)}; no 429 ${verdict(t.limited === 0)}`,
    );
  }
  if (serverOutputLines > SERVER_OUTPUT_SHOWN)
    log(`the app server wrote ${serverOutputLines} lines of output (first ${SERVER_OUTPUT_SHOWN} shown)`);
  if (tallies.some((t) => t.failed > 0 || t.limited > 0)) process.exitCode = 1;
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  if (server) await stopServer(server);
  await closeDb();
}
