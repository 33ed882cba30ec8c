// Read replicas (docs/decisions/010): the reads a route opts into go to a streaming replica of
// DATABASE_URL that answers and is close enough behind the primary, round robin, else to the
// primary. Each replica is checked every 2 s on a connection of its own; a statement that meets a
// replica gone away is sent again to the primary (reads only ever go to a replica, and a read-only
// server cannot have written anything before failing).
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import type { Env } from "./env.server";
import { errorChain, isDatabaseUnavailable } from "./errors.server";
import {
  deferredQuery,
  postgresPoolOptions,
  probeOptions,
  sendUnsafe,
  withUnsafe,
  type UnsafeArgs,
} from "./postgres-client.server";

type Sql = postgres.Sql;

export const REPLICA_CHECK_INTERVAL_MS = 2000;
/** a check that has not answered by then counts as a failure */
const CHECK_TIMEOUT_MS = 2000;
/** a replica whose last check is older than this (checks stuck) is not used */
export const REPLICA_CHECK_STALE_MS = 3 * REPLICA_CHECK_INTERVAL_MS;

/** why a replica is not used; null = in use */
export type SkipReason = "unchecked" | "unreachable" | "not_a_standby" | "lagging";

/** what /healthz says about a replica: no address, the answer is public */
export type ReplicaStatus = {
  /** its place in DATABASE_REPLICA_URL, from 1 */
  replica: number;
  inUse: boolean;
  skipped: SkipReason | null;
  /** null until checked */
  reachable: boolean | null;
  /** how far behind the primary at the last check (an upper bound), null when unknown */
  lagMs: number | null;
  /** statements this process had answered by it, and those it failed that the primary answered */
  reads: number;
  fallbacks: number;
};

type ReplicaState = {
  reachable: boolean | null;
  standby: boolean;
  lagMs: number | null;
  checkedAt: number | null;
  reads: number;
  fallbacks: number;
};

/** a WAL position, "16/B374D848", as a number of bytes */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split("/");
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** the primary's WAL position at a check */
export type WalSample = { lsn: bigint; at: number };

export type ReplayPosition = {
  replayLsn: bigint | null;
  receiveLsn: bigint | null;
  /** ms since the commit of the last transaction it replayed (primary's clock), null if none yet */
  replayAgeMs: number | null;
};

/**
 * How far behind the primary a replica is, in ms: an upper bound on how old a commit may be and
 * still be missing on it. Not `now() - pg_last_xact_replay_timestamp()` alone, which grows while
 * the primary is idle. With the primary's position sampled just before (`primaryLsn`):
 * - replayed up to it: 0;
 * - else the smaller of: the time since the latest earlier sample it has replayed past (all that
 *   was committed before that sample is there), and the age of the last commit it replayed (all
 *   commits before it are there).
 * Without the primary (it did not answer): 0 when it has replayed all it received, else the age
 * of the last commit it replayed. Null: unknown.
 */
export function replicaLagMs(
  replica: ReplayPosition,
  primary: { lsn: bigint | null; samples: readonly WalSample[]; now: number },
): number | null {
  const { replayLsn, receiveLsn, replayAgeMs } = replica;
  if (replayLsn === null) return null;
  if (primary.lsn === null) {
    if (receiveLsn !== null && replayLsn >= receiveLsn) return 0;
    return replayAgeMs === null ? null : Math.max(0, Math.round(replayAgeMs));
  }
  if (replayLsn >= primary.lsn) return 0;
  let reached: WalSample | undefined;
  for (const sample of primary.samples) if (sample.lsn <= replayLsn) reached = sample;
  const lag = Math.min(reached ? primary.now - reached.at : Infinity, replayAgeMs ?? Infinity);
  return Number.isFinite(lag) ? Math.max(0, Math.round(lag)) : null;
}

/** why a replica should not be read from now, or null when it may */
export function skipReason(state: ReplicaState, now: number, maxLagMs: number): SkipReason | null {
  if (state.reachable === null || state.checkedAt === null) return "unchecked";
  if (!state.reachable || now - state.checkedAt > REPLICA_CHECK_STALE_MS) return "unreachable";
  if (!state.standby) return "not_a_standby";
  if (state.lagMs === null || state.lagMs > maxLagMs) return "lagging";
  return null;
}

/** round robin: the first usable replica after the one used last (-1: none yet), else null */
export function nextReplica(usable: readonly boolean[], last: number): number | null {
  for (let step = 1; step <= usable.length; step++) {
    const index = (last + step) % usable.length;
    if (usable[index]) return index;
  }
  return null;
}

/** a standby cancels a read whose rows its replay must remove ("conflict with recovery") */
const isRecoveryConflict = (error: unknown) => errorChain(error).some((link) => link.code === "40001");

const lastMessage = (error: unknown) => String(errorChain(error).at(-1)?.message ?? error);

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const REPLICA_CHECK = `select pg_is_in_recovery() as standby,
  pg_last_wal_replay_lsn()::text as replay, pg_last_wal_receive_lsn()::text as receive,
  (extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 as replay_age_ms`;

