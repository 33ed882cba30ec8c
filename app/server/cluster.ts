// The cluster's primary (docs/decisions/009): it forks the app processes, which share the port
// through node's cluster, replaces one that dies, and stops them all on SIGTERM/SIGINT. It loads
// neither the Remix build nor the database: migrations ran before it (npm start runs db/setup.ts).
import cluster, { type Worker } from "node:cluster";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** a worker that dies within this of its start counts as a quick death: the next restart waits longer */
const QUICK_DEATH_MS = 30_000;
/** the first restart is at once-ish; a worker that keeps dying is restarted at most every 10 s */
const restartDelayMs = (quickDeaths: number) => Math.min(250 * 2 ** quickDeaths, 10_000);
/** past this the primary stops waiting for workers to close and kills them (callers allow 10 s) */
const STOP_WITHIN_MS = 8_000;

export function superviseWorkers(count: number) {
  let stopping = false;
  // a replacement takes its predecessor's slot, so a worker that keeps dying backs off on its own
  const slots = new Map<Worker, { slot: number; startedAt: number }>();
  const quickDeaths = new Array<number>(count).fill(0);

  const fork = (slot: number) => {
    const worker = cluster.fork();
    slots.set(worker, { slot, startedAt: Date.now() });
  };

  cluster.on("exit", (worker, code, signal) => {
    const info = slots.get(worker);
    slots.delete(worker);
    if (stopping) {
      if (slots.size === 0) process.exit(0);
      return;
    }
    if (!info) return;
    const lived = Date.now() - info.startedAt;
    quickDeaths[info.slot] = lived < QUICK_DEATH_MS ? quickDeaths[info.slot] + 1 : 0;
    const delay = restartDelayMs(quickDeaths[info.slot] - 1);
    console.error(
      `shequ: app process ${worker.process.pid} died (${signal ? `signal ${signal}` : `code ${code}`}); a new one in ${delay} ms`,
    );
    // a worker that fails at start (a broken build, a port taken) must not be re-forked in a tight loop
    void sleep(delay).then(() => {
      if (!stopping) fork(info.slot);
    });
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (slots.size === 0) process.exit(0);
    // each worker closes its database pool and exits 0 on SIGTERM (db/client.server.ts)
    for (const worker of slots.keys()) worker.process.kill("SIGTERM");
    setTimeout(() => {
      console.error("shequ: app processes did not stop in time; killing them");
      for (const worker of slots.keys()) worker.process.kill("SIGKILL");
      process.exit(1);
    }, STOP_WITHIN_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);

  console.log(`shequ: starting ${count} app processes (WEB_CONCURRENCY)`);
  for (let slot = 0; slot < count; slot++) fork(slot);
}
