// Issue 14, part 1: on PostgreSQL the production server runs WEB_CONCURRENCY app processes under
// node's cluster (docs/decisions/009). Two workers serve one port; a killed one is replaced while
// the other keeps answering; SIGTERM stops the primary and its workers within 10 s. On PGlite the
// same setting runs one process (the data folder admits one).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { startAppServer, timed, type AppServer, startDemoPostgres } from "./app-server";
import { childPids, type PostgresInstance } from "./postgres-instance";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** the app processes the server forked (tsx's esbuild services are children too: not counted) */
function appChildren(pid: number) {
  return childPids(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, "utf8").includes("app/server.ts");
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** polls until `check` holds; the test's own timeout bounds the wait */
async function until<T>(app: AppServer, what: string, check: () => T | undefined | false) {
  for (let i = 0; ; i++) {
    const value = check();
    if (value) return value;
    if (app.exited()) throw new Error(`the app server exited (${app.exited()}) waiting for ${what}:\n${app.output()}`);
    if (i % 100 === 99) console.log(`still waiting for ${what}:\n${app.output().slice(-2000)}`);
    await sleep(100);
  }
}

/** the app server's workers that have logged that they listen */
const listening = (app: AppServer) =>
  [...app.output().matchAll(/\(production, app process (\d+)\)/g)].map((m) => Number(m[1]));

let pg: PostgresInstance;

beforeAll(async () => {
  ({ pg } = await startDemoPostgres());
});

afterAll(() => pg?.destroy());

describe("WEB_CONCURRENCY=2 on PostgreSQL", () => {
  it("runs two app processes on one port, replaces a killed one, and stops on SIGTERM within 10 s", async () => {
    const app = await startAppServer(pg.url("shequ"), { WEB_CONCURRENCY: "2" });
    try {
      const primary = app.process.pid!;
      const workers = await until(app, "two workers listening", () => {
        const children = appChildren(primary);
        const up = listening(app).filter((pid) => children.includes(pid));
        return children.length === 2 && up.length === 2 && up;
      });
      expect(new Set(workers).size).toBe(2);
      expect(app.output()).toContain("starting 2 app processes");

      // one worker dies as the OOM killer would end it; the other answers meanwhile, a new one takes its place
      process.kill(workers[0], "SIGKILL");
      await until(app, "the killed worker gone", () => !alive(workers[0]));
      const during = await timed(`${app.baseUrl}/healthz`);
      expect(during.status, during.error ?? during.body).toBe(200);
      const replaced = await until(app, "a replacement listening", () => {
        const children = appChildren(primary);
        const fresh = listening(app).filter((pid) => !workers.includes(pid) && children.includes(pid));
        return children.length === 2 && fresh.length === 1 && fresh;
      });
      expect(appChildren(primary).sort()).toEqual([workers[1], replaced[0]].sort());
      expect(app.output()).toMatch(new RegExp(`app process ${workers[0]} died \\(signal SIGKILL\\)`));
      for (let i = 0; i < 6; i++) {
        const search = await timed(`${app.baseUrl}/api/v1/services?lat=36.666&lng=117.042&limit=1`);
        expect(search.status, search.error ?? search.body).toBe(200);
      }
      expect(app.exited()).toBeNull();

      // stop() sends SIGTERM and SIGKILLs after 10 s: a clean exit code means it stopped in time
      await app.stop();
      expect(app.exited(), app.output().slice(-3000)).toBe("code 0");
      expect([workers[1], replaced[0]].filter(alive)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});

describe("WEB_CONCURRENCY=2 on the embedded PGlite", () => {
  it("runs one process and says so", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "shequ-fault-pglite-"));
    // "" = no DATABASE_URL (db/env.server.ts): the embedded database in a fresh folder
    const app = await startAppServer("", { WEB_CONCURRENCY: "2", PGLITE_DATA_DIR: dataDir });
    try {
      expect(appChildren(app.process.pid!)).toEqual([]);
      expect(app.output()).toContain("WEB_CONCURRENCY=2 ignored");
      expect(app.output()).not.toContain("starting 2 app processes");
      await app.stop();
      expect(app.exited(), app.output().slice(-3000)).toBe("code 0");
    } finally {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
