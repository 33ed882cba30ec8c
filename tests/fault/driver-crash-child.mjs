// The child process of tests/fault/driver-crash.test.ts: it opens postgres.js transactions, has
// their backend die under them, and prints one JSON line with how every query settled. An uncaught
// exception (postgres.js 3.4.9's `TypeError ... reading 'write' at Immediate.nextWrite`) ends it
// with a non-zero code instead, which is the defect.
//
//   node driver-crash-child.mjs <url> <scenario> [esm|cjs]
//   FAULT_POSTGRES_DIR=<a postgres package folder>: load that copy (e.g. an unpatched one)
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [url, scenario, flavour = "esm"] = process.argv.slice(2);
const dir = process.env.FAULT_POSTGRES_DIR;

const postgres =
  flavour === "cjs"
    ? createRequire(import.meta.url)(dir ?? "postgres") // package.json "default" → cjs/src/index.js
    : (await import(dir ? pathToFileURL(path.join(dir, "src/index.js")).href : "postgres")).default;

const sql = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 5, backoff: () => 0.2 });
const killer = postgres(url, { max: 1, onnotice: () => {} });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** how a promise settled, or "hung" when it did not within `ms` */
function outcome(promise, ms = 8000) {
  return Promise.race([
    promise.then(
      () => "resolved",
      (error) => `rejected:${error?.code ?? error?.message ?? String(error)}`,
    ),
    sleep(ms).then(() => "hung"),
  ]);
}

async function backendPid(tx) {
  const [row] = await tx`select pg_backend_pid() as pid`;
  return row.pid;
}

async function whenPid(get) {
  for (let i = 0; i < 200 && get() === null; i++) await sleep(25);
  if (get() === null) throw new Error("the transaction never started");
}

const scenarios = {
  /** a query in flight inside sql.begin when pg_terminate_backend kills its backend */
  async "terminate-in-transaction"() {
    let pid = null;
    const tx = sql.begin(async (t) => {
      pid = await backendPid(t);
      await t`select pg_sleep(3)`;
      await t`select 'never reached'`;
    });
    const settled = outcome(tx); // handlers first: the close may come before the killer's answer
    await whenPid(() => pid);
    await sleep(100);
    await killer`select pg_terminate_backend(${pid})`;
    return { transaction: await settled };
  },

  /** several queries pipelined and queued inside one transaction, and pool queries beside it */
  async "terminate-queued"() {
    let pid = null;
    const inner = [];
    const tx = sql.begin(async (t) => {
      pid = await backendPid(t);
      const queries = [t`select pg_sleep(3)`];
      for (let i = 0; i < 20; i++) queries.push(t`select ${i}::int as i, repeat('x', 2000) as pad`);
      inner.push(...queries);
      return Promise.all(queries);
    });
    const settled = outcome(tx);
    await whenPid(() => pid);
    await sleep(100);
    const innerSettled = Promise.all(inner.map((q) => outcome(q)));
    const beside = [sql`select pg_sleep(0.2)`, sql`select 1`];
    const besideSettled = Promise.all(beside.map((q) => outcome(q)));
    await killer`select pg_terminate_backend(${pid})`;
    const [transaction, innerOutcomes, besideOutcomes] = await Promise.all([settled, innerSettled, besideSettled]);
    return { transaction, inner: [...new Set(innerOutcomes)], beside: besideOutcomes };
  },

  /** the parent restarts the server (pg_ctl restart) while a transaction waits on a query */
  async "server-restart"() {
    let pid = null;
    const tx = sql.begin(async (t) => {
      pid = await backendPid(t);
      await t`select pg_sleep(30)`;
    });
    const settled = outcome(tx, 20_000);
    await whenPid(() => pid);
    await sleep(100);
    console.log("READY");
    return { transaction: await settled };
  },
};

const run = scenarios[scenario];
if (!run) throw new Error(`unknown scenario ${scenario}`);
const result = await run();
// A timer callback scheduled at the close (the defect's setImmediate) would run within this wait.
await sleep(500);
// The pool is usable again once the server is back.
let after = "hung";
for (let attempt = 0; attempt < 40 && after !== "resolved"; attempt++) {
  after = await outcome(sql`select 1 as one`, 5000);
  if (after !== "resolved") await sleep(250);
}
result.after = after;
console.log(`RESULT ${JSON.stringify(result)}`);
await Promise.all([sql.end({ timeout: 1 }), killer.end({ timeout: 1 })]);
process.exit(0);
