// Issue 14 part 3: the job queue across app servers. Two production servers of two app processes
// each on one PostgreSQL: a public-notice period ends once (one transition, one audit entry), and
// the every-minute schedule sends one job per minute, not one per process.
import postgres from "postgres";

import { startAppServer, startDemoPostgres, type AppServer } from "./app-server";
import type { PostgresInstance } from "./postgres-instance";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let pg: PostgresInstance;
let admin: postgres.Sql;
const servers: AppServer[] = [];

beforeAll(async () => {
  ({ pg } = await startDemoPostgres());
  admin = postgres(pg.url("shequ"), { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await admin?.end();
  await pg?.destroy();
});

describe("jobs across two app servers of two processes each", () => {
  it("ends a notice period once, and sends the every-minute job once a minute", async () => {
    // an approval in public notice whose period ends a few seconds after the servers start: the
    // job each process sends at start finds nothing; a scheduled run settles it
    const [assessment] = await admin<{ id: string }[]>`
      update assessments set state = 'notice', effective_at = now() + interval '20 seconds', version = version + 1
      where id = (select id from assessments where state = 'approved' and revoked_at is null order by id limit 1)
      returning id`;
    expect(assessment).toBeDefined();

    for (let i = 0; i < 2; i++) servers.push(await startAppServer(pg.url("shequ"), { WEB_CONCURRENCY: "2" }));
    for (const server of servers) expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);

    // a run sent at start or by the schedule (at a whole minute; pg-boss checks every 30 s) settles it
    const deadline = Date.now() + 180_000;
    let state = "notice";
    while (state === "notice" && Date.now() < deadline) {
      await sleep(1000);
      [{ state }] = await admin<{ state: string }[]>`select state from assessments where id = ${assessment.id}`;
      for (const server of servers) if (server.exited()) throw new Error(`a server exited:\n${server.output()}`);
    }
    if (state !== "approved") {
      const jobs = await admin`select name, state, data, created_on from pgboss.job order by created_on`;
      console.log(JSON.stringify(jobs, null, 1), servers.map((s) => s.output()).join("\n----\n"));
    }
    expect(state).toBe("approved");

    const transitions = await admin<{ actor_user_id: string | null }[]>`
      select actor_user_id from assessment_transitions
      where assessment_id = ${assessment.id} and from_state = 'notice' and to_state = 'approved'`;
    expect(transitions).toEqual([{ actor_user_id: null }]);
    const audits = await admin`
      select 1 from audit_entries where object_id = ${assessment.id} and action = 'assessment.notice_ended'`;
    expect(audits).toHaveLength(1);

    // four processes each check the schedule; pg-boss lets one of them send per minute: its
    // "send it" job is a singleton of the minute (singleton_on), and that job then sends the
    // scheduled one, so under load the scheduled job itself may be created in the next minute
    const windows = () => admin<{ minute: Date; n: number }[]>`
      select singleton_on as minute, count(*)::int as n from pgboss.job
      where name = '__pgboss__send-it' and data ->> 'name' = 'settle-notice-periods' group by 1 order by 1`;
    let perMinute = await windows();
    while (perMinute.length < 2 && Date.now() < deadline) {
      await sleep(2000);
      perMinute = await windows();
    }
    expect(perMinute.length).toBeGreaterThanOrEqual(2);
    expect(perMinute.map((row) => row.n)).toEqual(perMinute.map(() => 1));
    const [sent] = await admin<{ n: number }[]>`
      select count(*)::int as n from pgboss.job where name = 'settle-notice-periods' and data ->> 'source' = 'schedule'`;
    expect(sent.n).toBeGreaterThanOrEqual(1);
    expect(sent.n).toBeLessThanOrEqual(perMinute.length);
    // and each process sent one at start, which ran
    const atStart = await admin<{ n: number }[]>`
      select count(*)::int as n from pgboss.job where name = 'settle-notice-periods' and data ->> 'source' = 'start'`;
    expect(atStart[0].n).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
