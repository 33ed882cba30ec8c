// Read replicas (issue 14 part 5, docs/decisions/010): the production server on the suite's own
// PostgreSQL (the primary, with the demo data) and a streaming replica of it made with
// pg_basebackup -R, both on free loopback ports. Which server ran a statement is read from
// pg_stat_statements on each, so the proof does not rely on the app's word:
//   - a resident's search, public coverage and a dashboard are read on the replica, not the primary;
//   - with the replica's replay paused, a facility and service created by staff are found at once
//     by that staff member's next search (the change's cookie sends it to the primary), while
//     another browser's search, on the replica, does not yet see them; once the replica lags past
//     DATABASE_REPLICA_MAX_LAG_MS it is skipped and everyone reads the primary; resumed, it is used again;
//   - the replica stopped: searches keep answering 200 from the primary, /healthz stays 200 and
//     says the replica is unreachable; started again, it is used again.
import postgres from "postgres";

import { signIn, startAppServer, startDemoPostgres, timed, type AppServer } from "./app-server";
import { startPostgresInstance, type PostgresInstance } from "./postgres-instance";

const COMMUNITY = "370102001002"; // 解放桥社区, 历下区 (the demo staff account's community)
const POINT = { lat: 36.666, lng: 117.042 };
const SEARCH = `/api/v1/services?lat=${POINT.lat}&lng=${POINT.lng}&radius=3000`;
const MAX_LAG_MS = 5000;

/** statements of the search (its window query) and of the coverage figures, as pg_stat_statements shows them */
const SEARCH_SQL = "%last_knn%";
const SEARCH_BY_TEXT_SQL = "%f.address ilike%last_knn%";
const COVERAGE_SQL = "%a.effective_at is not null%";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let pg: PostgresInstance;
let replica: PostgresInstance;
let app: AppServer;
let onPrimary: postgres.Sql;
let onReplica: postgres.Sql;

const note = (line: string) => console.log(`fault: ${line}`);

/** calls of statements like `pattern` on each server so far */
async function calls(pattern: string) {
  const count = async (sql: postgres.Sql) => {
    const [row] = await sql<{ n: number }[]>`
      select coalesce(sum(calls), 0)::int as n from pg_stat_statements where query like ${pattern}`;
    return row.n;
  };
  return { primary: await count(onPrimary), replica: await count(onReplica) };
}

/** runs `work` and says how many statements like `pattern` each server ran meanwhile */
async function ranOn<T>(pattern: string, work: () => Promise<T>) {
  const before = await calls(pattern);
  const result = await work();
  const after = await calls(pattern);
  return { result, primary: after.primary - before.primary, replica: after.replica - before.replica };
}

type ReplicaHealth = { inUse: boolean; skipped: string | null; reachable: boolean | null; lagMs: number | null };

async function health() {
  const response = await fetch(`${app.baseUrl}/healthz`);
  const body = (await response.json()) as { ok: boolean; replicas?: ReplicaHealth[] };
  return { status: response.status, ok: body.ok, replica: body.replicas?.[0] };
}

/** polls /healthz until the replica's state passes `test`; the ms it took */
async function untilReplica(what: string, test: (r: ReplicaHealth) => boolean, timeoutMs = 20_000) {
  const started = performance.now();
  let last: ReplicaHealth | undefined;
  while (performance.now() - started < timeoutMs) {
    last = (await health()).replica;
    if (last && test(last)) return Math.round(performance.now() - started);
    await sleep(100);
  }
  throw new Error(
    `the replica was not ${what} within ${timeoutMs} ms: ${JSON.stringify(last)}\n${app.output().slice(-2000)}`,
  );
}

const get = (path: string, cookie?: string) => timed(`${app.baseUrl}${path}`, cookie ? { headers: { cookie } } : {});

const servicesOf = (body: string) => (JSON.parse(body) as { services: { name: string }[] }).services;

/** "a=1; b=2" without the cookie named `name` */
const withoutCookie = (cookies: string, name: string) =>
  cookies
    .split("; ")
    .filter((c) => !c.startsWith(`${name}=`))
    .join("; ");

