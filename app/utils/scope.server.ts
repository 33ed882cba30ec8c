import { requireUser, type Authenticated } from "./auth.server";
import { hasPermission, scopePrefixes, type Permission } from "./permissions";
import { forbidden } from "./responses.server";

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
