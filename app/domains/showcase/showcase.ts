import { ASSESSMENT_TIERS, SCENARIO_AREAS, type ServiceCategory } from "../../../db/identifiers";

// The public showcase of certified communities (/showcase): its order, its paging and its filters'
// URLs, pure so that the pages and the tests share them.

export type ShowcaseTier = (typeof ASSESSMENT_TIERS)[number];

/** benchmark first, then growth, then basic */
export const SHOWCASE_TIERS: readonly ShowcaseTier[] = [...ASSESSMENT_TIERS].reverse();

export const SHOWCASE_PAGE_SIZE = 50;
/** services listed on a community's showcase page at most */
export const SHOWCASE_SERVICES_LIMIT = 300;

/** the filters of /showcase: a city (4 digits), a county (6 digits, in the city), a tier, a page from 1 */
export type ShowcaseQuery = { city: string | null; county: string | null; tier: ShowcaseTier | null; page: number };

/** the scenario areas among a community's public services' categories, in the areas' order */
export const scenarioAreasOf = (categories: readonly ServiceCategory[]): ServiceCategory[] =>
  SCENARIO_AREAS.filter((area) => categories.includes(area));

/** /showcase with the filters as GET parameters (empty ones left out), e.g. for the pager and the tier links */
export function showcaseHref(query: Partial<ShowcaseQuery>): string {
  const params = new URLSearchParams();
  if (query.city) params.set("city", query.city);
  if (query.county) params.set("county", query.county);
  if (query.tier) params.set("tier", query.tier);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `/showcase?${search}` : "/showcase";
}

/** each tier's colour on the map and its legend (3:1 or more on the basemap and on white) */
export const TIER_COLOURS: Record<ShowcaseTier, string> = {
  benchmark: "#b3261e",
  growth: "#0b57d0",
  basic: "#1e6b34",
};
/** a facility on a community's map */
export const FACILITY_COLOUR = "#4a5563";
