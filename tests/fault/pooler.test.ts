// Issue 14, part 6: the app through PgBouncer in transaction mode (DB_POOLER=pgbouncer,
// docs/decisions/008). Migrations and the demo seed run through it, then the production server's
// smoke path: health, the public search API, the residents' page, sign-in, an audited write read
// back, 30 reads at once carried by fewer server connections than the app holds to PgBouncer, and
// 30 creates 10 at a time, all kept (with prepared statements on, about half were acknowledged and
// rolled back).
import postgres from "postgres";

import { ensureBuild, seedDemoDatabase, signIn, startAppServer, timed, type AppServer } from "./app-server";
import { startPgBouncer, type PgBouncerInstance } from "./pgbouncer-instance";
import { startPostgresInstance, type PostgresInstance } from "./postgres-instance";

const POOL_SIZE = 3; // server connections per database and user: fewer than the app's DB_POOL_MAX (10)
const COMMUNITY = "370102001002"; // 解放桥社区, the demo staff account's community
const SEARCH = "/api/v1/services?lat=36.661&lng=117.0215&category=elderly_care";
const POOLED = { DB_POOLER: "pgbouncer" };

let pg: PostgresInstance;
let bouncer: PgBouncerInstance;
let app: AppServer;
/** straight to PostgreSQL's shequ database, past PgBouncer */
let direct: postgres.Sql;

beforeAll(async () => {
  ensureBuild();
  pg = await startPostgresInstance();
  const admin = postgres(pg.url(), { max: 1, onnotice: () => {} });
  await admin`create database shequ`;
  // what the README asks for instead of DB_STATEMENT_TIMEOUT_MS through a pooler
  await admin`alter role postgres in database shequ set statement_timeout = '30s'`;
  await admin.end();
  bouncer = await startPgBouncer({ serverPort: pg.port, databases: ["shequ"], poolSize: POOL_SIZE });
  try {
    seedDemoDatabase(bouncer.url("shequ"), POOLED);
    app = await startAppServer(bouncer.url("shequ"), POOLED);
    direct = postgres(pg.url("shequ"), { max: 1, onnotice: () => {} });
  } catch (error) {
    throw new Error(`${String(error)}\npgbouncer:\n${bouncer.log().slice(-3000)}`);
  }
});

afterAll(async () => {
  await app?.stop();
  await direct?.end({ timeout: 1 }).catch(() => {});
  await bouncer?.stop();
  pg?.destroy();
});

function expectServed() {
  expect(app.exited(), `the app server exited:\n${app.output().slice(-4000)}`).toBeNull();
  expect(app.output()).not.toMatch(/prepared statement|unsupported startup parameter|database setup failed/);
}

