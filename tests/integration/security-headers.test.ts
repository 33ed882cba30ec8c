// The app server's security headers (app/server/security-headers.ts): mounted in a small express
// app whose routes set their own Cache-Control in every way a route can, and through createApp,
// whose Remix handler must get the same nonce the CSP header names.
import express from "express";
import type http from "node:http";
import type { AddressInfo } from "node:net";

import { SESSION_COOKIE } from "~/domains/accounts/auth.server";
import { createApp, type AppHooks } from "~/server/app";
import {
  PERMISSIONS_POLICY,
  SESSION_COOKIE_NAME,
  securityHeaders,
  tileImageSource,
  type SecurityHeadersOptions,
} from "~/server/security-headers";

import { server as outsideServices } from "../mocks/server";

const OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

async function listen(app: Pick<express.Express, "listen">) {
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A tiny app: the security headers, then routes that set Cache-Control as routes do. */
function tinyApp(options: SecurityHeadersOptions = { mode: "production", tileUrl: OSM }) {
  const app = express();
  for (const handler of securityHeaders(options)) app.use(handler);
  app.get("/nonce", (_req, res) => {
    res.json({ nonce: res.locals.cspNonce });
  });
  // a public page that says it may be cached by anyone
  app.get("/public", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.setHeader("Expires", new Date(Date.now() + 3_600_000).toUTCString());
    res.send("the same for everyone");
  });
  // headers handed straight to writeHead, as a low-level handler would
  app.get("/write-head", (_req, res) => {
    res.writeHead(200, { "Cache-Control": "public, max-age=600", "Content-Type": "text/plain" });
    res.end("raw");
  });
  app.get("/write-head-reason", (_req, res) => {
    res.writeHead(200, "Fine", ["Cache-Control", "public, max-age=600", "X-Two", "a", "X-Two", "b"]);
    res.end("raw");
  });
  // a secret on a page that asks for caching (as a careless loader might)
  app.get(["/account", "/admin/users/:id"], (_req, res) => {
    res.setHeader("Cache-Control", "private, max-age=60");
    res.send("shq_secret-token");
  });
  app.post("/login", (_req, res) => {
    res.setHeader("Set-Cookie", `${SESSION_COOKIE_NAME}=abc; Path=/; HttpOnly`);
    res.setHeader("Cache-Control", "public, max-age=60");
    res.redirect(303, "/");
  });
  app.get("/build/entry.client-ABC.js", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.type("js").send("export {}");
  });
  return app;
}

const cspOf = (response: Response) => {
  const header = response.headers.get("Content-Security-Policy") ?? "";
  return new Map(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values] as const),
  );
};
const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(cspOf(response).get("script-src")?.join(" ") ?? "")?.[1];

let tiny: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  // requests to our own server on loopback: msw stays out
  outsideServices.close();
  tiny = await listen(tinyApp());
});
afterAll(async () => {
  await tiny.close();
});

const signedIn = { Cookie: `locale=en; ${SESSION_COOKIE_NAME}=some-session-id` };

