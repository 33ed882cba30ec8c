import type { RegionLevel } from "../../../db/identifiers";
import {
  type ChildFreshness,
  type StaleListing,
  getFreshnessSettings,
  getListingFreshness,
  getRegionFreshness,
  listChildrenFreshness,
  listStaleListings,
} from "../../../db/queries/freshness.server";

// Freshness on the server (docs/figures.md): the province's N and M, read once per request and
// handed to the queries of db/queries/freshness.server.ts. Hiding from residents is not here: it
// is part of what residents see (publicServiceConditions in db/queries/search.server.ts).
export { getFreshnessSettings, saveFreshnessSettings } from "../../../db/queries/freshness.server";

type RegionRef = { code: string; level: RegionLevel };

/** A region's share of listings verified within N days (a direct count), with N. */
export async function loadRegionFreshness(region: RegionRef, now = new Date()) {
  const settings = await getFreshnessSettings();
  return { settings, figure: await getRegionFreshness(region, settings, now) };
}

/** A community's stale and hidden listings, oldest first, with its counts and N and M. */
export async function loadStaleListings(community: RegionRef, now = new Date()) {
  const settings = await getFreshnessSettings();
  const stale = await listStaleListings(community, settings, now);
  return { settings, stale, counts: { stale: stale.length, hidden: stale.filter((l) => l.hidden).length } };
}

/**
 * The drill-down page: a region's children with their shares (one statement), and the region's
 * own figure as their sums; at a community, its figure and its stale and hidden listings.
 */
export async function loadFreshnessReport(region: RegionRef, now = new Date()) {
  const settings = await getFreshnessSettings();
  if (region.level === "community") {
    const [figure, stale] = await Promise.all([
      getRegionFreshness(region, settings, now),
      listStaleListings(region, settings, now),
    ]);
    return { settings, figure, children: [] as ChildFreshness[], stale };
  }
  const children = await listChildrenFreshness(region, settings, now);
  const figure = children.reduce(
    (sum, c) => ({
      listings: sum.listings + c.listings,
      fresh: sum.fresh + c.fresh,
      stale: sum.stale + c.stale,
      hidden: sum.hidden + c.hidden,
    }),
    { listings: 0, fresh: 0, stale: 0, hidden: 0 },
  );
  return { settings, figure, children, stale: [] as StaleListing[] };
}

/** One listing's freshness for its staff page (the flag beside its verify button). */
export async function loadListingFreshness(listing: { kind: "facility" | "service"; id: string }, now = new Date()) {
  return getListingFreshness(listing, await getFreshnessSettings(), now);
}
