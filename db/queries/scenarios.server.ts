import { and, asc, desc, eq, sql } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import type { LivingCircleMeasure } from "../identifiers";
import { facilityDrafts, planningScenarios, users, type ScenarioSite } from "../schema";
import { recordAudit } from "./audit.server";
import { notifySiteProposed } from "./notifications.server";
import { getPlanningRegion } from "./planning.server";

// An official's what-if plans for a county or township (planning_scenarios), and the sites sent
// from them to a community's staff as facility drafts. Nothing here registers a facility: staff
// do, from the draft (createFacility marks it registered). Every change is audited in its own
// transaction; access is the routes' guard's (the scenario's region), never decided here.

export type Actor = { userId: string };

export type ScenarioFields = { name: string; measures: LivingCircleMeasure[]; sites: ScenarioSite[] };

export type ScenarioWrite<T> = { ok: true; value: T } | { ok: false; reason: "duplicate_name" | "not_found" };

export type Scenario = typeof planningScenarios.$inferSelect;

const auditScenario = (s: Scenario) => ({ name: s.name, measures: s.measures, sites: s.sites });

/** PostgreSQL's unique_violation, from postgres.js or PGlite (the code sits on the error or its cause) */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null; e; e = e.cause as typeof e) {
    if (e.code === "23505") return true;
  }
  return false;
}

async function nameTaken(tx: Database, regionCode: string, name: string, except: string | null) {
  const rows = await tx
    .select({ id: planningScenarios.id })
    .from(planningScenarios)
    .where(and(eq(planningScenarios.regionCode, regionCode), eq(planningScenarios.name, name)));
  return rows.some((r) => r.id !== except);
}

/** one write: a duplicate name (found first, or by the unique index in a race) is a result, not an error */
async function write<T>(run: (tx: Database) => Promise<ScenarioWrite<T>>): Promise<ScenarioWrite<T>> {
  try {
    return await db.transaction(run);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "duplicate_name" };
    throw error;
  }
}

/** The region's scenarios, most recently changed first. */
export async function listScenarios(regionCode: string) {
  return db
    .select({
      id: planningScenarios.id,
      name: planningScenarios.name,
      measures: planningScenarios.measures,
      sites: planningScenarios.sites,
      createdBy: users.username,
      updatedAt: planningScenarios.updatedAt,
    })
    .from(planningScenarios)
    .leftJoin(users, eq(users.id, planningScenarios.createdBy))
    .where(eq(planningScenarios.regionCode, regionCode))
    .orderBy(desc(planningScenarios.updatedAt), asc(planningScenarios.name));
}

export async function getScenario(id: string, database: Database = db): Promise<Scenario | null> {
  const [row] = await database.select().from(planningScenarios).where(eq(planningScenarios.id, id));
  return row ?? null;
}

export async function createScenario(actor: Actor, regionCode: string, fields: ScenarioFields) {
  return write<Scenario>(async (tx) => {
    if (await nameTaken(tx, regionCode, fields.name, null)) return { ok: false, reason: "duplicate_name" };
    const [created] = await tx
      .insert(planningScenarios)
      .values({ regionCode, ...fields, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "scenario.create",
      objectType: "planning_scenario",
      objectId: created.id,
      regionCode,
      after: auditScenario(created),
    });
    return { ok: true, value: created };
  });
}

/** Renames a scenario or replaces its sites and measures (whichever are given). */
export async function updateScenario(actor: Actor, id: string, changes: Partial<ScenarioFields>) {
  return write<Scenario>(async (tx) => {
    const before = await getScenario(id, tx);
    if (!before) return { ok: false, reason: "not_found" };
    if (changes.name !== undefined && (await nameTaken(tx, before.regionCode, changes.name, id))) {
      return { ok: false, reason: "duplicate_name" };
    }
    const [after] = await tx
      .update(planningScenarios)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(planningScenarios.id, id))
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "scenario.update",
      objectType: "planning_scenario",
      objectId: id,
      regionCode: before.regionCode,
      before: auditScenario(before),
      after: auditScenario(after),
    });
    return { ok: true, value: after };
  });
}

/** Deletes a scenario; the drafts sent from it stay (they keep its name). */
export async function deleteScenario(actor: Actor, id: string) {
  return write<Scenario>(async (tx) => {
    const before = await getScenario(id, tx);
    if (!before) return { ok: false, reason: "not_found" };
    await tx.delete(planningScenarios).where(eq(planningScenarios.id, id));
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "scenario.delete",
      objectType: "planning_scenario",
      objectId: id,
      regionCode: before.regionCode,
      before: auditScenario(before),
    });
    return { ok: true, value: before };
  });
}

/** The communities of a region (12-digit prefix of its level), by name: where a site can be sent. */
export async function listRegionCommunities(regionCode: string) {
  const region = await getPlanningRegion(regionCode);
  if (!region) return [];
  return queryRows<{ code: string; name: string }>(
    sql`select code, name from regions where level = 'community' and code like ${`${region.prefix}%`} order by code`,
  );
}

