// Issue 14, part 7: the README's nginx configuration (docs/nginx/shequ.conf) in front of the
// production server. A repeated public read is answered from nginx's cache, If-None-Match included;
// a signed-in or token-bearing read of the same URL goes to the app and is not kept; pages are
// never kept.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { root, signIn, startAppServer, type AppServer, startDemoPostgres } from "./app-server";
import { freePort, type PostgresInstance } from "./postgres-instance";

const NGINX = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
const SAMPLE = path.join(root, "docs/nginx/shequ.conf");
const SEARCH = "/api/v1/services?lat=36.666&lng=117.042&limit=3";

let pg: PostgresInstance;
let app: AppServer;
let nginx: ChildProcess | undefined;
let nginxOutput = "";
let proxy = "";
let folder = "";

/** The sample as it is, with the app's port, a free port to listen on and a folder of its own. */
function nginxConfig(appPort: string, listenPort: number) {
  const sample = readFileSync(SAMPLE, "utf8");
  const site = sample
    .replace("server 127.0.0.1:3000;", `server 127.0.0.1:${appPort};`)
    .replace("listen 80;", `listen 127.0.0.1:${listenPort};`)
    .replace("/var/cache/nginx/shequ", path.join(folder, "cache"));
  // each replacement must have found its text, or the test would run another configuration
  expect(
    site.match(new RegExp(`127\\.0\\.0\\.1:${appPort}|127\\.0\\.0\\.1:${listenPort}|${folder}`, "g")),
  ).toHaveLength(3);
  writeFileSync(path.join(folder, "shequ.conf"), site);
  const temp = (name: string) => path.join(folder, name);
  return `
    daemon off;
    master_process off;
    pid ${temp("nginx.pid")};
    error_log ${temp("error.log")} warn;
    events { worker_connections 256; }
    http {
      access_log off;
      client_body_temp_path ${temp("body")};
      proxy_temp_path ${temp("proxy")};
      fastcgi_temp_path ${temp("fastcgi")};
      uwsgi_temp_path ${temp("uwsgi")};
      scgi_temp_path ${temp("scgi")};
      include ${temp("shequ.conf")};
    }
  `;
}

beforeAll(async () => {
  ({ pg } = await startDemoPostgres());
  app = await startAppServer(pg.url("shequ"), { TRUST_PROXY: "loopback" });

  folder = mkdtempSync(path.join(tmpdir(), "shequ-nginx-"));
  mkdirSync(path.join(folder, "cache"));
  const port = await freePort();
  writeFileSync(path.join(folder, "nginx.conf"), nginxConfig(new URL(app.baseUrl).port, port));
  nginx = spawn(NGINX, ["-p", folder, "-e", path.join(folder, "error.log"), "-c", path.join(folder, "nginx.conf")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  nginx.stdout!.on("data", (chunk: Buffer) => (nginxOutput += chunk.toString()));
  nginx.stderr!.on("data", (chunk: Buffer) => (nginxOutput += chunk.toString()));
  const exited = new Promise<string>((resolve) => nginx!.once("exit", (code) => resolve(`nginx exited (${code})`)));
  nginx.once("error", (error) => {
    nginxOutput += `${error} (install nginx: apt-get install nginx, or set NGINX_BIN)`;
  });
  proxy = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`${proxy}/healthz/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    const gone = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (gone || Date.now() > deadline) {
      throw new Error(`${gone ?? "nginx did not answer within 10 s"}:\n${nginxOutput}`);
    }
  }
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const gone = new Promise((resolve) => nginx!.once("exit", resolve));
    nginx.kill("SIGQUIT");
    await gone;
  }
  await app?.stop();
  pg?.destroy();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function read(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(proxy + url, { headers, redirect: "manual" });
  return {
    status: response.status,
    cache: response.headers.get("X-Cache-Status"),
    cacheControl: response.headers.get("Cache-Control"),
    etag: response.headers.get("ETag"),
    body: await response.text(),
  };
}

describe("nginx with the README's configuration, in front of the app server", () => {
  it("answers a repeated public API read from its cache, and a matching If-None-Match with 304", async () => {
    const first = await read(SEARCH);
    expect(first.status, first.body.slice(0, 200)).toBe(200);
    expect(first.cache).toBe("MISS");
    expect(first.cacheControl).toMatch(/^public, .*s-maxage=\d+/);
    expect(JSON.parse(first.body).services.length).toBeGreaterThan(0);

    const second = await read(SEARCH);
    expect(second.cache).toBe("HIT");
    expect(second.body).toBe(first.body);

    const conditional = await read(SEARCH, { "If-None-Match": first.etag! });
    expect(conditional.status).toBe(304);
    expect(conditional.cache).toBe("HIT");
    expect(conditional.body).toBe("");

    const boundary = "/api/v1/regions/370102/boundary";
    expect((await read(boundary)).cache).toBe("MISS");
    expect((await read(boundary)).cache).toBe("HIT");
  });

  it("sends a signed-in or token-bearing read to the app and keeps none of it", async () => {
    const url = `${SEARCH}&category=elderly_care`;
    const cookie = await signIn(app.baseUrl, "jiefangqiao");
    const personalHeaders: Array<Record<string, string>> = [
      { Cookie: cookie },
      { Authorization: "Bearer shq_not-a-token" },
    ];
    for (const headers of personalHeaders) {
      for (let i = 0; i < 2; i++) {
        const personal = await read(url, headers);
        expect(personal.status).toBe(200);
        expect(personal.cache).toBe("BYPASS");
        expect(personal.cacheControl).toBe("private, no-store");
        expect(personal.etag).toBeNull();
      }
    }
    // nothing of those was stored: the first anonymous read of that URL is the cache's first
    expect((await read(url)).cache).toBe("MISS");
    const again = await read(url);
    expect(again.cache).toBe("HIT");
    // and a stored public answer is not what a signed-in reader gets
    const signedIn = await read(url, { Cookie: cookie });
    expect(signedIn.cache).toBe("BYPASS");
    expect(signedIn.cacheControl).toBe("private, no-store");
  });

  it("never keeps a page", async () => {
    for (const url of ["/", "/coverage/37", `/services/${await aServiceId()}`]) {
      for (let i = 0; i < 2; i++) {
        const page = await read(url);
        expect(page.status, url).toBe(200);
        expect(page.cache, url).toBe("MISS");
        expect(page.cacheControl, url).toBe("private, no-cache");
      }
    }
  });
});

async function aServiceId() {
  const { services } = JSON.parse((await read(SEARCH)).body) as { services: Array<{ id: string }> };
  return services[0].id;
}
