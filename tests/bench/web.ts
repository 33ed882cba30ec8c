// The weight and speed of the public pages as a phone gets them: the production build on a fresh
// embedded database with the demo data, then for `/`, a results page, a service page and
// `/coverage/37`:
//   - HTML: the document's body as the server sends it to a browser asking for gzip;
//   - JS before the map: every script the page requests before the first script of a map (a
//     chunk holding Leaflet or one of components/*-map.client.tsx), summed at their gzipped size
//     (gzip -6 of the file, as the server compresses it); on a page without a map, all its scripts;
//   - catalogue: the page's language's messages, a JSON file fetched beside the scripts (root.tsx
//     preloads it), printed apart from the JS as transferred;
//   - Lighthouse 12 (Debian's chromium, headless), mobile with its simulated throttling, the
//     performance and SEO categories: performance score, Total Blocking Time, Cumulative Layout
//     Shift, SEO score. Each page BENCH_RUNS times (3), the median printed.
// Outside hosts (map tiles, Tianditu, OpenStreetMap) are blocked: there is no internet here. The
// last run's Lighthouse report of each page is kept in .cache/bench-web/.
// The machine is shared and Lighthouse's CPU benchmark index moves between runs: compare pages
// within one run. Prints the figures, the goals and whether each is met.
//
//   npm run bench:web
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { freePort } from "../fault/postgres-instance";
import { ensurePgliteTemplate, root, runSetup } from "../setup/global-setup";
import { stopServer, waitForHealth } from "./app-server";

const RUNS = Number(process.env.BENCH_RUNS || 3);
const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const BLOCKED = ["*openstreetmap.org*", "*tianditu.gov.cn*", "*tianditu.com*"];
const GOALS = { htmlKb: 15, jsKb: 110, performance: 0.95, tbtMs: 200, cls: 0.05, seo: 1 };

