import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default defineConfig({
  root,
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globals: true,
    globalSetup: ["tests/e2e/setup/server.ts"],
    setupFiles: ["tests/e2e/setup/csp-violations.ts"],
    // One app server and one browser at a time: the files share the server's database.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
