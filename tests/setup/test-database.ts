// Runs before each test file. The first file in a worker gives the worker its own database,
// made from the run's template; every file starts from the template's state.
import { cpSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { beforeAll } from "vitest";

import { resetDatabase } from "../utils/database";
import { adminUrl, testDatabaseNames } from "./global-setup";

const state = globalThis as { shequTestDatabase?: string };

if (!state.shequTestDatabase) {
  const worker = process.env.VITEST_POOL_ID ?? "1";
  const testUrl = process.env.TEST_DATABASE_URL;
  if (testUrl) {
    const names = testDatabaseNames(testUrl);
    const name = `${names.workerPrefix}${worker}`;
    const admin = postgres(adminUrl(testUrl), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}" template "${names.template}"`);
    await admin.end();
    const url = new URL(testUrl);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
  } else {
    const template = process.env.SHEQU_TEST_TEMPLATE_DIR;
    if (!template) throw new Error("the global setup did not build a test database template");
    const dir = path.join(template, "../../test-db", process.env.SHEQU_TEST_RUN_ID ?? "run", `w${worker}`);
    cpSync(template, dir, { recursive: true });
    process.env.PGLITE_DATA_DIR = dir;
    delete process.env.DATABASE_URL;
  }
  state.shequTestDatabase = process.env.DATABASE_URL ?? process.env.PGLITE_DATA_DIR;
}

beforeAll(async () => {
  await resetDatabase();
});
