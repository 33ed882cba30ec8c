import { asc, eq, sql } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import { LEVEL_CODE_LENGTH, REGION_LEVELS, type CommunityKind, type RegionLevel } from "../identifiers";
import { regions, targets } from "../schema";
import { recordAudit } from "./audit.server";

// Counting for coverage (docs/figures.md): which communities are certified on a date, per
// child region, and the targets. The arithmetic on these counts is app/domains/coverage/coverage.ts.

export type CommunityTotals = {
  /** stored 12-digit code of the child (or of the community itself) */
  code: string;
  urban: number;
  villages: number;
};

export const childLevel = (level: RegionLevel): RegionLevel | null =>
  REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1] ?? null;

/**
 * Urban communities and villages per child of a region: per community under a township, the
 * community itself for a community. Every community under the region is in exactly one row.
 */
export async function countCommunitiesByChild(
  storedCode: string,
  level: RegionLevel,
  child: RegionLevel | null = childLevel(level),
  database: Database = db,
): Promise<CommunityTotals[]> {
  const prefix = storedCode.slice(0, LEVEL_CODE_LENGTH[level]) + "%";
  if (child === null || child === "community") {
    return queryRows<CommunityTotals>(
      sql`select code, (kind = 'community')::int as urban, (kind = 'village')::int as villages
          from regions where level = 'community' and code like ${prefix} order by code`,
      database,
    );
  }
  return queryRows<CommunityTotals>(
    sql`select code, urban, villages from region_community_counts
        where digits = ${LEVEL_CODE_LENGTH[child]}::int and code like ${prefix} order by code`,
    database,
  );
}

export type EffectiveAssessment = {
  /** the assessment's id */
  id: string;
  communityCode: string;
  kind: CommunityKind;
  effectiveAt: Date;
  revokedAt: Date | null;
};

/**
 * Every assessment under a region that took effect at some time ('notice' rows take effect when
 * the notice period ends; a rejection during notice clears effective_at). Which of them count on
 * a date is decided in app/domains/coverage/coverage.ts.
 */
export async function listEffectiveAssessments(
  storedCode: string,
  level: RegionLevel,
  database: Database = db,
): Promise<EffectiveAssessment[]> {
  const prefix = storedCode.slice(0, LEVEL_CODE_LENGTH[level]) + "%";
  const rows = await queryRows<{
    id: string;
    community_code: string;
    kind: CommunityKind;
    effective_at: string | Date;
    revoked_at: string | Date | null;
  }>(
    // the kind by key lookup: a join would hash all 64,000 regions for 1,500 assessments
    sql`select a.id, a.community_code, (select r.kind::text from regions r where r.code = a.community_code) as kind,
          a.effective_at, a.revoked_at
        from assessments a
        where a.community_code like ${prefix} and a.effective_at is not null
          and a.state in ('notice', 'approved', 'revoked')`,
    database,
  );
  return rows.map((r) => ({
    id: r.id,
    communityCode: r.community_code,
    kind: r.kind,
    effectiveAt: new Date(r.effective_at),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
  }));
}

export type CoverageRegion = { code: string; name: string; level: RegionLevel; parentCode: string | null };

/** Descendants of a region at a level further down than its children (the province's counties). */
export type Descendants = { parentLevel: RegionLevel; level: RegionLevel };

const prefixOf = (storedCode: string, level: RegionLevel) => storedCode.slice(0, LEVEL_CODE_LENGTH[level]) + "%";

/** The children of a region, or all its descendants of one level. */
export async function listChildRegions(
  storedCode: string,
  descendants?: Descendants,
  database: Database = db,
): Promise<CoverageRegion[]> {
  return database
    .select({ code: regions.code, name: regions.name, level: regions.level, parentCode: regions.parentCode })
    .from(regions)
    .where(
      descendants
        ? sql`${regions.level} = ${descendants.level} and ${regions.code} like ${prefixOf(storedCode, descendants.parentLevel)}`
        : eq(regions.parentCode, storedCode),
    )
    .orderBy(asc(regions.code));
}

