// The app server's own answers (app/server/app.ts): health, load shedding, deadlines, input
// limits, and 503 when the database is away. Remix is replaced by a small handler whose paths
// behave as routes do; the session, origin and database hooks are the real ones.
import http from "node:http";
import type { AddressInfo } from "node:net";

import { refreshSessionCookie } from "~/domains/accounts/auth.server";
import { createApp, type AppHooks } from "~/server/app";
import { isCrossSiteMutation } from "~/utils/request.server";

import { isDatabaseUnavailable } from "../../db/errors.server";
import { checkDatabase } from "../../db/health.server";
import { server as outsideServices } from "../mocks/server";

type Handler = AppHooks["handleRequest"];

const waiting: Array<() => void> = [];
const releaseAll = () => waiting.splice(0).forEach((resolve) => resolve());
const received: { bodies: string[] } = { bodies: [] };

const routes: Handler = async (request, context) => {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/echo":
    case "/api/echo": {
      const body = await request.text();
      received.bodies.push(body);
      return new Response(JSON.stringify({ body, cookie: request.headers.get("Cookie") }), {
        headers: { "Content-Type": "application/json" },
      });
    }
    case "/wait":
      await new Promise<void>((resolve) => waiting.push(resolve));
      return new Response("done");
    case "/hang":
    case "/api/hang":
      await new Promise(() => {});
      return new Response("never");
    case "/db-down":
    case "/api/db-down": {
      // what entry.server's handleError does when a loader's query cannot reach the database
      if (context.requestState) context.requestState.databaseUnavailable = true;
      return new Response("Unexpected Server Error", { status: 500 });
    }
    case "/api/boom":
      return new Response("Unexpected Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
    case "/import":
    case "/manage/import": {
      const form = await request.formData();
      return new Response(`fields ${[...form.keys()].length}`);
    }
    default:
      return new Response("<!DOCTYPE html><p>not found</p>", { status: 404, headers: { "Content-Type": "text/html" } });
  }
};

const realHooks: Omit<AppHooks, "handleRequest"> = {
  checkDatabase,
  isDatabaseUnavailable,
  isCrossSiteMutation,
  refreshSessionCookie,
};

async function serve(
  hooks: Partial<AppHooks> = {},
  options: {
    maxInFlight?: number;
    maxInFlightPages?: number;
    pageQueueLength?: number;
    pageQueueWaitMs?: number;
    deadlineMs?: number;
  } = {},
) {
  const app = createApp(
    { ...realHooks, handleRequest: routes, ...hooks },
    {
      maxInFlight: options.maxInFlight ?? 16,
      maxInFlightPages: options.maxInFlightPages ?? 16,
      pageQueueLength: options.pageQueueLength,
      pageQueueWaitMs: options.pageQueueWaitMs,
      deadlineMs: options.deadlineMs ?? 5000,
      staticFiles: false,
    },
  );
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    server,
  };
}

let app: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  // these requests go to our own server on loopback: msw (which buffers request bodies) stays out
  outsideServices.close();
  app = await serve();
});
afterAll(async () => {
  app.server.closeAllConnections();
  await app.close();
});

describe("health", () => {
  it("live answers from the process alone; ready and /healthz from the database", async () => {
    expect(await (await fetch(`${app.base}/healthz/live`)).json()).toMatchObject({ ok: true });
    const ready = await fetch(`${app.base}/healthz/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, migrations: expect.any(Number) });
    expect(await (await fetch(`${app.base}/healthz`)).json()).toMatchObject({
      ok: true,
      migrations: expect.any(Number),
    });
  });

  it("ready names the cause when the database is away, with 503", async () => {
    const down = await serve({
      checkDatabase: async () => ({ ok: false, db: "postgres", cause: "refused", error: "ECONNREFUSED: connect" }),
    });
    try {
      const response = await fetch(`${down.base}/healthz/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("5");
      expect(await response.json()).toEqual({
        ok: false,
        db: "postgres",
        cause: "refused",
        error: "ECONNREFUSED: connect",
      });
      const legacy = await fetch(`${down.base}/healthz`);
      expect(await legacy.json()).toEqual({
        ok: false,
        db: "postgres",
        error: "database unreachable: ECONNREFUSED: connect",
      });
    } finally {
      await down.close();
    }
  });
});

