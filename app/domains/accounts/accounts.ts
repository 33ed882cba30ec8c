import {
  LEVEL_CODE_LENGTH,
  REGION_LEVELS,
  ROLES,
  toStoredCode,
  type RegionLevel,
  type Role,
} from "../../../db/identifiers";

// What each role may do, and where: pure functions shared by the server guards and the UI
// (the UI only hides what the server would refuse anyway).

export const PERMISSIONS = ["view", "edit", "review", "manage_users", "configure"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  community_staff: ["view", "edit"],
  district_official: ["view", "edit", "review", "manage_users"],
  city_official: ["view", "edit", "review", "manage_users"],
  province_admin: ["view", "edit", "review", "manage_users", "configure"],
};

/** the region level each role is assigned on */
export const ROLE_LEVEL: Record<Role, RegionLevel> = {
  community_staff: "community",
  district_official: "county",
  city_official: "city",
  province_admin: "province",
};

/** the roles that hold `permission` (on their region and everything under it) */
export const rolesWith = (permission: Permission) =>
  ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));

export type Assignment = { role: Role; regionCode: string };

export function assignmentPrefix(assignment: Assignment) {
  return assignment.regionCode.slice(0, LEVEL_CODE_LENGTH[ROLE_LEVEL[assignment.role]]);
}

export function hasPermission(assignments: readonly Assignment[], regionCode: string, permission: Permission) {
  const code = toStoredCode(regionCode);
  return assignments.some((a) => ROLE_PERMISSIONS[a.role].includes(permission) && code.startsWith(assignmentPrefix(a)));
}

/** the code prefixes under which `permission` holds; [] = nowhere */
export function scopePrefixes(assignments: readonly Assignment[], permission: Permission) {
  return assignments.filter((a) => ROLE_PERMISSIONS[a.role].includes(permission)).map(assignmentPrefix);
}

const levelIndex = (level: RegionLevel) => REGION_LEVELS.indexOf(level);

/**
 * May the actor give `role` on `regionCode`? Officials assign roles strictly below their own
 * level within their region; the province admin assigns any role, province admins included.
 */
export function canAssign(actor: readonly Assignment[], role: Role, regionCode: string) {
  const code = toStoredCode(regionCode);
  return actor.some((a) => {
    if (!ROLE_PERMISSIONS[a.role].includes("manage_users")) return false;
    if (!code.startsWith(assignmentPrefix(a))) return false;
    if (a.role === "province_admin") return true;
    return levelIndex(ROLE_LEVEL[role]) > levelIndex(ROLE_LEVEL[a.role]);
  });
}

/** An account is the actor's to manage when every role it holds is one the actor could assign. */
export function canManageUser(actor: readonly Assignment[], target: readonly Assignment[]) {
  if (actor.some((a) => a.role === "province_admin")) return true;
  return target.length > 0 && target.every((t) => canAssign(actor, t.role, t.regionCode));
}

/** The roles the actor may give somewhere in their scope (for the form; the server checks each). */
export function assignableRoles(actor: readonly Assignment[]) {
  return ROLES.filter((role) =>
    actor.some((a) => ROLE_PERMISSIONS[a.role].includes("manage_users") && canAssign([a], role, a.regionCode)),
  );
}

/**
 * Where an account lands after signing in with nowhere else asked for: the province admin on the
 * province's dashboard, an official on their region's (the widest, through /dashboard, when they
 * hold several), community staff in their workspace (the list when several); no role, the account.
 */
export function homePath(assignments: readonly Assignment[]) {
  if (assignments.some((a) => a.role === "province_admin")) return "/dashboard";
  const officials = assignments.filter((a) => a.role === "city_official" || a.role === "district_official");
  if (officials.length === 1) return `/dashboard/${assignmentPrefix(officials[0])}`;
  if (officials.length > 1) return "/dashboard";
  const staff = assignments.filter((a) => a.role === "community_staff");
  if (staff.length === 1) return `/manage/${staff[0].regionCode}`;
  if (staff.length > 1) return "/manage";
  return "/account";
}
