import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The benches' own PostgreSQL database: created when missing; with `demo`, migrated and loaded
 * with the reference and demo data through db/setup.ts (each only when missing).
 * `variable` names the environment variable the URL came from, for the error message.
 */
export async function ensureBenchDatabase(url: string, variable: string, { demo = false }: { demo?: boolean } = {}) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`${variable}: a plain database name, please (got "${name}")`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const found = await client`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      console.log(`creating database ${name}`);
      await client.unsafe(`create database "${name}"`);
    }
  } finally {
    await client.end();
  }
  if (demo) {
    execFileSync(process.execPath, ["--import", "tsx", path.join(root, "db/setup.ts"), "--demo"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
}