describe("through PgBouncer in transaction mode", () => {
  it("migrated and seeded through it, with the role's statement_timeout on every pooled session", async () => {
    const [row] = await direct<{ applied: number; facilities: number }[]>`
      select (select count(*)::int from drizzle.__drizzle_migrations) as applied,
             (select count(*)::int from facilities) as facilities`;
    expect(row.applied).toBeGreaterThan(0);
    expect(row.facilities).toBeGreaterThan(0);
    const through = postgres(bouncer.url("shequ"), { max: 1, prepare: false, onnotice: () => {} });
    try {
      const [{ statement_timeout }] = await through<{ statement_timeout: string }[]>`show statement_timeout`;
      expect(statement_timeout).toBe("30s");
    } finally {
      await through.end({ timeout: 1 });
    }
  });

  it("serves the smoke path: health, search API, residents' page, sign-in, an audited write read back", async () => {
    const health = await timed(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);

    const search = await timed(`${app.baseUrl}${SEARCH}`);
    expect(search.status, search.body.slice(0, 300)).toBe(200);
    expect((JSON.parse(search.body) as { services: unknown[] }).services.length).toBeGreaterThan(0);

    const page = await timed(`${app.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/);

    const cookie = await signIn(app.baseUrl, "jiefangqiao");
    const name = `POOLER-${Date.now()}`;
    const created = await timed(`${app.baseUrl}/api/v1/facilities`, {
      method: "POST",
      headers: { cookie, origin: app.baseUrl, "content-type": "application/json" },
      body: JSON.stringify({ communityCode: COMMUNITY, name, type: "other", lat: 36.666, lng: 117.042 }),
    });
    expect(created.status, created.body.slice(0, 300)).toBe(201);
    const { id } = JSON.parse(created.body) as { id: string };

    const read = await timed(`${app.baseUrl}/api/v1/facilities/${id}`, { headers: { cookie } });
    expect(read.status, read.body.slice(0, 300)).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ id, name, communityCode: COMMUNITY, version: 1 });

    const audits = await direct<{ n: number }[]>`
      select count(*)::int as n from audit_entries where object_type = 'facility' and object_id = ${id}`;
    expect(audits[0].n, "the write's audit entry").toBe(1);
    expectServed();
  });

  it(`answers 30 reads at once with at most ${POOL_SIZE} server connections for more app connections`, async () => {
    // and readiness checks among them: the health probe has its own connection (db/health.server.ts)
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => timed(`${app.baseUrl}${SEARCH}&limit=${5 + (i % 5)}`)),
      ...Array.from({ length: 5 }, () => timed(`${app.baseUrl}/healthz/ready`)),
    ]);
    for (const [i, o] of answers.entries())
      expect(
        o.status,
        `#${i}: ${o.status} ${o.error ?? o.body.slice(0, 200)}\napp:\n${app.output().slice(-3000)}`,
      ).toBe(200);

    // the app's connections stay open (DB_IDLE_TIMEOUT_S = 60), so PgBouncer still lists them
    const clients = (await bouncer.show("CLIENTS")).filter((c) => c.database === "shequ");
    const servers = (await bouncer.show("SERVERS")).filter((s) => s.database === "shequ");
    const backends = await direct<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = 'shequ' and backend_type = 'client backend' and pid <> pg_backend_pid()`;
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.length).toBeLessThanOrEqual(POOL_SIZE);
    expect(backends[0].n).toBeLessThanOrEqual(POOL_SIZE);
    expect(clients.length, `clients ${clients.length}, servers ${servers.length}`).toBeGreaterThan(servers.length);
    console.log(
      `fault: through PgBouncer: 30 reads at once, ${clients.length} app connections on ${servers.length} server connections`,
    );
    expectServed();
  });

  it("keeps every write of 3 rounds of 10 at once, each a transaction with its audit entry", async () => {
    // with prepared statements on, postgres.js prepares its own COMMIT by name; a later transaction
    // pinned to a server connection that lacks it fails the COMMIT ("prepared statement ... does
    // not exist"), postgres.js re-prepares and re-sends it in the now aborted transaction, and
    // PostgreSQL answers that COMMIT with ROLLBACK, no error: a 201 for a write that is not there
    const cookie = await signIn(app.baseUrl, "jiefangqiao");
    const marker = `POOLER-BURST-${Date.now()}`;
    const outcomes = [];
    for (let round = 0; round < 3; round++) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            timed(`${app.baseUrl}/api/v1/facilities`, {
              method: "POST",
              headers: { cookie, origin: app.baseUrl, "content-type": "application/json" },
              body: JSON.stringify({
                communityCode: COMMUNITY,
                name: `${marker}-${round}-${i}`,
                type: "other",
                lat: 36.666 + i * 1e-4,
                lng: 117.042 + round * 1e-4,
              }),
            }),
          ),
        )),
      );
    }
    for (const o of outcomes) expect(o.status, `${o.status} ${o.error ?? o.body.slice(0, 300)}`).toBe(201);
    const [row] = await direct<{ facilities: number; audits: number }[]>`
      select count(*)::int as facilities,
             (select count(*)::int from audit_entries a join facilities f on a.object_type = 'facility' and a.object_id = f.id
              where f.name like ${`${marker}-%`}) as audits
      from facilities where name like ${`${marker}-%`}`;
    expect(row).toEqual({ facilities: 30, audits: 30 });
    expectServed();
  });
});
