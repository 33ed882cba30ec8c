// postgres.js 3.4.9 ends the process with an uncaught `TypeError: Cannot read properties of null
// (reading 'write') at Immediate.nextWrite` when a transaction's backend goes away (porsager/postgres
// issues 1154, 1208): after the close, the transaction's own ROLLBACK is written to a null socket
// from a setImmediate. patches/postgres+3.4.9.patch (applied by `patch-package` at install) makes
// those writes reject with CONNECTION_CLOSED; see docs/decisions/004.
//
// Each case runs in a child process (tests/fault/driver-crash-child.mjs), since the defect kills
// the process. To see the cases fail without the patch, point them at an unpatched copy:
//   FAULT_POSTGRES_DIR=/path/to/unpatched/node_modules/postgres npm run test:fault -- driver-crash
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { isDatabaseUnavailable } from "../../db/errors.server";
import { startPostgresInstance, type PostgresInstance } from "./postgres-instance";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const child = path.join(here, "driver-crash-child.mjs");

type ChildRun = { code: number | null; stdout: string; stderr: string; result: Record<string, unknown> | null };

function runChild(url: string, scenario: string, flavour: "esm" | "cjs", onReady?: () => Promise<void>) {
  return new Promise<ChildRun>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, url, scenario, flavour], { cwd: root, env: process.env });
    let stdout = "";
    let stderr = "";
    let readySeen = false;
    proc.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!readySeen && onReady && stdout.includes("READY\n")) {
        readySeen = true;
        onReady().catch(reject);
      }
    });
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => proc.kill("SIGKILL"), 45_000);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      resolve({ code, stdout, stderr, result: line ? JSON.parse(line.slice("RESULT ".length)) : null });
    });
  });
}

/** "rejected:CODE" with a connection-class CODE: the caller got a catchable, retryable error */
function rejectedAsUnavailable(outcome: unknown) {
  if (typeof outcome !== "string" || !outcome.startsWith("rejected:")) return false;
  return isDatabaseUnavailable({ code: outcome.slice("rejected:".length) });
}

function expectSurvived(run: ChildRun) {
  expect(run.stderr, "the child died of an uncaught error").not.toMatch(/TypeError|Uncaught|reading 'write'/);
  expect(run.code, `the child exited with ${run.code}:\n${run.stderr}`).toBe(0);
  expect(run.result).not.toBeNull();
}

describe("postgres.js when the server goes away under an open transaction", () => {
  let pg: PostgresInstance;

  beforeAll(async () => {
    pg = await startPostgresInstance();
  });
  afterAll(() => pg?.destroy());

  for (const flavour of ["esm", "cjs"] as const) {
    it(`${flavour}: pg_terminate_backend mid-transaction — the process lives, the transaction rejects CONNECTION_CLOSED, the pool serves the next query`, async () => {
      const run = await runChild(pg.url(), "terminate-in-transaction", flavour);
      expectSurvived(run);
      expect(rejectedAsUnavailable(run.result!.transaction), String(run.result!.transaction)).toBe(true);
      expect(run.result!.after).toBe("resolved");
    });

    it(`${flavour}: queries queued in the dying transaction all reject (none hangs), queries beside it succeed`, async () => {
      const run = await runChild(pg.url(), "terminate-queued", flavour);
      expectSurvived(run);
      const { transaction, inner, beside, after } = run.result as {
        transaction: string;
        inner: string[];
        beside: string[];
        after: string;
      };
      expect(rejectedAsUnavailable(transaction), transaction).toBe(true);
      for (const outcome of inner)
        expect(rejectedAsUnavailable(outcome), `queued in the transaction: ${outcome}`).toBe(true);
      // unpatched, the dead session's 57P01 was kept and failed the next session's first query
      expect(beside).toEqual(["resolved", "resolved"]);
      expect(after).toBe("resolved");
    });
  }

  it("esm: pg_ctl restart -m immediate while a transaction waits — the process lives and reconnects", async () => {
    const run = await runChild(pg.url(), "server-restart", "esm", () => pg.restart("immediate"));
    expectSurvived(run);
    expect(rejectedAsUnavailable(run.result!.transaction), String(run.result!.transaction)).toBe(true);
    expect(run.result!.after).toBe("resolved");
  });

  it("every copy of postgres.js that can be loaded carries the patch (import, require, workerd)", () => {
    const dir = path.join(root, "node_modules/postgres");
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
      version: string;
      exports: Record<string, string>;
    };
    expect(manifest.version).toBe("3.4.9");
    const entries = new Set(
      Object.entries(manifest.exports)
        .filter(([k]) => k !== "types")
        .map(([, v]) => v),
    );
    expect([...entries].sort()).toEqual(["./cf/src/index.js", "./cjs/src/index.js", "./src/index.js"]);
    for (const entry of entries) {
      const folder = path.join(dir, path.dirname(entry));
      const connection = readFileSync(path.join(folder, "connection.js"), "utf8");
      const index = readFileSync(path.join(folder, "index.js"), "utf8");
      expect(connection, `${folder}/connection.js: nextWrite guard`).toMatch(
        /function nextWrite\(fn\) \{\n\s+\/\/ patched[^]*?if \(!socket\)/,
      );
      expect(connection, `${folder}/connection.js: execute guard`).toContain(
        "return queryError(q, closedError()), true",
      );
      expect(connection, `${folder}/connection.js: stale error reset`).toContain("errorResponse = null // patched");
      expect(index, `${folder}/index.js: begin() refuses queries after the close`).toContain("if (gone) // patched");
    }
  });
});
