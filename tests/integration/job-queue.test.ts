// Issue 14 part 3: the job queue (pg-boss) on the app's own database client, on both drivers.
import { afterEach, describe, expect, it } from "vitest";

import { countJobs, sendJob, startJobQueue, stopJobQueue } from "../../app/domains/jobs/job-queue.server";
import { asNodePostgresParameter, executeRawSql } from "../../db/client.server";

const FAST = { pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };

async function until(check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterEach(async () => {
  await stopJobQueue();
});

describe("the job queue", () => {
  it("runs a job sent at start and one sent later, each once, and records them completed", async () => {
    const name = `test-runs-${Date.now()}`;
    let runs = 0;
    await startJobQueue([{ name, atStart: true, run: async () => void runs++ }], FAST);
    await until(() => runs === 1);
    await sendJob(name);
    await until(() => runs === 2);
    await until(async () => (await countJobs(name)).completed === 2);
    expect(runs).toBe(2);
  });

  it("keeps at most one waiting job per queue: requests while one waits are one run", async () => {
    const name = `test-stately-${Date.now()}`;
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    await startJobQueue(
      [
        {
          name,
          run: async () => {
            runs++;
            if (runs === 1) await blocked;
          },
        },
      ],
      FAST,
    );
    await sendJob(name);
    await until(() => runs === 1);
    // one is running: the first of these waits, the rest are dropped
    const ids = await Promise.all([sendJob(name), sendJob(name), sendJob(name)]);
    expect(ids.filter(Boolean)).toHaveLength(1);
    release();
    await until(() => runs === 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runs).toBe(2);
  });

  it("keeps a job whose run failed, to be retried later", async () => {
    const name = `test-retry-${Date.now()}`;
    let runs = 0;
    await startJobQueue(
      [
        {
          name,
          run: async () => {
            runs++;
            throw new Error("the run fails");
          },
        },
      ],
      FAST,
    );
    await sendJob(name);
    await until(async () => (await countJobs(name)).retry === 1);
    expect(runs).toBe(1);
  });

  it("stops a queue whose start failed half way, so that only the next start works the queues", async () => {
    const name = `test-half-${Date.now()}`;
    let byFirst = 0;
    let bySecond = 0;
    await expect(
      startJobQueue(
        [
          { name, run: async () => void byFirst++ },
          { name: `${name}-bad`, cron: "not a cron line", run: async () => {} },
        ],
        FAST,
      ),
    ).rejects.toThrow();
    await startJobQueue([{ name, run: async () => void bySecond++ }], FAST);
    for (let i = 1; i <= 6; i++) {
      await sendJob(name);
      await until(() => byFirst + bySecond === i);
    }
    expect({ byFirst, bySecond }).toEqual({ byFirst: 0, bySecond: 6 });
  });

  it("sending without a started queue does nothing (scripts, tests)", async () => {
    expect(await sendJob("anything")).toBeNull();
  });
});

describe("the raw executor the queue uses", () => {
  it("runs several statements without parameters and one with, answering rows", async () => {
    const many = await executeRawSql("select 1 as a; select 2 as b");
    expect(many.rows).toEqual([{ b: 2 }]);
    const one = await executeRawSql(
      "select $1::int + 1 as n, $2::jsonb ->> 'k' as k, ($3::text[])[2] as second, ($3::text[])[3] is null as third_null",
      [41, { k: "v" }, ["a", 'b"c', null]],
    );
    expect(one.rows).toEqual([{ n: 42, k: "v", second: 'b"c', third_null: true }]);
  });

  it("leaves no session in an aborted transaction when a statement of a block fails", async () => {
    await expect(executeRawSql("BEGIN; select 1/0; COMMIT;")).rejects.toThrow();
    // every connection of the pool, at once: none may still be inside the failed block
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => executeRawSql("select 1 as one; select 2 as two")),
    );
    expect(answers.map((a) => a.rows)).toEqual(answers.map(() => [{ two: 2 }]));
  });

  it("passes parameters as node-postgres does", () => {
    expect(asNodePostgresParameter(null)).toBeNull();
    expect(asNodePostgresParameter(undefined)).toBeNull();
    expect(asNodePostgresParameter(3)).toBe(3);
    expect(asNodePostgresParameter(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
    expect(asNodePostgresParameter({ a: [1] })).toBe('{"a":[1]}');
    expect(asNodePostgresParameter(["x", 'y"', "z\\", null])).toBe('{"x","y\\"","z\\\\",NULL}');
  });
});
