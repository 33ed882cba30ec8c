import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// The fault suite: each file starts its own throwaway PostgreSQL (tests/fault/postgres-instance.ts)
// and restarts, stops and kills it. One file at a time: they share the machine's two cores.
export default defineConfig({
  root,
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["tests/fault/**/*.test.ts"],
    globals: true,
    fileParallelism: false,
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
