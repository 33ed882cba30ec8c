// npm run db:backup [-- FILE]: a backup of the embedded database (PGLITE_DATA_DIR), a gzipped
// tarball of its folder. Works whether or not the app server runs: a running server (which holds
// the folder) is asked for the dump through its socket; otherwise the folder is opened here.
import path from "node:path";

import { env } from "./env.server";
import { backupPglite } from "./pglite-backup.server";

if (env.DATABASE_URL) {
  console.error(
    'db:backup backs up the embedded database; with DATABASE_URL use pg_dump (e.g. pg_dump -Fc "$DATABASE_URL")',
  );
  process.exit(1);
}

const dataDir = path.resolve(env.PGLITE_DATA_DIR);
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const file =
  process.argv[2] ?? path.join(path.dirname(dataDir), "backups", `${path.basename(dataDir)}-${stamp}.tar.gz`);

try {
  const started = performance.now();
  const result = await backupPglite(dataDir, file);
  const via =
    result.via === "app" ? `from the running app server (PID ${result.holder?.pid})` : "with the folder opened here";
  console.log(
    `shequ: backup of ${dataDir} written to ${path.resolve(file)}: ${(result.bytes / 1e6).toFixed(1)} MB, ${via}, ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  console.error(`shequ: backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
