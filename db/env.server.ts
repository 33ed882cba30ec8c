import { availableParallelism } from "node:os";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.
const fields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** a real PostgreSQL + PostGIS server; unset = the embedded PGlite database */
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DATA_DIR: z.string().min(1).default(".data/pglite"),
  /**
   * streaming replicas of DATABASE_URL, comma-separated: residents' search, public coverage and
   * dashboards read from them (docs/decisions/010); ignored on the embedded PGlite
   */
  DATABASE_REPLICA_URL: z
    .string()
    .optional()
    .transform((v) => replicaUrlsOf(v))
    .pipe(z.array(z.string().url("a postgres:// URL, or several separated by commas"))),
  /** a replica further behind the primary than this is skipped until it catches up */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** PostgreSQL pool (DATABASE_URL): connections per app process */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** seconds to establish a connection before the attempt fails (then 503) */
  DB_CONNECT_TIMEOUT_S: z.coerce.number().int().min(1).max(300).default(4),
  /** seconds an unused pooled connection is kept; 0 = forever */
  DB_IDLE_TIMEOUT_S: z.coerce.number().int().min(0).max(86_400).default(60),
  /** seconds after which a pooled connection is replaced (plus up to half again, at random); 0 = never */
  DB_MAX_LIFETIME_S: z.coerce.number().int().min(0).max(604_800).default(1800),
  /**
   * the server cancels a statement running longer than this (statement_timeout); 0 = no limit;
   * unset = 30 s, or none sent through a pooler (set it on the role: docs/decisions/008)
   */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).optional(),
  /** "pgbouncer": DATABASE_URL is PgBouncer in transaction mode (no prepared statements, no startup settings) */
  DB_POOLER: z.enum(["none", "pgbouncer"]).default("none"),
  /** a Leaflet tile template; unset = Tianditu with TIANDITU_KEY, else OpenStreetMap */
  MAP_TILE_URL: z.string().min(1).optional(),
  MAP_TILE_ATTRIBUTION: z
    .string()
    .default('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
  DEMO_PASSWORD: z.string().min(8).default("shequ-demo-2022"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** app processes on PostgreSQL (node's cluster: docs/decisions/009); unset = one per core; PGlite: always 1 */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(1024).optional(),
  /** express "trust proxy": unset = use the socket address; a hop count or a list of proxy addresses */
  TRUST_PROXY: z.string().optional(),
  /** Secure cookies: "auto" = in production builds (browsers accept them on http://localhost) */
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  /** unset = "tianditu" when TIANDITU_KEY is set, else "nominatim" */
  GEOCODER: z.enum(["tianditu", "nominatim", "none"]).optional(),
  TIANDITU_KEY: z.string().optional(),
  /** Tianditu's browser-side key for the map tiles (it is public: Tianditu limits it by domain); unset = TIANDITU_KEY */
  TIANDITU_BROWSER_KEY: z.string().optional(),
  /** the map approval number (审图号) of Tianditu's basemap, shown with it as the law requires */
  TIANDITU_APPROVAL_NUMBER: z.string().optional(),
  TIANDITU_GEOCODER_URL: z.string().url().default("https://api.tianditu.gov.cn/geocoder"),
  NOMINATIM_URL: z.string().url().default("https://nominatim.openstreetmap.org"),
  GEOCODER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  GEOCODER_USER_AGENT: z.string().min(1).default("shequ/0.1 (smart-community services map)"),
  /** requests a client address may make to the public API (residents' search) per minute */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** requests one app process answers at once; past it, 503 with Retry-After at once (load shedding) */
  MAX_IN_FLIGHT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(32),
  /** of those, pages (everything outside /api/, ~10 times an API call's CPU) worked on at once */
  MAX_IN_FLIGHT_PAGES: z.coerce.number().int().min(1).max(10_000).default(4),
  /** pages past that wait in a queue of this length, each for PAGE_QUEUE_WAIT_MS at most; then 503 */
  PAGE_QUEUE_LENGTH: z.coerce.number().int().min(0).max(10_000).default(8),
  PAGE_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(400),
  /** a request not answered by then gets a 503 (the bulk import gets six times as long) */
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** the app server answers outside HTTP services with the tests' msw handlers */
  MOCKS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

export type Basemap = {
  kind: "osm" | "tianditu" | "custom";
  /** drawn in order: Tianditu's vector map, then its annotation (place names) */
  layers: { url: string; subdomains?: string }[];
  attribution: string;
};

const OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const tiandituLayer = (layer: "vec" | "cva", key: string) =>
  `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
  `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`;

/**
 * The maps' basemap: MAP_TILE_URL when set; else Tianditu's vector map and annotation with a
 * Tianditu key (CGCS2000, which our WGS84 points match without the GCJ-02 shift), which needs its
 * approval number (审图号) shown, as maps shown to the public in China must; else OpenStreetMap.
 */
export function basemapFor(e: {
  MAP_TILE_URL?: string;
  MAP_TILE_ATTRIBUTION: string;
  TIANDITU_KEY?: string;
  TIANDITU_BROWSER_KEY?: string;
  TIANDITU_APPROVAL_NUMBER?: string;
}): Basemap | { error: string } {
  if (e.MAP_TILE_URL) return { kind: "custom", layers: [{ url: e.MAP_TILE_URL }], attribution: e.MAP_TILE_ATTRIBUTION };
  const key = e.TIANDITU_BROWSER_KEY ?? e.TIANDITU_KEY;
  if (!key) return { kind: "osm", layers: [{ url: OSM_TILES }], attribution: e.MAP_TILE_ATTRIBUTION };
  if (!e.TIANDITU_APPROVAL_NUMBER?.trim()) {
    return {
      error:
        "TIANDITU_APPROVAL_NUMBER is required with a Tianditu key: a map shown to the public in China shows its approval number (审图号); or set MAP_TILE_URL for another basemap",
    };
  }
  return {
    kind: "tianditu",
    layers: [
      { url: tiandituLayer("vec", key), subdomains: "01234567" },
      { url: tiandituLayer("cva", key), subdomains: "01234567" },
    ],
    attribution: `&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a> · 审图号：${e.TIANDITU_APPROVAL_NUMBER.trim()}`,
  };
}

/**
 * The app processes to run: WEB_CONCURRENCY, else one per core, on PostgreSQL; always one on the
 * embedded PGlite, which one process at a time may open (its data folder is locked).
 */
export function webConcurrencyFor(
  e: { DATABASE_URL?: string; WEB_CONCURRENCY?: number },
  cores = availableParallelism(),
) {
  return e.DATABASE_URL ? (e.WEB_CONCURRENCY ?? cores) : 1;
}

/** DATABASE_REPLICA_URL: one URL or several separated by commas (blanks dropped) */
export function replicaUrlsOf(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter(Boolean);
}

/** the replicas in use: none on the embedded PGlite, which has no replicas */
export const replicaUrlsFor = (e: { DATABASE_URL?: string; DATABASE_REPLICA_URL: string[] }) =>
  e.DATABASE_URL ? e.DATABASE_REPLICA_URL : [];

const schema = fields
  .transform((e) => ({
    ...e,
    /** what was set, to say at start when PGlite ignores it */
    DATABASE_REPLICA_URL_REQUESTED: e.DATABASE_REPLICA_URL,
    DATABASE_REPLICA_URL: replicaUrlsFor(e),
    /** what was asked for (unset = one per core), to say at start when PGlite overrides it */
    WEB_CONCURRENCY_REQUESTED: e.WEB_CONCURRENCY,
    WEB_CONCURRENCY: webConcurrencyFor(e),
    GEOCODER: e.GEOCODER ?? (e.TIANDITU_KEY ? ("tianditu" as const) : ("nominatim" as const)),
    BASEMAP: basemapFor(e),
    DB_STATEMENT_TIMEOUT_MS: e.DB_STATEMENT_TIMEOUT_MS ?? (e.DB_POOLER === "pgbouncer" ? 0 : 30_000),
  }))
  .superRefine((e, ctx) => {
    // PgBouncer refuses a connection whose startup packet carries statement_timeout, and its
    // ignore_startup_parameters would drop the limit silently: refuse to start instead
    if (e.DB_POOLER === "pgbouncer" && e.DB_STATEMENT_TIMEOUT_MS > 0)
      ctx.addIssue({
        code: "custom",
        path: ["DB_STATEMENT_TIMEOUT_MS"],
        message:
          "not sent through PgBouncer: set it on the database role instead (ALTER ROLE ... SET statement_timeout = '30s') and leave DB_STATEMENT_TIMEOUT_MS unset",
      });
    if ("error" in e.BASEMAP)
      ctx.addIssue({ code: "custom", path: ["TIANDITU_APPROVAL_NUMBER"], message: e.BASEMAP.error });
  })
  .transform((e) => ({ ...e, BASEMAP: e.BASEMAP as Basemap }));

export type Env = z.infer<typeof schema>;

export const cookieSecure = (e: Env) =>
  e.COOKIE_SECURE === "auto" ? e.NODE_ENV === "production" : e.COOKIE_SECURE === "true";

function parseEnv(): Env {
  const parsed = schema.safeParse({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    TIANDITU_KEY: process.env.TIANDITU_KEY || undefined,
    TIANDITU_BROWSER_KEY: process.env.TIANDITU_BROWSER_KEY || undefined,
    TIANDITU_APPROVAL_NUMBER: process.env.TIANDITU_APPROVAL_NUMBER || undefined,
    MAP_TILE_URL: process.env.MAP_TILE_URL || undefined,
    GEOCODER: process.env.GEOCODER || undefined,
    DB_STATEMENT_TIMEOUT_MS: process.env.DB_STATEMENT_TIMEOUT_MS || undefined,
    DB_POOLER: process.env.DB_POOLER || undefined,
    WEB_CONCURRENCY: process.env.WEB_CONCURRENCY || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  return parsed.data;
}

export const env = parseEnv();
