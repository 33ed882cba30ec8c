// Which database serves a read that may come from a replica (docs/decisions/010): the rule that
// a browser reads its own writes. Routes call readDatabaseFor(request) where they opted in
// (residents' search, public coverage, dashboards) and pass the handle down to db/queries.
import { db, readDb, type Database } from "../../db/client.server";
import { REPLICA_CHECK_STALE_MS } from "../../db/replicas.server";
import { cookieSecure, env } from "./env.server";
import { readHeadersOf, type ReadHeaders } from "./http-cache.server";

const COOKIE = "shequ_primary";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const withReplicas = env.DATABASE_REPLICA_URL.length > 0;

/**
 * How long a browser reads from the primary after sending a change: a replica in use was at most
 * DATABASE_REPLICA_MAX_LAG_MS behind at a check at most REPLICA_CHECK_STALE_MS old, so past that
 * it holds the change; plus a second for rounding.
 */
export const primaryReadsSeconds = (maxLagMs: number) => Math.ceil((maxLagMs + REPLICA_CHECK_STALE_MS) / 1000) + 1;

/**
 * True when the request's reads must see the primary: anything but GET/HEAD, a request with a
 * token (an API client, which may keep no cookies, reads what it wrote) and a browser that sent a
 * change in the last primaryReadsSeconds (its cookie).
 */
export function readsFromPrimary(request: Request): boolean {
  const method = request.method.toUpperCase();
  if (method !== "GET" && method !== "HEAD") return true;
  return getReadsFromPrimary(readHeadersOf(request));
}

/** the same for a GET or HEAD, from its headers (the search API's hot path has no Request) */
function getReadsFromPrimary(headers: ReadHeaders): boolean {
  if (headers.authorization) return true;
  return new RegExp(`(?:^|;)\\s*${COOKIE}=`).test(headers.cookie ?? "");
}

/** the database for reads opted into replicas: `readDb` (a replica, or the primary when none is in use) or the primary */
export function readDatabaseFor(request: Request): Database {
  return withReplicas && !readsFromPrimary(request) ? readDb : db;
}

/** readDatabaseFor of a GET or HEAD with these headers */
export function readDatabaseForGet(headers: ReadHeaders): Database {
  return withReplicas && !getReadsFromPrimary(headers) ? readDb : db;
}

/**
 * The Set-Cookie for the answer to a change (any method but GET, HEAD and OPTIONS, whatever its
 * outcome): that browser's reads go to the primary for primaryReadsSeconds. Null without replicas.
 */
export function primaryReadsCookie(method: string): string | null {
  if (!withReplicas || SAFE_METHODS.has(method.toUpperCase())) return null;
  const secure = cookieSecure(env) ? "; Secure" : "";
  return `${COOKIE}=1; Max-Age=${primaryReadsSeconds(env.DATABASE_REPLICA_MAX_LAG_MS)}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}
