import { z } from "zod";

import {
  countHsdsLocations,
  countHsdsOrganizations,
  countHsdsServices,
  listHsdsLocations,
  listHsdsOrganizations,
  listHsdsServices,
  type HsdsServiceFilter,
} from "../../../db/queries/hsds.server";
import { chinaDate } from "../listings/open-now";
import { isUuid } from "./ids.server";
import {
  fullServiceOf,
  getTaxonomyTerm,
  HSDS_PROFILE_URL,
  HSDS_VERSION,
  locationOf,
  organizationOf,
  serviceAtLocationListItemOf,
  serviceListItemOf,
  TAXONOMY_ID,
  TAXONOMY_TERMS,
  taxonomy,
  termFilterOf,
} from "./objects.server";

// The HSDS 3.0 API (docs/decisions/015): the query parameters of its lists, its page envelope, and
// one function per endpoint. Read-only and public: what it publishes is what residents see.

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;

const uuid = z.string().refine(isUuid, "a UUID");
const flag = z.enum(["true", "false"], { message: "true or false" }).transform((value) => value === "true");

// YYYY-MM-DD, or with a time (and seconds, fraction, offset optional); without an offset China's time
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;
const instant = z.string().transform((value, ctx) => {
  const match = DATE_TIME.exec(value.trim());
  const at = match ? new Date(`${match[1]}T${match[2] ?? "00:00"}${match[3] ?? "+08:00"}`) : null;
  if (!at || Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: "custom", message: "an ISO 8601 date-time, e.g. 2026-01-31T08:00:00+08:00" });
    return z.NEVER;
  }
  return at;
});

const paging = {
  page: z.coerce
    .number({ invalid_type_error: "a whole number from 1" })
    .int("a whole number from 1")
    .min(1, "a whole number from 1")
    .max(1_000_000, "at most 1000000")
    .default(1),
  per_page: z.coerce
    .number({ invalid_type_error: `a whole number from 1 to ${MAX_PER_PAGE}` })
    .int(`a whole number from 1 to ${MAX_PER_PAGE}`)
    .min(1, `a whole number from 1 to ${MAX_PER_PAGE}`)
    .max(MAX_PER_PAGE, `a whole number from 1 to ${MAX_PER_PAGE}`)
    .default(DEFAULT_PER_PAGE),
  search: z.string().trim().max(200, "at most 200 characters").optional(),
  format: z.literal("json", { errorMap: () => ({ message: "only json is published" }) }).optional(),
};

const serviceQuery = z.object({
  ...paging,
  taxonomy_term_id: uuid.optional(),
  taxonomy_id: uuid.optional(),
  organization_id: uuid.optional(),
  modified_after: instant.optional(),
  full: flag.optional(),
  // the spec's `minimal` (ids and dates only) is accepted and answered with the list objects
  minimal: flag.optional(),
});

const serviceAtLocationQuery = serviceQuery.extend({
  postcode: z.undefined({ message: "not supported: no postal codes are published" }),
  proximity: z.undefined({ message: "not supported: no postal codes are published" }),
});

const organizationQuery = z.object({ ...paging, full: flag.optional(), full_service: flag.optional() });
const locationQuery = z.object({ ...paging, organization_id: uuid.optional() });
const taxonomyQuery = z.object(paging);
const termQuery = z.object({
  ...paging,
  taxonomy_id: uuid.optional(),
  parent_id: uuid.optional(),
  top_only: flag.optional(),
});

export type ParsedQuery<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

function parse<S extends z.ZodTypeAny>(schema: S, params: URLSearchParams): ParsedQuery<z.infer<S>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "") raw[key] = value;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data as z.infer<S> };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[String(issue.path[0] ?? "_")] ??= issue.message;
  return { ok: false, fields };
}

export const parseServiceQuery = (params: URLSearchParams) => parse(serviceQuery, params);
export const parseServiceAtLocationQuery = (params: URLSearchParams) => parse(serviceAtLocationQuery, params);
export const parseOrganizationQuery = (params: URLSearchParams) => parse(organizationQuery, params);
export const parseLocationQuery = (params: URLSearchParams) => parse(locationQuery, params);
export const parseTaxonomyQuery = (params: URLSearchParams) => parse(taxonomyQuery, params);
export const parseTermQuery = (params: URLSearchParams) => parse(termQuery, params);

type Paging = { page: number; per_page: number };

