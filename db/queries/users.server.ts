import { and, asc, eq, inArray, isNull, like, notInArray, or, sql, type SQL } from "drizzle-orm";

import { ROLE_LEVEL } from "../../app/domains/accounts/accounts";
import { db, type Database } from "../client.server";
import { LEVEL_CODE_LENGTH, type Role } from "../identifiers";
import { apiTokens, regions, roleAssignments, sessions, users } from "../schema";
import { recordAudit } from "./audit.server";

export type AssignmentRow = { role: Role; regionCode: string; regionName: string };

export type Account = {
  id: string;
  username: string;
  displayName: string;
  locale: string;
  largeText: boolean;
  mustChangePassword: boolean;
  disabledAt: Date | null;
  isDemo: boolean;
  assignments: AssignmentRow[];
};

/** what the audit log keeps of an account: never a password hash */
const auditView = (account: Account | null) =>
  account && {
    username: account.username,
    displayName: account.displayName,
    disabled: account.disabledAt !== null,
    mustChangePassword: account.mustChangePassword,
    locale: account.locale,
    largeText: account.largeText,
    assignments: account.assignments.map((a) => `${a.role}@${a.regionCode}`),
  };

const homeRegion = (account: Account | null) => account?.assignments[0]?.regionCode ?? null;

export async function getUserForSignIn(username: string) {
  const [row] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.username, username));
  return row ?? null;
}

export async function getPasswordHash(userId: string) {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.hash ?? null;
}

async function assignmentsOf(userIds: string[], database: Database = db) {
  if (userIds.length === 0) return new Map<string, AssignmentRow[]>();
  const rows = await database
    .select({
      userId: roleAssignments.userId,
      role: roleAssignments.role,
      regionCode: roleAssignments.regionCode,
      regionName: regions.name,
    })
    .from(roleAssignments)
    .innerJoin(regions, eq(regions.code, roleAssignments.regionCode))
    .where(inArray(roleAssignments.userId, userIds))
    .orderBy(asc(roleAssignments.regionCode), asc(roleAssignments.role));
  const byUser = new Map<string, AssignmentRow[]>();
  for (const { userId, ...assignment } of rows) {
    byUser.set(userId, [...(byUser.get(userId) ?? []), assignment]);
  }
  return byUser;
}

const accountColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  locale: users.locale,
  largeText: users.largeText,
  mustChangePassword: users.mustChangePassword,
  disabledAt: users.disabledAt,
  isDemo: users.isDemo,
};

export async function getAccount(userId: string, database: Database = db): Promise<Account | null> {
  const [row] = await database.select(accountColumns).from(users).where(eq(users.id, userId));
  if (!row) return null;
  return { ...row, assignments: (await assignmentsOf([row.id], database)).get(row.id) ?? [] };
}

/**
 * Accounts holding a role anywhere under one of the prefixes (all accounts when undefined).
 * The caller decides which of them the reader may manage.
 */
export async function listAccounts({ prefixes, query }: { prefixes?: string[]; query?: string }) {
  const inScope = prefixes
    ? sql`${users.id} in (select ${roleAssignments.userId} from ${roleAssignments} where ${
        prefixes.length ? or(...prefixes.map((p) => like(roleAssignments.regionCode, `${p}%`))) : sql`false`
      })`
    : undefined;
  const search = query ? or(like(users.username, `%${query}%`), like(users.displayName, `%${query}%`)) : undefined;
  const rows = await db
    .select(accountColumns)
    .from(users)
    .where(and(inScope, search))
    .orderBy(asc(users.username))
    .limit(500);
  const assignments = await assignmentsOf(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, assignments: assignments.get(r.id) ?? [] }));
}

export async function usernameTaken(username: string) {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return Boolean(row);
}

export async function createAccount(input: {
  actorUserId: string;
  username: string;
  displayName: string;
  passwordHash: string;
  assignment: { role: Role; regionCode: string };
}) {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash: input.passwordHash,
        mustChangePassword: true,
      })
      .returning({ id: users.id });
    await tx.insert(roleAssignments).values({ userId: created.id, ...input.assignment });
    const after = await getAccount(created.id, tx);
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      action: "user.create",
      objectType: "user",
      objectId: created.id,
      regionCode: input.assignment.regionCode,
      after: auditView(after),
    });
    return created.id;
  });
}

