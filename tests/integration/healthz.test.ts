import { connect } from "../../db/client.server";
import { checkDatabase } from "../../db/health.server";

describe("the database check behind /healthz and /healthz/ready", () => {
  it("reports the driver and the applied migrations", async () => {
    const health = await checkDatabase();
    expect(health).toEqual({
      ok: true,
      db: process.env.DATABASE_URL ? "postgres" : "pglite",
      migrations: expect.any(Number),
    });
    if (health.ok) expect(health.migrations).toBeGreaterThanOrEqual(2);
  });

  it("names the cause when the database cannot be reached: refused", async () => {
    const unreachable = connect({ url: "postgres://nobody@127.0.0.1:9/none" });
    try {
      const health = await checkDatabase({ database: unreachable.db, driver: "postgres", timeoutMs: 2000 });
      expect(health).toMatchObject({ ok: false, cause: "refused", error: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      await unreachable.close();
    }
  });
});
