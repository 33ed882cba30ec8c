import { toStoredCode, type Role } from "../../db/identifiers";
import { getAccount, getRegionSummary, type Account } from "./db.server";
import { canAssign, canManageUser, ROLE_LEVEL, type Assignment } from "./permissions";
import { forbidden, notFound } from "./responses.server";
import { requireAnyScope } from "./scope.server";

export type AssignmentCheck =
  { ok: true; regionCode: string } | { ok: false; status: 400 | 403; field: "regionCode"; message: string };

/**
 * A role the actor may give: the region exists at the role's level and lies within the actor's
 * scope, below the actor's own level. Messages are catalogue keys.
 */
export async function checkAssignment(actor: Assignment[], role: Role, regionCode: string): Promise<AssignmentCheck> {
  const stored = toStoredCode(regionCode);
  const region = await getRegionSummary(stored);
  if (!region) return { ok: false, status: 400, field: "regionCode", message: "users.regionUnknown" };
  if (region.level !== ROLE_LEVEL[role])
    return { ok: false, status: 400, field: "regionCode", message: `users.regionLevel.${role}` };
  if (!canAssign(actor, role, stored))
    return { ok: false, status: 403, field: "regionCode", message: "users.outOfScope" };
  return { ok: true, regionCode: stored };
}

/** The account at `userId` if the signed-in official may manage it: 404 if none, 403 if not theirs. */
export async function requireManageableAccount(request: Request, userId: string) {
  const actor = await requireAnyScope(request, "manage_users");
  const target: Account | null = await getAccount(userId);
  if (!target) throw notFound(request, "no such account");
  if (target.id === actor.account.id || !canManageUser(actor.account.assignments, target.assignments)) {
    throw forbidden(request);
  }
  return { actor, target };
}
