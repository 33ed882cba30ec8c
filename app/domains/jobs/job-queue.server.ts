// The job queue (docs/decisions/012): pg-boss on the app's own database, through the db module's
// raw executor (its own small postgres.js pool, or the PGlite), so it works on both drivers and
// through PgBouncer. Every app process starts it and works every queue; pg-boss hands each job to one
// process, and its cron sends a scheduled job once per minute slot across all processes.
import PgBoss from "pg-boss";

import { executeRawSql } from "../../../db/client.server";
import { isDatabaseUnavailable } from "../../../db/errors.server";

/** pg-boss keeps its tables in its own schema: drizzle's migrations never touch them */
export const JOB_SCHEMA = "pgboss";

export type JobDefinition = {
  name: string;
  /** a cron line in China's time; the job is also sent once at start when `atStart` */
  cron?: string;
  atStart?: boolean;
  run: () => Promise<unknown>;
};

export type JobQueueTiming = {
  /** how often an idle worker asks for a job */
  pollingIntervalSeconds: number;
  /** how often a process checks whether a cron slot is due (pg-boss lets one process send it) */
  cronMonitorIntervalSeconds: number;
  cronWorkerIntervalSeconds: number;
};

const PRODUCTION_TIMING: JobQueueTiming = {
  pollingIntervalSeconds: 2,
  cronMonitorIntervalSeconds: 30,
  cronWorkerIntervalSeconds: 5,
};

let boss: PgBoss | undefined;
let starting: Promise<PgBoss> | undefined;

/**
 * Starts the queue in this process: pg-boss's schema (created or migrated on first start), the
 * queues, their schedules and a worker per queue. Returns once jobs can be sent.
 */
export function startJobQueue(jobs: readonly JobDefinition[], timing: JobQueueTiming = PRODUCTION_TIMING) {
  starting ??= (async () => {
    const queue = new PgBoss({
      db: { executeSql: (text, values) => executeRawSql(text, values) },
      schema: JOB_SCHEMA,
      ...timing,
      // a job killed with its process is retried after this; every job here is idempotent
      expireInMinutes: 30,
      retryLimit: 3,
      retryDelay: 30,
      retryBackoff: true,
      // a few weeks of history is enough to answer "did it run"
      deleteAfterDays: 30,
    });
    queue.on("error", (error: unknown) => {
      // during an outage every poll fails: the health check and the requests already say so
      if (!isDatabaseUnavailable(error)) console.error("shequ: job queue:", error);
    });
    await queue.start();
    try {
      // each job's data says what sent it (schedule, start, request): the fault suite counts them
      for (const job of jobs) {
        // stately: at most one waiting and one running; a second request while one waits is
        // dropped, which is what every job here wants (each does all there is to do)
        await createQueueOnce(queue, job.name);
        if (job.cron) await queue.schedule(job.name, job.cron, { source: "schedule" }, { tz: "Asia/Shanghai" });
        await queue.work(job.name, async () => {
          await job.run();
        });
        if (job.atStart) await queue.send(job.name, { source: "start" });
      }
    } catch (error) {
      // a half-started queue keeps its timers and workers: stopped, so that the next try is the only one
      await queue.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => {});
      throw error;
    }
    boss = queue;
    return queue;
  })();
  // a failed start (the database down) may be tried again
  starting.catch(() => {
    starting = undefined;
  });
  return starting;
}

/** PostgreSQL's "deadlock detected": two processes creating the same queue's table at their first start */
const DEADLOCK = "40P01";

/** Creates the queue unless it exists; the loser of two processes' first start tries again. */
async function createQueueOnce(queue: PgBoss, name: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await queue.getQueue(name))) await queue.createQueue(name, { name, policy: "stately" });
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK || attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * Asks for a job to run soon, in whichever process takes it. Without a started queue (a script,
 * a test) it does nothing: every job is also scheduled, or run at the next start.
 */
export async function sendJob(name: string) {
  if (!boss) return null;
  return boss.send(name, { source: "request" });
}

export async function stopJobQueue() {
  const queue = boss;
  boss = undefined;
  starting = undefined;
  // graceful: a running job finishes (they are short transactions); pg-boss retries one that does not
  if (queue) await queue.stop({ graceful: true, wait: true, timeout: 5_000 });
}

/** the jobs of a queue in each state (the tests ask) */
export async function countJobs(name: string) {
  const { rows } = await executeRawSql(
    `select state, count(*)::int as n from ${JOB_SCHEMA}.job where name = $1 group by state`,
    [name],
  );
  return Object.fromEntries(rows.map((r) => [String(r.state), Number(r.n)]));
}
