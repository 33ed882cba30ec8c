import { sql } from "drizzle-orm";

/**
 * Back to the template's state: reference data only. Imported lazily so that the worker's
 * database settings are in place before the client first connects.
 */
export async function resetDatabase() {
  const { db } = await import("../../db/client.server");
  await db.execute(sql`
    truncate table audit_entries, notifications, problem_reports, api_tokens, assessment_transitions, assessments,
      community_access, access_thresholds, services, facilities,
      sessions, role_assignments, users, rate_limits, living_circle_recomputes, coverage_snapshots,
      road_networks, road_vertices, road_edges, planning_scenarios, facility_drafts, service_feedback
      restart identity cascade`);
  await db.execute(sql`update living_circle_settings set detour_factor = 1.3 where id = 1`);
  // freshness: back to the defaults (no row)
  await db.execute(sql`delete from province_settings`);
  // versions after the seeded v1 and edited targets are test data; the first reset keeps a copy
  // of the seeded targets to go back to
  await db.execute(sql`delete from evaluation_standards where version > 1`);
  await db.execute(sql`create table if not exists seeded_targets as table targets`);
  await db.execute(sql`delete from targets`);
  await db.execute(sql`insert into targets select * from seeded_targets`);
  await db.execute(sql`
    update regions set point = null, households = null, population = null, population_60 = null,
      is_demo = false
    where is_demo`);
}
