// The listing CSV import at scale: 10,000 rows (5,000 facilities × 2 services) in the urban
// communities of 济南 (3701), parsed and validated, then imported, each timed; and a baseline
// measured in the same run: one plain INSERT … SELECT FROM jsonb_to_recordset of the same 10,000
// facility rows into a scratch table. Runs on a throwaway PGlite database, or on DATABASE_URL.
//
//   npx tsx tests/bench/import.ts
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { mulberry32 } from "../../db/seed/random";

const FACILITIES = 5_000;

// before anything from db/ is imported: the client reads the environment once
const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(path.join(os.tmpdir(), "shequ-bench-import-"));
if (dataDir) process.env.PGLITE_DATA_DIR = dataDir;

const { sql } = await import("drizzle-orm");
const { stringify } = await import("csv-stringify/sync");
const { closeDb, db, dbDriver, queryRows } = await import("../../db/client.server");
const { migrateDatabase } = await import("../../db/migrate.server");
const { loadReferenceData } = await import("../../db/seed/load-reference.server");
const { importListings } = await import("../../db/queries/listing-import.server");
const { parseListingCsv } = await import("../../app/domains/listings/listing-import.server");
const { LISTING_COLUMNS } = await import("../../app/domains/listings/listing-csv");

const seconds = (since: number) => (performance.now() - since) / 1000;
const line = (label: string, rows: number, s: number) =>
  console.log(
    `${label.padEnd(28)} ${String(rows).padStart(6)} rows  ${s.toFixed(2).padStart(6)} s  ${Math.round(rows / s)
      .toString()
      .padStart(7)} rows/s`,
  );

let userId: string | null = null;
try {
  console.log(`database: ${dbDriver === "pglite" ? `PGlite in ${dataDir}` : "PostgreSQL (DATABASE_URL)"}`);
  let started = performance.now();
  await migrateDatabase();
  const [present] = await queryRows<{ n: number }>(sql`select count(*)::int as n from regions`);
  if (!present?.n) await loadReferenceData(() => {});
  console.log(`setup (migrations, reference data): ${seconds(started).toFixed(1)} s`);

  const communities = await queryRows<{ code: string; lat: number; lng: number }>(sql`
    select c.code, ST_Y(coalesce(county.point, city.point)) as lat, ST_X(coalesce(county.point, city.point)) as lng
    from regions c
      join regions county on county.code = rpad(left(c.code, 6), 12, '0')
      join regions city on city.code = rpad(left(c.code, 4), 12, '0')
    where c.level = 'community' and c.kind = 'community' and c.code like '3701%'
    order by c.code`);
  const next = mulberry32(2022);
  const hours = "08:00-11:30, 13:30-17:30";
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < FACILITIES; i++) {
    const community = communities[i % communities.length];
    const facility = {
      facility_ref: `B${i}`,
      community_code: community.code,
      facility_name: `基准测试养老服务站 ${i}`,
      facility_type: i % 2 ? "elderly_service_station" : "elderly_day_care",
      address: `测试路 ${i} 号`,
      lat: (community.lat + (next() - 0.5) * 0.01).toFixed(6),
      lng: (community.lng + (next() - 0.5) * 0.01).toFixed(6),
      phone: `0531-8${String(1_000_000 + i).slice(1)}`,
      hours_mon: hours,
      hours_tue: hours,
      hours_wed: hours,
      hours_thu: hours,
      hours_fri: hours,
      hours_sat: next() < 0.5 ? "09:00-11:30" : "",
    };
    rows.push(
      {
        ...facility,
        service_name: "老年助餐",
        category: "elderly_care",
        sub_type: "meal_assistance",
        min_age: "60",
        capacity: String(20 + (i % 80)),
      },
      {
        facility_ref: facility.facility_ref,
        service_name: i % 3 ? "日间照料" : "健康咨询",
        category: i % 3 ? "elderly_care" : "health",
        residents_only: i % 2 ? "是" : "否",
      },
    );
  }
  const csv = `\uFEFF${stringify([LISTING_COLUMNS.map((c) => c.zh), ...rows.map((r) => LISTING_COLUMNS.map((c) => r[c.key] ?? ""))])}`;
  const bytes = new TextEncoder().encode(csv);
  console.log(
    `CSV: ${rows.length} rows, ${FACILITIES} facilities in ${communities.length} urban communities of 3701, ${(bytes.byteLength / 1024 / 1024).toFixed(2)} MB\n`,
  );

  [{ id: userId }] = await queryRows<{ id: string }>(sql`
    insert into users (id, username, password_hash) values (gen_random_uuid()::text, ${`bench-import-${Date.now()}`}, 'x')
    returning id`);

  started = performance.now();
  const parsed = await parseListingCsv(bytes, { editPrefixes: ["3701"] });
  const parseSeconds = seconds(started);
  if (!parsed.ok) throw new Error(`the generated CSV did not validate: ${JSON.stringify(parsed.errors.slice(0, 5))}`);
  line("parse + validate", parsed.rows, parseSeconds);
  console.log(`${"".padEnd(28)} (${parsed.warnings.length} warnings: points outside their county)`);

  started = performance.now();
  const counts = await importListings({ userId: userId! }, parsed.facilities);
  const importSeconds = seconds(started);
  line("import (one transaction)", parsed.rows, importSeconds);
  console.log(
    `${"".padEnd(28)} (${counts.facilities} facilities, ${counts.services} services, ${counts.facilities + counts.services} audit entries)`,
  );

  // the baseline: the same facility rows, one per CSV row, one statement, no audit
  const baselineRows = rows.map((r, i) => {
    const first = rows[i - (i % 2)];
    return {
      id: crypto.randomUUID(),
      community_code: first.community_code,
      name: first.facility_name,
      type: first.facility_type,
      address: first.address,
      phone: first.phone,
      lat: Number(first.lat),
      lng: Number(first.lng),
    };
  });
  await db.execute(sql`create temp table bench_scratch (like facilities including defaults)`);
  started = performance.now();
  await db.execute(sql`
    insert into bench_scratch (id, community_code, name, type, address, phone, point, last_verified_at)
    select r.id, r.community_code, r.name, r.type::facility_type, r.address, r.phone,
           ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326), now()
    from jsonb_to_recordset(${JSON.stringify(baselineRows)}::jsonb) as r(
      id text, community_code text, name text, type text, address text, phone text, lat float8, lng float8)`);
  const baselineSeconds = seconds(started);
  line("baseline INSERT … SELECT", baselineRows.length, baselineSeconds);

  console.log(`\nimport / baseline:           ${(importSeconds / baselineSeconds).toFixed(1)}×`);
  console.log(`parse + import / baseline:   ${((parseSeconds + importSeconds) / baselineSeconds).toFixed(1)}×`);
} finally {
  if (userId && !dataDir) {
    // a shared server: leave it as it was
    await db.execute(
      sql`delete from facilities where id in (select object_id from audit_entries where actor_user_id = ${userId} and action = 'facility.import')`,
    );
    await db.execute(sql`delete from audit_entries where actor_user_id = ${userId}`);
    await db.execute(sql`delete from users where id = ${userId}`);
  }
  await closeDb();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
