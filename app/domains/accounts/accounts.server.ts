import { randomInt } from "node:crypto";

import { toStoredCode, type Role } from "../../../db/identifiers";
import { getRegionSummary } from "../../../db/queries/regions.server";
import { getAccount, type Account } from "../../../db/queries/users.server";
import { forbidden, notFound } from "../../utils/responses.server";
import { canAssign, canManageUser, ROLE_LEVEL, type Assignment } from "./accounts";
import { requireAnyScope } from "./guards.server";

// Accounts on the server. The account, session-list and token queries of db/queries/users.server.ts
// serve the pages as they are; what needs a rule (assigning roles, temporary passwords) is below.
export {
  addAssignment,
  createAccount,
  createApiToken,
  deleteAllSessions,
  getPasswordHash,
  listAccounts,
  listApiTokens,
  removeAssignment,
  revokeApiToken,
  setDisabled,
  setPassword,
  setPreferences,
  usernameTaken,
} from "../../../db/queries/users.server";

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

// no 0/O, 1/l/I: a temporary password is read out or copied by hand
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A temporary password for a new or reset account; it must be changed at first sign-in. */
export function generateTemporaryPassword(length = 14) {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}
