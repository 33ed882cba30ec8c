// The machine's PostgreSQL programs (initdb, pg_basebackup, pg_ctl) for the scripts and the fault
// suite that run a server of their own. Under root they run as the `postgres` user: initdb and the
// server refuse root.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** PG_BIN_DIR, else /usr/lib/postgresql/15/bin, else the newest version installed there */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, "bin/initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.includes("15")) return path.join(base, "15/bin");
  if (versions[0]) return path.join(base, versions[0], "bin");
  throw new Error("no PostgreSQL binaries in /usr/lib/postgresql/*/bin (set PG_BIN_DIR)");
}

/** the `postgres` user's ids when running as root (the server must run as it), else null */
export function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** [file, args] to run one of the programs, through `runuser -u postgres` under root */
export function postgresCommand(program: string, args: string[], bin = postgresBinDir()): [string, string[]] {
  return postgresUser()
    ? ["runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]]
    : [path.join(bin, program), args];
}

/**
 * Settings at the end of a data folder's postgresql.conf (created if missing), where they win over
 * any earlier line: a server of our own on `port`, the loopback only, its socket in `socketDir`.
 */
export function appendServerSettings(
  dataDir: string,
  port: number,
  socketDir: string,
  comment: string,
  more: string[],
) {
  const lines = [
    `# ${comment}`,
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir}'`,
    ...more,
  ];
  appendFileSync(path.join(dataDir, "postgresql.conf"), ["", ...lines, ""].join("\n"));
}
