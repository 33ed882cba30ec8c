// One process per PGlite data folder. PGlite has no lock of its own: two processes on one folder
// both run, both accept writes and corrupt it (issue 11). Whoever opens the folder first takes
// `<folder>.lock` (beside the folder, so that it is never inside a backup or a restored folder);
// the next one waits a few seconds for a holder that is exiting, then refuses, naming the PID.
// A lock left by a killed process is taken over: its PID is dead, a zombie, or now another
// process (its start time differs), or the machine has rebooted since.
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

export type LockInfo = {
  pid: number;
  /** the process's start time (clock ticks since boot, /proc/<pid>/stat field 22), where known */
  startTime: number | null;
  /** /proc/sys/kernel/random/boot_id, where known: a lock from before a reboot is stale */
  bootId: string | null;
  host: string;
  dataDir: string;
  since: string;
  /** tells this lock file from any later one at the same path */
  nonce: string;
};

export type PgliteLock = {
  dataDir: string;
  lockPath: string;
  info: LockInfo;
  /** idempotent; removes the lock file only while it is still this lock's */
  release: () => void;
};

export class PgliteLockError extends Error {
  declare readonly dataDir: string;
  declare readonly holder: LockInfo | null;
  constructor(message: string, dataDir: string, holder: LockInfo | null) {
    super(message);
    this.name = "PgliteLockError";
    // not enumerable: an uncaught refusal prints its sentence only
    Object.defineProperties(this, { dataDir: { value: dataDir }, holder: { value: holder } });
    this.stack = `${this.name}: ${message}`;
  }
}

/** How long a second opener waits for a live holder (e.g. `remix dev`'s previous app server). */
export const DEFAULT_LOCK_WAIT_MS = 5_000;

export const lockPathFor = (dataDir: string) => `${path.resolve(dataDir)}.lock`;

function readProcStat(pid: number): { state: string; startTime: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTime = Number(fields[19]); // field 22 overall
    return Number.isFinite(startTime) ? { state: fields[0] ?? "", startTime } : null;
  } catch {
    return null;
  }
}

function readBootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

function ownInfo(dataDir: string): LockInfo {
  return {
    pid: process.pid,
    startTime: readProcStat(process.pid)?.startTime ?? null,
    bootId: readBootId(),
    host: hostname(),
    dataDir,
    since: new Date().toISOString(),
    nonce: randomBytes(12).toString("hex"),
  };
}

function readLockFile(lockPath: string): LockInfo | null | "unreadable" {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return Number.isInteger(info.pid) && typeof info.nonce === "string" ? info : "unreadable";
  } catch {
    return "unreadable";
  }
}

export type HolderState = "alive" | "dead" | "other-host";

/** Whether the process that wrote a lock still runs. */
export function holderState(info: LockInfo): HolderState {
  if (info.host !== hostname()) return "other-host";
  const bootId = readBootId();
  if (info.bootId && bootId && info.bootId !== bootId) return "dead";
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return "dead";
  }
  const stat = readProcStat(info.pid);
  if (stat?.state === "Z" || stat?.state === "X") return "dead";
  // the PID is alive but belongs to a process started later: the holder is gone, its PID reused
  if (stat && info.startTime != null && stat.startTime !== info.startTime) return "dead";
  return "alive";
}

/** The current lock on a data folder, if any, and whether its holder runs. */
export function readPgliteLock(dataDir: string): { info: LockInfo; state: HolderState } | null {
  const info = readLockFile(lockPathFor(dataDir));
  if (info === null || info === "unreadable") return null;
  return { info, state: holderState(info) };
}

function ageMs(file: string) {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Locks this process holds, shared by every copy of this module (the Remix build bundles its own).
type Held = { lock: PgliteLock; refs: number; shareable: boolean };
const registryKey = Symbol.for("shequ.pglite-locks");
const globals = globalThis as { [registryKey]?: Map<string, Held> };
const held = (globals[registryKey] ??= new Map());

/** Whether this process holds the folder's lock. */
export function holdsPgliteLock(dataDir: string) {
  return held.has(path.resolve(dataDir));
}

let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // a process that ends without closing the database (an uncaught error, process.exit) frees it
  process.on("exit", () => {
    for (const entry of held.values()) entry.lock.release();
  });
}

