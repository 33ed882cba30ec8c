import { PGlite } from "@electric-sql/pglite";
import { DrizzleQueryError, sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { createServer } from "node:net";
import postgres from "postgres";

import { isDatabaseUnavailable } from "../../db/errors.server";

/** a loopback port nothing listens on */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const wrapped = (cause: unknown) => new DrizzleQueryError("select 1", [], cause as Error);

describe("isDatabaseUnavailable", () => {
  it("is true for a refused connection, as drizzle on postgres.js really throws it", async () => {
    const port = await closedPort();
    const client = postgres(`postgres://nobody@127.0.0.1:${port}/none`, {
      max: 1,
      connect_timeout: 2,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client);
    const error = await db.execute(sql`select 1`).then(
      () => undefined,
      (e: unknown) => e,
    );
    await client.end({ timeout: 0 });
    expect(error).toBeInstanceOf(DrizzleQueryError);
    expect((error as Error & { cause: { code: string } }).cause.code).toBe("ECONNREFUSED");
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("is true for a query on a closed PGlite instance, through drizzle", async () => {
    const client = new PGlite();
    const db = drizzlePglite(client);
    await db.execute(sql`select 1`);
    await client.close();
    const error = await db.execute(sql`select 1`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("is true for every connection-class code, bare or wrapped in causes", () => {
    const codes = [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "EHOSTUNREACH",
      "CONNECT_TIMEOUT",
      "CONNECTION_CLOSED",
      "CONNECTION_DESTROYED",
      "CONNECTION_ENDED",
      "57P01",
      "57P02",
      "57P03",
      "53300",
      "08000",
      "08001",
      "08003",
      "08006",
      "08P01",
    ];
    for (const code of codes) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
      expect(isDatabaseUnavailable(wrapped(withCode(code))), `drizzle → ${code}`).toBe(true);
      const app = new Error("saving the facility failed", { cause: wrapped(withCode(code)) });
      expect(isDatabaseUnavailable(app), `app → drizzle → ${code}`).toBe(true);
    }
  });

  it("looks inside an AggregateError (node's connect to every address of a host)", () => {
    const aggregate = new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], "");
    expect(isDatabaseUnavailable(aggregate)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(aggregate))).toBe(true);
  });

  it("is true for a unix socket that is gone, false for a missing file", () => {
    expect(isDatabaseUnavailable(Object.assign(withCode("ENOENT"), { syscall: "connect" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(withCode("ENOENT"), { syscall: "open" }))).toBe(false);
  });

  it("is false for the request's own faults and for bugs", () => {
    const notUnavailable: unknown[] = [
      undefined,
      null,
      "ECONNREFUSED",
      42,
      {},
      new Error("boom"),
      new TypeError("Cannot read properties of undefined"),
      withCode("23505", "duplicate key value violates unique constraint"),
      withCode("23503"),
      withCode("42P01", 'relation "x" does not exist'),
      withCode("40001", "could not serialize access"),
      withCode("57014", "canceling statement due to statement timeout"),
      withCode("28P01", "password authentication failed"),
      withCode("ENOENT"),
      wrapped(withCode("23505")),
      new Error("Transaction is closed"),
      Object.assign(new Error("x"), { code: 8001 }),
    ];
    for (const error of notUnavailable) expect(isDatabaseUnavailable(error), String(error)).toBe(false);
  });

  it("survives cause cycles and very deep chains", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
    let deep: unknown = withCode("ECONNREFUSED");
    for (let i = 0; i < 100; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(() => isDatabaseUnavailable(deep)).not.toThrow();
  });
});
