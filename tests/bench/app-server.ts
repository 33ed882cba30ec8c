// The benches' app server: built when its sources changed, started by each bench with its own
// environment, then these wait for it to answer, read its CPU time and stop it the way a process
// manager would.
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Resolves once the server answers /healthz; kills it and throws if it exits or does not answer in time. */
export async function waitForHealth(server: ChildProcess, port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app server exited with ${server.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill("SIGKILL");
  throw new Error(`the app server did not answer /healthz within ${timeoutMs / 1000} s`);
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
export async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is none */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return null;
  }
}

/** The process and its children (a cluster's primary and workers): pids from /proc. */
export function processTree(pid: number): number[] {
  const children = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // the field after the state is the parent's pid
        return Number(readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1].split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children];
}

/** The app processes of a server: its cluster's workers, or itself when it runs alone. */
export function appProcessCount(pid: number): number {
  const workers = processTree(pid)
    .slice(1)
    .filter((child) => {
      try {
        // not tsx's esbuild service
        return readFileSync(`/proc/${child}/comm`, "utf8").trim() === "node";
      } catch {
        return false;
      }
    });
  return Math.max(1, workers.length);
}

/** CPU seconds the process and its children have used so far; null without /proc */
export function treeCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const each = processTree(pid).map(cpuSeconds);
  return each[0] === null ? null : each.reduce<number>((sum, s) => sum + (s ?? 0), 0);
}

/** every source file the build is made of (app/server.ts is run by tsx, not built) */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx|js|jsx|css|json)$/.test(entry.name) && relative !== path.join("app", "server.ts")
      ? [relative]
      : [];
  });
}

/** Builds the app (npm run build) when build/ is missing or older than any of its sources. */
export function ensureBuild() {
  const buildFile = path.join(root, "build/index.js");
  if (existsSync(buildFile)) {
    const built = statSync(buildFile).mtimeMs;
    const newer = [...sourceFiles("app"), ...sourceFiles("db"), "remix.config.js"].filter(
      (file) => statSync(path.join(root, file)).mtimeMs > built,
    );
    if (newer.length === 0 && readFileSync(buildFile, "utf8").includes('"routes/api.v1.services"')) return;
    console.log(
      `building the app (npm run build): ${newer.length} source file(s) newer than build/, e.g. ${newer.slice(0, 3).join(", ")}`,
    );
  } else {
    console.log("building the app (npm run build): no build/");
  }
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}