/**
 * A region and its ancestors, province first (the breadcrumb), in one lookup of the code's
 * prefixes; the last entry is the region itself, or the path is short of it when it does not exist.
 */
export async function listRegionPath(storedCode: string, database: Database = db): Promise<CoverageRegion[]> {
  const codes = [...new Set(REGION_LEVELS.map((l) => storedCode.slice(0, LEVEL_CODE_LENGTH[l]).padEnd(12, "0")))];
  const rows = await queryRows<{ code: string; name: string; level: RegionLevel; parent_code: string | null }>(
    sql`
    select code, name, level::text as level, parent_code from regions
    where code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`,
    database,
  );
  return rows
    .map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }))
    .sort((a, b) => REGION_LEVELS.indexOf(a.level) - REGION_LEVELS.indexOf(b.level));
}

/**
 * Shapes of a region's children for the choropleth: boundaries where the reference data has
 * them (cities, counties), else points (townships: their seat; communities: their point).
 */
export async function getChildShapes(storedCode: string, descendants?: Descendants, database: Database = db) {
  const rows = await queryRows<{ code: string; name: string; level: RegionLevel; geojson: string | null }>(
    sql`
    select r.code, r.name, r.level::text as level,
      coalesce(
        ST_AsGeoJSON(ST_SimplifyPreserveTopology(r.boundary, 0.002), 4),
        ST_AsGeoJSON(r.point, 6),
        (select ST_AsGeoJSON(ST_Centroid(ST_Collect(c.point)), 6) from regions c
          where c.level = 'community' and c.point is not null
            and c.code like left(r.code, case r.level when 'city' then 4 when 'county' then 6 else 9 end) || '%')
      ) as geojson
    from regions r
    where ${descendants ? sql`r.level = ${descendants.level} and r.code like ${prefixOf(storedCode, descendants.parentLevel)}` : sql`r.parent_code = ${storedCode}`}
    order by r.code`,
    database,
  );
  return rows.flatMap((r) =>
    r.geojson
      ? [{ code: r.code, name: r.name, level: r.level, geometry: JSON.parse(r.geojson) as GeoJSON.Geometry }]
      : [],
  );
}

// --- targets ---------------------------------------------------------------------------------

export async function listTargets(database: Database = db) {
  const rows = await database
    .select({
      id: targets.id,
      regionCode: targets.regionCode,
      regionName: regions.name,
      regionLevel: regions.level,
      year: targets.year,
      rate: targets.rate,
      count: targets.count,
      deadline: targets.deadline,
      isDemo: targets.isDemo,
      updatedAt: targets.updatedAt,
    })
    .from(targets)
    .innerJoin(regions, eq(regions.code, targets.regionCode))
    .orderBy(asc(targets.year), asc(targets.regionCode));
  return rows;
}

export type TargetInput = {
  regionCode: string;
  year: number;
  rate: number | null;
  count: number | null;
  deadline: string;
};

/** Sets a region's target for a year (one per region and year), audited. */
export async function saveTarget(actor: { userId: string }, input: TargetInput) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(targets)
      .where(sql`${targets.regionCode} = ${input.regionCode} and ${targets.year} = ${input.year}`);
    const values = {
      rate: input.rate,
      count: input.count,
      deadline: input.deadline,
      isDemo: false,
      updatedAt: new Date(),
    };
    const [after] = before
      ? await tx.update(targets).set(values).where(eq(targets.id, before.id)).returning()
      : await tx
          .insert(targets)
          .values({ regionCode: input.regionCode, year: input.year, ...values })
          .returning();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: before ? "target.update" : "target.create",
      objectType: "target",
      objectId: after.id,
      regionCode: input.regionCode,
      before: before ?? null,
      after,
    });
    return after;
  });
}

