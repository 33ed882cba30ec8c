import { sql, type SQL } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import { LEVEL_CODE_LENGTH, LISTING_FRESHNESS, REGION_LEVELS, toStoredCode, type RegionLevel } from "../identifiers";
import { recordAudit } from "./audit.server";

// Freshness (docs/figures.md): a listing is verified when staff confirm it (`last_verified_at`;
// never verified counts from its creation). Not verified for N days (`stale_days`) it is stale,
// flagged to its staff; for M days (`hidden_days`) it is hidden from residents until verified
// (that rule lives in publicServiceConditions, search.server.ts). Listings are the facilities that
// are not closed and the services that are not closed at such facilities.

export type FreshnessSettings = { staleDays: number; hiddenDays: number; updatedAt: string | null };

const DAY_MS = 24 * 3600 * 1000;

/** N and M as set by the province admin, or the defaults when they never were (no row). */
export async function getFreshnessSettings(database: Database = db): Promise<FreshnessSettings> {
  const [row] = await queryRows<{ stale_days: number; hidden_days: number; updated_at: Date | string }>(
    sql`select stale_days, hidden_days, updated_at from province_settings where id = 1`,
    database,
  );
  if (!row) {
    return {
      staleDays: LISTING_FRESHNESS.staleAfterDays,
      hiddenDays: LISTING_FRESHNESS.hiddenAfterDays,
      updatedAt: null,
    };
  }
  return {
    staleDays: Number(row.stale_days),
    hiddenDays: Number(row.hidden_days),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** whole days, 1 ≤ N < M ≤ LISTING_FRESHNESS.maxDays */
export const isFreshnessSetting = (staleDays: number, hiddenDays: number) =>
  Number.isInteger(staleDays) &&
  Number.isInteger(hiddenDays) &&
  staleDays >= 1 &&
  staleDays < hiddenDays &&
  hiddenDays <= LISTING_FRESHNESS.maxDays;

/** The province admin sets N and M: audited with before and after, in one transaction. */
export async function saveFreshnessSettings(actor: { userId: string }, staleDays: number, hiddenDays: number) {
  if (!isFreshnessSetting(staleDays, hiddenDays)) {
    throw new RangeError(
      `freshness needs whole days 1 ≤ N < M ≤ ${LISTING_FRESHNESS.maxDays}, got ${staleDays}, ${hiddenDays}`,
    );
  }
  return db.transaction(async (tx) => {
    // the row lock keeps two admins' before/after in order
    await tx.execute(sql`select 1 from province_settings where id = 1 for update`);
    const before = await getFreshnessSettings(tx);
    await tx.execute(sql`
      insert into province_settings (id, stale_days, hidden_days, updated_at)
      values (1, ${staleDays}::int, ${hiddenDays}::int, now())
      on conflict (id) do update
        set stale_days = excluded.stale_days, hidden_days = excluded.hidden_days, updated_at = excluded.updated_at`);
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "province_settings.freshness.update",
      objectType: "province_settings",
      objectId: "freshness",
      regionCode: toStoredCode("37"),
      before: { staleDays: before.staleDays, hiddenDays: before.hiddenDays },
      after: { staleDays, hiddenDays },
    });
    return { staleDays, hiddenDays };
  });
}

/** the instant `days` before `now`, as ISO text (postgres.js refuses raw Dates) */
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/** every listing under a code prefix: kind, id, name, community and when it counts as verified */
function listingsUnder(prefix: string): SQL {
  return sql`
    select 'facility' as kind, f.id, f.name, f.community_code, coalesce(f.last_verified_at, f.created_at) as verified
      from facilities f
     where f.community_code like ${`${prefix}%`} and f.status <> 'closed'
    union all
    select 'service', s.id, s.name, f.community_code, coalesce(s.last_verified_at, s.created_at)
      from services s join facilities f on f.id = s.facility_id
     where f.community_code like ${`${prefix}%`} and s.status <> 'closed' and f.status <> 'closed'`;
}

export type FreshnessFigure = {
  /** listings (facilities not closed, services not closed at facilities not closed) */
  listings: number;
  /** of which verified within N days */
  fresh: number;
  /** of which not verified for N days (listings - fresh) */
  stale: number;
  /** of which not verified for M days: hidden from residents */
  hidden: number;
};

type FigureRow = { listings: number; fresh: number; hidden: number };
const figureColumns = (now: Date, settings: FreshnessSettings) => sql`
  count(*)::int as listings,
  (count(*) filter (where l.verified >= ${daysBefore(now, settings.staleDays)}::timestamptz))::int as fresh,
  (count(*) filter (where l.verified < ${daysBefore(now, settings.hiddenDays)}::timestamptz))::int as hidden`;
const toFigure = (row: FigureRow | undefined): FreshnessFigure => {
  const listings = Number(row?.listings ?? 0);
  const fresh = Number(row?.fresh ?? 0);
  return { listings, fresh, stale: listings - fresh, hidden: Number(row?.hidden ?? 0) };
};

