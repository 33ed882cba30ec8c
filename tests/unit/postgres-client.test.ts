import {
  isClosedSession,
  isReadOnlyStatement,
  postgresPoolOptions,
  probeOptions,
  reconnectBackoff,
  RECONNECT_BACKOFF_CAP_S,
} from "../../db/postgres-client.server";

describe("the postgres.js pool's outage settings", () => {
  it("backs off briefly and never past the cap, however many failures the pool counted", () => {
    for (const retries of [0, 1, 2, 3, 5, 10, 50, 1000]) {
      for (let i = 0; i < 50; i++) {
        const seconds = reconnectBackoff(retries);
        expect(seconds).toBeGreaterThan(0);
        expect(seconds).toBeLessThanOrEqual(RECONNECT_BACKOFF_CAP_S);
      }
    }
    expect(reconnectBackoff(1)).toBeLessThanOrEqual(0.1);
    // postgres.js's own default after 10 failures: 0.5–1 × min(3^10 / 100, 20) s = 10–20 s
  });

  it("passes the timeouts and the statement timeout to postgres.js", () => {
    const options = postgresPoolOptions({
      DB_POOL_MAX: 7,
      DB_CONNECT_TIMEOUT_S: 5,
      DB_IDLE_TIMEOUT_S: 60,
      DB_MAX_LIFETIME_S: 1800,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      DB_POOLER: "none",
    });
    expect(options).toMatchObject({ max: 7, connect_timeout: 5, idle_timeout: 60 });
    expect(options.connection).toMatchObject({ application_name: "shequ", statement_timeout: 30_000 });
    const lifetime = (options.max_lifetime as unknown as () => number)();
    expect(lifetime).toBeGreaterThanOrEqual(1800);
    expect(lifetime).toBeLessThanOrEqual(2700);
    const unlimited = postgresPoolOptions({
      DB_POOL_MAX: 1,
      DB_CONNECT_TIMEOUT_S: 5,
      DB_IDLE_TIMEOUT_S: 0,
      DB_MAX_LIFETIME_S: 0,
      DB_STATEMENT_TIMEOUT_MS: 0,
      DB_POOLER: "none",
    });
    expect(unlimited.connection).not.toHaveProperty("statement_timeout");
    expect(unlimited.max_lifetime).toBe(0);
    expect(options.prepare).toBe(true);
  });

  it("through PgBouncer: no prepared statements, nothing in the startup packet PgBouncer refuses", () => {
    const options = postgresPoolOptions({
      DB_POOL_MAX: 10,
      DB_CONNECT_TIMEOUT_S: 4,
      DB_IDLE_TIMEOUT_S: 60,
      DB_MAX_LIFETIME_S: 1800,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      DB_POOLER: "pgbouncer",
    });
    expect(options.prepare).toBe(false);
    expect(options).toMatchObject({ max_pipeline: 0 });
    expect(options.connection).toEqual({ application_name: "shequ" });
    expect(probeOptions({ DB_POOLER: "pgbouncer" }, "shequ-health")).toMatchObject({ prepare: false, max_pipeline: 0 });
    expect(probeOptions({ DB_POOLER: "none" }, "shequ-health")).not.toHaveProperty("max_pipeline");
  });

  it("retries only statements that read", () => {
    const reads = [
      'select "id", "name" from "facilities" where "facilities"."id" = $1',
      "  SELECT count(*) FROM services",
      "with t as (select 1 as x) select x from t",
      "/* note */ select 1",
      'select "facilities"."updated_at", "facilities"."created_at" from "facilities" order by 1 offset 20 limit 10',
    ];
    const writes = [
      'insert into "facilities" ("id") values ($1)',
      'update "facilities" set "name" = $1',
      'delete from "sessions" where "id" = $1',
      "with moved as (delete from a returning *) select * from moved",
      "with x as (insert into a values (1) returning id) select id from x",
      "select * from facilities where id = $1 for update",
      "select * from facilities for no key update",
      "select * from facilities for share",
      "select nextval('s')",
      "select pg_advisory_xact_lock(1)",
      "select set_config('a.b', 'c', false)",
      "select * into t2 from t",
      "refresh materialized view region_community_counts",
      "begin",
      "set local statement_timeout = 0",
      "vacuum analyze facilities",
      "-- select\ninsert into a values (1)",
    ];
    for (const statement of reads) expect(isReadOnlyStatement(statement), statement).toBe(true);
    for (const statement of writes) expect(isReadOnlyStatement(statement), statement).toBe(false);
  });

  it("retries only after the server closed the session", () => {
    for (const code of ["57P01", "57P02", "CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]) {
      expect(isClosedSession({ code }), code).toBe(true);
    }
    for (const code of ["ECONNREFUSED", "CONNECT_TIMEOUT", "57014", "23505", "57P03", "CONNECTION_ENDED"]) {
      expect(isClosedSession({ code }), code).toBe(false);
    }
    expect(isClosedSession(null)).toBe(false);
    expect(isClosedSession(new Error("x"))).toBe(false);
  });
});
