import { hash } from "@node-rs/argon2";
import { sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";

import { db, queryRows } from "../../db/client.server";
import type { Role } from "../../db/identifiers";
import { roleAssignments, sessions, users } from "../../db/schema";

export const TEST_PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | undefined;
let counter = 0;

/** A signed-up account with one role (or none), password TEST_PASSWORD. */
export async function createTestUser(
  options: { role?: Role; regionCode?: string; username?: string; mustChangePassword?: boolean } = {},
) {
  passwordHash ??= hash(TEST_PASSWORD);
  const username = options.username ?? `test-${process.pid}-${++counter}-${randomBytes(3).toString("hex")}`;
  const [user] = await db
    .insert(users)
    .values({ username, passwordHash: await passwordHash, mustChangePassword: options.mustChangePassword ?? false })
    .returning({ id: users.id, username: users.username });
  if (options.role && options.regionCode) {
    await db
      .insert(roleAssignments)
      .values({ userId: user.id, role: options.role, regionCode: options.regionCode.padEnd(12, "0") });
  }
  return user;
}

/** Signs in by writing a session straight to the database; returns the Cookie header. */
export async function sessionCookieFor(userId: string, expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000)) {
  const id = randomBytes(20).toString("hex");
  await db.insert(sessions).values({ id, userId, expiresAt });
  return { cookie: `shequ_session=${id}`, sessionId: id };
}

export async function sessionExists(sessionId: string) {
  const rows = await queryRows(sql`select 1 from sessions where id = ${sessionId}`);
  return rows.length > 0;
}

export async function auditCount() {
  const [row] = await queryRows<{ n: number }>(sql`select count(*)::int as n from audit_entries`);
  return row.n;
}
