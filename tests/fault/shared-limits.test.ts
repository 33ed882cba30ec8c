// Issue 14, part 2: two production app servers on one PostgreSQL database count one budget per
// client, for the public API, the residents' page and sign-in (the counters are rows of
// rate_limits, not each process's memory). And what a limit does while the database is away: the
// residents' page, which needs no database before a search, still serves; the API answers 503.

import { startAppServer, timed, type AppServer, startDemoPostgres } from "./app-server";
import { type PostgresInstance } from "./postgres-instance";

const PER_MINUTE = 6;
const PAIR_FAILURES = 5; // app/utils/rate-limit.server.ts
const POINT = { lat: 36.666, lng: 117.042 };
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "shequ-demo-2022";

let pg: PostgresInstance;
let servers: [AppServer, AppServer];

// each test its own client address (the servers trust X-Forwarded-For from loopback), so that one
// test's spent budget is not the next one's
const from = (address: string) => ({ headers: { "x-forwarded-for": address } });

beforeAll(async () => {
  ({ pg } = await startDemoPostgres());
  const settings = { API_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), TRUST_PROXY: "loopback" };
  servers = await Promise.all([startAppServer(pg.url("shequ"), settings), startAppServer(pg.url("shequ"), settings)]);
});

afterAll(async () => {
  await Promise.all(servers?.map((server) => server.stop()) ?? []);
  pg?.destroy();
});

/** the n-th request goes to one server, the next to the other */
const alternate = (n: number) => servers[n % 2].baseUrl;

describe("two app servers on one database", () => {
  it(`count one public API budget per address: ${PER_MINUTE} requests across both, then 429 with Retry-After on either`, async () => {
    const client = from("198.51.100.1");
    const search = (base: string) => timed(`${base}/api/v1/services?lat=${POINT.lat}&lng=${POINT.lng}&limit=1`, client);
    for (let i = 0; i < PER_MINUTE; i++) {
      const o = await search(alternate(i));
      expect(o.status, `request ${i + 1}: ${o.body.slice(0, 200)}`).toBe(200);
    }
    for (const server of servers) {
      const o = await search(server.baseUrl);
      expect(o.status, o.body.slice(0, 200)).toBe(429);
      expect(JSON.parse(o.body).error).toMatch(/too many requests/);
      expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(o.retryAfter)).toBeLessThanOrEqual(60);
    }
    // another address has its own budget
    const other = await timed(
      `${servers[0].baseUrl}/api/v1/services?lat=${POINT.lat}&lng=${POINT.lng}&limit=1`,
      from("198.51.100.2"),
    );
    expect(other.status).toBe(200);
  });

  it(`count one residents' page budget per address: ${PER_MINUTE} views across both, then 429 on either`, async () => {
    const client = from("198.51.100.3");
    for (let i = 0; i < PER_MINUTE; i++) expect((await timed(`${alternate(i)}/`, client)).status).toBe(200);
    for (const server of servers) {
      const o = await timed(`${server.baseUrl}/`, client);
      expect(o.status).toBe(429);
      expect(o.retryAfter).toMatch(/^\d+$/);
    }
  });

  it(`lock an account at one address after ${PAIR_FAILURES} failures spread across both servers`, async () => {
    const client = from("198.51.100.4");
    const signIn = (base: string, password: string) =>
      timed(`${base}/login`, {
        method: "POST",
        headers: { ...client.headers, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: "jiefangqiao", password }).toString(),
      });
    for (let i = 0; i < PAIR_FAILURES; i++) expect((await signIn(alternate(i), "wrong password")).status).toBe(400);
    for (const server of servers) {
      const refused = await signIn(server.baseUrl, DEMO_PASSWORD);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toMatch(/^\d+$/);
    }
    // the owner, elsewhere, is not locked out
    const owner = await timed(`${servers[1].baseUrl}/login`, {
      method: "POST",
      headers: { "x-forwarded-for": "198.51.100.5", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "jiefangqiao", password: DEMO_PASSWORD }).toString(),
    });
    expect(owner.status).toBe(302);
  });

  it("while the database is stopped, the residents' page still serves (its budget lets it through) and the API answers JSON 503", async () => {
    await pg.stop("fast");
    try {
      const client = from("198.51.100.6");
      const page = await timed(`${servers[0].baseUrl}/`, client);
      expect(page.status, page.body.slice(0, 300)).toBe(200);
      const api = await timed(
        `${servers[1].baseUrl}/api/v1/services?lat=${POINT.lat}&lng=${POINT.lng}&limit=1`,
        client,
      );
      expect(api.status).toBe(503);
      expect(api.contentType).toMatch(/application\/json/);
      expect(api.retryAfter).toMatch(/^\d+$/);
    } finally {
      await pg.start();
    }
  });
});