type RegionRef = { code: string; level: RegionLevel };
/** a region's scope prefix: its level's digits of the code (any form of the code) */
const prefixOf = (region: RegionRef) => toStoredCode(region.code).slice(0, LEVEL_CODE_LENGTH[region.level]);

/** A region's freshness (a direct count of its listings), for the dashboard's block. */
export async function getRegionFreshness(
  region: RegionRef,
  settings: FreshnessSettings,
  now = new Date(),
  database: Database = db,
): Promise<FreshnessFigure> {
  const [row] = await queryRows<FigureRow>(
    sql`select ${figureColumns(now, settings)} from (${listingsUnder(prefixOf(region))}) l`,
    database,
  );
  return toFigure(row);
}

export type ChildFreshness = FreshnessFigure & { code: string; name: string; level: RegionLevel };

/**
 * A region's children with their freshness, in one statement: the listings grouped by the
 * children's prefix of their community code (children with no listing read 0 of 0).
 */
export async function listChildrenFreshness(
  region: RegionRef,
  settings: FreshnessSettings,
  now = new Date(),
  database: Database = db,
): Promise<ChildFreshness[]> {
  const childLevel = REGION_LEVELS[REGION_LEVELS.indexOf(region.level) + 1];
  if (!childLevel) return [];
  const stored = toStoredCode(region.code);
  const digits = LEVEL_CODE_LENGTH[childLevel];
  const prefix = prefixOf(region);
  const rows = await queryRows<FigureRow & { code: string; name: string; level: RegionLevel }>(
    sql`
      with counts as (
        select left(l.community_code, ${digits}::int) as child, ${figureColumns(now, settings)}
          from (${listingsUnder(prefix)}) l
         group by 1
      )
      select r.code, r.name, r.level, coalesce(c.listings, 0) as listings, coalesce(c.fresh, 0) as fresh,
             coalesce(c.hidden, 0) as hidden
        from regions r
        left join counts c on c.child = left(r.code, ${digits}::int)
       where r.parent_code = ${stored}
       order by r.code`,
    database,
  );
  return rows.map((row) => ({
    code: row.code.slice(0, LEVEL_CODE_LENGTH[row.level]),
    name: row.name,
    level: row.level,
    ...toFigure(row),
  }));
}

export type StaleListing = {
  kind: "facility" | "service";
  id: string;
  name: string;
  communityCode: string;
  verifiedAt: string;
  /** not verified for M days: residents no longer see it (nor, for a facility, its services) */
  hidden: boolean;
};

/** A region's listings not verified for N days, oldest first, each saying if it is hidden. */
export async function listStaleListings(
  region: RegionRef,
  settings: FreshnessSettings,
  now = new Date(),
  database: Database = db,
): Promise<StaleListing[]> {
  const rows = await queryRows<{
    kind: "facility" | "service";
    id: string;
    name: string;
    community_code: string;
    verified: Date | string;
    hidden: boolean;
  }>(
    sql`
      select l.kind, l.id, l.name, l.community_code, l.verified,
             l.verified < ${daysBefore(now, settings.hiddenDays)}::timestamptz as hidden
        from (${listingsUnder(prefixOf(region))}) l
       where l.verified < ${daysBefore(now, settings.staleDays)}::timestamptz
       order by l.verified, l.kind, l.id`,
    database,
  );
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    name: r.name,
    communityCode: r.community_code,
    verifiedAt: new Date(r.verified).toISOString(),
    hidden: Boolean(r.hidden),
  }));
}

export type ListingFreshness = {
  state: "fresh" | "stale" | "hidden";
  verifiedAt: string;
  staleDays: number;
  hiddenDays: number;
  /** a service only: its facility is hidden, which hides the service too */
  facilityHidden: boolean;
};

/** One facility's or service's freshness for its staff page; null when there is no such listing. */
export async function getListingFreshness(
  listing: { kind: "facility" | "service"; id: string },
  settings: FreshnessSettings,
  now = new Date(),
  database: Database = db,
): Promise<ListingFreshness | null> {
  const query =
    listing.kind === "facility"
      ? sql`select coalesce(f.last_verified_at, f.created_at) as verified, null::timestamptz as facility_verified
              from facilities f where f.id = ${listing.id}`
      : sql`select coalesce(s.last_verified_at, s.created_at) as verified,
                   coalesce(f.last_verified_at, f.created_at) as facility_verified
              from services s join facilities f on f.id = s.facility_id where s.id = ${listing.id}`;
  const [row] = await queryRows<{ verified: Date | string; facility_verified: Date | string | null }>(query, database);
  if (!row) return null;
  const verified = new Date(row.verified);
  const age = now.getTime() - verified.getTime();
  const state = age > settings.hiddenDays * DAY_MS ? "hidden" : age > settings.staleDays * DAY_MS ? "stale" : "fresh";
  const facilityHidden =
    row.facility_verified !== null &&
    now.getTime() - new Date(row.facility_verified).getTime() > settings.hiddenDays * DAY_MS;
  return {
    state,
    verifiedAt: verified.toISOString(),
    staleDays: settings.staleDays,
    hiddenDays: settings.hiddenDays,
    facilityHidden,
  };
}