export type ReplicaRouter = {
  /** the pool drizzle wraps for reads: `unsafe` goes to a replica or the primary, the rest to the primary */
  sql: Sql;
  /** the checks every REPLICA_CHECK_INTERVAL_MS (an unref'd timer); else they start with the first read or status */
  start: () => void;
  status: () => ReplicaStatus[];
  /** one round of checks now (the timer runs them every REPLICA_CHECK_INTERVAL_MS) */
  check: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * The router over a primary pool and replica pools (`pools[i]` for reads, `checks[i]` a
 * one-connection client for its checks). Until a replica's first check, reads go to the primary.
 */
export function createReplicaRouter(options: {
  primary: Sql;
  pools: Sql[];
  checks: Sql[];
  maxLagMs: number;
  intervalMs?: number;
  log?: (line: string) => void;
}): ReplicaRouter {
  const { primary, pools, checks, maxLagMs, intervalMs = REPLICA_CHECK_INTERVAL_MS, log = console.log } = options;
  const states: ReplicaState[] = pools.map(() => ({
    reachable: null,
    standby: false,
    lagMs: null,
    checkedAt: null,
    reads: 0,
    fallbacks: 0,
  }));
  let samples: WalSample[] = [];
  let last = -1;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  /** a state change, logged when it changes whether the replica is used */
  const update = (index: number, change: Partial<ReplicaState>, error?: unknown) => {
    const now = Date.now();
    const before = skipReason(states[index], now, maxLagMs);
    Object.assign(states[index], change);
    const after = skipReason(states[index], now, maxLagMs);
    // said when it starts or stops being used, not for every change of reason
    if (before === after || (before !== null && before !== "unchecked" && after !== null)) return;
    const name = `replica ${index + 1}`;
    if (after === null) log(`shequ: ${name} in use (${states[index].lagMs} ms behind the primary)`);
    else if (after === "lagging")
      log(`shequ: ${name} skipped: ${states[index].lagMs ?? "unknown"} ms behind the primary (max ${maxLagMs})`);
    else log(`shequ: ${name} skipped: ${after}${error ? ` (${lastMessage(error)})` : ""}`);
  };

  const checkReplica = async (index: number, primaryLsn: bigint | null) => {
    try {
      const [row] = (await withTimeout(checks[index].unsafe(REPLICA_CHECK), CHECK_TIMEOUT_MS)) as unknown as {
        standby: boolean;
        replay: string | null;
        receive: string | null;
        replay_age_ms: number | null;
      }[];
      const lagMs = replicaLagMs(
        {
          replayLsn: row.replay === null ? null : lsnValue(row.replay),
          receiveLsn: row.receive === null ? null : lsnValue(row.receive),
          replayAgeMs: row.replay_age_ms,
        },
        { lsn: primaryLsn, samples, now: Date.now() },
      );
      update(index, { reachable: true, standby: row.standby, lagMs, checkedAt: Date.now() });
    } catch (error) {
      update(index, { reachable: false, lagMs: null, checkedAt: Date.now() }, error);
    }
  };

  const checkAll = async () => {
    let primaryLsn: bigint | null = null;
    try {
      const [row] = (await withTimeout(
        primary.unsafe("select pg_current_wal_lsn()::text as lsn"),
        CHECK_TIMEOUT_MS,
      )) as unknown as { lsn: string }[];
      primaryLsn = lsnValue(row.lsn);
      const now = Date.now();
      // enough history to measure a lag past the limit
      samples = [...samples.filter((s) => now - s.at <= maxLagMs + 3 * intervalMs), { lsn: primaryLsn, at: now }];
    } catch {
      // the primary is away (or is itself a standby): the replicas are judged on their own
    }
    await Promise.all(states.map((_, index) => checkReplica(index, primaryLsn)));
  };

  const check = () => {
    if (closed) return Promise.resolve();
    running ??= checkAll().finally(() => (running = undefined));
    return running;
  };

  const start = () => {
    if (timer || closed) return;
    timer = setInterval(() => void check(), intervalMs);
    timer.unref();
    void check();
  };

  const pick = () => {
    start();
    const now = Date.now();
    const index = nextReplica(
      states.map((state) => skipReason(state, now, maxLagMs) === null),
      last,
    );
    if (index !== null) last = index;
    return index;
  };

  const unsafe = (...args: UnsafeArgs) =>
    deferredQuery(async (values) => {
      const index = pick();
      if (index === null) return sendUnsafe(primary, args, values);
      try {
        const rows = await sendUnsafe(pools[index], args, values);
        states[index].reads++;
        return rows;
      } catch (error) {
        const away = isDatabaseUnavailable(error);
        if (!away && !isRecoveryConflict(error)) throw error;
        // away: skipped until a check finds it again
        if (away) update(index, { reachable: false }, error);
        states[index].fallbacks++;
        return sendUnsafe(primary, args, values);
      }
    });

  return {
    sql: withUnsafe(primary, unsafe),
    start,
    status: () => {
      start();
      const now = Date.now();
      return states.map((state, index) => {
        const skipped = skipReason(state, now, maxLagMs);
        return {
          replica: index + 1,
          inUse: skipped === null,
          skipped,
          reachable: state.reachable,
          lagMs: state.lagMs,
          reads: state.reads,
          fallbacks: state.fallbacks,
        };
      });
    },
    check,
    close: async () => {
      closed = true;
      clearInterval(timer);
      await Promise.all([...pools, ...checks].map((sql) => sql.end({ timeout: 5 }).catch(() => {})));
    },
  };
}

/** pools for DATABASE_REPLICA_URL with the primary's settings (DB_POOL_MAX each, DB_POOLER too) */
export function openReplicas(primary: Sql, urls: string[], e: Env): ReplicaRouter {
  const pools = urls.map((url) => {
    const pool = postgres(url, postgresPoolOptions(e));
    // drizzle sets its type parsers on the pool it wraps: the replicas' rows must read the same
    drizzlePostgres(pool);
    return pool;
  });
  const checks = urls.map((url) => postgres(url, probeOptions(e, "shequ-replica-check")));
  return createReplicaRouter({ primary, pools, checks, maxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS });
}
