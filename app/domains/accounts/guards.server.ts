import { errorResponse, forbidden } from "../../utils/responses.server";
import { parseRegionCodeParam } from "../regions/regions";
import { hasPermission, scopePrefixes, type Permission } from "./accounts";
import { requireUser, type Authenticated } from "./auth.server";

/**
 * The first line of a loader or action that anyone may call (residents' pages, the public API,
 * sign-in, preferences): it stands where a guard would, so that no route is public by omission.
 */
export function publicRoute(): { public: true } {
  return { public: true };
}

/**
 * The one guard for non-public data: the signed-in account must hold `permission` on a region
 * whose code prefixes `regionCode`. Throws 401/redirect when signed out, 403 when out of scope.
 */
export async function requireScope(
  request: Request,
  regionCode: string,
  permission: Permission,
): Promise<Authenticated> {
  const authenticated = await requireUser(request);
  if (!hasPermission(authenticated.account.assignments, regionCode, permission)) {
    throw forbidden(request);
  }
  return authenticated;
}

/**
 * For pages that span the reader's whole scope (lists, logs): the prefixes where the account
 * holds `permission`, or a 403 when it holds it nowhere. `undefined` means the whole province.
 */
export async function requireAnyScope(request: Request, permission: Permission) {
  const authenticated = await requireUser(request);
  const prefixes = scopePrefixes(authenticated.account.assignments, permission);
  if (prefixes.length === 0) throw forbidden(request);
  return { ...authenticated, prefixes };
}

/**
 * requireScope on the region code of a URL: 400 for a malformed code before anything else, then
 * 401/403. Returns the account and the stored (12-digit) code.
 */
export async function requireRegionScope(request: Request, codeParam: string | undefined, permission: Permission) {
  const code = parseRegionCodeParam(codeParam);
  if (!code.ok) throw errorResponse(request, 400, code.error);
  const authenticated = await requireScope(request, code.stored, permission);
  return { ...authenticated, code: code.stored };
}
