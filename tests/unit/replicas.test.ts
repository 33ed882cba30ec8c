// Read replicas (docs/decisions/010): the lag measure, which replica is used, the fallback to the
// primary, the read-your-writes rule and DATABASE_REPLICA_URL. The real thing, with a streaming
// replica, is tests/fault/replica.test.ts.
import type postgres from "postgres";

import { primaryReadsSeconds, readsFromPrimary } from "../../app/utils/read-database.server";
import { replicaUrlsFor, replicaUrlsOf } from "../../db/env.server";
import {
  createReplicaRouter,
  lsnValue,
  nextReplica,
  replicaLagMs,
  REPLICA_CHECK_STALE_MS,
  skipReason,
} from "../../db/replicas.server";

describe("the lag of a replica", () => {
  const at = 1_000_000;
  const samples = [
    { lsn: lsnValue("0/100"), at: at - 6000 },
    { lsn: lsnValue("0/200"), at: at - 4000 },
    { lsn: lsnValue("0/300"), at: at - 2000 },
    { lsn: lsnValue("0/400"), at },
  ];
  const primary = { lsn: lsnValue("0/400"), samples, now: at + 5 };

  it("reads WAL positions", () => {
    expect(lsnValue("0/0")).toBe(0n);
    expect(lsnValue("16/B374D848")).toBe((0x16n << 32n) + 0xb374d848n);
    expect(lsnValue("1/0") > lsnValue("0/FFFFFFFF")).toBe(true);
  });

  it("is 0 when it has replayed what the primary had, however old its last commit (an idle primary)", () => {
    const replica = { replayLsn: lsnValue("0/400"), receiveLsn: lsnValue("0/400"), replayAgeMs: 3_600_000 };
    expect(replicaLagMs(replica, primary)).toBe(0);
  });

  it("behind: the time since the last sample it has replayed past, or the age of its last commit if less", () => {
    // replayed past the sample of 4 s ago, not the one of 2 s ago; its last commit is an hour old
    expect(replicaLagMs({ replayLsn: lsnValue("0/250"), receiveLsn: null, replayAgeMs: 3_600_000 }, primary)).toBe(
      4005,
    );
    // a busy primary: its last replayed commit is 30 ms old
    expect(replicaLagMs({ replayLsn: lsnValue("0/250"), receiveLsn: null, replayAgeMs: 30 }, primary)).toBe(30);
    // behind every sample kept, no commit replayed yet: unknown
    expect(replicaLagMs({ replayLsn: lsnValue("0/50"), receiveLsn: null, replayAgeMs: null }, primary)).toBeNull();
  });

  it("without the primary: 0 when it has replayed all it received, else the age of its last commit", () => {
    const away = { lsn: null, samples, now: at };
    expect(replicaLagMs({ replayLsn: lsnValue("0/300"), receiveLsn: lsnValue("0/300"), replayAgeMs: 9000 }, away)).toBe(
      0,
    );
    expect(replicaLagMs({ replayLsn: lsnValue("0/300"), receiveLsn: lsnValue("0/400"), replayAgeMs: 9000 }, away)).toBe(
      9000,
    );
  });

  it("is unknown on a server that is no standby", () => {
    expect(replicaLagMs({ replayLsn: null, receiveLsn: null, replayAgeMs: null }, primary)).toBeNull();
  });
});

describe("which replica answers", () => {
  const healthy = { reachable: true, standby: true, lagMs: 0, checkedAt: 1000, reads: 0, fallbacks: 0 };

  it("skips a replica unchecked, unreachable, checked too long ago, no standby, or lagging past the limit", () => {
    expect(skipReason(healthy, 1500, 10_000)).toBeNull();
    expect(skipReason({ ...healthy, lagMs: 10_000 }, 1500, 10_000)).toBeNull();
    expect(skipReason({ ...healthy, lagMs: 10_001 }, 1500, 10_000)).toBe("lagging");
    expect(skipReason({ ...healthy, lagMs: null }, 1500, 10_000)).toBe("lagging");
    expect(skipReason({ ...healthy, reachable: false }, 1500, 10_000)).toBe("unreachable");
    expect(skipReason({ ...healthy, reachable: null, checkedAt: null }, 1500, 10_000)).toBe("unchecked");
    expect(skipReason(healthy, 1000 + REPLICA_CHECK_STALE_MS + 1, 10_000)).toBe("unreachable");
    expect(skipReason({ ...healthy, standby: false }, 1500, 10_000)).toBe("not_a_standby");
  });

  it("takes them in turn among those usable, none when none is", () => {
    expect(nextReplica([true, true, true], -1)).toBe(0);
    expect(nextReplica([true, true, true], 0)).toBe(1);
    expect(nextReplica([true, true, true], 2)).toBe(0);
    expect(nextReplica([true, false, true], 0)).toBe(2);
    expect(nextReplica([false, true, false], 1)).toBe(1);
    expect(nextReplica([false, false], 0)).toBeNull();
    expect(nextReplica([], -1)).toBeNull();
  });
});

/** a stand-in for a postgres.js pool: answers `unsafe` with its name, or fails as told */
function fakePool(name: string, answer: (statement: string) => unknown = () => [{ from: name }]) {
  const sent: string[] = [];
  const unsafe = (statement: string) => {
    sent.push(statement);
    const result = Promise.resolve().then(() => answer(statement));
    return Object.assign(result, { values: () => result });
  };
  const pool = { unsafe, begin: () => `${name} begin`, end: async () => {} };
  return { pool: pool as unknown as postgres.Sql, sent };
}

const refused = () => {
  throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
};

