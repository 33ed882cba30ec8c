import { sql } from "drizzle-orm";

/**
 * Back to the template's state: reference data only. Imported lazily so that the worker's
 * database settings are in place before the client first connects.
 */
export async function resetDatabase() {
  const { db } = await import("../../db/client.server");
  await db.execute(sql`
    truncate table audit_entries, problem_reports, api_tokens, assessment_transitions, assessments,
      services, facilities,
      sessions, role_assignments, users restart identity cascade`);
  await db.execute(sql`
    update regions set point = null, households = null, population = null, population_60 = null,
      is_demo = false
    where is_demo`);
}