beforeAll(async () => {
  ({ pg } = await startDemoPostgres({ config: ["shared_preload_libraries = 'pg_stat_statements'"] }));
  onPrimary = postgres(pg.url("shequ"), { max: 1, onnotice: () => {} });
  await onPrimary`create extension if not exists pg_stat_statements`;
  const started = performance.now();
  replica = await startPostgresInstance({ replicaOf: pg });
  note(`streaming replica made with pg_basebackup -R and started in ${Math.round(performance.now() - started)} ms`);
  onReplica = postgres(replica.url("shequ"), { max: 1, onnotice: () => {} });
  const [standby] = await onReplica<{ in_recovery: boolean }[]>`select pg_is_in_recovery() as in_recovery`;
  expect(standby.in_recovery).toBe(true);
  app = await startAppServer(pg.url("shequ"), {
    DATABASE_REPLICA_URL: replica.url("shequ"),
    DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
    // one process, so that /healthz speaks for the one that answers
    WEB_CONCURRENCY: "1",
  });
  await untilReplica("in use", (r) => r.inUse);
  // the coverage snapshots taken at start read coverage on the primary: measured reads come after
  for (let i = 0; i < 600; i++) {
    const [done] = await onPrimary<{ n: number }[]>`
      select count(*)::int as n from pgboss.job where name = 'snapshot-coverage' and state = 'completed'`.catch(() => [
      { n: 0 },
    ]);
    if (done.n > 0) break;
    await sleep(100);
  }
});

afterAll(async () => {
  await app?.stop();
  await onReplica?.end({ timeout: 1 }).catch(() => {});
  await onPrimary?.end({ timeout: 1 }).catch(() => {});
  replica?.destroy();
  pg?.destroy();
});

