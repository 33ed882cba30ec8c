// Backups of the embedded database. A PGlite folder has one process at a time (pglite-lock), so:
// when no process holds the folder, `db:backup` opens it under the lock and dumps it itself; when
// the app server holds it, `db:backup` asks the server through a Unix socket beside the folder
// (`<folder>.sock`, mode 0600: only the same user reaches it), which the server answers with
// `serveBackupRequests` by dumping its open instance. Either way the dump is PGlite's
// `dumpDataDir("gzip")` after a checkpoint: a gzipped tarball of the folder taken in one step of
// the event loop, a crash-consistent image that PostgreSQL's recovery opens.
// Restore (`loadPgliteDump`) checks the file, moves the current folder aside and loads the dump.
import type { PGlite } from "@electric-sql/pglite";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { acquirePgliteLock, holdsPgliteLock, PgliteLockError, type LockInfo } from "./pglite-lock.server";

// PGlite instances open in this process, by folder, shared by every copy of this module (the
// Remix build bundles its own copy of the database client; app/server.ts imports this one).
type Open = { client: PGlite; onClose: Set<() => void>; server?: net.Server };
const registryKey = Symbol.for("shequ.pglite-open");
const globals = globalThis as { [registryKey]?: Map<string, Open> };
const open = (globals[registryKey] ??= new Map());

/** The database client records its instance here; the returned function is called on close. */
export function registerOpenPglite(dataDir: string, client: PGlite): () => void {
  const key = path.resolve(dataDir);
  const entry: Open = { client, onClose: new Set() };
  open.set(key, entry);
  return () => {
    if (open.get(key) === entry) open.delete(key);
    for (const hook of entry.onClose) hook();
  };
}

/** `<folder>.sock`, or one in the temporary folder when that path is too long for a socket. */
export function socketPathFor(dataDir: string) {
  const resolved = path.resolve(dataDir);
  const beside = `${resolved}.sock`;
  if (Buffer.byteLength(beside) < 100) return beside;
  const hash = createHash("sha256").update(resolved).digest("hex").slice(0, 16);
  return path.join(tmpdir(), `shequ-pglite-${hash}.sock`);
}

async function dumpOpenInstance(client: PGlite): Promise<Buffer> {
  // committed work into the data files first, so the image needs little recovery
  await client.exec("checkpoint");
  const blob = await client.dumpDataDir("gzip");
  return Buffer.from(await blob.arrayBuffer());
}

/**
 * The app server calls this once its database is open: it answers `db:backup` from another
 * process through `<folder>.sock`. Nothing happens unless this process holds the folder's lock.
 */