/** HSDS's Page: the envelope of every list. */
function pageOf<T>(contents: T[], total: number, { page, per_page }: Paging) {
  const totalPages = Math.ceil(total / per_page);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

const windowOf = ({ page, per_page }: Paging) => ({ limit: per_page, offset: (page - 1) * per_page });

/** The root: the HSDS version and the profile this API publishes. */
export const hsdsRoot = () => ({ version: HSDS_VERSION, profile: HSDS_PROFILE_URL });

const NOTHING = Symbol("no service matches");

/** The services filter of a query; NOTHING when a taxonomy id that is not ours rules out every service. */
function serviceFilterOf(query: z.infer<typeof serviceQuery>): HsdsServiceFilter | typeof NOTHING {
  if (query.taxonomy_id && query.taxonomy_id.toLowerCase() !== TAXONOMY_ID) return NOTHING;
  const term = query.taxonomy_term_id ? termFilterOf(query.taxonomy_term_id) : undefined;
  if (query.taxonomy_term_id && !term) return NOTHING;
  return {
    search: query.search || undefined,
    term,
    modifiedAfter: query.modified_after,
    organizationId: query.organization_id,
  };
}

async function servicePage<T>(
  query: z.infer<typeof serviceQuery>,
  now: Date,
  item: (row: Awaited<ReturnType<typeof listHsdsServices>>[number]) => T,
) {
  const filter = serviceFilterOf(query);
  if (filter === NOTHING) return pageOf<T>([], 0, query);
  const today = chinaDate(now);
  const [rows, total] = await Promise.all([
    listHsdsServices(today, filter, windowOf(query)),
    countHsdsServices(today, filter),
  ]);
  return pageOf(rows.map(item), total, query);
}

/** /services: the public services, by published id; with full=true each one fully nested. */
export const hsdsServices = (query: z.infer<typeof serviceQuery>, origin: string, now = new Date()) =>
  servicePage(query, now, (row) => (query.full ? fullServiceOf(row, origin) : serviceListItemOf(row, origin)));

/** /service_at_locations: a service at its facility, one per public service; full=true nests both fully. */
export const hsdsServiceAtLocations = (
  query: z.infer<typeof serviceAtLocationQuery>,
  origin: string,
  now = new Date(),
) =>
  servicePage(query, now, (row) => {
    if (!query.full) return serviceAtLocationListItemOf(row, origin);
    const {
      service_at_locations: [pair],
      ...service
    } = fullServiceOf(row, origin);
    return { ...pair, service };
  });

/** /services/{id}: one public service fully nested; null when unknown, malformed or not public. */
export async function getHsdsService(id: string, origin: string, now = new Date()) {
  if (!isUuid(id)) return null;
  const [row] = await listHsdsServices(chinaDate(now), { serviceId: id.toLowerCase() }, { limit: 1, offset: 0 });
  return row ? fullServiceOf(row, origin) : null;
}

/** /organizations: the communities' committees that offer a public service. */
export async function hsdsOrganizations(query: z.infer<typeof organizationQuery>, now = new Date()) {
  const today = chinaDate(now);
  const filter = { search: query.search || undefined };
  const [rows, total] = await Promise.all([
    listHsdsOrganizations(today, filter, windowOf(query)),
    countHsdsOrganizations(today, filter),
  ]);
  return pageOf(rows.map(organizationOf), total, query);
}

/** /organizations/{id}: a committee with its public services; null when unknown or offering none. */
export async function getHsdsOrganization(id: string, origin: string, now = new Date()) {
  if (!isUuid(id)) return null;
  const today = chinaDate(now);
  const organizationId = id.toLowerCase();
  const [community] = await listHsdsOrganizations(today, { organizationId }, { limit: 1, offset: 0 });
  if (!community) return null;
  const rows = await listHsdsServices(today, { organizationId }, { limit: 10_000, offset: 0 });
  return {
    ...organizationOf(community),
    services: rows.map((row) => {
      const { organization: _organization, ...service } = serviceListItemOf(row, origin);
      return service;
    }),
  };
}

/** /locations: the facilities that offer a public service, each with its address, phone and hours. */
export async function hsdsLocations(query: z.infer<typeof locationQuery>, now = new Date()) {
  const today = chinaDate(now);
  const filter = { search: query.search || undefined, organizationId: query.organization_id };
  const [rows, total] = await Promise.all([
    listHsdsLocations(today, filter, windowOf(query)),
    countHsdsLocations(today, filter),
  ]);
  return pageOf(rows.map(locationOf), total, query);
}

const matches = (search: string | undefined, ...texts: string[]) =>
  !search || texts.some((text) => text.toLowerCase().includes(search.toLowerCase()));

/** /taxonomies: the one taxonomy we publish, our service categories and sub-types. */
export function hsdsTaxonomies(query: z.infer<typeof taxonomyQuery>) {
  const all = [taxonomy()].filter((t) => matches(query.search, t.name, t.description));
  const { limit, offset } = windowOf(query);
  return pageOf(all.slice(offset, offset + limit), all.length, query);
}

export const getHsdsTaxonomy = (id: string) => (id.toLowerCase() === TAXONOMY_ID ? taxonomy() : null);

/** /taxonomy_terms: the categories and their listed sub-types. */
export function hsdsTaxonomyTerms(query: z.infer<typeof termQuery>) {
  const all = TAXONOMY_TERMS.filter(
    (term) =>
      matches(query.search, term.name, term.description) &&
      (!query.taxonomy_id || query.taxonomy_id.toLowerCase() === term.taxonomy_id) &&
      (!query.parent_id || query.parent_id.toLowerCase() === term.parent_id) &&
      (!query.top_only || term.parent_id === undefined),
  );
  const { limit, offset } = windowOf(query);
  return pageOf(all.slice(offset, offset + limit), all.length, query);
}

export const getHsdsTaxonomyTerm = (id: string) => getTaxonomyTerm(id);