/**
 * Ends every session of the account and revokes its live API tokens, inside the caller's
 * transaction; each token's revocation is audited, naming the change that caused it.
 */
async function revokeCredentials(
  tx: Database,
  input: { actorUserId: string | null; userId: string; cause: string; regionCode: string | null },
) {
  await tx.delete(sessions).where(eq(sessions.userId, input.userId));
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, input.userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  for (const token of revoked) {
    await recordAudit(tx, {
      actorUserId: input.actorUserId,
      action: "api_token.revoke",
      objectType: "api_token",
      objectId: token.id,
      regionCode: input.regionCode,
      before: { name: token.name, revoked: false },
      after: { name: token.name, revoked: true, cause: input.cause },
    });
  }
}

/**
 * Applies one change to an account and audits it, before and after, in one transaction. With
 * `revokesCredentials`, the account's sessions and API tokens end in the same transaction.
 */
async function changeAccount(
  actorUserId: string | null,
  userId: string,
  action: string,
  change: (tx: Database) => Promise<unknown>,
  { revokesCredentials = false } = {},
) {
  return db.transaction(async (tx) => {
    const before = await getAccount(userId, tx);
    if (!before) return null;
    await change(tx);
    if (revokesCredentials) {
      await revokeCredentials(tx, { actorUserId, userId, cause: action, regionCode: homeRegion(before) });
    }
    const after = await getAccount(userId, tx);
    await recordAudit(tx, {
      actorUserId,
      action,
      objectType: "user",
      objectId: userId,
      regionCode: homeRegion(before) ?? homeRegion(after),
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

export function setPassword(input: {
  actorUserId: string;
  userId: string;
  passwordHash: string;
  mustChangePassword: boolean;
  action: "user.reset_password" | "user.change_password";
}) {
  // a new password ends every session and API token; the one who changed their own gets a new session
  return changeAccount(
    input.actorUserId,
    input.userId,
    input.action,
    (tx) =>
      tx
        .update(users)
        .set({ passwordHash: input.passwordHash, mustChangePassword: input.mustChangePassword, updatedAt: new Date() })
        .where(eq(users.id, input.userId)),
    { revokesCredentials: true },
  );
}

/** Disabling ends the account's sessions and API tokens: enabling it again brings none back. */
export function setDisabled(input: { actorUserId: string; userId: string; disabled: boolean }) {
  return changeAccount(
    input.actorUserId,
    input.userId,
    input.disabled ? "user.disable" : "user.enable",
    (tx) =>
      tx
        .update(users)
        .set({ disabledAt: input.disabled ? new Date() : null, updatedAt: new Date() })
        .where(eq(users.id, input.userId)),
    { revokesCredentials: input.disabled },
  );
}

export function addAssignment(input: { actorUserId: string; userId: string; role: Role; regionCode: string }) {
  return changeAccount(input.actorUserId, input.userId, "user.add_role", (tx) =>
    tx
      .insert(roleAssignments)
      .values({ userId: input.userId, role: input.role, regionCode: input.regionCode })
      .onConflictDoNothing(),
  );
}

export function removeAssignment(input: { actorUserId: string; userId: string; role: Role; regionCode: string }) {
  return changeAccount(input.actorUserId, input.userId, "user.remove_role", (tx) =>
    tx
      .delete(roleAssignments)
      .where(
        and(
          eq(roleAssignments.userId, input.userId),
          eq(roleAssignments.role, input.role),
          eq(roleAssignments.regionCode, input.regionCode),
        ),
      ),
  );
}

export function setPreferences(input: { userId: string; locale: string; largeText: boolean }) {
  return changeAccount(input.userId, input.userId, "user.preferences", (tx) =>
    tx
      .update(users)
      .set({ locale: input.locale, largeText: input.largeText, updatedAt: new Date() })
      .where(eq(users.id, input.userId)),
  );
}

/** Signs the user out everywhere: every session and API token ends, and the fact is audited. */
export function deleteAllSessions(input: { actorUserId: string; userId: string }) {
  return changeAccount(input.actorUserId, input.userId, "user.sign_out_everywhere", async () => {}, {
    revokesCredentials: true,
  });
}

export async function listApiTokens(userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt));
}

export async function createApiToken(input: { userId: string; name: string; tokenHash: string }) {
  return db.transaction(async (tx) => {
    const [token] = await tx
      .insert(apiTokens)
      .values({ userId: input.userId, name: input.name, tokenHash: input.tokenHash })
      .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
    const owner = await getAccount(input.userId, tx);
    await recordAudit(tx, {
      actorUserId: input.userId,
      action: "api_token.create",
      objectType: "api_token",
      objectId: token.id,
      regionCode: homeRegion(owner),
      after: { name: token.name },
    });
    return token;
  });
}

export async function revokeApiToken(input: { userId: string; tokenId: string }) {
  return db.transaction(async (tx) => {
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.tokenId), eq(apiTokens.userId, input.userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (!token) return null;
    const owner = await getAccount(input.userId, tx);
    await recordAudit(tx, {
      actorUserId: input.userId,
      action: "api_token.revoke",
      objectType: "api_token",
      objectId: token.id,
      regionCode: homeRegion(owner),
      before: { name: token.name, revoked: false },
      after: { name: token.name, revoked: true },
    });
    return token;
  });
}

/** The owner of a live token, marking it used; null for unknown or revoked tokens and disabled owners. */
export async function getUserIdByTokenHash(tokenHash: string) {
  const [row] = await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        sql`${apiTokens.userId} in (select id from users where disabled_at is null)`,
      ),
    )
    .returning({ userId: apiTokens.userId });
  return row?.userId ?? null;
}

/** Sign-in and sign-out are audited against the account (never with the session id, a secret). */
export async function recordSessionEvent(input: { userId: string; action: "session.sign_in" | "session.sign_out" }) {
  const account = await getAccount(input.userId);
  await recordAudit(db, {
    actorUserId: input.userId,
    action: input.action,
    objectType: "user",
    objectId: input.userId,
    regionCode: homeRegion(account),
  });
}

/**
 * The role assignments by which one of `roles` covers the region `code` (a 12-digit code, or a
 * column of the statement around it): the assignment's region shares the role's level of prefix
 * with it (a district official's first 6 digits, a community staffer's 12).
 */
function coversRegion(roles: readonly Role[], code: SQL | string) {
  return or(
    ...roles.map((role) => {
      const digits = sql.raw(String(LEVEL_CODE_LENGTH[ROLE_LEVEL[role]]));
      return sql`(${roleAssignments.role} = ${role} and left(${roleAssignments.regionCode}, ${digits}) = left(${code}, ${digits}))`;
    }),
  );
}

const notAmong = (exclude: readonly string[]) => (exclude.length ? notInArray(users.id, [...exclude]) : undefined);

/**
 * Enabled accounts holding one of `roles` over a region, minus `exclude`; the nearest level first.
 * For "who else may review this" (the caller knows which roles review).
 */
export async function listAccountsCovering(
  regionCode: string,
  roles: readonly Role[],
  exclude: readonly string[] = [],
) {
  if (roles.length === 0) return [];
  const nearness = sql<number>`max(case ${sql.join(
    roles.map(
      (role) =>
        sql`when ${roleAssignments.role} = ${role} then ${sql.raw(String(LEVEL_CODE_LENGTH[ROLE_LEVEL[role]]))}`,
    ),
    sql` `,
  )} else 0 end)`;
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, nearness })
    .from(users)
    .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(and(coversRegion(roles, regionCode), isNull(users.disabledAt), notAmong(exclude)))
    .groupBy(users.id, users.username, users.displayName)
    .orderBy(sql`4 desc`, asc(users.username))
    .limit(50);
  return rows.map(({ id, username, displayName }) => ({ id, username, displayName }));
}

/**
 * The same accounts as a subquery of their ids (`user_id`), for a statement that writes to each
 * of them (notifications); `code` may be a column of that statement.
 */
export function accountsCoveringQuery(roles: readonly Role[], code: SQL | string, exclude: readonly string[] = []) {
  return sql`select distinct ${users.id} as user_id from ${users}
    join ${roleAssignments} on ${roleAssignments.userId} = ${users.id}
   where ${and(coversRegion(roles, code), isNull(users.disabledAt), notAmong(exclude))}`;
}
