// A throwaway PostgreSQL cluster for the fault suite: initdb into a temporary folder with the
// machine's binaries, on a free loopback port, its socket in that folder. The suite may stop,
// restart and kill it at will; the machine's own cluster (5432) is never touched. Under root (CI)
// the server runs as the `postgres` user (initdb refuses root) and the folder is owned by it.
import { execFile, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { appendServerSettings, postgresBinDir, postgresCommand, postgresUser } from "../../db/postgres-binaries.server";

export { postgresUser };

export type StopMode = "smart" | "fast" | "immediate";

export type PostgresInstance = {
  port: number;
  /** the temporary folder: data/, the log and the socket */
  dir: string;
  /** postgres://postgres@127.0.0.1:PORT/DATABASE */
  url: (database?: string) => string;
  /** pg_ctl start/stop/restart -w: resolve when done, without blocking the event loop */
  start: () => Promise<void>;
  stop: (mode?: StopMode) => Promise<void>;
  restart: (mode?: StopMode) => Promise<void>;
  /** SIGKILL the postmaster and its children (as a crash or the OOM killer would), no shutdown */
  kill: () => Promise<void>;
  isRunning: () => boolean;
  /** the server log so far (for failure messages) */
  log: () => string;
  /** stop immediately and delete the folder; also runs on process exit */
  destroy: () => void;
};

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** children of `pid`, from /proc (the backends, checkpointer, ... of a postmaster; an app server's workers) */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

const PREFIX = "shequ-fault-pg-";

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Clusters left by a run that was killed before its cleanup (each folder names the process that
 * made it in owner.pid): stopped and deleted. Only folders this harness made are looked at.
 */
function sweepAbandoned(bin: string, asPostgres: boolean) {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const dir = path.join(tmpdir(), entry);
    let owner = 0;
    try {
      owner = Number(readFileSync(path.join(dir, "owner.pid"), "utf8"));
    } catch {
      continue; // being set up right now, or not ours
    }
    if (!owner || alive(owner)) continue;
    const data = path.join(dir, "data");
    if (existsSync(path.join(data, "postmaster.pid"))) {
      const args = ["-D", data, "-w", "-t", "30", "-m", "immediate", "stop"];
      spawnSync(
        asPostgres ? "runuser" : path.join(bin, "pg_ctl"),
        asPostgres ? ["-u", "postgres", "--", path.join(bin, "pg_ctl"), ...args] : args,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export type PostgresInstanceOptions = {
  port?: number;
  /** more postgresql.conf lines */
  config?: string[];
  /** a streaming replica of this instance (pg_basebackup -R) instead of a new cluster */
  replicaOf?: PostgresInstance;
};

export async function startPostgresInstance(options: PostgresInstanceOptions = {}): Promise<PostgresInstance> {
  const bin = postgresBinDir();
  const port = options.port ?? (await freePort());
  if (port === 5432) throw new Error("the fault suite never runs its own cluster on 5432");
  sweepAbandoned(bin, postgresUser() !== null);
  const dir = mkdtempSync(path.join(tmpdir(), PREFIX));
  writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const owner = postgresUser();
  if (owner) chownSync(dir, owner.uid, owner.gid);

  const commandLine = (command: string, args: string[]) => postgresCommand(command, args, bin);
  /** synchronous: setup and the exit handler only */
  const run = (command: string, args: string[], allowFailure = false) => {
    const [file, argv] = commandLine(command, args);
    const result = spawnSync(file, argv, { cwd: dir, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0 && !allowFailure) {
      throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
    }
    return result;
  };
  const runAsync = (command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = commandLine(command, args);
      execFile(file, argv, { cwd: dir, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${stderr || stdout || error.message}`));
        else resolve();
      });
    });

  if (options.replicaOf) {
    // the primary's files and settings, standby.signal and primary_conninfo (-R); initdb's pg_hba
    // lets a replication connection in from the loopback
    const from = ["-h", "127.0.0.1", "-p", String(options.replicaOf.port), "-U", "postgres"];
    run("pg_basebackup", [...from, "-D", data, "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
  } else {
    run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  }
  // Loopback and a socket in our own folder only (a replica's lines replace its primary's copied
  // ones: the last wins); fsync off: a crash of the server (not of the machine) loses nothing
  // acknowledged, since every commit still reaches the OS before it is.
  appendServerSettings(data, port, dir, "shequ fault suite", [
    "fsync = off",
    "full_page_writes = off",
    "max_connections = 100",
    "shared_buffers = 64MB",
    "log_min_messages = warning",
    ...(options.config ?? []),
  ]);

  const pidFile = path.join(data, "postmaster.pid");
  const postmasterPid = () => {
    try {
      return Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    } catch {
      return null;
    }
  };
  const isRunning = () => run("pg_ctl", ["-D", data, "status"], true).status === 0;

  let destroyed = false;
  const instance: PostgresInstance = {
    port,
    dir,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => runAsync("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", "start"]),
    stop: (mode = "fast") => runAsync("pg_ctl", ["-D", data, "-w", "-t", "60", "-m", mode, "stop"]),
    restart: (mode = "fast") =>
      runAsync("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", "-m", mode, "restart"]),
    kill: async () => {
      const pid = postmasterPid();
      if (!pid) return;
      const victims = [pid, ...childPids(pid)];
      for (const victim of victims) {
        try {
          process.kill(victim, "SIGKILL");
        } catch {
          // already gone
        }
      }
      // wait until they are gone, so that a start does not meet their shared memory
      const deadline = Date.now() + 10_000;
      while (victims.some((v) => existsSync(`/proc/${v}`)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    isRunning,
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      process.off("exit", instance.destroy);
      if (existsSync(pidFile)) run("pg_ctl", ["-D", data, "-w", "-t", "30", "-m", "immediate", "stop"], true);
      const pid = postmasterPid();
      if (pid)
        for (const victim of [pid, ...childPids(pid)]) {
          try {
            process.kill(victim, "SIGKILL");
          } catch {
            // already gone
          }
        }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  process.on("exit", instance.destroy);

  try {
    await instance.start();
  } catch (error) {
    instance.destroy();
    throw error;
  }
  return instance;
}
