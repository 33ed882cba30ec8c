import { connect } from "../../db/client.server";
import { checkDatabase } from "../../db/health.server";
import { loader } from "~/routes/healthz";
import { callLoader } from "../utils/routes";

describe("GET /healthz", () => {
  it("reports the driver and the applied migrations", async () => {
    const response = await callLoader(loader, "/healthz");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      ok: true,
      db: process.env.DATABASE_URL ? "postgres" : "pglite",
      migrations: expect.any(Number),
    });
    expect(body.migrations).toBeGreaterThanOrEqual(2);
  });

  it("says clearly when the database cannot be reached", async () => {
    const unreachable = connect({ url: "postgres://nobody@127.0.0.1:9/none" });
    try {
      const health = await checkDatabase({ database: unreachable.db, driver: "postgres", timeoutMs: 2000 });
      expect(health.ok).toBe(false);
      if (!health.ok) expect(health.error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await unreachable.close();
    }
  });
});
