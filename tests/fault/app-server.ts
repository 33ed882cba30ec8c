// The production app server for the fault suite: the build served by `node --import tsx
// app/server.ts` with NODE_ENV=production on a database of the suite's own PostgreSQL, seeded with
// the demo data (as `npm start` does), watched so that an exit is seen the moment it happens.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

import {
  freePort,
  startPostgresInstance,
  type PostgresInstance,
  type PostgresInstanceOptions,
} from "./postgres-instance";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function ensureBuild() {
  if (!existsSync(path.join(root, "build/index.js"))) {
    execFileSync("npx", ["remix", "build"], { cwd: root, stdio: "inherit" });
  }
}

/** migrate, load the reference data and the demo data (db/setup.ts --demo) into `databaseUrl` */
export function seedDemoDatabase(databaseUrl: string, extraEnv: Record<string, string> = {}) {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "db/setup.ts"), "--demo"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...extraEnv },
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 300_000,
  });
}

/** the suite's own PostgreSQL with a database `shequ` holding the demo data (build ensured first) */
export async function startDemoPostgres(
  options: PostgresInstanceOptions = {},
): Promise<{ pg: PostgresInstance; url: string }> {
  ensureBuild();
  const pg = await startPostgresInstance(options);
  const admin = postgres(pg.url(), { max: 1, onnotice: () => {} });
  await admin`create database shequ`;
  await admin.end();
  seedDemoDatabase(pg.url("shequ"));
  return { pg, url: pg.url("shequ") };
}

/** SIGTERM, then SIGKILL if the process has not exited within 10 s; resolves when it has gone */
export async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const stopped = await Promise.race([gone.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
  if (!stopped) child.kill("SIGKILL");
}

export type AppServer = {
  baseUrl: string;
  process: ChildProcess;
  /** exit code or signal once it exited, else null */
  exited: () => string | null;
  /** everything it printed */
  output: () => string;
  stop: () => Promise<void>;
};

export async function startAppServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const port = await freePort();
  let output = "";
  let exit: string | null = null;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "app/server.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      COOKIE_SECURE: "false",
      PORT: String(port),
      MOCKS: "true",
      // the suite polls the public API many times a minute from one address
      API_RATE_LIMIT_PER_MINUTE: "100000",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.on("exit", (code, signal) => {
    exit = signal ? `signal ${signal}` : `code ${code}`;
  });
  const kill = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  process.on("exit", kill);

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exit) throw new Error(`the app server exited (${exit}) before answering:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the app server did not answer /healthz within 120 s:\n${output}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    baseUrl,
    process: child,
    exited: () => exit,
    output: () => output,
    stop: async () => {
      process.off("exit", kill);
      if (!exit) await stopProcess(child);
    },
  };
}

/** POST /login as a demo account; the session cookie ("name=value; ...") */
export async function signIn(
  baseUrl: string,
  username: string,
  password = process.env.DEMO_PASSWORD ?? "shequ-demo-2022",
) {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    redirect: "manual",
  });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (response.status !== 302 || cookies.length === 0) {
    throw new Error(`signing in as ${username}: ${response.status} ${await response.text().catch(() => "")}`);
  }
  return cookies.join("; ");
}

export type Outcome = {
  status: number; // 0 = no answer (connection refused, reset, or our own timeout)
  ms: number;
  at: number; // performance.now() when sent
  contentType: string;
  retryAfter: string | null;
  body: string;
  error?: string;
};

/** one request, timed; never throws */
export async function timed(url: string, init: RequestInit = {}, timeoutMs = 20_000): Promise<Outcome> {
  const at = performance.now();
  try {
    const response = await fetch(url, { redirect: "manual", ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return {
      status: response.status,
      ms: performance.now() - at,
      at,
      contentType: response.headers.get("content-type") ?? "",
      retryAfter: response.headers.get("retry-after"),
      body,
    };
  } catch (error) {
    return {
      status: 0,
      ms: performance.now() - at,
      at,
      contentType: "",
      retryAfter: null,
      body: "",
      error: String(error),
    };
  }
}
