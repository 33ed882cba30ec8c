// The production app server while its PostgreSQL restarts and stops (issue 11, parts 1 and 12).
// One throwaway cluster (tests/fault/postgres-instance.ts) with the demo data, one app server on
// it; the scenarios run in order on the same pair:
//   - pg_ctl restart -m fast, then -m immediate, during a burst of facility creates and edits (API),
//     then ten restarts in a row under the same burst
//   - pg_ctl restart -m immediate while a CSV import's transaction is open (/manage/import)
//   - pg_ctl restart -m immediate during approvals sent 4 at a time (/review/:id)
//   - the server stopped for 30 s, with pages and API polled throughout
// Always: the app process never exits; every answer is a success or a 503 (JSON `{error}` with
// Retry-After on /api/), within 5 s during the outage; requests succeed within 2 s of the
// database's return; nothing partial is written (audit entries name existing rows, imports are
// all or nothing, every acknowledged write is there, states match their transitions).
import postgres from "postgres";

import { LISTING_COLUMNS, type ListingColumn } from "~/domains/listings/listing-csv";

import {
  ensureBuild,
  seedDemoDatabase,
  signIn,
  startAppServer,
  timed,
  type AppServer,
  type Outcome,
} from "./app-server";
import { startPostgresInstance, type PostgresInstance, type StopMode } from "./postgres-instance";

const COMMUNITY = "370102001002"; // 解放桥社区, 历下区 (the demo staff account's community)
const POINT = { lat: 36.666, lng: 117.042 };
const OUTAGE_S = Number(process.env.FAULT_OUTAGE_S ?? 30);
const ANSWER_WITHIN_MS = 5000; // an answer during the outage
const RECOVER_WITHIN_MS = 2000; // a success after the database is back
const REQUEST_DEADLINE_MS = 11_000; // no request hangs past the app's deadline (10 s) and a margin

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (ms: number) => Math.round(ms);

/** what the suite measured, printed at the end (and kept for the report) */
const measured: string[] = [];
const note = (line: string) => {
  measured.push(line);
  console.log(`fault: ${line}`);
};

let pg: PostgresInstance;
let app: AppServer;
let admin: postgres.Sql;
let staffCookie: string;
let reviewerCookie: string;

function expectAlive() {
  expect(app.exited(), `the app server exited:\n${app.output().slice(-4000)}`).toBeNull();
}

function expectNoCrashPrinted() {
  expect(app.output()).not.toMatch(/reading 'write'|uncaughtException|Unhandled 'error' event/);
}

/** an answer the contract allows while the database may be away */
function expectCleanOutcome(o: Outcome, what: string) {
  expect(o.status, `${what}: ${o.status} ${o.error ?? o.body.slice(0, 300)}`).not.toBe(0);
  if (o.status === 503 && what.includes("/api/")) {
    expect(o.contentType, `${what}: JSON 503`).toMatch(/application\/json/);
    expect(typeof JSON.parse(o.body).error, `${what}: {error}`).toBe("string");
    expect(o.retryAfter, `${what}: Retry-After`).toMatch(/^\d+$/);
  }
  expect(o.ms, `${what}: answered after ${round(o.ms)} ms`).toBeLessThan(REQUEST_DEADLINE_MS);
}

const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
  const { json, ...rest } = init;
  return timed(`${app.baseUrl}${path}`, {
    ...rest,
    headers: {
      cookie: staffCookie,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...(rest.headers as Record<string, string> | undefined),
    },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
};

/** wait until a 'shequ' backend holds an open write transaction (it has an xid), then return */
async function whenAppWriting(timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const rows = await admin<{ pid: number }[]>`
      select pid from pg_stat_activity where application_name = 'shequ' and backend_xid is not null`.catch(() => []);
    if (rows.length > 0) return true;
    await sleep(5);
  }
  return false;
}

/** until the first success of `probe` after the database is back: [ms, first outcome] */
async function timeToRecovery(probe: () => Promise<Outcome>, since: number) {
  const first = await probe();
  let last = first;
  while (last.status !== 200 && performance.now() - since < 15_000) {
    await sleep(50);
    last = await probe();
  }
  return { ms: last.status === 200 ? last.at + last.ms - since : Infinity, first };
}

// ---- invariants: nothing partial ------------------------------------------------------------