export async function deleteTarget(actor: { userId: string }, id: string) {
  return db.transaction(async (tx) => {
    const [before] = await tx.delete(targets).where(eq(targets.id, id)).returning();
    if (!before) return null;
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "target.delete",
      objectType: "target",
      objectId: id,
      regionCode: before.regionCode,
      before,
      after: null,
    });
    return before;
  });
}

export async function getTarget(id: string) {
  const [row] = await db.select().from(targets).where(eq(targets.id, id));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// monthly snapshots (the trend): every region above community level at each month end

/** the significant digits of each level a snapshot keeps, as region_community_counts has them */
const SNAPSHOT_DIGITS = [2, 4, 6, 9] as const;

/**
 * Coverage of every region above community level at `instant` (a month end in China), kept as
 * that month's: the communities counted then and those certified (effective, not yet revoked).
 * A month already taken is left as it was. Returns the rows written.
 */
export async function takeCoverageSnapshot(monthEnd: string, instant: Date, database: Database = db) {
  const at = instant.toISOString();
  const [row] = await queryRows<{ n: number }>(
    sql`with certified as (
          select distinct a.community_code, r.kind
          from assessments a join regions r on r.code = a.community_code
          where a.effective_at is not null and a.state in ('notice', 'approved', 'revoked')
            and a.effective_at < ${at}::timestamptz and (a.revoked_at is null or a.revoked_at >= ${at}::timestamptz)
        ),
        per_region as (
          select l.n as digits, rpad(left(c.community_code, l.n), 12, '0') as code,
                 count(*) filter (where c.kind = 'community')::int as urban_certified,
                 count(*) filter (where c.kind = 'village')::int as villages_certified
          from certified c cross join (select unnest(${`{${SNAPSHOT_DIGITS.join(",")}}`}::int[])) as l(n)
          group by 1, 2
        ),
        inserted as (
          insert into coverage_snapshots (month_end, digits, region_code, urban, villages, urban_certified, villages_certified)
          select ${monthEnd}::date, rc.digits, rc.code, rc.urban, rc.villages,
                 coalesce(p.urban_certified, 0), coalesce(p.villages_certified, 0)
          from region_community_counts rc left join per_region p on p.digits = rc.digits and p.code = rc.code
          on conflict do nothing
          returning 1
        )
        select count(*)::int as n from inserted`,
    database,
  );
  return Number(row?.n ?? 0);
}

/** The month ends a snapshot has been taken for. */
export async function listCoverageSnapshotMonths(database: Database = db): Promise<string[]> {
  const rows = await queryRows<{ month_end: string | Date }>(
    sql`select distinct month_end::text as month_end from coverage_snapshots order by 1`,
    database,
  );
  return rows.map((r) => String(r.month_end));
}

export type CoverageSnapshot = {
  monthEnd: string;
  urban: number;
  villages: number;
  urbanCertified: number;
  villagesCertified: number;
};

/** A region's snapshots, oldest first (none for a community: its trend is counted). */
export async function listCoverageSnapshots(
  storedCode: string,
  level: RegionLevel,
  database: Database = db,
): Promise<CoverageSnapshot[]> {
  const digits = LEVEL_CODE_LENGTH[level];
  if (!(SNAPSHOT_DIGITS as readonly number[]).includes(digits)) return [];
  const rows = await queryRows<{
    month_end: string;
    urban: number;
    villages: number;
    urban_certified: number;
    villages_certified: number;
  }>(
    sql`select month_end::text as month_end, urban, villages, urban_certified, villages_certified
        from coverage_snapshots where digits = ${digits}::int and region_code = ${storedCode} order by month_end`,
    database,
  );
  return rows.map((r) => ({
    monthEnd: r.month_end,
    urban: Number(r.urban),
    villages: Number(r.villages),
    urbanCertified: Number(r.urban_certified),
    villagesCertified: Number(r.villages_certified),
  }));
}