describe("Content-Security-Policy", () => {
  it("names a fresh nonce on every response, the one the request's handlers see", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${tiny.base}/nonce`);
      const nonce = nonceOf(response);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect((await response.json()) as { nonce: string }).toEqual({ nonce });
      seen.add(nonce!);
    }
    expect(seen.size).toBe(5);
  });

  it("allows scripts from this origin and the nonce only; no frames, plugins, foreign forms or base", async () => {
    const csp = cspOf(await fetch(`${tiny.base}/public`));
    const scripts = csp.get("script-src")!;
    expect(scripts).toHaveLength(2);
    expect(scripts[0]).toBe("'self'");
    expect(scripts[1]).toMatch(/^'nonce-/);
    expect(scripts.join(" ")).not.toMatch(/unsafe/);
    expect(csp.get("script-src-attr")).toEqual(["'none'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    // inline style attributes only; <style> and stylesheets from this origin
    expect(csp.get("style-src-elem")).toEqual(["'self'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "https://tile.openstreetmap.org"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("takes the tile host from MAP_TILE_URL, and lets `remix dev`'s socket connect in development only", async () => {
    const dev = await listen(
      tinyApp({ mode: "development", tileUrl: "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=x&x={x}" }),
    );
    try {
      const csp = cspOf(await fetch(`${dev.base}/public`));
      expect(csp.get("img-src")).toEqual(["'self'", "data:", "https://*.tianditu.gov.cn"]);
      expect(csp.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
    } finally {
      await dev.close();
    }
  });

  it("derives the tile source from the template's host", () => {
    expect(tileImageSource(OSM)).toBe("https://tile.openstreetmap.org");
    expect(tileImageSource("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}{r}.png")).toBe(
      "https://*.tile.openstreetmap.org",
    );
    expect(tileImageSource("http://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}")).toBe(
      "http://*.is.autonavi.com",
    );
    expect(tileImageSource("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png")).toBe(
      "https://tiles.example.org:8443",
    );
    expect(tileImageSource("//Tiles.Example.org/{z}/{x}/{y}.png")).toBe("tiles.example.org");
    expect(tileImageSource("/tiles/{z}/{x}/{y}.png")).toBe("'self'");
    expect(() => tileImageSource("https://{s}.com/{z}/{x}/{y}.png")).toThrow(/MAP_TILE_URL/);
    expect(() => tileImageSource("tiles/{z}/{x}/{y}.png")).toThrow(/MAP_TILE_URL/);
  });
});

describe("other headers", () => {
  it("sends a Permissions-Policy with geolocation for this origin and the rest off", async () => {
    const response = await fetch(`${tiny.base}/public`);
    const policy = response.headers.get("Permissions-Policy");
    expect(policy).toBe(PERMISSIONS_POLICY);
    const features = new Map(policy!.split(",").map((f) => f.trim().split("=") as [string, string]));
    expect(features.get("geolocation")).toBe("(self)");
    for (const off of ["camera", "microphone", "payment", "usb"]) expect(features.get(off)).toBe("()");
    expect([...features].filter(([name, value]) => name !== "geolocation" && value !== "()")).toEqual([]);
  });

  it("keeps helmet's headers, with a same-origin referrer and no framing", async () => {
    const response = await fetch(`${tiny.base}/public`);
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Cross-Origin-Embedder-Policy")).toBeNull();
  });
});

describe("Cache-Control: private, no-store", () => {
  const cacheOf = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${tiny.base}${path}`, { redirect: "manual", ...init });
    await response.arrayBuffer();
    return { cache: response.headers.get("Cache-Control"), expires: response.headers.get("Expires"), response };
  };

  it("leaves a public answer to an anonymous request as the route set it", async () => {
    expect((await cacheOf("/public")).cache).toBe("public, max-age=3600");
    expect((await cacheOf("/write-head")).cache).toBe("public, max-age=600");
  });

  it("wins over the route's own Cache-Control for a request with the session cookie", async () => {
    const { cache, expires } = await cacheOf("/public", { headers: signedIn });
    expect(cache).toBe("private, no-store");
    expect(expires).toBeNull();
  });

  it("wins for a request with an Authorization header (API tokens)", async () => {
    expect((await cacheOf("/public", { headers: { Authorization: "Bearer shq_x" } })).cache).toBe("private, no-store");
  });

  it("wins over headers handed straight to writeHead, keeping the others", async () => {
    expect((await cacheOf("/write-head", { headers: signedIn })).cache).toBe("private, no-store");
    const { cache, response } = await cacheOf("/write-head-reason", { headers: signedIn });
    expect(cache).toBe("private, no-store");
    expect(response.statusText).toBe("Fine");
    expect(response.headers.get("X-Two")).toBe("a, b");
  });

  it("marks the pages that show a secret even without a session cookie", async () => {
    expect((await cacheOf("/account")).cache).toBe("private, no-store");
    expect((await cacheOf("/admin/users/123")).cache).toBe("private, no-store");
    expect((await cacheOf("/account", { headers: signedIn })).cache).toBe("private, no-store");
  });

  it("marks an answer that sets a cookie (signing in)", async () => {
    const { cache, response } = await cacheOf("/login", { method: "POST" });
    expect(response.status).toBe(303);
    expect(cache).toBe("private, no-store");
  });

  it("lets signed-in browsers cache the hashed build files, which are the same for everyone", async () => {
    expect((await cacheOf("/build/entry.client-ABC.js", { headers: signedIn })).cache).toBe(
      "public, max-age=31536000, immutable",
    );
    // a path under /build that is no file is answered by the app, personal again
    expect((await cacheOf("/build/missing.js", { headers: signedIn })).cache).toBe("private, no-store");
  });

  it("looks for the cookie the sessions really use", () => {
    expect(SESSION_COOKIE).toBe(SESSION_COOKIE_NAME);
  });
});

describe("through the app server (createApp)", () => {
  const hooks = (handleRequest: AppHooks["handleRequest"]): AppHooks => ({
    handleRequest,
    checkDatabase: async () => ({ ok: true, db: "test", migrations: 0 }),
    isDatabaseUnavailable: () => false,
    isCrossSiteMutation: () => false,
    refreshSessionCookie: async () => null,
  });

  it("hands Remix the nonce the header names, and a loader's public Cache-Control loses to a session", async () => {
    const app = createApp(
      hooks(
        async (_request, context) =>
          new Response(`<script nonce="${context.cspNonce}"></script>`, {
            headers: { "Content-Type": "text/html", "Cache-Control": "public, max-age=300" },
          }),
      ),
      {
        maxInFlight: 8,
        maxInFlightPages: 8,
        deadlineMs: 5000,
        staticFiles: false,
        securityHeaders: securityHeaders({ mode: "production", tileUrl: OSM }),
      },
    );
    const served = await listen(app);
    try {
      const nonces = [];
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${served.base}/dashboard`, { headers: signedIn });
        const nonce = nonceOf(response);
        expect(await response.text()).toBe(`<script nonce="${nonce}"></script>`);
        expect(response.headers.get("Cache-Control")).toBe("private, no-store");
        nonces.push(nonce);
      }
      expect(nonces[0]).not.toBe(nonces[1]);
      const anonymous = await fetch(`${served.base}/dashboard`);
      await anonymous.text();
      expect(anonymous.headers.get("Cache-Control")).toBe("public, max-age=300");
    } finally {
      await served.close();
    }
  });
});
