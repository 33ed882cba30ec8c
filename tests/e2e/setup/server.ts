// Serves the production build through the app server on a fresh embedded database with the demo
// data, as `npm start` would, and stops it (by SIGTERM, as a process manager would) when the run ends.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

import { ensurePgliteTemplate, root, runSetup } from "../../setup/global-setup";

const port = Number(process.env.E2E_PORT ?? 3111);

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app server exited with ${server.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app server did not answer ${url} within ${timeoutMs} ms`);
}

export default async function setup() {
  if (!existsSync(path.join(root, "build/index.js"))) {
    execFileSync("npx", ["remix", "build"], { cwd: root, stdio: "inherit" });
  }
  const dataDir = path.join(root, ".cache/e2e-db");
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(ensurePgliteTemplate(), dataDir, { recursive: true });
  const env = { PGLITE_DATA_DIR: dataDir, DATABASE_URL: "" };
  runSetup(env, ["--demo"]);

  const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "app/server.ts")], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: "production", PORT: String(port), COOKIE_SECURE: "false" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const baseUrl = `http://localhost:${port}`;
  await waitForHealth(`${baseUrl}/healthz`, server, 120_000);
  process.env.E2E_BASE_URL = baseUrl;

  return async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!stopped) {
      server.kill("SIGKILL");
      throw new Error("the app server did not stop on SIGTERM within 10 s");
    }
  };
}
