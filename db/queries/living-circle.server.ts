import { sql, type SQL } from "drizzle-orm";

import type { LivingCircleGap, LivingCircleRecompute } from "../../app/domains/living-circle/living-circle";
import { db, queryRows, type Database } from "../client.server";
import { isDatabaseUnavailable } from "../errors.server";
import {
  FACILITY_TYPE_MEASURES,
  LIVING_CIRCLE_MEASURES,
  DEFAULT_LIVING_CIRCLE_THRESHOLDS,
  LEVEL_CODE_LENGTH,
  toStoredCode,
  type LivingCircleMeasure,
  type RegionLevel,
} from "../identifiers";
import { livingCircleRecomputes } from "../schema";
import { recordAudit } from "./audit.server";
import {
  getDistanceModel,
  queryWalking,
  type DistanceModel,
  removeRoadNetwork,
  replaceRoadNetwork,
  saveDetourFactor,
  straightLineReach,
  walkingDistances,
} from "./road-network.server";

// Living-circle reach (docs/figures.md): for each community point and measure, the nearest
// active facility offering it within the measure's threshold, kept in community_access. A full
// recompute goes from the facilities out (few) to the community points within reach (index on
// regions); a listing change recomputes only the communities within reach of the facility's old
// and new point. Both measure the same way: ST_Distance(community::geography, facility::geography)
// on the spheroid, within the threshold, nearest first, ties by facility id, so the incremental
// table always equals a full recompute.

export const LIVING_CIRCLE_THRESHOLD_MIN = 100;
export const LIVING_CIRCLE_THRESHOLD_MAX = 5000;

export const isLivingCircleMeasure = (value: unknown): value is LivingCircleMeasure =>
  typeof value === "string" && (LIVING_CIRCLE_MEASURES as readonly string[]).includes(value);

export type LivingCircleThresholds = Record<LivingCircleMeasure, number>;