describe("load shedding", () => {
  it("answers 503 with Retry-After past the cap, keeps health answering, and recovers", async () => {
    const small = await serve({}, { maxInFlight: 2 });
    try {
      const held = [fetch(`${small.base}/wait`), fetch(`${small.base}/wait`)];
      // both are being worked on (a loaded machine may take a while to deliver them)
      while (waiting.length < 2) await new Promise((r) => setTimeout(r, 10));
      const shed = await fetch(`${small.base}/api/echo`);
      expect(shed.status).toBe(503);
      expect(shed.headers.get("Retry-After")).toBeTruthy();
      expect(await shed.json()).toEqual({ error: expect.stringMatching(/busy/) });
      const page = await fetch(`${small.base}/anything`);
      expect(page.status).toBe(503);
      expect(page.headers.get("Content-Type")).toMatch(/html/);
      expect((await fetch(`${small.base}/healthz/live`)).status).toBe(200);
      // the two waiting requests hold the cap until answered
      releaseAll();
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
      // the server counts a request done when its answer is flushed, a moment after the client has it
      expect(await eventually(async () => (await fetch(`${small.base}/api/echo`)).status)).toBe(200);
    } finally {
      await small.close();
    }
  });

  it("pages have a smaller cap of their own within the whole; the API still answers", async () => {
    const small = await serve({}, { maxInFlight: 4, maxInFlightPages: 1 });
    try {
      const held = fetch(`${small.base}/wait`);
      while (waiting.length < 1) await new Promise((r) => setTimeout(r, 10));
      const page = await fetch(`${small.base}/echo`);
      expect(page.status).toBe(503);
      expect(page.headers.get("Retry-After")).toBe("2");
      expect(await page.text()).toContain("访问的人太多了");
      const api = await fetch(`${small.base}/api/echo`);
      expect(api.status).toBe(200);
      releaseAll();
      expect((await held).status).toBe(200);
      expect(await eventually(async () => (await fetch(`${small.base}/echo`)).status)).toBe(200);
    } finally {
      await small.close();
    }
  });

  it("a page past the cap waits its turn in a short queue; past the queue or the wait, 503", async () => {
    const small = await serve({}, { maxInFlight: 8, maxInFlightPages: 1, pageQueueLength: 1, pageQueueWaitMs: 300 });
    try {
      const first = fetch(`${small.base}/wait`);
      while (waiting.length < 1) await new Promise((r) => setTimeout(r, 10));
      const queued = fetch(`${small.base}/echo`);
      await new Promise((r) => setTimeout(r, 50));
      // the queue holds one: the next is refused at once
      const started = Date.now();
      const refused = await fetch(`${small.base}/echo`);
      expect(refused.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(200);
      // the queued page goes when the running one is answered
      releaseAll();
      expect((await first).status).toBe(200);
      expect((await queued).status).toBe(200);

      // a queued page whose turn does not come within the wait is refused then
      const held = fetch(`${small.base}/wait`);
      while (waiting.length < 1) await new Promise((r) => setTimeout(r, 10));
      const waitedAt = Date.now();
      const tooLate = await fetch(`${small.base}/echo`);
      expect(tooLate.status).toBe(503);
      expect(Date.now() - waitedAt).toBeGreaterThanOrEqual(280);
      releaseAll();
      expect((await held).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it("gives a request that is not answered in time a 503 instead of waiting", async () => {
    const quick = await serve({}, { deadlineMs: 300 });
    try {
      const started = Date.now();
      const response = await fetch(`${quick.base}/hang`);
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      quick.server.closeAllConnections();
      await quick.close();
    }
  });
});

describe("the database away", () => {
  it("a query that cannot reach the database gives 503 + Retry-After: JSON on the API, a page elsewhere", async () => {
    const api = await fetch(`${app.base}/api/db-down`);
    expect(api.status).toBe(503);
    expect(api.headers.get("Retry-After")).toBe("5");
    expect(await api.json()).toEqual({ error: expect.stringMatching(/unavailable/) });
    const page = await fetch(`${app.base}/db-down`);
    expect(page.status).toBe(503);
    expect(page.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("服务暂时不可用");
  });

  it("a session lookup that cannot reach the database gives 503, not express's HTML 500", async () => {
    const failing = await serve({
      refreshSessionCookie: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
      },
    });
    try {
      const response = await fetch(`${failing.base}/api/echo`, { headers: { Cookie: "shequ_session=abc" } });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    } finally {
      await failing.close();
    }
  });

  it("API errors are JSON: an unknown path 404, a thrown error 500", async () => {
    const unknown = await fetch(`${app.base}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "not found" });
    const boom = await fetch(`${app.base}/api/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: "internal server error" });
  });
});

describe("hostile input", () => {
  it("ignores a malformed cookie instead of failing every page", async () => {
    const response = await fetch(`${app.base}/api/echo`, { headers: { Cookie: "x=%zz; shequ_locale=en" } });
    expect(response.status).toBe(200);
    expect((await response.json()).cookie).toBe("shequ_locale=en");
  });

  it("a malformed % escape in the path or query is 400 (JSON on the API)", async () => {
    const api = await fetch(`${app.base}/api/v1/regions/%zz`);
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ fields: { path: expect.any(String) } });
    const query = await fetch(`${app.base}/echo?q=%E0%A4%A`);
    expect(query.status).toBe(400);
    expect(await query.text()).toContain("q");
  });

  it("refuses NUL and unpaired surrogates, naming the field", async () => {
    const inQuery = await fetch(`${app.base}/api/echo?q=a%00b`);
    expect(inQuery.status).toBe(400);
    expect(await inQuery.json()).toMatchObject({ fields: { q: expect.stringMatching(/NUL/) } });

    const inPath = await fetch(`${app.base}/api/v1/facilities/abc%00`);
    expect(inPath.status).toBe(400);

    const inForm = await fetch(`${app.base}/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=ok&address=a%00b",
    });
    expect(inForm.status).toBe(400);
    expect(await inForm.text()).toContain("address");

    const surrogateInForm = await fetch(`${app.base}/api/echo`.replace("/api", ""), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=%ED%A0%80",
    });
    expect(surrogateInForm.status).toBe(400);

    const inJson = await fetch(`${app.base}/api/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"name":"ok","eligibility":{"text":"a\\u0000"}}',
    });
    expect(inJson.status).toBe(400);
    expect(await inJson.json()).toMatchObject({ fields: { "eligibility.text": expect.stringMatching(/NUL/) } });

    const surrogateInJson = await fetch(`${app.base}/api/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"name":"\\ud800"}',
    });
    expect(surrogateInJson.status).toBe(400);
    expect(await surrogateInJson.json()).toMatchObject({ fields: { name: expect.stringMatching(/surrogate/) } });

    // a clean body passes unchanged
    const clean = await fetch(`${app.base}/api/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"name":"日间照料中心 😀"}',
    });
    expect(clean.status).toBe(200);
    expect((await clean.json()).body).toBe('{"name":"日间照料中心 😀"}');
  });

  it("the wrong content type is 415", async () => {
    const jsonToForm = await fetch(`${app.base}/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(jsonToForm.status).toBe(415);
    const textToApi = await fetch(`${app.base}/api/echo`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "hello",
    });
    expect(textToApi.status).toBe(415);
    expect(await textToApi.json()).toEqual({ error: expect.stringMatching(/application\/json/) });
  });

  it("refuses a declared body over the limit at once, without reading it", async () => {
    received.bodies = [];
    const response = await fetch(`${app.base}/api/echo`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/larger than 1 MB/) });
    expect(received.bodies).toEqual([]);
  });

  it("stops a streamed 300 MB upload at the limit with 413, having read only about the limit", async () => {
    const { status, sent } = await streamUpload(`${app.base}/manage/import`, 300 * 1024 * 1024);
    expect(status).toBe(413);
    // what the client got onto the wire before the server closed: the limit plus socket buffers
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("the import's own limit lets a 2 MB upload through", async () => {
    const form = new FormData();
    form.set("file", new Blob(["a".repeat(2 * 1024 * 1024)]), "listings.csv");
    const response = await fetch(`${app.base}/manage/import`, { method: "POST", body: form });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("fields 1");
  });
});

/** The status `ask` gives, asked again for up to a second while it is 503. */
async function eventually(ask: () => Promise<number>) {
  const deadline = Date.now() + 1000;
  let status = await ask();
  while (status === 503 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    status = await ask();
  }
  return status;
}

/** A chunked multipart POST of `total` bytes, written as fast as the server reads them. */
function streamUpload(url: string, total: number) {
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    const boundary = "----shequtest";
    const request = http.request(url, {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked" },
    });
    let sent = 0;
    let status = 0;
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    request.on("response", (response) => {
      status = response.statusCode ?? 0;
      response.resume();
      response.on("end", () => resolve({ status, sent }));
    });
    request.on("error", (error) => (status ? resolve({ status, sent }) : reject(error)));
    request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n`);
    const pump = () => {
      while (sent < total && !status) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!status) request.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

describe("a change past its deadline", () => {
  it("says the outcome is unknown rather than inviting a second submission, after a longer wait", async () => {
    const quick = await serve({}, { deadlineMs: 200 });
    try {
      const started = Date.now();
      const response = await fetch(`${quick.base}/api/hang`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/may or may not have been saved/) });
    } finally {
      quick.server.closeAllConnections();
      await quick.close();
    }
  });
});

