// The residents' search on the server: the public services near a point and one public service,
// as db/queries/search.server.ts answers them (public data only).
import { z } from "zod";

import type { Database } from "../../../db/client.server";
import { SERVICE_CATEGORIES, toStoredCode } from "../../../db/identifiers";
import { geocodeAddress } from "../../utils/geocode.server";
import { getAreaAt, getRegion, searchCommunities } from "../regions/regions.server";
import { RESIDENT_RADII } from "./search";

export {
  MAX_LIMIT as SEARCH_MAX_LIMIT,
  getPublicService,
  searchServices,
  type SearchCursor,
  type ServiceHit,
} from "../../../db/queries/search.server";

// The residents' page's query (routes/_resident._index.tsx) and where it searches from. Here, not in
// the route: a route module that imports zod at all puts it in the page's browser code (esbuild
// 0.17, which Remix's compiler uses, keeps the import of a shared chunk even when nothing of it is used).
const number = (min: number, max: number) =>
  z
    .preprocess((v) => (v === "" || v === undefined ? undefined : Number(v)), z.number().min(min).max(max).optional())
    .catch(undefined);

const querySchema = z.object({
  lat: number(-90, 90),
  lng: number(-180, 180),
  community: z
    .string()
    .regex(/^\d{9}(\d{3})?$/)
    .optional()
    .catch(undefined),
  c: z.string().trim().max(40).optional().catch(undefined),
  address: z.string().trim().max(200).optional().catch(undefined),
  category: z.enum(SERVICE_CATEGORIES).optional().catch(undefined),
  radius: z.enum(RESIDENT_RADII).default("3000").catch("3000"),
  openNow: z.enum(["1"]).optional().catch(undefined),
  limit: z.preprocess((v) => (v === undefined ? 20 : Number(v)), z.number().int().min(1).max(100)).catch(20),
});

export type ResidentQuery = z.infer<typeof querySchema>;

/** the page's URL parameters; what is out of range or unknown is dropped, never refused */
export const parseResidentQuery = (params: URLSearchParams): ResidentQuery =>
  querySchema.parse(Object.fromEntries(params));

/** where a search starts; `area` ("济南市 历下区") says where a place found by name or address is */
type Origin = { lat: number; lng: number; label: string | null; area?: string | null };
export type ResolvedOrigin = {
  origin: Origin | null;
  problem: "noCommunity" | "addressNotFound" | "addressUnavailable" | "outsideShandong" | null;
  choices: Awaited<ReturnType<typeof searchCommunities>>;
};

/** `database`: where the lookups read (a replica for a resident's page: readDatabaseFor) */
export async function resolveOrigin(query: ResidentQuery, database?: Database): Promise<ResolvedOrigin> {
  if (query.lat !== undefined && query.lng !== undefined) {
    return { origin: { lat: query.lat, lng: query.lng, label: null }, problem: null, choices: [] };
  }
  if (query.community) {
    const region = await getRegion(toStoredCode(query.community), database);
    if (region?.point) {
      const area = await getAreaAt(region.point, database);
      return { origin: { ...region.point, label: region.name, area }, problem: null, choices: [] };
    }
  }
  if (query.c) {
    const choices = await searchCommunities(query.c, 12, database);
    if (choices.length === 1 && choices[0].lat !== null && choices[0].lng !== null) {
      return {
        origin: { lat: choices[0].lat, lng: choices[0].lng, label: choices[0].name, area: choices[0].area },
        problem: null,
        choices: [],
      };
    }
    return { origin: null, problem: choices.length ? null : "noCommunity", choices };
  }
  if (query.address) {
    const found = await geocodeAddress(query.address);
    if (found.ok) {
      const area = await getAreaAt(found, database);
      return { origin: { lat: found.lat, lng: found.lng, label: query.address, area }, problem: null, choices: [] };
    }
    return {
      origin: null,
      problem: found.reason === "not_found" ? "addressNotFound" : "addressUnavailable",
      choices: [],
    };
  }
  return { origin: null, problem: null, choices: [] };
}

const fromSchema = z
  .string()
  .regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?$/)
  .transform((v) => {
    const [lat, lng] = v.split(",").map(Number);
    return { lat, lng };
  })
  .refine((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180)
  .optional()
  .catch(undefined);

/** a public service page's `?from=lat,lng` (where the resident searched from), or undefined */
export const parseFromParam = (value: string | null) => fromSchema.parse(value ?? undefined);