function refusal(dataDir: string, holder: LockInfo, state: HolderState) {
  const who =
    holder.pid === process.pid && state === "alive"
      ? `this process (PID ${holder.pid}) already has it open`
      : state === "other-host"
        ? `process ${holder.pid} on ${holder.host} holds it`
        : `process ${holder.pid} holds it (since ${holder.since})`;
  const advice =
    holder.pid === process.pid && state === "alive"
      ? "Two PGlite instances on one folder corrupt it; close the other first"
      : "Two processes on one PGlite folder corrupt it; stop that process first";
  return new PgliteLockError(
    `the embedded database ${dataDir} is in use: ${who}. ${advice} (lock file ${lockPathFor(dataDir)}).`,
    dataDir,
    holder,
  );
}

/**
 * Takes the folder's lock, synchronously (the database client opens at import). While a live
 * process holds it, retries for `waitMs`, then throws a PgliteLockError naming the folder and PID.
 * `shareable`: a later open in this same process shares it (restore hands its lock to the client).
 */
export function acquirePgliteLock(dataDir: string, options: { waitMs?: number; shareable?: boolean } = {}): PgliteLock {
  const resolved = path.resolve(dataDir);
  const lockPath = lockPathFor(resolved);
  const already = held.get(resolved);
  if (already) {
    if (!already.shareable) throw refusal(resolved, already.lock.info, "alive");
    return handle(already);
  }

  mkdirSync(path.dirname(resolved), { recursive: true });
  const info = ownInfo(resolved);
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  // the whole lock file appears at once (link fails if one exists), never a half-written one
  const temp = `${lockPath}.${process.pid}.${info.nonce}.tmp`;
  writeFileSync(temp, JSON.stringify(info, null, 2) + "\n", { mode: 0o644 });
  try {
    for (;;) {
      try {
        linkSync(temp, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const current = readLockFile(lockPath);
      if (current === null) continue; // released in between
      if (current === "unreadable") {
        // not written by this module (we only ever link complete files): leave it to a person
        throw new PgliteLockError(
          `the embedded database ${resolved} has a lock file that is not readable (${lockPath}); ` +
            `remove it if no process uses the folder.`,
          resolved,
          null,
        );
      }
      const state = holderState(current);
      if (state === "dead") {
        breakStaleLock(lockPath, current);
        continue;
      }
      if (Date.now() >= deadline || state === "other-host" || current.pid === process.pid) {
        throw refusal(resolved, current, state);
      }
      sleepSync(200);
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }

  let released = false;
  const lock: PgliteLock = {
    dataDir: resolved,
    lockPath,
    info,
    release: () => {
      if (released) return;
      released = true;
      held.delete(resolved);
      const current = readLockFile(lockPath);
      if (current && current !== "unreadable" && current.nonce === info.nonce) {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone
        }
      }
    },
  };
  const entry: Held = { lock, refs: 0, shareable: options.shareable ?? false };
  held.set(resolved, entry);
  installExitHook();
  return handle(entry);
}

/** One user's share of a held lock: the file goes when the last share is released. */
function handle(entry: Held): PgliteLock {
  entry.refs += 1;
  let released = false;
  return {
    ...entry.lock,
    release: () => {
      if (released) return;
      released = true;
      if (--entry.refs === 0) entry.lock.release();
    },
  };
}

/**
 * Removes a lock whose holder is dead. Breakers take turns through `<lock>.break` (O_EXCL), and
 * each removes the lock file only if it is still the stale one it judged: a new holder's lock
 * (linked after the stale one is gone) is never removed.
 */
function breakStaleLock(lockPath: string, stale: LockInfo) {
  const breakPath = `${lockPath}.break`;
  try {
    writeFileSync(breakPath, JSON.stringify(ownInfo(stale.dataDir)), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // another process is breaking it; unless that breaker died mid-way, wait for it
    const breaker = readLockFile(breakPath);
    const breakerGone =
      breaker === null || (breaker === "unreadable" ? ageMs(breakPath) > 2_000 : holderState(breaker) === "dead");
    if (breakerGone) {
      try {
        renameSync(breakPath, `${breakPath}.${process.pid}.old`);
        unlinkSync(`${breakPath}.${process.pid}.old`);
      } catch {
        // someone else cleared it
      }
    } else sleepSync(20);
    return;
  }
  try {
    const current = readLockFile(lockPath);
    if (current && current !== "unreadable" && current.nonce === stale.nonce) unlinkSync(lockPath);
  } finally {
    unlinkSync(breakPath);
  }
}
