// One process per PGlite data folder (issue 11): two processes on one folder used to both run and
// corrupt it. The two-process cases run real child processes (`node --import tsx`) on copies of
// the test template: a holder (tests/integration/fixtures/pglite-holder.ts, as the app server) and
// the npm scripts (db/migrate.ts, db/backup.ts, db/restore.ts).
import { sql } from "drizzle-orm";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

import { connect, queryRows } from "../../db/client.server";
import { env } from "../../db/env.server";
import { acquirePgliteLock, lockPathFor, PgliteLockError, type LockInfo } from "../../db/pglite-lock.server";
import { root } from "../setup/global-setup";

const template = process.env.SHEQU_TEST_TEMPLATE_DIR;
const holderScript = path.join(root, "tests/integration/fixtures/pglite-holder.ts");
let folders = 0;

/** A copy of the migrated template, under the run's folder (removed after the run). */
function freshFolder(name: string) {
  const dir = path.join(
    root,
    ".cache/test-db",
    process.env.SHEQU_TEST_RUN_ID ?? "run",
    `lock-${process.pid}-${++folders}-${name}`,
  );
  cpSync(template!, dir, { recursive: true });
  return dir;
}

const childEnv = (dataDir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "test",
  DATABASE_URL: "",
  PGLITE_DATA_DIR: dataDir,
});

function run(script: string, dataDir: string, args: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, script), ...args], {
    cwd: root,
    env: childEnv(dataDir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

/** Starts a process that holds the folder; resolves once it has written NOTE and is ready. */
function startHolder(dataDir: string, args: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", holderScript, ...args], {
    cwd: root,
    env: childEnv(dataDir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise<ChildProcess>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) resolve(child);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the holder exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

const readLock = (dataDir: string) => JSON.parse(readFileSync(lockPathFor(dataDir), "utf8")) as LockInfo;

function procStartTime(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

const holders: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(holders.splice(0).map((child) => stop(child, "SIGKILL")));
});

// runs in the embedded-database pass only (tests/vitest.config.ts leaves it out of the PostgreSQL pass)
if (!template)
  throw new Error("the global setup built no PGlite template: this file belongs to the embedded-database pass");

describe("the PGlite data folder lock", () => {
  it("refuses a second process on a folder another one holds, naming the folder and the holder's PID", async () => {
    const dir = freshFolder("second");
    const holder = await startHolder(dir);
    holders.push(holder);

    const second = await run("db/migrate.ts", dir);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`the embedded database ${dir} is in use`);
    expect(second.stderr).toContain(`process ${holder.pid} holds it`);
    expect(second.stdout).not.toContain("migrations:");
    expect(readLock(dir).pid).toBe(holder.pid); // the holder keeps it

    // a holder that is shutting down (remix dev restarting the app server) is waited for: stopped
    // a second from now by another process, while this one waits for the lock
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    spawn("sh", ["-c", `sleep 1; kill -TERM ${holder.pid}`], { stdio: "ignore" });
    const lock = acquirePgliteLock(dir, { waitMs: 30_000 });
    try {
      expect(await exited).toBe(0); // SIGTERM closed its database and released the lock
      expect(readLock(dir).pid).toBe(process.pid);
    } finally {
      lock.release();
    }
    expect(existsSync(lockPathFor(dir))).toBe(false);
  }, 120_000);

  it("takes over a lock left by a process killed with SIGKILL", async () => {
    const dir = freshFolder("stale");
    const holder = await startHolder(dir);
    holders.push(holder);
    await stop(holder, "SIGKILL");
    expect(readLock(dir).pid).toBe(holder.pid); // left behind

    const next = await run("db/migrate.ts", dir);
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(next.stdout).toContain("migrations:");
    expect(existsSync(lockPathFor(dir))).toBe(false); // released on close
  }, 120_000);

  it("judges a lock by PID and start time: a live holder refuses, a reused PID is stale", () => {
    const dir = path.join(root, ".cache/test-db", process.env.SHEQU_TEST_RUN_ID ?? "run", `lock-${process.pid}-pid1`);
    mkdirSync(path.dirname(dir), { recursive: true });
    const other = { ...readLockInfoFor(dir), pid: 1, startTime: procStartTime(1), nonce: "held-by-pid-1" };
    writeFileSync(lockPathFor(dir), JSON.stringify(other));
    let refusal: unknown;
    try {
      acquirePgliteLock(dir, { waitMs: 0 }).release();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(PgliteLockError);
    expect((refusal as Error).message).toContain(`the embedded database ${dir} is in use: process 1 holds it`);

    // PID 1 still runs, but it is not the process that wrote the lock: it started at another time
    writeFileSync(lockPathFor(dir), JSON.stringify({ ...other, startTime: other.startTime + 1 }));
    const lock = acquirePgliteLock(dir, { waitMs: 0 });
    expect(readLock(dir).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it("lets one process open several folders, and refuses the same folder twice", async () => {
    // this worker's own database is open already (the test setup)
    expect(readLock(env.PGLITE_DATA_DIR).pid).toBe(process.pid);
    expect(() => connect({ dataDir: env.PGLITE_DATA_DIR })).toThrow(/this process \(PID \d+\) already has it open/);

    const dir = freshFolder("in-process");
    const second = connect({ dataDir: dir });
    try {
      const [row] = await queryRows<{ n: number }>(sql`select count(*)::int as n from regions`, second.db);
      expect(row?.n).toBeGreaterThan(0);
      expect(readLock(dir).pid).toBe(process.pid);
    } finally {
      await second.close();
    }
    expect(existsSync(lockPathFor(dir))).toBe(false);
    expect(readLock(env.PGLITE_DATA_DIR).pid).toBe(process.pid);
  }, 60_000);

  it("backs up through the socket of the process that holds the folder, and restores a working database", async () => {
    const dir = freshFolder("backup");
    const note = `written before the backup ${Date.now()}`;
    const holder = await startHolder(dir, [note, "--serve-backups"]);
    holders.push(holder);
    const file = `${dir}-backup.tar.gz`;

    const backup = await run("db/backup.ts", dir, [file]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`from the running app server (PID ${holder.pid})`);
    expect(existsSync(file)).toBe(true);

    const refused = await run("db/restore.ts", dir, [file]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`process ${holder.pid} holds it`);

    await stop(holder, "SIGTERM");
    const restore = await run("db/restore.ts", dir, [file]);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    const movedTo = /kept in (\S+)/.exec(restore.stdout)?.[1];
    expect(movedTo && existsSync(path.join(movedTo, "PG_VERSION"))).toBe(true);
    expect(restore.stdout).toMatch(/restored: \d+ migrations applied, \d+ regions/);
    expect(existsSync(lockPathFor(dir))).toBe(false);

    const restored = connect({ dataDir: dir });
    try {
      const notes = await queryRows<{ note: string }>(sql`select note from backup_probe`, restored.db);
      expect(notes.map((row) => row.note)).toEqual([note]);
      const [regions] = await queryRows<{ n: number }>(sql`select count(*)::int as n from regions`, restored.db);
      expect(regions?.n).toBeGreaterThan(0);
    } finally {
      await restored.close();
    }
  }, 180_000);
});

function readLockInfoFor(dir: string): LockInfo {
  return {
    pid: 0,
    startTime: null,
    bootId: null,
    host: hostname(),
    dataDir: dir,
    since: new Date().toISOString(),
    nonce: "",
  };
}
