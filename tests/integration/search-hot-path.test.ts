// The public search API's hot path (app/server/app.ts, docs/decisions/011) answers exactly as its
// Remix route module does: the same requests go to an app server with the hot path and to one
// where the route module answers them (as Remix would call it), and every answer must match in
// status, headers (but the date and the CSP nonce) and body: valid searches, pages, invalid
// queries, a cached copy (304), a token, and an address over its budget.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

import { refreshSessionCookie } from "~/domains/accounts/auth.server";
import { answerServiceSearch } from "~/domains/search/services-api.server";
import { loader as searchLoader } from "~/routes/api.v1.services";
import { createApp, type AppHooks } from "~/server/app";
import { securityHeaders } from "~/server/security-headers";
import { publicApiRefusal, PUBLIC_API_PER_MINUTE } from "~/utils/api-rate-limit.server";
import { isCrossSiteMutation } from "~/utils/request.server";

import { isDatabaseUnavailable } from "../../db/errors.server";
import { checkDatabase } from "../../db/health.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { server as outsideServices } from "../mocks/server";
import { createTestUser } from "../utils/accounts";

/** Remix's part for this one route: the module's loader, a thrown Response answered as it is */
const routeModule: AppHooks["handleRequest"] = async (request, context) => {
  try {
    return await searchLoader({ request, params: {}, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
};

async function serve(hot: boolean) {
  const app = createApp(
    {
      handleRequest: routeModule,
      checkDatabase,
      isDatabaseUnavailable,
      isCrossSiteMutation,
      refreshSessionCookie,
      ...(hot ? { answerServiceSearch } : {}),
    },
    {
      maxInFlight: 16,
      maxInFlightPages: 4,
      deadlineMs: 5000,
      staticFiles: false,
      // X-Forwarded-For names the client, so that each case has its own budget
      trustProxy: "loopback",
      securityHeaders: securityHeaders({
        mode: "production",
        tileUrl: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      }),
    },
  );
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { port: (server.address() as AddressInfo).port, server };
}

type Answer = { status: number; headers: Record<string, string>; body: string };

function get(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const raw = Buffer.concat(chunks);
          // the framing may differ (a compressed body streamed by the middleware is chunked, the hot
          // path's has a length): what is sent is compared, decoded
          const {
            date: _date,
            "content-security-policy": csp,
            "content-length": _length,
            "transfer-encoding": _chunked,
            ...rest
          } = response.headers;
          const encoding = response.headers["content-encoding"];
          resolve({
            status: response.statusCode ?? 0,
            headers: {
              ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])),
              "content-security-policy": String(csp).replace(/'nonce-[^']+'/, "'nonce-…'"),
            },
            body: (encoding === "gzip"
              ? gunzipSync(raw)
              : encoding === "br"
                ? brotliDecompressSync(raw)
                : raw
            ).toString("utf8"),
          });
        });
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

let hot: Awaited<ReturnType<typeof serve>>;
let remix: Awaited<ReturnType<typeof serve>>;
let address = 0;
/** a client address of its own */
const nextClient = () => `198.51.100.${++address}`;

/** the same request to both servers, from one client address (each answer takes a point of its budget) */
async function both(path: string, headers: Record<string, string> = {}) {
  const client = { "X-Forwarded-For": nextClient(), ...headers };
  const [a, b] = await Promise.all([get(hot.port, path, client), get(remix.port, path, client)]);
  return { hot: a, remix: b };
}

beforeAll(async () => {
  // these requests go to our own servers on loopback: msw stays out
  outsideServices.close();
  const user = await createTestUser({ role: "province_admin", regionCode: "37" });
  for (let i = 0; i < 30; i++) {
    const created = await createFacility({ userId: user.id }, "370102001002", {
      name: `热路径测试站 ${i}`,
      type: "other",
      address: `历下区泉城路 ${i} 号`,
      phone: "0531-86001234",
      openingHours: null,
      lat: 36.6512 + i * 0.0007,
      lng: 117.1201 + (i % 5) * 0.0009,
    });
    await createService({ userId: user.id }, created.id, {
      name: i % 3 ? `助餐 ${i}` : `健康体检 ${i}`,
      category: i % 3 ? "elderly_care" : "health",
      description: "说明",
      residentsOnly: false,
    });
  }
  [hot, remix] = await Promise.all([serve(true), serve(false)]);
});