describe("the replica router", () => {
  const primary = fakePool("primary", (statement) =>
    statement.includes("pg_current_wal_lsn") ? [{ lsn: "0/500" }] : [{ from: "primary" }],
  );
  const standby = (replay = "0/500") => ({
    standby: true,
    replay,
    receive: replay,
    replay_age_ms: 50,
  });
  const healthyCheck = () => fakePool("check", () => [standby()]).pool;
  const routerOver = (pools: postgres.Sql[], checks: postgres.Sql[], log: (line: string) => void = () => {}) =>
    createReplicaRouter({ primary: primary.pool, pools, checks, maxLagMs: 1000, log });

  it("sends reads to the replicas in turn, and begin (a transaction) to the primary", async () => {
    const one = fakePool("one");
    const two = fakePool("two");
    const router = routerOver([one.pool, two.pool], [healthyCheck(), healthyCheck()]);
    await router.check();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await router.sql.unsafe("select 1"));
    expect(answers.map((rows) => (rows as unknown as { from: string }[])[0].from)).toEqual([
      "one",
      "two",
      "one",
      "two",
    ]);
    expect((router.sql.begin as unknown as () => string)()).toBe("primary begin");
    expect(router.status().map((s) => [s.inUse, s.reads])).toEqual([
      [true, 2],
      [true, 2],
    ]);
    await router.close();
  });

  it("answers from the primary when a replica fails to connect, and skips it until a check finds it", async () => {
    let down = true;
    const one = fakePool("one", () => (down ? refused() : [{ from: "one" }]));
    const router = routerOver([one.pool], [healthyCheck()]);
    await router.check();
    expect(await router.sql.unsafe("select 1")).toEqual([{ from: "primary" }]);
    expect(router.status()[0]).toMatchObject({ inUse: false, skipped: "unreachable", fallbacks: 1 });
    down = false;
    expect(await router.sql.unsafe("select 1")).toEqual([{ from: "primary" }]);
    await router.check();
    expect(await router.sql.unsafe("select 1")).toEqual([{ from: "one" }]);
    await router.close();
  });

  it("skips a replica that lags past the limit or does not answer its check, and reports it", async () => {
    const lines: string[] = [];
    const router = routerOver(
      [fakePool("one").pool, fakePool("two").pool],
      // replayed 0/400 and its last commit a minute ago, while the primary is at 0/500
      [fakePool("c1", () => [{ ...standby("0/400"), replay_age_ms: 60_000 }]).pool, fakePool("c2", refused).pool],
      (line) => lines.push(line),
    );
    await router.check();
    expect(await router.sql.unsafe("select 1")).toEqual([{ from: "primary" }]);
    expect(router.status()).toEqual([
      { replica: 1, inUse: false, skipped: "lagging", reachable: true, lagMs: 60_000, reads: 0, fallbacks: 0 },
      { replica: 2, inUse: false, skipped: "unreachable", reachable: false, lagMs: null, reads: 0, fallbacks: 0 },
    ]);
    expect(lines).toEqual([
      "shequ: replica 1 skipped: 60000 ms behind the primary (max 1000)",
      "shequ: replica 2 skipped: unreachable (connect ECONNREFUSED 127.0.0.1:1)",
    ]);
    await router.close();
  });

  it("does not retry on the primary what the replica refused for another reason", async () => {
    const one = fakePool("one", () => {
      throw Object.assign(new Error('relation "nope" does not exist'), { code: "42P01" });
    });
    const router = routerOver([one.pool], [healthyCheck()]);
    await router.check();
    await expect(router.sql.unsafe("select * from nope")).rejects.toThrow(/does not exist/);
    await router.close();
  });
});

describe("reading one's own writes", () => {
  const get = (headers: Record<string, string> = {}) => new Request("http://shequ.test/", { headers });

  it("reads from the primary for a change, a token, or a browser that changed something lately", () => {
    expect(readsFromPrimary(get())).toBe(false);
    expect(readsFromPrimary(get({ Cookie: "lng=en; large_text=1" }))).toBe(false);
    expect(readsFromPrimary(get({ Cookie: "lng=en; shequ_primary=1" }))).toBe(true);
    expect(readsFromPrimary(get({ Cookie: "shequ_primary=1" }))).toBe(true);
    expect(readsFromPrimary(get({ Cookie: "not_shequ_primary=1" }))).toBe(false);
    expect(readsFromPrimary(get({ Authorization: "Bearer shq_x" }))).toBe(true);
    expect(readsFromPrimary(new Request("http://shequ.test/", { method: "POST" }))).toBe(true);
  });

  it("for longer than a replica in use can be behind", () => {
    expect(primaryReadsSeconds(10_000)).toBeGreaterThanOrEqual((10_000 + REPLICA_CHECK_STALE_MS) / 1000);
    expect(primaryReadsSeconds(10_000)).toBe(17);
  });
});

describe("DATABASE_REPLICA_URL", () => {
  it("is one URL or several separated by commas", () => {
    expect(replicaUrlsOf(undefined)).toEqual([]);
    expect(replicaUrlsOf("")).toEqual([]);
    expect(replicaUrlsOf("postgres://a/x")).toEqual(["postgres://a/x"]);
    expect(replicaUrlsOf(" postgres://a/x , postgres://b/x,")).toEqual(["postgres://a/x", "postgres://b/x"]);
  });

  it("is ignored on the embedded PGlite", () => {
    expect(replicaUrlsFor({ DATABASE_REPLICA_URL: ["postgres://a/x"] })).toEqual([]);
    expect(replicaUrlsFor({ DATABASE_URL: "postgres://p/x", DATABASE_REPLICA_URL: ["postgres://a/x"] })).toEqual([
      "postgres://a/x",
    ]);
  });
});