describe("moved URLs", () => {
  it("the living circle's old access URLs redirect to their new names, query string kept", async () => {
    const cases = [
      ["/admin/access", 301, "/admin/living-circle"],
      [
        "/dashboard/370102/access?measure=health&villages=1",
        301,
        "/dashboard/370102/living-circle?measure=health&villages=1",
      ],
      ["/dashboard/3701/access.csv?measure=culture", 301, "/dashboard/3701/living-circle.csv?measure=culture"],
      ["/dashboard/37/access.geojson", 301, "/dashboard/37/living-circle.geojson"],
    ] as const;
    for (const [from, status, to] of cases) {
      const response = await fetch(`${app.base}${from}`, { redirect: "manual" });
      expect(response.status, from).toBe(status);
      expect(response.headers.get("Location"), from).toBe(to);
    }
    const post = await fetch(`${app.base}/admin/access`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.base },
      body: "measure=health&metres=900",
    });
    expect(post.status).toBe(308);
    expect(post.headers.get("Location")).toBe("/admin/living-circle");
  });

  it("other URLs that merely contain the word are not moved", async () => {
    for (const path of ["/admin/accessible", "/dashboard/370102/access/extra", "/api/v1/access"]) {
      const response = await fetch(`${app.base}${path}`, { redirect: "manual" });
      expect(response.status, path).not.toBe(301);
    }
  });
});