afterAll(async () => {
  for (const { server } of [hot, remix]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("GET /api/v1/services: the hot path and the route module answer alike", () => {
  it.each([
    ["a search, gzip", "/api/v1/services?lat=36.6512&lng=117.1201&limit=20", { "Accept-Encoding": "gzip" }],
    ["a search, brotli preferred", "/api/v1/services?lat=36.6512&lng=117.1201", { "Accept-Encoding": "gzip, br" }],
    ["a search, no compression", "/api/v1/services?lat=36.6512&lng=117.1201&category=health", {}],
    ["a small page (under the compression threshold)", "/api/v1/services?lat=36.66&lng=117.12&limit=1", {}],
    ["radius, q, openNow", "/api/v1/services?lat=36.6512&lng=117.1201&radius=800&q=%E5%8A%A9%E9%A4%90&openNow=0", {}],
    ["nothing near", "/api/v1/services?lat=37.5&lng=122.0&radius=100", { "Accept-Encoding": "gzip" }],
    ["trailing slash, empty parameters", "/api/v1/services/?lat=36.6512&lng=117.1201&category=&q=", {}],
    ["invalid: no point", "/api/v1/services", {}],
    ["invalid: outside Shandong", "/api/v1/services?lat=39.9&lng=116.4", { "Accept-Encoding": "gzip" }],
    ["invalid: every field", "/api/v1/services?lat=x&lng=200&category=zoo&radius=0&openNow=maybe&limit=500", {}],
    ["invalid: a forged cursor", "/api/v1/services?lat=36.6512&lng=117.1201&cursor=eyJkIjotMX0", {}],
    ["a token (no shared cache)", "/api/v1/services?lat=36.6512&lng=117.1201", { Authorization: "Bearer x" }],
  ])("%s", async (_case, path, headers) => {
    const { hot: a, remix: b } = await both(path, headers);
    expect(a).toEqual(b);
    expect(a.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("pages: the cursor of one answer leads to the same next page on both", async () => {
    const first = await both("/api/v1/services?lat=36.6512&lng=117.1201&limit=7");
    expect(first.hot).toEqual(first.remix);
    const { nextCursor } = JSON.parse(first.hot.body) as { nextCursor: string };
    expect(nextCursor).toBeTruthy();
    const second = await both(`/api/v1/services?lat=36.6512&lng=117.1201&limit=7&cursor=${nextCursor}`);
    expect(second.hot).toEqual(second.remix);
    expect(second.hot.status).toBe(200);
  });

  it("a copy still current: 304 with the entity tag, without a body, on both", async () => {
    const path = "/api/v1/services?lat=36.6512&lng=117.1201&limit=5";
    const { hot: fresh } = await both(path);
    const { hot: a, remix: b } = await both(path, { "If-None-Match": fresh.headers.etag });
    expect(a.status).toBe(304);
    expect(a).toEqual(b);
  });

  it("over the budget: 429 with Retry-After on both", async () => {
    const client = nextClient();
    for (let i = 0; i < PUBLIC_API_PER_MINUTE; i++) await publicApiRefusal(client);
    const path = "/api/v1/services?lat=36.6512&lng=117.1201";
    const [a, b] = await Promise.all(
      [hot, remix].map((s) => get(s.port, path, { "X-Forwarded-For": client, "Accept-Encoding": "gzip" })),
    );
    expect(a.status).toBe(429);
    // the seconds left may tick between the two answers
    const seconds = (answer: Answer) => ({
      ...answer,
      headers: { ...answer.headers, "retry-after": "n" },
      body: answer.body.replace(/\d+ s/, "n s"),
    });
    expect(seconds(a)).toEqual(seconds(b));
    expect(Math.abs(Number(a.headers["retry-after"]) - Number(b.headers["retry-after"]))).toBeLessThanOrEqual(1);
  });

  it("a request with a cookie is left to Remix (its session cookie is refreshed there)", async () => {
    const calls: string[] = [];
    const counting: AppHooks["handleRequest"] = (request, context) => {
      calls.push(new URL(request.url).pathname);
      return routeModule(request, context);
    };
    const app = createApp(
      {
        handleRequest: counting,
        checkDatabase,
        isDatabaseUnavailable,
        isCrossSiteMutation,
        refreshSessionCookie,
        answerServiceSearch,
      },
      { maxInFlight: 4, maxInFlightPages: 4, deadlineMs: 5000, staticFiles: false, trustProxy: "loopback" },
    );
    const server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    try {
      const path = "/api/v1/services?lat=36.6512&lng=117.1201";
      expect((await get(port, path, { "X-Forwarded-For": nextClient() })).status).toBe(200);
      expect(calls).toEqual([]);
      expect((await get(port, path, { "X-Forwarded-For": nextClient(), Cookie: "lang=en" })).status).toBe(200);
      expect(calls).toEqual(["/api/v1/services"]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