// Every writer of community_access takes this lock: two listing changes near the same community
// would otherwise each compute its nearest facility without seeing the other's uncommitted change.
const lockLivingCircle = (tx: Database) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext('shequ.community_access'))`);

// ST_DWithin on the sphere (cheap, index-backed) with 1% to spare, then the spheroid distance decides.
const SPHERE_SLACK = 1.01;

/** the facility types measured on their own (their ids are the measures'), as a jsonb object's keys */
const FACILITY_TYPE_MEASURES_JSON = JSON.stringify(FACILITY_TYPE_MEASURES);

/** The threshold in metres of every measure: the stored setting, else the GB 50180-2018 default. */
export async function getLivingCircleThresholds(database: Database = db): Promise<LivingCircleThresholds> {
  const rows = await queryRows<{ measure: string; metres: number }>(
    sql`select measure, metres from access_thresholds`,
    database,
  );
  const thresholds = { ...DEFAULT_LIVING_CIRCLE_THRESHOLDS };
  for (const row of rows) if (isLivingCircleMeasure(row.measure)) thresholds[row.measure] = Number(row.metres);
  return thresholds;
}

/** The settings page's rows: each measure's threshold, its default, and when it was last set. */
export async function listLivingCircleThresholdSettings() {
  const rows = await queryRows<{ measure: string; metres: number; updated_at: string | Date }>(
    sql`select measure, metres, updated_at from access_thresholds`,
  );
  const stored = new Map(rows.map((r) => [r.measure, r]));
  return LIVING_CIRCLE_MEASURES.map((measure) => {
    const row = stored.get(measure);
    return {
      measure,
      metres: row ? Number(row.metres) : DEFAULT_LIVING_CIRCLE_THRESHOLDS[measure],
      defaultMetres: DEFAULT_LIVING_CIRCLE_THRESHOLDS[measure],
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    };
  });
}

const thresholdsJson = (thresholds: LivingCircleThresholds, measures: readonly LivingCircleMeasure[]) =>
  JSON.stringify(Object.fromEntries(measures.map((m) => [m, thresholds[m]])));

/**
 * Computes the measures that have no stored pair at all: a measure added to the vocabulary since
 * the table was filled, or every measure on a database from before it. A measure that no facility
 * offers is skipped (there is nothing to compute); one offered but reaching no community point is
 * recomputed at each start, to no pairs again.
 */
export async function computeUncomputedMeasures(database: Database = db) {
  const rows = await queryRows<{ measure: string }>(
    sql`select m as measure from jsonb_array_elements_text(${JSON.stringify(LIVING_CIRCLE_MEASURES)}::jsonb) as m
        where not exists (select 1 from community_access ca where ca.measure = m)
          -- a measure no active facility with a point offers has nothing to compute: without this,
          -- every start would recompute it for nothing
          and (exists (select 1 from services s join facilities f on f.id = s.facility_id
                       where s.status = 'active' and s.category::text = m and f.status = 'active' and f.point is not null)
               or exists (select 1 from facilities f
                          where f.type::text = m and ${FACILITY_TYPE_MEASURES_JSON}::jsonb ? m
                            and f.status = 'active' and f.point is not null))`,
    database,
  );
  const measures = LIVING_CIRCLE_MEASURES.filter((m) => rows.some((r) => r.measure === m));
  if (measures.length === 0) return { measures, rows: 0 };
  return { measures, ...(await recomputeLivingCircle(database, measures)) };
}

/**
 * Recomputes `measures` (default all) for every community point, or those whose code starts with
 * `communityPrefix` (a city's four digits: the background recompute's step): delete and one
 * set-based insert. Runs in its own transaction, or as a savepoint of `database` when that is one.
 */
export async function recomputeLivingCircle(
  database: Database = db,
  measures: readonly LivingCircleMeasure[] = LIVING_CIRCLE_MEASURES,
  communityPrefix = "",
) {
  const wanted = LIVING_CIRCLE_MEASURES.filter((m) => measures.includes(m));
  if (wanted.length === 0) return { rows: 0 };
  const like = `${communityPrefix}%`;
  return database.transaction(async (tx) => {
    await lockLivingCircle(tx);
    // the statement is cheap to run; compiling it with JIT took longer than running it
    await tx.execute(sql`set local jit = off`);
    const [thresholds, model] = await Promise.all([getLivingCircleThresholds(tx), getDistanceModel(tx)]);
    const reach = straightLineReach(model);
    // for a part, only the facilities near its community points: the box around them grown by the
    // longest threshold (1° of latitude is 111 km, of longitude 91 km at 35° N: 50 km a degree is ample)
    const longest = Math.max(...wanted.map((m) => thresholds[m]));
    const nearPart = communityPrefix
      ? sql`and f.point && (select ST_SetSRID(ST_Expand(ST_Extent(point), ${longest / 50_000}::float8)::geometry, 4326)
                            from regions where level = 'community' and code like ${like})`
      : sql``;
    await tx.execute(
      sql`delete from community_access where measure in (select jsonb_array_elements_text(${JSON.stringify(wanted)}::jsonb))
          and community_code like ${like}`,
    );
    const pairs = sql`
      with t(measure, metres) as (select key, value::float8 from jsonb_each_text(${thresholdsJson(thresholds, wanted)}::jsonb)),
      offers(facility_id, measure) as (
        select distinct s.facility_id, s.category::text from services s where s.status = 'active'
        union all
        select f.id, f.type::text from facilities f where f.type::text in (select jsonb_object_keys(${FACILITY_TYPE_MEASURES_JSON}::jsonb))
      ),
      sites as (
        select f.id, o.measure, t.metres, f.point
        from offers o join t on t.measure = o.measure join facilities f on f.id = o.facility_id
        where f.status = 'active' and f.point is not null ${nearPart}
      )
      select r.code, r.point as cpoint, s.id as site, s.point as spoint, s.measure, s.metres,
        ST_Distance(r.point::geography, s.point::geography) as d
      from sites s
      join regions r on ST_DWithin(r.point::geography, s.point::geography, s.metres * ${reach * SPHERE_SLACK}::float8, false)
        and r.level = 'community' and r.code like ${like}
      offset 0`;
    const [inserted] = await queryWalking<{ n: number }>(
      tx,
      model,
      sql`
      with walked as (${walkingDistances(model, pairs, longest)}),
      inserted as (
        insert into community_access (community_code, measure, facility_id, distance_m)
        select distinct on (code, measure) code, measure, site, w from walked where w <= metres
        order by code, measure, w, site
        returning 1
      )
      select count(*)::int as n from inserted`,
    );
    return { rows: inserted?.n ?? 0 };
  });
}

/** What a facility contributes to the living circle: its point, and the measures it offers (none unless active with a point). */
export type FacilityReachState = { point: { lat: number; lng: number } | null; measures: LivingCircleMeasure[] };

/** The reach state of facilities as stored now (missing facilities are absent from the map). */
export async function getFacilityReachStates(
  database: Database,
  facilityIds: string[],
): Promise<Map<string, FacilityReachState>> {
  if (facilityIds.length === 0) return new Map();
  const rows = await queryRows<{ id: string; lat: number | null; lng: number | null; measures: string[] | string }>(
    sql`
    select f.id, ST_Y(f.point) as lat, ST_X(f.point) as lng,
      case when f.status = 'active' and f.point is not null then
        (select coalesce(jsonb_agg(distinct s.category::text), '[]'::jsonb) from services s
          where s.facility_id = f.id and s.status = 'active')
        || case when ${FACILITY_TYPE_MEASURES_JSON}::jsonb ? f.type::text then jsonb_build_array(f.type::text) else '[]'::jsonb end
      else '[]'::jsonb end as measures
    from facilities f where f.id in (select jsonb_array_elements_text(${JSON.stringify(facilityIds)}::jsonb))`,
    database,
  );
  return new Map(
    rows.map((r) => {
      const measures = (typeof r.measures === "string" ? JSON.parse(r.measures) : r.measures) as string[];
      return [
        r.id,
        {
          point: r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
          measures: LIVING_CIRCLE_MEASURES.filter((m) => measures.includes(m)),
        },
      ];
    }),
  );
}

export async function getFacilityReachState(
  database: Database,
  facilityId: string,
): Promise<FacilityReachState | null> {
  return (await getFacilityReachStates(database, [facilityId])).get(facilityId) ?? null;
}

export type FacilityReachChange = {
  facilityId: string;
  before: FacilityReachState | null;
  after: FacilityReachState | null;
};

const samePoint = (a: FacilityReachState["point"], b: FacilityReachState["point"]) =>
  a === b || (a !== null && b !== null && a.lat === b.lat && a.lng === b.lng);

/**
 * Per facility and measure whose coverage may have changed: where it reached before, where it
 * reaches now. A move touches every measure offered before or after; a service change only the
 * measures gained or lost; nothing else (a renamed facility) touches nothing.
 */
function reachChanges(changes: FacilityReachChange[]) {
  return changes.flatMap(({ facilityId, before, after }) => {
    const moved = !samePoint(before?.point ?? null, after?.point ?? null);
    return LIVING_CIRCLE_MEASURES.flatMap((measure) => {
      const was = before?.measures.includes(measure) ?? false;
      const is = after?.measures.includes(measure) ?? false;
      if (!(was || is) || (!moved && was === is)) return [];
      const old = was ? before!.point : null;
      const now = is ? after!.point : null;
      return [
        {
          facility_id: facilityId,
          measure,
          old_lat: old?.lat ?? null,
          old_lng: old?.lng ?? null,
          new_lat: now?.lat ?? null,
          new_lng: now?.lng ?? null,
        },
      ];
    });
  });
}

/**
 * Recomputes the (community, measure) pairs that `touched` (a query of `code, measure`) names:
 * their nearest offering facility within the threshold is upserted, pairs with none are deleted.
 */
async function refreshPairs(tx: Database, thresholds: LivingCircleThresholds, touched: SQL) {
  // the planner's estimate for the lateral search is far above JIT's threshold; compiling took
  // ~100 ms of a statement that runs in a few
  await tx.execute(sql`set local jit = off`);
  const model = await getDistanceModel(tx);
  const t = sql`select key as measure, value::float8 as metres from jsonb_each_text(${thresholdsJson(thresholds, LIVING_CIRCLE_MEASURES)}::jsonb)`;
  const longest = Math.max(...LIVING_CIRCLE_MEASURES.map((m) => thresholds[m]));
  // every offering facility within reach of each touched pair: the nearest in a straight line
  // need not be the nearest on foot
  const candidates = sql`
    with t as (${t}), touched as (${touched})
    select p.code, r.point as cpoint, f.id as site, f.point as spoint, p.measure, t.metres, f.d
    from touched p
    join t on t.measure = p.measure
    -- lateral: a key lookup per touched pair (a join would hash all 62,074 community points)
    cross join lateral (select r.point from regions r where r.code = p.code and r.level = 'community' and r.point is not null limit 1) r
    cross join lateral (
      select f.id, f.point, ST_Distance(r.point::geography, f.point::geography) as d
      from facilities f
      where f.status = 'active' and f.point is not null
        and ST_DWithin(r.point::geography, f.point::geography, t.metres * ${straightLineReach(model) * SPHERE_SLACK}::float8, false)
        and case when ${FACILITY_TYPE_MEASURES_JSON}::jsonb ? p.measure then f.type::text = p.measure
                 else exists (select 1 from services s where s.facility_id = f.id and s.status = 'active' and s.category::text = p.measure) end
      offset 0
    ) f`;
  const [result] = await queryWalking<{ upserted: number; deleted: number }>(
    tx,
    model,
    sql`
    with t as (${t}),
    touched as (${touched}),
    walked as (${walkingDistances(model, candidates, longest)}),
    nearest as (
      select distinct on (code, measure) code, measure, site as id, w as d from walked where w <= metres
      order by code, measure, w, site
    ),
    upserted as (
      insert into community_access (community_code, measure, facility_id, distance_m)
      select code, measure, id, d from nearest
      on conflict (community_code, measure) do update set facility_id = excluded.facility_id, distance_m = excluded.distance_m
      returning 1
    ),
    deleted as (
      delete from community_access ca using touched p
      where ca.community_code = p.code and ca.measure = p.measure
        and not exists (select 1 from nearest n where n.code = p.code and n.measure = p.measure)
      returning 1
    )
    select (select count(*)::int from upserted) as upserted, (select count(*)::int from deleted) as deleted`,
  );
  return result ?? { upserted: 0, deleted: 0 };
}

/**
 * After facilities or services changed (call in the same transaction): recomputes only the
 * communities within the threshold of each facility's old and new point, for the measures whose
 * reach changed, and any community whose row still names the facility for such a measure.
 */
export async function updateLivingCircleAfterChanges(tx: Database, changes: FacilityReachChange[]) {
  const reach = reachChanges(changes);
  if (reach.length === 0) return { upserted: 0, deleted: 0 };
  await lockLivingCircle(tx);
  const thresholds = await getLivingCircleThresholds(tx);
  const touched = sql`
    with ch as (
      select x.facility_id, x.measure, t.metres,
        case when x.old_lng is not null then ST_SetSRID(ST_MakePoint(x.old_lng, x.old_lat), 4326)::geography end as old_g,
        case when x.new_lng is not null then ST_SetSRID(ST_MakePoint(x.new_lng, x.new_lat), 4326)::geography end as new_g
      from jsonb_to_recordset(${JSON.stringify(reach)}::jsonb)
        as x(facility_id text, measure text, old_lat float8, old_lng float8, new_lat float8, new_lng float8)
      join t on t.measure = x.measure
    )
    select r.code, ch.measure from ch
      join regions r on ST_DWithin(r.point::geography, ch.old_g, ch.metres * ${SPHERE_SLACK}, false) and r.level = 'community'
    union
    select r.code, ch.measure from ch
      join regions r on ST_DWithin(r.point::geography, ch.new_g, ch.metres * ${SPHERE_SLACK}, false) and r.level = 'community'
    union
    select ca.community_code, ca.measure from ch
      cross join lateral (select ca.community_code, ca.measure from community_access ca
                          where ca.facility_id = ch.facility_id and ca.measure = ch.measure offset 0) ca`;
  return refreshPairs(tx, thresholds, touched);
}

export const updateLivingCircleAfterChange = (tx: Database, change: FacilityReachChange) =>
  updateLivingCircleAfterChanges(tx, [change]);

/**
 * For a write to a facility or its services: reads the facility's reach state now, and returns
 * the step to call after the write (same transaction), which updates the living circle incrementally. The
 * state after is read under the living-circle lock, so concurrent changes to one facility are seen.
 */
export async function watchFacilityReach(tx: Database, facilityId: string) {
  const before = await getFacilityReachState(tx, facilityId);
  return async () => {
    await lockLivingCircle(tx);
    await updateLivingCircleAfterChange(tx, { facilityId, before, after: await getFacilityReachState(tx, facilityId) });
  };
}

/**
 * Above this many new facilities in one import, recomputing the measures they offer in full is
 * faster than the incremental step (measured on PostgreSQL with the demo data: 1,000 new
 * facilities 1.2 s incremental against 2.3 s in full; 5,000: 5.9 s against 3.4 s).
 */
export const IMPORT_FULL_RECOMPUTE_ABOVE = 2_000;

/**
 * After a bulk import of new facilities (same transaction): the communities within their reach,
 * or above `fullAbove` a background recompute of the measures they offer (queued here).
 */
export async function updateLivingCircleAfterImport(
  tx: Database,
  actor: { userId: string },
  facilityIds: string[],
  fullAbove = IMPORT_FULL_RECOMPUTE_ABOVE,
): Promise<{ recompute: string | null }> {
  const states = await getFacilityReachStates(tx, facilityIds);
  const changes = [...states].map(([facilityId, after]) => ({ facilityId, before: null, after }));
  if (facilityIds.length > fullAbove) {
    const measures = LIVING_CIRCLE_MEASURES.filter((m) => changes.some((c) => c.after.measures.includes(m)));
    if (measures.length === 0) return { recompute: null };
    // the caller sends the job once this transaction has committed
    return { recompute: await queueLivingCircleRecompute(tx, measures, "import", actor) };
  }
  await updateLivingCircleAfterChanges(tx, changes);
  return { recompute: null };
}

/** After a community's own point moved (or was set or cleared): its rows for every measure. */
export async function updateLivingCircleForCommunities(tx: Database, communityCodes: string[]) {
  if (communityCodes.length === 0) return { upserted: 0, deleted: 0 };
  await lockLivingCircle(tx);
  const thresholds = await getLivingCircleThresholds(tx);
  return refreshPairs(
    tx,
    thresholds,
    sql`select c.code, m.measure
        from jsonb_array_elements_text(${JSON.stringify(communityCodes)}::jsonb) as c(code)
        cross join jsonb_array_elements_text(${JSON.stringify(LIVING_CIRCLE_MEASURES)}::jsonb) as m(measure)`,
  );
}

/** The province admin sets a threshold: audited, and the measure recomputed, in one transaction. */
export async function setLivingCircleThreshold(
  actor: { userId: string },
  measure: LivingCircleMeasure,
  metres: number,
) {
  if (!isLivingCircleMeasure(measure)) throw new RangeError(`unknown living-circle measure: ${String(measure)}`);
  if (!Number.isInteger(metres) || metres < LIVING_CIRCLE_THRESHOLD_MIN || metres > LIVING_CIRCLE_THRESHOLD_MAX) {
    throw new RangeError(
      `threshold must be whole metres in ${LIVING_CIRCLE_THRESHOLD_MIN}..${LIVING_CIRCLE_THRESHOLD_MAX}, got ${metres}`,
    );
  }
  return db.transaction(async (tx) => {
    await lockLivingCircle(tx);
    const before = (await getLivingCircleThresholds(tx))[measure];
    await tx.execute(sql`
      insert into access_thresholds (measure, metres, updated_at) values (${measure}, ${metres}, now())
      on conflict (measure) do update set metres = excluded.metres, updated_at = excluded.updated_at`);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "access_threshold.update",
      objectType: "access_threshold",
      objectId: measure,
      regionCode: toStoredCode("37"),
      before: { measure, metres: before },
      after: { measure, metres },
    });
    // a province-wide recompute takes a while: the job queue runs it, city by city (the caller sends it)
    const recompute = await queueLivingCircleRecompute(tx, [measure], "threshold", actor);
    return { measure, before, metres, recompute };
  });
}

/** The province admin sets the detour factor: audited, and every measure recomputed in the background. */
export async function setDetourFactor(actor: { userId: string }, factor: number) {
  return db.transaction(async (tx) => {
    await lockLivingCircle(tx);
    const saved = await saveDetourFactor(tx, actor, factor);
    const recompute = await queueLivingCircleRecompute(tx, LIVING_CIRCLE_MEASURES, "detour", actor);
    return { ...saved, recompute };
  });
}

const queueStreetNetworkRecompute = (tx: Database) =>
  queueLivingCircleRecompute(tx, LIVING_CIRCLE_MEASURES, "roads", null);

/** Loads or replaces a street network (db/load-roads.ts); every measure is recomputed after it. */
export const loadRoadNetwork = (
  name: string,
  sourceFile: string,
  network: Parameters<typeof replaceRoadNetwork>[2],
  region?: Parameters<typeof replaceRoadNetwork>[4],
) => replaceRoadNetwork(name, sourceFile, network, queueStreetNetworkRecompute, region);

export const unloadRoadNetwork = (name: string, region?: Parameters<typeof removeRoadNetwork>[2]) =>
  removeRoadNetwork(name, queueStreetNetworkRecompute, region);

// ---------------------------------------------------------------------------------------------
// background recomputes (docs/decisions/012): queued in the transaction of their cause, run by the
// job queue one at a time (its queue lets one job run), city by city

export async function queueLivingCircleRecompute(
  tx: Database,
  measures: readonly LivingCircleMeasure[],
  reason: LivingCircleRecompute["reason"],
  actor: { userId: string } | null,
) {
  const [row] = await tx
    .insert(livingCircleRecomputes)
    .values({ measures: [...measures], reason, requestedBy: actor?.userId ?? null })
    .returning({ id: livingCircleRecomputes.id });
  return row.id;
}

const toIso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The recomputes waiting or running, then the last few finished: what the pages show. */
export async function listLivingCircleRecomputes(finished = 3): Promise<LivingCircleRecompute[]> {
  const rows = await queryRows<{
    id: string;
    measures: string[];
    reason: LivingCircleRecompute["reason"];
    state: LivingCircleRecompute["state"];
    parts_done: number;
    parts_total: number | null;
    rows: number;
    requested_at: Date | string;
    started_at: Date | string | null;
    finished_at: Date | string | null;
  }>(
    sql`(select * from living_circle_recomputes where state in ('queued', 'running') order by requested_at)
        union all
        (select * from living_circle_recomputes where state in ('done', 'failed') order by finished_at desc limit ${finished})`,
  );
  return rows.map((r) => ({
    id: r.id,
    measures: r.measures.filter(isLivingCircleMeasure),
    reason: r.reason,
    state: r.state,
    partsDone: Number(r.parts_done),
    partsTotal: r.parts_total === null ? null : Number(r.parts_total),
    rows: Number(r.rows),
    requestedAt: toIso(r.requested_at)!,
    startedAt: toIso(r.started_at),
    finishedAt: toIso(r.finished_at),
  }));
}

/**
 * Runs every queued recompute, oldest first, and finishes one a stopped process left running: a
 * part is a city's community points, each in its own transaction, and the count of parts done is
 * kept, so a recompute taken up again goes on where it stopped. Returns how many were finished.
 */
export async function runLivingCircleRecomputes(): Promise<number> {
  let finished = 0;
  for (;;) {
    const [task] = await queryRows<{ id: string; measures: string[]; parts_done: number }>(
      sql`select id, measures, parts_done from living_circle_recomputes
          where state in ('queued', 'running') order by requested_at limit 1`,
    );
    if (!task) return finished;
    const parts = await queryRows<{ prefix: string }>(
      sql`select distinct left(code, 4) as prefix from regions where level = 'community' order by 1`,
    );
    await queryRows(
      sql`update living_circle_recomputes set state = 'running', parts_total = ${parts.length}::int,
            started_at = coalesce(started_at, now()) where id = ${task.id}`,
    );
    const measures = task.measures.filter(isLivingCircleMeasure);
    try {
      for (const [index, { prefix }] of parts.entries()) {
        if (index < Number(task.parts_done)) continue;
        const { rows } = await recomputeLivingCircle(db, measures, prefix);
        await queryRows(
          sql`update living_circle_recomputes set parts_done = ${index + 1}::int, rows = rows + ${rows}::int
              where id = ${task.id}`,
        );
      }
      await queryRows(
        sql`update living_circle_recomputes set state = 'done', finished_at = now() where id = ${task.id}`,
      );
      finished++;
    } catch (error) {
      // an outage: the job queue retries the job, and the part that failed is done again then;
      // anything else would fail again, and must not hold up the recomputes queued after it
      const state = isDatabaseUnavailable(error) ? "running" : "failed";
      await queryRows(
        sql`update living_circle_recomputes set state = ${state}, error = ${String(error).slice(0, 500)},
              finished_at = case when ${state} = 'failed' then now() end
            where id = ${task.id}`,
      ).catch(() => {});
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// per region: shares, gaps, suggested sites

export type LivingCircleRegion = { code: string; name: string; level: RegionLevel };

async function getLivingCircleRegion(
  regionCode: string,
  database: Database,
): Promise<(LivingCircleRegion & { prefix: string }) | null> {
  const [row] = await queryRows<LivingCircleRegion>(
    sql`select code, name, level::text as level from regions where code = ${toStoredCode(regionCode)}`,
    database,
  );
  return row ? { ...row, prefix: row.code.slice(0, LEVEL_CODE_LENGTH[row.level]) } : null;
}

/** the communities a region's figures count: urban communities, with the switch villages too (as coverage) */
const countedKinds = (includeVillages: boolean) =>
  includeVillages ? sql`r.kind in ('community', 'village')` : sql`r.kind = 'community'`;

export type LivingCircleMeasureSummary = {
  measure: LivingCircleMeasure;
  thresholdM: number;
  communities: number;
  covered: number;
  share: number | null;
  population60: number;
  population60Covered: number;
  population60Share: number | null;
};

export type LivingCircleSummary = {
  region: LivingCircleRegion;
  includeVillages: boolean;
  /** counted communities with no point (never covered) and with no population 60+ figure (counted as 0) */
  withoutPoint: number;
  withoutPopulation60: number;
  measures: LivingCircleMeasureSummary[];
  /** how walking distance was measured: every figure says it */
  distance: DistanceModel;
};

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Per measure: communities covered and population 60+ covered in a region (null: unknown region). */
export async function getLivingCircleSummary(
  regionCode: string,
  { includeVillages = false }: { includeVillages?: boolean } = {},
  database: Database = db,
): Promise<LivingCircleSummary | null> {
  const region = await getLivingCircleRegion(regionCode, database);
  if (!region) return null;
  const like = `${region.prefix}%`;
  const [[totals], covered, thresholds, distance] = await Promise.all([
    queryRows<{ communities: number; population60: number; without_point: number; without_population60: number }>(
      sql`
      select count(*)::int as communities, coalesce(sum(r.population_60), 0)::float8 as population60,
             count(*) filter (where r.point is null)::int as without_point,
             count(*) filter (where r.population_60 is null)::int as without_population60
      from regions r where r.level = 'community' and r.code like ${like} and ${countedKinds(includeVillages)}`,
      database,
    ),
    queryRows<{ measure: string; covered: number; population60: number }>(
      sql`
      select ca.measure, count(*)::int as covered, coalesce(sum(r.population_60), 0)::float8 as population60
      from community_access ca join regions r on r.code = ca.community_code
      where ca.community_code like ${like} and ${countedKinds(includeVillages)}
      group by ca.measure`,
      database,
    ),
    getLivingCircleThresholds(database),
    getDistanceModel(database),
  ]);
  const byMeasure = new Map(covered.map((c) => [c.measure, c]));
  const communities = Number(totals?.communities ?? 0);
  const population60 = Number(totals?.population60 ?? 0);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    includeVillages,
    withoutPoint: Number(totals?.without_point ?? 0),
    withoutPopulation60: Number(totals?.without_population60 ?? 0),
    distance,
    measures: LIVING_CIRCLE_MEASURES.map((measure) => {
      const c = byMeasure.get(measure);
      const coveredCount = Number(c?.covered ?? 0);
      const coveredPopulation = Number(c?.population60 ?? 0);
      return {
        measure,
        thresholdM: thresholds[measure],
        communities,
        covered: coveredCount,
        share: share(coveredCount, communities),
        population60,
        population60Covered: coveredPopulation,
        population60Share: share(coveredPopulation, population60),
      };
    }),
  };
}

/**
 * Counted communities of a region with no active facility offering `measure` within its threshold,
 * most residents aged 60+ first (no figure last), then by code. `total` counts all of them.
 */
export async function listLivingCircleGaps(
  regionCode: string,
  measure: LivingCircleMeasure,
  { includeVillages = false, limit }: { includeVillages?: boolean; limit?: number } = {},
  database: Database = db,
): Promise<{ total: number; gaps: LivingCircleGap[] } | null> {
  const region = await getLivingCircleRegion(regionCode, database);
  if (!region) return null;
  const rows = await queryRows<{
    code: string;
    name: string;
    township: string | null;
    population_60: number | null;
    lat: number | null;
    lng: number | null;
    total: number;
  }>(
    sql`
    select r.code, r.name, t.name as township, r.population_60, ST_Y(r.point) as lat, ST_X(r.point) as lng,
           count(*) over ()::int as total
    from regions r left join regions t on t.code = r.parent_code
    where r.level = 'community' and r.code like ${`${region.prefix}%`} and ${countedKinds(includeVillages)}
      and not exists (select 1 from community_access ca where ca.community_code = r.code and ca.measure = ${measure})
    order by r.population_60 desc nulls last, r.code
    ${limit === undefined ? sql`` : sql`limit ${limit}`}`,
    database,
  );
  return {
    total: rows.length ? Number(rows[0].total) : 0,
    gaps: rows.map((r) => ({
      code: r.code,
      name: r.name,
      township: r.township,
      population60: r.population_60 === null ? null : Number(r.population_60),
      lat: r.lat === null ? null : Number(r.lat),
      lng: r.lng === null ? null : Number(r.lng),
    })),
  };
}

/**
 * Per child region (its code cut to `childDigits`, padded to 12) and measure: how many counted
 * communities are outside the measure's threshold, as listLivingCircleGaps counts them. The
 * printed report's gap table for a province or a city.
 */
export async function countLivingCircleGapsByChild(
  regionCode: string,
  childDigits: number,
  { includeVillages = false }: { includeVillages?: boolean } = {},
  database: Database = db,
): Promise<{ code: string; measure: LivingCircleMeasure; gaps: number }[]> {
  const region = await getLivingCircleRegion(regionCode, database);
  if (!region) return [];
  const measures = sql.join(
    LIVING_CIRCLE_MEASURES.map((m) => sql`(${m}::text)`),
    sql`, `,
  );
  const rows = await queryRows<{ child: string; measure: LivingCircleMeasure; gaps: number }>(
    sql`
    select left(r.code, ${childDigits}::int) as child, m.measure, count(*)::int as gaps
    from regions r cross join (values ${measures}) as m(measure)
    where r.level = 'community' and r.code like ${`${region.prefix}%`} and ${countedKinds(includeVillages)}
      and not exists (select 1 from community_access ca where ca.community_code = r.code and ca.measure = m.measure)
    group by 1, 2`,
    database,
  );
  return rows.map((r) => ({ code: r.child.padEnd(12, "0"), measure: r.measure, gaps: Number(r.gaps) }));
}
