import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * As Remix's server build does, `*.client` modules (Leaflet touches `window` on import) become
 * stubs exporting the same names as undefined, so route modules load in node.
 */
const clientModuleStubs: Plugin = {
  name: "client-module-stubs",
  enforce: "pre",
  load(id) {
    const file = id.split("?")[0];
    if (!/\.client\.[jt]sx?$/.test(file)) return null;
    const names = [
      ...readFileSync(file, "utf8").matchAll(/export\s+(?:async\s+)?(?:function|const|let|class)\s+(\w+)/g),
    ].map((m) => m[1]);
    return names.map((name) => `export const ${name} = undefined;`).join("\n") || "export {};";
  },
};

export default defineConfig({
  root,
  plugins: [clientModuleStubs],
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
    // the embedded database's own folder lock and backups: the PostgreSQL pass has no PGlite template;
    // street networks need pgRouting, which PGlite has not
    exclude: process.env.TEST_DATABASE_URL
      ? ["**/node_modules/**", "tests/integration/pglite-*.test.ts"]
      : ["**/node_modules/**", "tests/integration/postgres-*.test.ts"],
    globals: true,
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/test-database.ts", "tests/setup/msw.ts"],
    // One database per worker, shared by the files it runs and reset between them.
    pool: "forks",
    poolOptions: { forks: { isolate: false, maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
