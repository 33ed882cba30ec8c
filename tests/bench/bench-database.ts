import type { MultiPolygon } from "geojson";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The benches' own PostgreSQL database: created when missing; with `demo`, migrated and loaded
 * with the reference and demo data through db/setup.ts (each only when missing).
 * `variable` names the environment variable the URL came from, for the error message.
 */
export async function ensureBenchDatabase(url: string, variable: string, { demo = false }: { demo?: boolean } = {}) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`${variable}: a plain database name, please (got "${name}")`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const found = await client`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      console.log(`creating database ${name}`);
      await client.unsafe(`create database "${name}"`);
    }
  } finally {
    await client.end();
  }
  if (demo) {
    execFileSync(process.execPath, ["--import", "tsx", path.join(root, "db/setup.ts"), "--demo"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
}

export type BenchPoint = { lat: number; lng: number };

/**
 * `count` uniform points inside Shandong's 16 cities' boundaries (a city at random, then a point
 * in it), seeded: the same points every run. The generator of `npm run bench:search`.
 */
export async function cityPoints(url: string, count: number, seed = 2022): Promise<BenchPoint[]> {
  const { booleanPointInPolygon } = await import("@turf/boolean-point-in-polygon");
  const { mulberry32 } = await import("../../db/seed/random");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  let rows: { code: string; geojson: string }[];
  try {
    rows = await client<{ code: string; geojson: string }[]>`
      select code, ST_AsGeoJSON(boundary, 6) as geojson from regions where level = 'city' and boundary is not null order by code`;
  } finally {
    await client.end();
  }
  if (rows.length === 0) throw new Error("no city boundaries in the bench database");
  const cities = rows.map((r) => {
    const geometry = JSON.parse(r.geojson) as MultiPolygon;
    const xs = geometry.coordinates.flatMap((p) => p[0].map((c) => c[0]));
    const ys = geometry.coordinates.flatMap((p) => p[0].map((c) => c[1]));
    return { geometry, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const };
  });
  const next = mulberry32(seed);
  const points: BenchPoint[] = [];
  while (points.length < count) {
    const city = cities[Math.floor(next() * cities.length)];
    const [minX, minY, maxX, maxY] = city.bbox;
    for (let tries = 0; tries < 1000; tries++) {
      const lng = Math.round((minX + next() * (maxX - minX)) * 1e6) / 1e6;
      const lat = Math.round((minY + next() * (maxY - minY)) * 1e6) / 1e6;
      if (booleanPointInPolygon([lng, lat], city.geometry)) {
        points.push({ lat, lng });
        break;
      }
    }
  }
  return points;
}