export type SendResult =
  { ok: true; draftId: string } | { ok: false; reason: "not_found" | "no_such_site" | "outside_region" };

/**
 * Sends one site of a scenario to a community of the scenario's region as an open facility draft,
 * and tells the community's staff (notification site_proposed). Audited.
 */
export async function sendScenarioSite(
  actor: Actor,
  scenarioId: string,
  siteId: string,
  communityCode: string,
  note: string | null,
): Promise<SendResult> {
  return db.transaction(async (tx) => {
    const scenario = await getScenario(scenarioId, tx);
    if (!scenario) return { ok: false, reason: "not_found" };
    const site = scenario.sites.find((s) => s.id === siteId);
    if (!site) return { ok: false, reason: "no_such_site" };
    const region = (await getPlanningRegion(scenario.regionCode, tx))!;
    const [community] = await queryRows<{ code: string; name: string }>(
      sql`select code, name from regions where code = ${communityCode} and level = 'community'`,
      tx,
    );
    if (!community || !community.code.startsWith(region.prefix)) return { ok: false, reason: "outside_region" };
    const [draft] = await tx
      .insert(facilityDrafts)
      .values({
        communityCode: community.code,
        scenarioId,
        scenarioName: scenario.name,
        measures: scenario.measures,
        lat: site.lat,
        lng: site.lng,
        note: note || null,
        sentBy: actor.userId,
      })
      .returning();
    const [sender] = await tx
      .select({ username: users.username, displayName: users.displayName })
      .from(users)
      .where(eq(users.id, actor.userId));
    await notifySiteProposed(
      tx,
      {
        communityCode: community.code,
        community: community.name,
        official: sender?.displayName || sender?.username || "",
        scenario: scenario.name,
        measures: scenario.measures,
      },
      actor.userId,
    );
    await recordAudit(tx, {
      actorUserId: actor.userId,
      action: "scenario.send_site",
      objectType: "planning_scenario",
      objectId: scenarioId,
      regionCode: scenario.regionCode,
      after: {
        draftId: draft.id,
        siteId,
        communityCode: community.code,
        lat: site.lat,
        lng: site.lng,
        note: draft.note,
      },
    });
    return { ok: true, draftId: draft.id };
  });
}

export type FacilityDraft = typeof facilityDrafts.$inferSelect;

export async function getFacilityDraft(id: string, database: Database = db): Promise<FacilityDraft | null> {
  const [row] = await database.select().from(facilityDrafts).where(eq(facilityDrafts.id, id));
  return row ?? null;
}

/** A community's open drafts, newest first, with who sent each. */
export async function listOpenFacilityDrafts(communityCode: string) {
  return db
    .select({
      id: facilityDrafts.id,
      scenarioName: facilityDrafts.scenarioName,
      measures: facilityDrafts.measures,
      lat: facilityDrafts.lat,
      lng: facilityDrafts.lng,
      note: facilityDrafts.note,
      sentBy: sql<string | null>`coalesce(nullif(${users.displayName}, ''), ${users.username})`,
      sentAt: facilityDrafts.sentAt,
    })
    .from(facilityDrafts)
    .leftJoin(users, eq(users.id, facilityDrafts.sentBy))
    .where(and(eq(facilityDrafts.communityCode, communityCode), eq(facilityDrafts.state, "open")))
    .orderBy(desc(facilityDrafts.sentAt), asc(facilityDrafts.id));
}

async function closeDraft(
  tx: Database,
  actor: Actor,
  draftId: string,
  change: { state: "registered"; facilityId: string } | { state: "dismissed" },
) {
  const [closed] = await tx
    .update(facilityDrafts)
    .set({ state: change.state, facilityId: change.state === "registered" ? change.facilityId : null })
    .where(and(eq(facilityDrafts.id, draftId), eq(facilityDrafts.state, "open")))
    .returning();
  if (!closed) return null;
  await recordAudit(tx, {
    actorUserId: actor.userId,
    action: change.state === "registered" ? "facility_draft.register" : "facility_draft.dismiss",
    objectType: "facility_draft",
    objectId: draftId,
    regionCode: closed.communityCode,
    before: { state: "open" },
    after: { state: closed.state, facilityId: closed.facilityId },
  });
  return closed;
}

/** Staff set an open draft aside; null when it is not open (or not there). */
export async function dismissFacilityDraft(actor: Actor, draftId: string) {
  return db.transaction((tx) => closeDraft(tx, actor, draftId, { state: "dismissed" }));
}

/** In the transaction that created the facility: its open draft becomes registered (audited). */
export async function markFacilityDraftRegistered(tx: Database, actor: Actor, draftId: string, facilityId: string) {
  return closeDraft(tx, actor, draftId, { state: "registered", facilityId });
}