describe("read replicas", () => {
  it("reads a resident's search, public coverage and a dashboard on the replica", async () => {
    const search = await ranOn(SEARCH_SQL, () => get(SEARCH));
    expect(search.result.status).toBe(200);
    expect(servicesOf(search.result.body).length).toBeGreaterThan(0);
    expect(search).toMatchObject({ primary: 0, replica: expect.any(Number) });
    expect(search.replica).toBeGreaterThan(0);

    const page = await ranOn(SEARCH_SQL, () => get(`/?lat=${POINT.lat}&lng=${POINT.lng}`));
    expect(page.result.status).toBe(200);
    expect([page.primary, page.replica > 0]).toEqual([0, true]);

    for (const path of ["/api/v1/coverage/370102", "/coverage/37"]) {
      const coverage = await ranOn(COVERAGE_SQL, () => get(path));
      expect(coverage.result.status, path).toBe(200);
      expect([coverage.primary, coverage.replica > 0], path).toEqual([0, true]);
    }

    // an official's dashboard, signed in a while ago (the sign-in's own cookie set aside)
    const official = withoutCookie(await signIn(app.baseUrl, "lixia"), "shequ_primary");
    const dashboard = await ranOn(COVERAGE_SQL, () => get("/dashboard/370102", official));
    expect(dashboard.result.status).toBe(200);
    expect([dashboard.primary, dashboard.replica > 0]).toEqual([0, true]);

    const { status, ok, replica: state } = await health();
    expect({ status, ok, state }).toMatchObject({ status: 200, ok: true, state: { inUse: true, reachable: true } });
    note(`search, coverage and a dashboard read on the replica; /healthz: ${JSON.stringify(state)}`);
  });

  it("lets a writer read its write at once from the primary, and skips a replica lagging past the limit", async () => {
    const staff = await signIn(app.baseUrl, "jiefangqiao");
    await onReplica`select pg_wal_replay_pause()`;
    // "pause requested" until replay reaches a point where it stops
    for (let i = 0; i < 100; i++) {
      const [row] = await onReplica<{ state: string }[]>`select pg_get_wal_replay_pause_state() as state`;
      if (row.state === "paused") break;
      await sleep(50);
    }
    try {
      const name = `REPLICA-${Date.now()}`;
      const post = (path: string, body: unknown) =>
        fetch(`${app.baseUrl}${path}`, {
          method: "POST",
          headers: { cookie: staff, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const facility = await post("/api/v1/facilities", {
        communityCode: COMMUNITY,
        name,
        type: "elderly_day_care",
        lat: POINT.lat + 1e-4,
        lng: POINT.lng,
      });
      expect(facility.status).toBe(201);
      const { id } = (await facility.json()) as { id: string };
      const service = await post(`/api/v1/facilities/${id}/services`, { name, category: "elderly_care" });
      expect(service.status).toBe(201);
      // the change's answer says: read from the primary for the max lag, two checks and a second
      const cookie = service.headers.getSetCookie().find((c) => c.startsWith("shequ_primary="));
      expect(cookie).toMatch(/^shequ_primary=1; Max-Age=(\d+); Path=\/; HttpOnly; SameSite=Lax/);
      expect(Number(/Max-Age=(\d+)/.exec(cookie!)![1])).toBeGreaterThanOrEqual(MAX_LAG_MS / 1000);
      const wroteAt = performance.now();

      const find = `${SEARCH}&q=${name}`;
      const writer = await ranOn(SEARCH_BY_TEXT_SQL, () => get(find, staff));
      expect(writer.result.status).toBe(200);
      expect(servicesOf(writer.result.body).map((s) => s.name)).toEqual([name]);
      expect([writer.primary > 0, writer.replica]).toEqual([true, 0]);

      // another browser, at once: the replica (replay paused) has not got it yet
      const other = await ranOn(SEARCH_BY_TEXT_SQL, () => get(find));
      const stale = performance.now() - wroteAt;
      expect(other.result.status).toBe(200);
      expect(stale, "the second search came too late to find the replica still in use").toBeLessThan(MAX_LAG_MS - 2000);
      expect(servicesOf(other.result.body)).toEqual([]);
      expect([other.primary, other.replica > 0]).toEqual([0, true]);

      // past the limit the replica is skipped: everyone reads the primary
      await untilReplica("skipped as lagging", (r) => r.skipped === "lagging");
      const skippedAfter = Math.round(performance.now() - wroteAt);
      const later = await ranOn(SEARCH_BY_TEXT_SQL, () => get(find));
      expect(servicesOf(later.result.body).map((s) => s.name)).toEqual([name]);
      expect([later.primary > 0, later.replica]).toEqual([true, 0]);
      note(`replay paused: the replica was skipped ${skippedAfter} ms after the write (limit ${MAX_LAG_MS} ms)`);

      await onReplica`select pg_wal_replay_resume()`;
      const back = await untilReplica("in use again", (r) => r.inUse);
      const caughtUp = await ranOn(SEARCH_BY_TEXT_SQL, () => get(find));
      expect(servicesOf(caughtUp.result.body).map((s) => s.name)).toEqual([name]);
      expect([caughtUp.primary, caughtUp.replica > 0]).toEqual([0, true]);
      note(`replay resumed: the replica in use again after ${back} ms, with the write`);
    } finally {
      await onReplica`select pg_wal_replay_resume()`.catch(() => {});
    }
  });

  it("answers from the primary while the replica is stopped, and uses it again when it is back", async () => {
    await replica.stop("fast");
    const stoppedAt = performance.now();
    const answers = [];
    while (performance.now() - stoppedAt < 5000) answers.push(await get(SEARCH));
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(
      answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.error ?? a.body.slice(0, 200)}`),
    ).toEqual([]);
    expect(slowest).toBeLessThan(2000);
    const { status, ok, replica: state } = await health();
    expect({ status, ok, state }).toMatchObject({
      status: 200,
      ok: true,
      state: { inUse: false, skipped: "unreachable", reachable: false },
    });
    note(
      `replica stopped: ${answers.length} searches in 5 s, all 200 from the primary, slowest ${Math.round(slowest)} ms`,
    );

    await replica.start();
    await onReplica.end({ timeout: 1 }).catch(() => {});
    onReplica = postgres(replica.url("shequ"), { max: 1, onnotice: () => {} });
    const back = await untilReplica("in use again", (r) => r.inUse);
    const search = await ranOn(SEARCH_SQL, () => get(SEARCH));
    expect(search.result.status).toBe(200);
    expect([search.primary, search.replica > 0]).toEqual([0, true]);
    note(`replica started again: in use after ${back} ms`);
    expect(app.exited()).toBeNull();
  });
});
