// The public showcase on the server: the communities certified now (the coverage rule:
// listEffectiveAssessments + inEffectAt), with their public services and residents' satisfaction,
// as db/queries/showcase.server.ts answers them. Public data only.
import { z } from "zod";

import type { Database } from "../../../db/client.server";
import { ASSESSMENT_TIERS, toStoredCode, type ServiceCategory } from "../../../db/identifiers";
import { listChildRegions, listEffectiveAssessments } from "../../../db/queries/coverage.server";
import { getSatisfactionMinResponses, satisfactionByPart } from "../../../db/queries/feedback.server";
import {
  countPublicServicesByCommunity,
  countShowcaseTiers,
  listCommunityPublicServices,
  listShowcaseCommunities,
  type ShowcaseCommunity,
} from "../../../db/queries/showcase.server";
import { inEffectAt } from "../coverage/coverage";
import { satisfactionOf, type Satisfaction } from "../feedback/feedback";
import { significantCode } from "../regions/regions";
import { getCountyOutlinesFile } from "../regions/regions.server";
import { scenarioAreasOf, SHOWCASE_PAGE_SIZE, SHOWCASE_SERVICES_LIMIT, type ShowcaseQuery } from "./showcase";

const PROVINCE = toStoredCode("37");

// here, not in the route: a public route module must not import zod (decisions/006)
const querySchema = z.object({
  city: z
    .string()
    .regex(/^37\d{2}$/)
    .optional()
    .catch(undefined),
  county: z
    .string()
    .regex(/^37\d{4}$/)
    .optional()
    .catch(undefined),
  tier: z.enum(ASSESSMENT_TIERS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});

/**
 * The page's URL parameters; what is out of range or unknown is dropped, never refused. A county
 * alone names its city; a county outside the city chosen is dropped (the form without JavaScript
 * still sends the county of the city before).
 */
export function parseShowcaseQuery(params: URLSearchParams): ShowcaseQuery {
  const raw = querySchema.parse(Object.fromEntries(params));
  const city = raw.city ?? raw.county?.slice(0, 4) ?? null;
  const county = raw.county && raw.county.startsWith(city ?? "") ? raw.county : null;
  return { city, county, tier: raw.tier ?? null, page: raw.page };
}

export type ShowcaseEntry = ShowcaseCommunity & {
  services: number;
  areas: ServiceCategory[];
  satisfaction: Satisfaction;
};

export type ShowcaseRegionOption = { code: string; name: string; communities: number };

/** the county outlines' versioned address, for the maps (as the residents' layout gives it) */
export async function countiesUrl() {
  const { version } = await getCountyOutlinesFile();
  return `/regions/counties.geojson?v=${version}`;
}

/** the assessments under a region that stand at `now`, by the coverage rule */
async function standingAssessments(
  storedCode: string,
  level: "province" | "community",
  now: Date,
  database?: Database,
) {
  const periods = await listEffectiveAssessments(storedCode, level, database);
  return periods.filter((p) => inEffectAt(p, now));
}

/** what the showcase shows of each community of a page */
async function entriesOf(
  communities: ShowcaseCommunity[],
  prefix: string,
  now: Date,
  database?: Database,
): Promise<{ entries: ShowcaseEntry[]; minResponses: number }> {
  const [services, satisfaction, minResponses] = await Promise.all([
    countPublicServicesByCommunity(
      communities.map((c) => c.code),
      now,
      database,
    ),
    satisfactionByPart(prefix, 12, now, database),
    getSatisfactionMinResponses(database),
  ]);
  const entries = communities.map((c) => {
    const counted = services.get(c.code);
    const opinions = satisfaction.get(c.code) ?? { responses: 0, satisfied: 0 };
    return {
      ...c,
      services: counted?.services ?? 0,
      areas: scenarioAreasOf(counted?.categories ?? []),
      satisfaction: satisfactionOf(opinions.responses, opinions.satisfied, minResponses),
    };
  });
  return { entries, minResponses };
}

/** /showcase: the certified communities of the filter, a page of them, and the filters' choices */
export async function loadShowcase(query: ShowcaseQuery, now = new Date(), database?: Database) {
  const [standing, cities, counties] = await Promise.all([
    standingAssessments(PROVINCE, "province", now, database),
    listChildRegions(PROVINCE, undefined, database),
    listChildRegions(PROVINCE, { parentLevel: "province", level: "county" }, database),
  ]);
  const communitiesUnder = (prefix: string) =>
    new Set(standing.filter((p) => p.communityCode.startsWith(prefix)).map((p) => p.communityCode)).size;
  const option = (r: { code: string; name: string }): ShowcaseRegionOption => {
    const code = significantCode(r.code);
    return { code, name: r.name, communities: communitiesUnder(code) };
  };

  const prefix = query.county ?? query.city ?? "37";
  const ids = standing.filter((p) => p.communityCode.startsWith(prefix)).map((p) => p.id);
  const pageOf = (page: number) =>
    listShowcaseCommunities(
      ids,
      { tier: query.tier, limit: SHOWCASE_PAGE_SIZE, offset: (page - 1) * SHOWCASE_PAGE_SIZE },
      database,
    );
  const [tiers, asked] = await Promise.all([countShowcaseTiers(ids, database), pageOf(query.page)]);
  const all = Object.values(tiers).reduce((sum, n) => sum + n, 0);
  const total = query.tier ? tiers[query.tier] : all;
  const pages = Math.max(1, Math.ceil(total / SHOWCASE_PAGE_SIZE));
  // past the last page: the last page
  const page = Math.min(query.page, pages);
  const communities = page === query.page ? asked : await pageOf(page);
  const { entries, minResponses } = await entriesOf(communities, prefix, now, database);
  return {
    query: { ...query, page },
    cities: cities.map(option),
    counties: counties.map(option),
    tiers,
    all,
    total,
    pages,
    minResponses,
    communities: entries,
  };
}

/**
 * /showcase/:code: a certified community with its public services; null for any code that is not
 * a community certified now (an uncertified one is not told apart from one that does not exist).
 */
export async function loadShowcaseCommunity(code: string | undefined, now = new Date(), database?: Database) {
  if (!code || !/^37\d{10}$/.test(code)) return null;
  const ids = (await standingAssessments(code, "community", now, database))
    .filter((p) => p.communityCode === code)
    .map((p) => p.id);
  const [community] = await listShowcaseCommunities(ids, { tier: null, limit: 1, offset: 0 }, database);
  if (!community) return null;
  const [{ entries, minResponses }, services] = await Promise.all([
    entriesOf([community], code, now, database),
    listCommunityPublicServices(code, now, SHOWCASE_SERVICES_LIMIT, database),
  ]);
  return { community: entries[0], minResponses, services };
}