async function expectNothingPartial() {
  const [orphans] = await admin<{ facility: number; service: number; assessment: number }[]>`
    select
      (select count(*)::int from audit_entries a where a.object_type = 'facility'
         and not exists (select 1 from facilities f where f.id = a.object_id)) as facility,
      (select count(*)::int from audit_entries a where a.object_type = 'service'
         and not exists (select 1 from services s where s.id = a.object_id)) as service,
      (select count(*)::int from audit_entries a where a.object_type = 'assessment'
         and not exists (select 1 from assessments s where s.id = a.object_id)) as assessment`;
  expect(orphans, "audit entries naming rows that do not exist").toEqual({ facility: 0, service: 0, assessment: 0 });

  // every facility the suite made has one audit entry per version: created (1) + each edit
  const unaudited = await admin<{ id: string; name: string; version: number; audits: number }[]>`
    select f.id, f.name, f.version, count(a.id)::int as audits
    from facilities f left join audit_entries a on a.object_type = 'facility' and a.object_id = f.id
    where f.name like 'FAULT-%'
    group by f.id having count(a.id) <> f.version`;
  expect(unaudited, "facilities whose audit trail does not match their version").toEqual([]);

  // an assessment's state is the state its last transition moved it to
  const drifted = await admin<{ id: string }[]>`
    select a.id from assessments a
    join lateral (select to_state from assessment_transitions t where t.assessment_id = a.id order by t.id desc limit 1) last on true
    where last.to_state <> a.state`;
  expect(drifted, "assessments whose state is not their last transition's").toEqual([]);
}

// ---- scenarios --------------------------------------------------------------------------------

type Ack = { id: string; version: number };

/** creates and edits through the JSON API from `workers` loops until `until` */
async function writeBurst(label: string, workers: number, until: () => boolean) {
  const acked = new Map<string, number>();
  const outcomes: { what: string; o: Outcome }[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; !until() && !app.exited(); i++) {
        const name = `FAULT-BURST-${label}-${w}-${i}`;
        const created = await api("/api/v1/facilities", {
          method: "POST",
          json: { communityCode: COMMUNITY, name, type: "other", lat: POINT.lat + w * 1e-4, lng: POINT.lng + i * 1e-5 },
        });
        outcomes.push({ what: `POST /api/v1/facilities`, o: created });
        if (created.status !== 201) {
          if (created.status === 503) await sleep(100);
          continue;
        }
        const facility = JSON.parse(created.body) as Ack;
        acked.set(facility.id, facility.version);
        const edited = await api(`/api/v1/facilities/${facility.id}`, {
          method: "PATCH",
          json: { version: facility.version, phone: `0531-8${String(i).padStart(7, "0")}` },
        });
        outcomes.push({ what: `PATCH /api/v1/facilities/:id`, o: edited });
        if (edited.status === 200) acked.set(facility.id, (JSON.parse(edited.body) as Ack).version);
      }
    }),
  );
  return { acked, outcomes };
}

async function expectAcknowledgedWritesKept(acked: Map<string, number>) {
  const ids = [...acked.keys()];
  const rows = ids.length
    ? await admin<{ id: string; version: number }[]>`select id, version from facilities where id in ${admin(ids)}`
    : [];
  const found = new Map(rows.map((r) => [r.id, r.version]));
  const lost = ids.filter((id) => !found.has(id) || found.get(id)! < acked.get(id)!);
  expect(lost, "acknowledged writes that are not in the database").toEqual([]);
}

function summarize(label: string, outcomes: { what: string; o: Outcome }[]) {
  const ok = outcomes.filter(({ o }) => o.status >= 200 && o.status < 400).length;
  const slowest = Math.max(0, ...outcomes.map(({ o }) => o.ms));
  const unavailable = outcomes.filter(({ o }) => o.status === 503);
  note(
    `${label}: ${outcomes.length} requests, ${ok} ok, ${unavailable.length} × 503, ` +
      `others ${outcomes.length - ok - unavailable.length}; slowest ${round(slowest)} ms` +
      (unavailable.length ? `; slowest 503 ${round(Math.max(...unavailable.map(({ o }) => o.ms)))} ms` : ""),
  );
}

beforeAll(async () => {
  const started = performance.now();
  ensureBuild();
  pg = await startPostgresInstance();
  admin = postgres(pg.url(), { max: 2, onnotice: () => {}, backoff: () => 0.1, connect_timeout: 5 });
  await admin`create database shequ`;
  // statements of a second or more go to the server log: the longest are reported (statement_timeout)
  await admin`alter system set log_min_duration_statement = 1000`;
  await admin`select pg_reload_conf()`;
  await admin.end();
  admin = postgres(pg.url("shequ"), { max: 2, onnotice: () => {}, backoff: () => 0.1, connect_timeout: 5 });
  seedDemoDatabase(pg.url("shequ"));
  app = await startAppServer(pg.url("shequ"));
  staffCookie = await signIn(app.baseUrl, "jiefangqiao");
  reviewerCookie = await signIn(app.baseUrl, "province");
  note(`setup (cluster, demo data, app server) ${round((performance.now() - started) / 1000)} s`);
});