const log = (line: string) => console.log(line);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const built = path.join(root, "build/index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(path.join(root, "app"))) return;
  log("building the app (npm run build)");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

function get(port: number, urlPath: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: "127.0.0.1", port, path: urlPath, headers: { "Accept-Encoding": "gzip" } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks);
          if (response.headers["content-encoding"] !== "gzip") {
            reject(new Error(`${urlPath}: not compressed (${response.headers["content-encoding"] ?? "identity"})`));
          } else resolve({ status: response.statusCode ?? 0, body });
        });
        response.on("error", reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error(`timeout: ${urlPath}`)));
    request.on("error", reject);
  });
}

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "app/server.ts")], {
    cwd: root,
    env: {
      ...process.env,
      PGLITE_DATA_DIR: dataDir,
      DATABASE_URL: "",
      NODE_ENV: "production",
      PORT: String(port),
      COOKIE_SECURE: "false",
      MOCKS: "false",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForHealth(server, port, 120_000);
  return server;
}

/** a file of the build by its URL, gzipped as the server sends it */
const gzippedSize = (url: string) => gzipSync(readFileSync(path.join(root, "public", new URL(url).pathname))).length;

/** a map's code: Leaflet itself, or one of the map components' own chunks */
function isMapScript(url: string) {
  const file = path.join(root, "public", new URL(url).pathname);
  if (/-map\.client-[A-Z0-9]+\.js$/.test(file)) return true;
  return existsSync(file) && readFileSync(file, "utf8").includes("leaflet-container");
}

type NetworkItem = {
  url: string;
  resourceType?: string;
  networkRequestTime?: number;
  startTime?: number;
  transferSize?: number;
};
type PageRun = {
  performance: number;
  tbt: number;
  cls: number;
  seo: number;
  jsBeforeMap: number;
  /** the page's message catalogue, JSON data fetched beside the scripts (not counted as JS) */
  catalogue: number;
  mapLoaded: boolean;
  seoFailures: string[];
  benchmarkIndex: number;
};

const REPORTS = path.join(root, ".cache/bench-web");

async function lighthouseRun(url: string, port: number, name: string): Promise<PageRun> {
  const result = await lighthouse(
    url,
    { port, output: "json", logLevel: "error", onlyCategories: ["performance", "seo"] },
    { extends: "lighthouse:default", settings: { blockedUrlPatterns: BLOCKED } },
  );
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
  // the last run's full report, for the details (open it at https://googlechrome.github.io/lighthouse/viewer/)
  mkdirSync(REPORTS, { recursive: true });
  writeFileSync(path.join(REPORTS, `${name.replace(/[^\w]+/g, "_")}.json`), JSON.stringify(lhr));
  const items = ((lhr.audits["network-requests"]?.details as { items?: NetworkItem[] } | undefined)?.items ??
    []) as NetworkItem[];
  const started = (i: NetworkItem) => i.networkRequestTime ?? i.startTime ?? 0;
  const scripts = items
    .filter((i) => i.resourceType === "Script" && new URL(i.url).origin === new URL(url).origin)
    .sort((a, b) => started(a) - started(b));
  const firstMap = scripts.find((i) => isMapScript(i.url));
  const before = firstMap ? scripts.filter((i) => started(i) < started(firstMap)) : scripts;
  const seoFailures = Object.values(lhr.audits)
    .filter((a) => lhr.categories.seo.auditRefs.some((r) => r.id === a.id && r.weight > 0) && a.score === 0)
    .map((a) => a.id);
  return {
    performance: lhr.categories.performance.score ?? 0,
    tbt: lhr.audits["total-blocking-time"]?.numericValue ?? NaN,
    cls: lhr.audits["cumulative-layout-shift"]?.numericValue ?? NaN,
    seo: lhr.categories.seo.score ?? 0,
    jsBeforeMap: new Set(before.map((i) => i.url)).size
      ? [...new Set(before.map((i) => i.url))].reduce((sum, u) => sum + gzippedSize(u), 0)
      : 0,
    catalogue: items
      .filter((i) => new URL(i.url).origin === new URL(url).origin && new URL(i.url).pathname.startsWith("/locales/"))
      .reduce((sum, i) => sum + (i.transferSize ?? 0), 0),
    mapLoaded: firstMap !== undefined,
    seoFailures,
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

async function main() {
  ensureBuild();
  const dataDir = path.join(root, ".cache/bench-web-db");
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(ensurePgliteTemplate(), dataDir, { recursive: true });
  log("demo data on a fresh embedded database");
  runSetup({ PGLITE_DATA_DIR: dataDir, DATABASE_URL: "" }, ["--demo"]);

  const port = await freePort();
  const server = await startServer(port, dataDir);
  const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: CHROME_FLAGS });
  try {
    const base = `http://127.0.0.1:${port}`;
    // a results page as the residents' form makes it, at a point in Jinan with elderly care near
    const results = "/?category=elderly_care&radius=3000&lat=36.6512&lng=117.1201";
    const api = (await (
      await fetch(`${base}/api/v1/services?lat=36.6512&lng=117.1201&category=elderly_care&limit=1`)
    ).json()) as { services: Array<{ id: string }> };
    const serviceId = api.services[0]?.id;
    if (!serviceId) throw new Error("no demo service found near the results page's point");
    const pages = [
      { name: "/", path: "/" },
      { name: "results", path: results },
      { name: "/services/:id", path: `/services/${serviceId}` },
      { name: "/coverage/37", path: "/coverage/37" },
    ];
    // the first request of a new database is slow (PGlite warms up): not the page's weight
    for (const page of pages) await get(port, page.path);

    const rows: Array<{ name: string; html: number } & Omit<PageRun, "seoFailures"> & { seoFailures: string[] }> = [];
    for (const page of pages) {
      const { status, body } = await get(port, page.path);
      if (status !== 200) throw new Error(`${page.path}: status ${status}`);
      const runs: PageRun[] = [];
      for (let i = 0; i < RUNS; i++) {
        log(`lighthouse ${page.name} (${i + 1}/${RUNS})`);
        // Lighthouse sometimes loses its trace on this machine (NO_NAVSTART): that run again, twice at most
        for (let attempt = 1; ; attempt++) {
          try {
            runs.push(await lighthouseRun(base + page.path, chrome.port, page.name));
            break;
          } catch (error) {
            if (attempt === 3) throw error;
            log(`  again: ${(error as Error).message}`);
          }
        }
      }
      rows.push({
        name: page.name,
        html: body.length,
        performance: median(runs.map((r) => r.performance)),
        tbt: median(runs.map((r) => r.tbt)),
        cls: median(runs.map((r) => r.cls)),
        seo: median(runs.map((r) => r.seo)),
        jsBeforeMap: median(runs.map((r) => r.jsBeforeMap)),
        catalogue: median(runs.map((r) => r.catalogue)),
        mapLoaded: runs.every((r) => r.mapLoaded),
        seoFailures: [...new Set(runs.flatMap((r) => r.seoFailures))],
        benchmarkIndex: median(runs.map((r) => r.benchmarkIndex)),
      });
    }

    const mark = (ok: boolean) => (ok ? "met" : "MISSED");
    log("");
    log(`Lighthouse ${RUNS} runs a page, median; mobile, simulated throttling; ${results} is "results"`);
    log("page            HTML gz    JS before map  catalogue   performance   TBT        CLS     SEO   (CPU index)");
    for (const r of rows) {
      log(
        [
          r.name.padEnd(15),
          kb(r.html).padStart(8),
          `${kb(r.jsBeforeMap)}${r.mapLoaded ? "" : "*"}`.padStart(14),
          kb(r.catalogue).padStart(10),
          r.performance.toFixed(2).padStart(13),
          `${Math.round(r.tbt)} ms`.padStart(9),
          r.cls.toFixed(3).padStart(9),
          r.seo.toFixed(2).padStart(6),
          `  (${Math.round(r.benchmarkIndex)})`,
        ].join(" "),
      );
    }
    if (rows.some((r) => !r.mapLoaded))
      log("* the map's code was not requested during the run: all the page's scripts");
    log("catalogue: the page's language's messages, JSON fetched beside the scripts, as transferred (gzip)");
    log("");
    log(
      `goals: HTML <= ${GOALS.htmlKb} KB, JS before the map <= ${GOALS.jsKb} KB, performance >= ${GOALS.performance}, TBT <= ${GOALS.tbtMs} ms, CLS <= ${GOALS.cls}, SEO ${GOALS.seo.toFixed(1)}`,
    );
    for (const r of rows) {
      const verdicts = [
        `HTML ${mark(r.html <= GOALS.htmlKb * 1024)}`,
        `JS ${mark(r.jsBeforeMap <= GOALS.jsKb * 1024)}`,
        `performance ${mark(r.performance >= GOALS.performance)}`,
        `TBT ${mark(r.tbt <= GOALS.tbtMs)}`,
        `CLS ${mark(r.cls <= GOALS.cls)}`,
        `SEO ${mark(r.seo >= GOALS.seo)}${r.seoFailures.length ? ` (failed: ${r.seoFailures.join(", ")})` : ""}`,
      ];
      log(`${r.name.padEnd(15)} ${verdicts.join(", ")}`);
    }
  } finally {
    chrome.kill();
    await stopServer(server);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
