import { and, desc, eq, gte, like, lt, or, sql, type SQL } from "drizzle-orm";

import { db, type Database } from "../client.server";
import { auditEntries, users } from "../schema";

export type AuditInput = {
  actorUserId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  /** 12-digit code of the region the object belongs to, for scoped reading of the log */
  regionCode: string | null;
  before?: unknown;
  after?: unknown;
};

/** Call inside the transaction that makes the change, so both land or neither. */
export async function recordAudit(tx: Database, entry: AuditInput) {
  await tx.insert(auditEntries).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    regionCode: entry.regionCode,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export type AuditFilter = {
  /** region-code prefixes the reader may see; undefined = everything (province admin) */
  scopePrefixes?: string[];
  action?: string;
  objectType?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
};

export async function listAuditEntries(filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (filter.scopePrefixes) {
    const inScope = filter.scopePrefixes.map((p) => like(auditEntries.regionCode, `${p}%`));
    conditions.push(inScope.length ? or(...inScope)! : sql`false`);
  }
  if (filter.action) conditions.push(like(auditEntries.action, `${filter.action}%`));
  if (filter.objectType) conditions.push(eq(auditEntries.objectType, filter.objectType));
  if (filter.actor) conditions.push(eq(users.username, filter.actor));
  if (filter.from) conditions.push(gte(auditEntries.at, filter.from));
  if (filter.to) conditions.push(lt(auditEntries.at, filter.to));
  return db
    .select({
      id: auditEntries.id,
      at: auditEntries.at,
      actor: users.username,
      action: auditEntries.action,
      objectType: auditEntries.objectType,
      objectId: auditEntries.objectId,
      regionCode: auditEntries.regionCode,
      before: auditEntries.before,
      after: auditEntries.after,
    })
    .from(auditEntries)
    .leftJoin(users, eq(users.id, auditEntries.actorUserId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditEntries.id))
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0);
}
export type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>[number];
