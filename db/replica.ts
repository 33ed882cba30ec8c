// npm run db:replica -- --port 5433 --dir /tmp/shequ-replica [--from postgres://postgres@127.0.0.1:5432]
// npm run db:replica -- --stop --dir /tmp/shequ-replica
// A streaming replica of a PostgreSQL server on this machine, for trying DATABASE_REPLICA_URL
// (README "Read replicas"): pg_basebackup -R from --from into --dir, its own settings beside the
// copied data (port, a socket in --dir, the primary's pg_hba.conf, the limits a standby must
// match), then pg_ctl start. As the postgres user under root, as the server requires. The primary
// must let a replication connection in (pg_hba.conf: `host replication ...`); nothing on it is changed.
import { execFileSync } from "node:child_process";
import { chownSync, copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";

import { appendServerSettings, postgresCommand, postgresUser } from "./postgres-binaries.server";

const { values } = parseArgs({
  options: {
    from: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    port: { type: "string" },
    dir: { type: "string" },
    stop: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`db:replica: ${message}`);
  process.exit(1);
}

const run = (program: string, args: string[]) => {
  const [file, argv] = postgresCommand(program, args);
  execFileSync(file, argv, { stdio: "inherit" });
};

if (!values.dir) fail("--dir is required (the replica's folder)");
const dir = path.resolve(values.dir);

if (values.stop) {
  run("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]);
  console.log(`db:replica: stopped; its files stay in ${dir} (delete the folder when done)`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail("--port is required (a free port for the replica)");
if (existsSync(dir) && readdirSync(dir).length > 0)
  fail(`${dir} is not empty: start it with pg_ctl, or stop it (--stop) and delete it first`);

const from = new URL(values.from);
if (Number(from.port || 5432) === port) fail(`--port ${port} is the primary's`);

// What the copy needs beside the data: a standby refuses to start with these limits below the
// primary's, and Debian keeps the configuration files outside the data folder.
const primary = postgres(values.from, { max: 1, onnotice: () => {} });
const limits = await primary<{ name: string; setting: string }[]>`
  select name, setting from pg_settings where name in
    ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`;
const [files] = await primary<{ hba: string; ident: string }[]>`
  select current_setting('hba_file') as hba, current_setting('ident_file') as ident`;
await primary.end();

mkdirSync(dir, { recursive: true, mode: 0o700 });
const owner = postgresUser();
if (owner) chownSync(dir, owner.uid, owner.gid);

const source = ["-h", from.hostname, "-p", from.port || "5432", "-U", decodeURIComponent(from.username || "postgres")];
try {
  run("pg_basebackup", [...source, "-D", dir, "-R", "-X", "stream", "-c", "fast", "-P"]);
} catch {
  fail(
    `pg_basebackup failed (above). If the primary said "no pg_hba.conf entry for replication connection", ` +
      `add a line such as "host replication postgres 127.0.0.1/32 trust" to ${files.hba} and reload it.`,
  );
}

for (const [name, file] of [
  ["pg_hba.conf", files.hba],
  ["pg_ident.conf", files.ident],
] as const) {
  const target = path.join(dir, name);
  if (!existsSync(target) && existsSync(file)) {
    copyFileSync(file, target);
    if (owner) chownSync(target, owner.uid, owner.gid);
  }
}
// where the copy has the primary's postgresql.conf, these come last and win
appendServerSettings(
  dir,
  port,
  dir,
  "db:replica: a streaming replica (standby.signal and primary_conninfo are from pg_basebackup -R)",
  ["hot_standby = on", ...limits.map((l) => `${l.name} = ${l.setting}`)],
);
if (owner) chownSync(path.join(dir, "postgresql.conf"), owner.uid, owner.gid);

run("pg_ctl", ["-D", dir, "-l", path.join(dir, "postgres.log"), "-w", "start"]);
const url = new URL(values.from);
url.port = String(port);
url.hostname = "127.0.0.1";
url.pathname = "/shequ";
console.log(`db:replica: streaming from ${from.host} on port ${port}; log ${path.join(dir, "postgres.log")}
  DATABASE_REPLICA_URL=${url.href}
  stop it with: npm run db:replica -- --stop --dir ${dir}`);