afterAll(async () => {
  await app?.stop();
  await admin?.end({ timeout: 1 }).catch(() => {});
  const durations = (pg?.log() ?? "")
    .split(/\n(?=\d{4}-\d\d-\d\d )/)
    .map((entry) => /duration: ([\d.]+) ms\s+(?:statement|execute [^:]*): ([^]*)/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ms: Number(m[1]), statement: m[2].replace(/\s+/g, " ").trim().slice(0, 100) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  for (const d of durations) note(`long statement: ${round(d.ms)} ms ${d.statement}`);
  pg?.destroy();
  if (measured.length) console.log(`\nfault suite measured:\n  ${measured.join("\n  ")}`);
});

afterEach(() => {
  expectAlive();
});

describe.each([["fast"], ["immediate"]] as [StopMode][])("pg_ctl restart -m %s during a write burst", (mode) => {
  it("stays up, answers each request with a success or a clean 503, keeps every acknowledged write", async () => {
    let restarted = false;
    let restartMs = 0;
    const burst = writeBurst(mode, 4, () => restarted && performance.now() > restartMs + 2500);
    await sleep(1500);
    const t = performance.now();
    await pg.restart(mode);
    restartMs = performance.now();
    restarted = true;
    note(`write burst, restart -m ${mode}: pg_ctl took ${round(restartMs - t)} ms`);
    const { acked, outcomes } = await burst;
    summarize(`write burst, restart -m ${mode}`, outcomes);
    expectAlive();
    expectNoCrashPrinted();
    for (const { what, o } of outcomes) {
      expectCleanOutcome(o, what);
      expect([200, 201, 503], `${what}: ${o.status} ${o.body.slice(0, 300)}`).toContain(o.status);
    }
    expect(acked.size).toBeGreaterThan(0);
    await expectAcknowledgedWritesKept(acked);
    await expectNothingPartial();
    // and it serves writes again
    const after = await api("/api/v1/facilities", {
      method: "POST",
      json: { communityCode: COMMUNITY, name: `FAULT-AFTER-${mode}`, type: "other", ...POINT },
    });
    expect(after.status, after.body.slice(0, 300)).toBe(201);
  });
});

describe("ten restarts in a row (fast and immediate in turn) under a write burst", () => {
  it("never exits, never hangs past the deadline, keeps every acknowledged write", async () => {
    let done = false;
    const burst = writeBurst("ten", 4, () => done);
    const took: number[] = [];
    for (let i = 0; i < 10; i++) {
      await sleep(700);
      const t = performance.now();
      await pg.restart(i % 2 ? "immediate" : "fast");
      took.push(round(performance.now() - t));
      expectAlive();
    }
    await sleep(1500);
    done = true;
    const { acked, outcomes } = await burst;
    note(`ten restarts: pg_ctl took ${took.join(", ")} ms`);
    summarize("ten restarts under a write burst", outcomes);
    expectAlive();
    expectNoCrashPrinted();
    for (const { what, o } of outcomes) {
      expectCleanOutcome(o, what);
      expect([200, 201, 503], `${what}: ${o.status} ${o.body.slice(0, 300)}`).toContain(o.status);
    }
    // the last requests, sent after the last restart, succeeded
    expect(
      outcomes
        .slice(-4)
        .map(({ o }) => o.status)
        .filter((s) => s === 503),
    ).toEqual([]);
    await expectAcknowledgedWritesKept(acked);
    await expectNothingPartial();
  });
});

function importCsv(rows: number, marker: string) {
  const header = LISTING_COLUMNS.map((c) => c.key);
  const lines = [header.join(",")];
  for (let i = 0; i < rows; i++) {
    const row: Partial<Record<ListingColumn, string>> = {
      facility_ref: `F${i}`,
      community_code: COMMUNITY,
      facility_name: `${marker}-${i}`,
      facility_type: "other",
      address: `解放路 ${i} 号`,
      lat: (POINT.lat + (i % 50) * 1e-4).toFixed(6),
      lng: (POINT.lng + Math.floor(i / 50) * 1e-4).toFixed(6),
      hours_mon: "08:00-11:30, 13:30-17:30",
      service_name: "便民服务",
      category: "other",
    };
    lines.push(
      header
        .map((key) => row[key] ?? "")
        .map((cell) => (/[",]/.test(cell) ? `"${cell}"` : cell))
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

describe("pg_ctl restart -m immediate while a CSV import's transaction is open", () => {
  it("imports all the rows or none, and stays up", async () => {
    const rows = 1500;
    const marker = "FAULT-IMPORT";
    const body = new FormData();
    body.append("file", new Blob([importCsv(rows, marker)], { type: "text/csv" }), "listings.csv");
    const upload = timed(
      `${app.baseUrl}/manage/import`,
      { method: "POST", body, headers: { cookie: staffCookie } },
      60_000,
    );
    const caught = await whenAppWriting(30_000);
    expect(caught, "the import's transaction was never seen open").toBe(true);
    await pg.restart("immediate");
    const answer = await upload;
    note(`import of ${rows} rows, restart -m immediate mid-transaction: ${answer.status} after ${round(answer.ms)} ms`);
    expectAlive();
    expectNoCrashPrinted();
    expect([200, 503], `${answer.status} ${answer.body.slice(0, 300)}`).toContain(answer.status);
    const [{ n }] = await admin<
      { n: number }[]
    >`select count(*)::int as n from facilities where name like ${`${marker}-%`}`;
    expect(n, "an import is all or nothing").toBe(answer.status === 200 ? rows : 0);
    if (answer.status !== 200) expect(n).toBe(0);
    await expectNothingPartial();

    // once the database is back, the same file imports whole
    const again = new FormData();
    again.append("file", new Blob([importCsv(rows, `${marker}-AGAIN`)], { type: "text/csv" }), "listings.csv");
    const retried = await timed(
      `${app.baseUrl}/manage/import`,
      { method: "POST", body: again, headers: { cookie: staffCookie } },
      60_000,
    );
    expect(retried.status, retried.body.slice(0, 300)).toBe(200);
    const [{ m }] = await admin<
      { m: number }[]
    >`select count(*)::int as m from facilities where name like ${`${marker}-AGAIN-%`}`;
    expect(m).toBe(rows);
  });
});

describe("pg_ctl restart -m immediate during approvals sent 4 at a time", () => {
  it("every assessment ends approved with its transition and audit entry, or untouched; stays up", async () => {
    const pending = await admin<
      { id: string; version: number; score: number | null; tier_scores: Record<string, number> }[]
    >`
      select a.id, a.version, a.score::float8 as score, s.tier_scores
      from assessments a join evaluation_standards s on s.version = a.standard_version
      where a.state = 'submitted' order by a.submitted_at, a.id`;
    expect(pending.length, "the demo data has submitted assessments to review").toBeGreaterThan(3);
    const before = new Map(
      (
        await admin<{ id: string; transitions: number; audits: number }[]>`
        select a.id,
               (select count(*)::int from assessment_transitions t where t.assessment_id = a.id) as transitions,
               (select count(*)::int from audit_entries e where e.object_type = 'assessment' and e.object_id = a.id) as audits
        from assessments a where a.id in ${admin(pending.map((p) => p.id))}`
      ).map((r) => [r.id, r]),
    );
    const decide = (p: (typeof pending)[number]) => {
      const reachable = (["benchmark", "growth", "basic"] as const).find(
        (tier) => (p.score ?? 0) >= p.tier_scores[tier],
      );
      const form: Record<string, string> = reachable
        ? { intent: "approve", version: String(p.version), tier: reachable }
        : { intent: "reject", version: String(p.version), reason: "fault suite: below the basic tier" };
      return timed(`${app.baseUrl}/review/${p.id}`, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { cookie: reviewerCookie },
      });
    };

    const outcomes: { id: string; o: Outcome }[] = [];
    let restart: Promise<void> | undefined;
    const startedAt = performance.now();
    for (let i = 0; i < pending.length; i += 4) {
      const batch = pending.slice(i, i + 4);
      if (!restart && performance.now() - startedAt > 300) restart = pg.restart("immediate");
      const answers = await Promise.all(batch.map(decide));
      batch.forEach((p, k) => outcomes.push({ id: p.id, o: answers[k] }));
    }
    await restart;
    summarize(
      `approvals (${pending.length}, 4 at a time), restart -m immediate`,
      outcomes.map(({ o }) => ({ what: "POST /review/:id", o })),
    );
    expectAlive();
    expectNoCrashPrinted();
    for (const { o } of outcomes) {
      expectCleanOutcome(o, "POST /review/:id");
      expect([302, 503], `${o.status} ${o.body.slice(0, 300)}`).toContain(o.status);
    }
    const after = await admin<{ id: string; state: string; transitions: number; audits: number }[]>`
      select a.id, a.state,
             (select count(*)::int from assessment_transitions t where t.assessment_id = a.id) as transitions,
             (select count(*)::int from audit_entries e where e.object_type = 'assessment' and e.object_id = a.id) as audits
      from assessments a where a.id in ${admin(pending.map((p) => p.id))}`;
    for (const row of after) {
      const was = before.get(row.id)!;
      const answered = outcomes.find((x) => x.id === row.id)!.o.status;
      if (row.state === "submitted") {
        expect(row, "untouched: no transition, no audit entry").toMatchObject({
          transitions: was.transitions,
          audits: was.audits,
        });
        expect(answered, "an acknowledged decision is kept").not.toBe(302);
      } else {
        expect(row, "decided: one transition and one audit entry more").toMatchObject({
          transitions: was.transitions + 1,
          audits: was.audits + 1,
        });
      }
    }
    await expectNothingPartial();
  });
});

describe(`PostgreSQL stopped for ${OUTAGE_S} s`, () => {
  it("answers pages with a 503 page and the API with JSON 503 + Retry-After within 5 s, and serves within 2 s of the return", async () => {
    const [{ id: facilityId }] = await admin<
      { id: string }[]
    >`select id from facilities where community_code = ${COMMUNITY} order by id limit 1`;
    const probes: Record<string, () => Promise<Outcome>> = {
      "page /coverage/37": () => timed(`${app.baseUrl}/coverage/37`),
      // (not /manage/:code: the scenarios above add 3,000 facilities to its list, 1–2 s to render)
      "page /account (signed in)": () => timed(`${app.baseUrl}/account`, { headers: { cookie: staffCookie } }),
      "/api/v1/services": () => timed(`${app.baseUrl}/api/v1/services?lat=${POINT.lat}&lng=${POINT.lng}&limit=5`),
      "/api/v1/facilities/:id (signed in)": () => api(`/api/v1/facilities/${facilityId}`),
    };
    const baseline: Record<string, number> = {};
    for (const [what, probe] of Object.entries(probes)) {
      const o = await probe();
      expect(o.status, `${what} before the outage: ${o.body.slice(0, 200)}`).toBe(200);
      baseline[what] = round(o.ms);
    }
    note(`before the outage, one request each: ${JSON.stringify(baseline)} ms`);

    await pg.stop("fast");
    const stoppedAt = performance.now();
    const during: { what: string; o: Outcome }[] = [];
    while (performance.now() - stoppedAt < OUTAGE_S * 1000) {
      const answers = await Promise.all(
        Object.entries(probes).map(async ([what, probe]) => ({ what, o: await probe() })),
      );
      during.push(...answers);
      await sleep(1000);
    }
    expectAlive();
    const slowest = Math.max(...during.map(({ o }) => o.ms));
    const median = during.map(({ o }) => o.ms).sort((a, b) => a - b)[Math.floor(during.length / 2)];
    note(
      `stopped ${OUTAGE_S} s: ${during.length} requests, statuses ${JSON.stringify(countBy(during.map(({ o }) => o.status)))}, time to answer median ${round(median)} ms, max ${round(slowest)} ms`,
    );

    await pg.start();
    const backAt = performance.now();
    const recovery: Record<string, number> = {};
    const firsts: Record<string, number> = {};
    await Promise.all(
      Object.entries(probes).map(async ([what, probe]) => {
        const { ms, first } = await timeToRecovery(probe, backAt);
        recovery[what] = round(ms);
        firsts[what] = first.status;
      }),
    );
    note(
      `after the return: first request answered ${JSON.stringify(firsts)}; first success after ${JSON.stringify(recovery)} ms`,
    );
    if (Object.values(recovery).some((ms) => ms >= RECOVER_WITHIN_MS)) console.log(app.output().slice(-3000));

    expectNoCrashPrinted();
    for (const { what, o } of during) {
      expect(o.status, `${what} during the outage: ${o.status} ${o.error ?? o.body.slice(0, 200)}`).toBe(503);
      expect(o.ms, `${what} during the outage answered after ${round(o.ms)} ms`).toBeLessThan(ANSWER_WITHIN_MS);
      expectCleanOutcome(o, what);
      if (what.startsWith("page")) expect(o.contentType, `${what}: a 503 page`).toMatch(/text\/html/);
    }
    for (const [what, ms] of Object.entries(recovery))
      expect(ms, `${what}: first success after the return`).toBeLessThan(RECOVER_WITHIN_MS);
    for (const [what, status] of Object.entries(firsts))
      expect(status, `${what}: the first request after the return`).toBe(200);
    await expectNothingPartial();
  });
});

function countBy(values: number[]) {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
