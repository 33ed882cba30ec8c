// Builds the test database template once per run: migrations + reference data, through the same
// `db/setup.ts` the app starts with. PGlite: a data folder cached by the hash of everything that
// shapes it. PostgreSQL (TEST_DATABASE_URL): a template database on that server.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

// Everything that shapes the template; a change to any of these rebuilds it.
const templateInputs = [
  "drizzle",
  "db/data",
  "db/schema.ts",
  "db/identifiers.ts",
  "db/setup.ts",
  "db/migrate.server.ts",
  "db/seed/load-reference.server.ts",
  "db/seed/reference-data.server.ts",
  "db/seed/defaults.ts",
  "package-lock.json",
];

function templateKey() {
  const hash = createHash("sha256");
  const files = templateInputs
    .map((input) => path.join(root, input))
    .flatMap((full) => (statSync(full).isDirectory() ? filesUnder(full) : [full]))
    .sort();
  for (const file of files) hash.update(path.relative(root, file)).update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

export function runSetup(env: Record<string, string | undefined>, args: string[] = []) {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "db/setup.ts"), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** A migrated PGlite data folder with the reference data, rebuilt only when its inputs change. */
export function ensurePgliteTemplate() {
  const templateDir = path.join(root, ".cache/test-template", templateKey());
  const done = path.join(templateDir, ".complete");
  if (!existsSync(done)) {
    rmSync(path.join(root, ".cache/test-template"), { recursive: true, force: true });
    mkdirSync(templateDir, { recursive: true });
    runSetup({ PGLITE_DATA_DIR: templateDir, DATABASE_URL: "" });
    writeFileSync(done, new Date().toISOString());
  }
  return templateDir;
}

export function testDatabaseNames(url: string) {
  const base = new URL(url).pathname.slice(1) || "shequ_test";
  return { base, template: `${base}_template`, workerPrefix: `${base}_w` };
}

export function adminUrl(url: string) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
}

export default async function globalSetup() {
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  process.env.SHEQU_TEST_RUN_ID = runId;

  const testUrl = process.env.TEST_DATABASE_URL;
  if (testUrl) {
    const names = testDatabaseNames(testUrl);
    const admin = postgres(adminUrl(testUrl), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${names.template}" with (force)`);
    await admin.unsafe(`create database "${names.template}"`);
    const templateUrl = new URL(testUrl);
    templateUrl.pathname = `/${names.template}`;
    runSetup({ DATABASE_URL: templateUrl.toString() });
    return async () => {
      const rows = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${names.workerPrefix + "%"} or datname = ${names.template}`;
      for (const { datname } of rows) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      await admin.end();
    };
  }

  const templateDir = ensurePgliteTemplate();
  process.env.SHEQU_TEST_TEMPLATE_DIR = templateDir;
  const runDir = path.join(root, ".cache/test-db", runId);
  return () => rmSync(runDir, { recursive: true, force: true });
}
