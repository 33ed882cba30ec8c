import { json } from "@remix-run/node";

import { checkDatabase } from "~/utils/db.server";

export async function loader() {
  const health = await checkDatabase();
  const headers = { "Cache-Control": "no-store" };
  if (!health.ok) {
    return json(
      { ok: false, db: health.db, error: `database unreachable: ${health.error}` },
      { status: 503, headers },
    );
  }
  return json(health, { headers });
}
