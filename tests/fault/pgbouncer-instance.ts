// A throwaway PgBouncer (Debian's `pgbouncer`) in front of the suite's PostgreSQL, in transaction
// mode, with its ini, log and pid file in its own temporary folder, on a free loopback port. It
// refuses to run as root, so under root (CI) it runs as the `postgres` user, which owns the folder.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { stopProcess } from "./app-server";
import { freePort, postgresUser } from "./postgres-instance";

export type PgBouncerInstance = {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/DATABASE through PgBouncer */
  url: (database: string) => string;
  /** a SHOW command on the admin console (SHOW POOLS, SHOW CLIENTS, ...): its rows by column name */
  show: (what: string) => Promise<Record<string, string>[]>;
  /** what it printed and logged (for failure messages) */
  log: () => string;
  stop: () => Promise<void>;
};

const BINARY = process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer";
const PREFIX = "shequ-fault-pgbouncer-";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** PgBouncers left by a run killed before its cleanup (owner.pid names the test process): stopped, folders deleted */
function sweepAbandoned() {
  const number = (file: string) => (existsSync(file) ? Number(readFileSync(file, "utf8")) : 0);
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const dir = path.join(tmpdir(), entry);
    const owner = number(path.join(dir, "owner.pid"));
    if (!owner || alive(owner)) continue; // being set up right now, or in use
    const pid = number(path.join(dir, "pgbouncer.pid"));
    // only if that process is still a pgbouncer (its number may have been reused since)
    const comm = `/proc/${pid}/comm`;
    if (pid && existsSync(comm) && readFileSync(comm, "utf8").trim() === "pgbouncer") process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

export async function startPgBouncer(options: {
  serverPort: number;
  databases: string[];
  poolSize: number;
}): Promise<PgBouncerInstance> {
  if (!existsSync(BINARY)) throw new Error(`no ${BINARY}: apt-get install pgbouncer (or set PGBOUNCER_BIN)`);
  sweepAbandoned();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), PREFIX));
  writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
  const logFile = path.join(dir, "pgbouncer.log");
  const ini = path.join(dir, "pgbouncer.ini");
  // trust still wants the user listed in auth_file
  writeFileSync(path.join(dir, "userlist.txt"), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      "[databases]",
      ...options.databases.map((db) => `${db} = host=127.0.0.1 port=${options.serverPort} dbname=${db}`),
      "",
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "admin_users = postgres",
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize}`,
      "max_client_conn = 200",
      `logfile = ${logFile}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  const owner = postgresUser();
  if (owner)
    for (const file of ["", "pgbouncer.ini", "userlist.txt"]) chownSync(path.join(dir, file), owner.uid, owner.gid);

  let output = "";
  let exit: string | null = null;
  const child: ChildProcess = spawn(BINARY, [ini], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.on("exit", (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", kill);

  // it prints to stderr what it logs to the file: the file once it exists
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : output);
  const deadline = Date.now() + 30_000;
  while (!(await listening(port))) {
    if (exit || Date.now() > deadline) {
      kill();
      throw new Error(`pgbouncer did not start (${exit ?? "no listener within 30 s"}):\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    // psql: the admin console speaks only the simple query protocol
    show: (what) =>
      new Promise((resolve, reject) => {
        const args = ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "pgbouncer"];
        execFile(
          "psql",
          [...args, "-AX", "-F", "|", "-P", "footer=off", "-c", `SHOW ${what}`],
          (error, stdout, stderr) => {
            if (error) return reject(new Error(`SHOW ${what}: ${stderr || error.message}`));
            const [header, ...rows] = stdout.trim().split("\n");
            const columns = header.split("|");
            resolve(rows.map((row) => Object.fromEntries(row.split("|").map((value, i) => [columns[i], value]))));
          },
        );
      }),
    log,
    stop: async () => {
      process.off("exit", kill);
      // SIGTERM: PgBouncer's immediate shutdown (SIGINT would wait for the clients)
      if (!exit) await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