export function serveBackupRequests(dataDir: string): net.Server | undefined {
  const key = path.resolve(dataDir);
  const entry = open.get(key);
  if (!entry || !holdsPgliteLock(key)) return undefined;
  if (entry.server) return entry.server;
  const socketPath = socketPathFor(key);
  // we hold the folder: a socket file left there is from a process that is gone
  rmSync(socketPath, { force: true });

  const server = net.createServer((socket) => {
    let request = "";
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: string) => {
      request += chunk;
      if (!request.includes("\n")) {
        if (request.length > 1024) socket.destroy();
        return;
      }
      socket.removeAllListeners("data");
      const reply = (header: object, body?: Buffer) => {
        socket.write(JSON.stringify(header) + "\n");
        if (body) socket.end(body);
        else socket.end();
      };
      let op: unknown;
      try {
        op = (JSON.parse(request.slice(0, request.indexOf("\n"))) as { op?: unknown }).op;
      } catch {
        op = undefined;
      }
      const current = open.get(key);
      if (op !== "backup") return reply({ ok: false, error: "unknown request" });
      if (!current) return reply({ ok: false, error: "the database is closed" });
      dumpOpenInstance(current.client).then(
        (dump) => reply({ ok: true, bytes: dump.length, pid: process.pid }, dump),
        (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  server.on("error", (error) => console.error(`shequ: the backup socket ${socketPath} failed: ${error.message}`));
  server.listen(socketPath, () => {
    try {
      chmodSync(socketPath, 0o600);
    } catch {
      // closed already
    }
  });
  server.unref();

  entry.server = server;
  const stop = () => {
    entry.server = undefined;
    server.close();
    rmSync(socketPath, { force: true });
  };
  entry.onClose.add(stop);
  process.once("exit", () => rmSync(socketPath, { force: true }));
  return server;
}

/** Asks the process holding the folder for a dump through its socket. */
export function requestBackup(dataDir: string, timeoutMs = 300_000): Promise<Buffer> {
  const socketPath = socketPathFor(dataDir);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(socketPath, () => socket.write(JSON.stringify({ op: "backup" }) + "\n"));
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer on ${socketPath} within ${timeoutMs / 1000} s`)),
    );
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT" || error.code === "ECONNREFUSED"
          ? new Error(
              `it does not answer backup requests on ${socketPath} (an app server without the backup socket, or a script)`,
            )
          : error,
      ),
    );
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(10);
      if (newline < 0) return reject(new Error(`an empty answer on ${socketPath}`));
      const header = JSON.parse(all.subarray(0, newline).toString("utf8")) as {
        ok: boolean;
        bytes?: number;
        error?: string;
      };
      const body = all.subarray(newline + 1);
      if (!header.ok) return reject(new Error(header.error ?? "the backup failed"));
      if (body.length !== header.bytes)
        return reject(new Error(`the dump was cut short (${body.length} of ${header.bytes} bytes)`));
      resolve(body);
    });
  });
}

/** The tar entries' names of a (gzipped) tarball; null when it is not one. */
function tarEntryNames(file: Buffer): string[] | null {
  let tar = file;
  if (file[0] === 0x1f && file[1] === 0x8b) {
    try {
      tar = gunzipSync(file);
    } catch {
      return null;
    }
  }
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("latin1")
        .replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const prefix = field(345, 155);
    if (!Number.isFinite(size) || size < 0) return null;
    names.push((prefix ? `${prefix}/` : "") + field(0, 100));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** Whether a file is a PGlite data-folder dump: a tarball with PG_VERSION and global/pg_control. */
export function isPgliteDump(file: Buffer) {
  const names = tarEntryNames(file)?.map((name) => name.replace(/^\.?\/+/, ""));
  return !!names && names.includes("PG_VERSION") && names.includes("global/pg_control");
}

function writeAtomically(file: string, data: Buffer) {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${path.resolve(file)}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  renameSync(temp, file);
}

export type BackupResult = { file: string; bytes: number; via: "opened" | "app"; holder?: LockInfo };

/**
 * Dumps the folder to `file`: opens it under its lock when no process holds it, else asks the
 * holder through its socket.
 */
export async function backupPglite(dataDir: string, file: string): Promise<BackupResult> {
  const resolved = path.resolve(dataDir);
  let lock;
  try {
    lock = acquirePgliteLock(resolved, { waitMs: 0 });
  } catch (error) {
    if (!(error instanceof PgliteLockError) || !error.holder || error.holder.pid === process.pid) throw error;
    let dump: Buffer;
    try {
      dump = await requestBackup(resolved);
    } catch (cause) {
      throw new Error(
        `the embedded database ${resolved} is in use by process ${error.holder.pid}, and ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
    if (!isPgliteDump(dump))
      throw new Error(`process ${error.holder.pid} answered with something that is not a PGlite dump`);
    writeAtomically(file, dump);
    return { file, bytes: dump.length, via: "app", holder: error.holder };
  }
  try {
    if (!existsSync(path.join(resolved, "PG_VERSION"))) throw new Error(`there is no database in ${resolved}`);
    const { PGlite } = await import("@electric-sql/pglite");
    const client = new PGlite(resolved);
    try {
      const dump = await dumpOpenInstance(client);
      writeAtomically(file, dump);
      return { file, bytes: dump.length, via: "opened" };
    } finally {
      await client.close();
    }
  } finally {
    lock.release();
  }
}

/**
 * Replaces the folder's database with a dump. The caller holds the folder's lock. The current
 * folder is moved aside (returned), the dump loaded into a fresh one; on failure the old one is
 * put back.
 */
export async function loadPgliteDump(dataDir: string, file: string): Promise<{ movedTo: string | null }> {
  const resolved = path.resolve(dataDir);
  if (!holdsPgliteLock(resolved)) throw new Error(`restore needs the lock of ${resolved}`);
  const dump = readFileSync(file);
  if (!isPgliteDump(dump))
    throw new Error(`${file} is not a PGlite backup (a tarball of a data folder, from npm run db:backup)`);

  let movedTo: string | null = null;
  if (existsSync(resolved) && readdirSync(resolved).length > 0) {
    movedTo = `${resolved}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(resolved, movedTo);
  }
  try {
    rmSync(resolved, { recursive: true, force: true });
    mkdirSync(resolved, { recursive: true });
    const gzipped = dump[0] === 0x1f && dump[1] === 0x8b;
    const blob = new File([dump], gzipped ? "pgdata.tar.gz" : "pgdata.tar", {
      type: gzipped ? "application/x-gzip" : "application/x-tar",
    });
    const { PGlite } = await import("@electric-sql/pglite");
    const client = new PGlite({ dataDir: resolved, loadDataDir: blob });
    try {
      await client.query("select 1");
    } finally {
      await client.close();
    }
  } catch (error) {
    if (movedTo) {
      rmSync(resolved, { recursive: true, force: true });
      renameSync(movedTo, resolved);
    }
    throw error;
  }
  return { movedTo };
}
