// A synthetic province for the search bench: on the PostgreSQL at DATABASE_URL, migrate, load the
// reference data and the demo data set (a point for every village-level unit), then add
// facilities around every one of those points and services at them in bulk SQL, seeded with
// setseed() so two runs give the same rows: about 195,000 facilities and 585,000 services, of
// which at least 500,000 are public. Everything it writes is labelled is_demo; its ids start
// with `syn-`.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench npx tsx tests/bench/synthetic-province.ts [--regenerate]
//
// `npm run bench:search` calls it when its database has fewer services than that.
import { pathToFileURL } from "node:url";

/** facilities per urban residents' committee and per villagers' committee */
const PER_COMMUNITY = 12;
const PER_VILLAGE = 2;
export const MIN_ACTIVE_SERVICES = 500_000;

/** active services, 0 when the schema is not there yet */
export async function countActiveServices() {
  const { sql } = await import("drizzle-orm");
  const { queryRows } = await import("../../db/client.server");
  const [exists] = await queryRows<{ present: boolean }>(
    sql`select to_regclass('public.services') is not null as present`,
  );
  if (!exists?.present) return 0;
  const [row] = await queryRows<{ n: number }>(sql`select count(*)::int as n from services where status = 'active'`);
  return row?.n ?? 0;
}

export async function generateSyntheticProvince({
  regenerate = false,
  log = console.log,
}: { regenerate?: boolean; log?: (line: string) => void } = {}) {
  const { sql } = await import("drizzle-orm");
  const { db, dbDriver, queryRows } = await import("../../db/client.server");
  const { migrateDatabase } = await import("../../db/migrate.server");
  const { loadReferenceData } = await import("../../db/seed/load-reference.server");
  const { loadDemoData } = await import("../../db/seed/demo.server");
  if (dbDriver !== "postgres") throw new Error("the synthetic province needs a real PostgreSQL: set DATABASE_URL");

  const started = performance.now();
  const lap = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  await migrateDatabase();
  const [regions] = await queryRows<{ n: number }>(sql`select count(*)::int as n from regions`);
  if (!regions?.n) await loadReferenceData(() => {});
  log(`synthetic province: migrated, reference data present (${lap()})`);
  await loadDemoData(() => {});
  log(`synthetic province: demo data set present (${lap()})`);

  const [present] = await queryRows<{ n: number }>(
    sql`select count(*)::int as n from facilities where id like 'syn-f-%'`,
  );
  if (present.n > 0 && !regenerate) {
    log(`synthetic province: already generated (${present.n} facilities); --regenerate to make it again`);
  } else {
    await db.transaction(async (tx) => {
      if (present.n > 0) {
        await tx.execute(sql`delete from services where id like 'syn-s-%'`);
        await tx.execute(sql`delete from facilities where id like 'syn-f-%'`);
      }
      // one backend, no parallel workers: random() then runs in one sequence, the same each time
      await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
      await tx.execute(sql`select setseed(0.2022)`);
      await tx.execute(sql`
        insert into facilities (id, community_code, name, type, address, point, opening_hours, phone,
                                status, version, last_verified_at, is_demo, created_at, updated_at)
        select 'syn-f-' || lpad(c.n::text, 7, '0'), c.code,
               regexp_replace(c.name, '(居民委员会|村民委员会|委员会)$', '') || ' ' || c.g || '号服务点',
               (array['elderly_day_care', 'elderly_canteen', 'elderly_service_station', 'home_care_point', 'incubator',
                      'employment_service_station', 'party_service_center', 'culture_room', 'health_station', 'other'])
                 [1 + floor(random() * 10)::int]::facility_type,
               '合成数据 ' || c.code || ' 附近',
               ST_SetSRID(ST_MakePoint(
                 round((ST_X(c.point) + (random() - 0.5) * c.spread / (111320 * cos(radians(ST_Y(c.point)))))::numeric, 6)::float8,
                 round((ST_Y(c.point) + (random() - 0.5) * c.spread / 110574)::numeric, 6)::float8), 4326),
               (array[
                 '{"week":{"1":["08:00-11:30","13:30-17:30"],"2":["08:00-11:30","13:30-17:30"],"3":["08:00-11:30","13:30-17:30"],"4":["08:00-11:30","13:30-17:30"],"5":["08:00-11:30","13:30-17:30"]}}',
                 '{"week":{"1":["10:30-13:00","16:30-18:30"],"2":["10:30-13:00","16:30-18:30"],"3":["10:30-13:00","16:30-18:30"],"4":["10:30-13:00","16:30-18:30"],"5":["10:30-13:00","16:30-18:30"],"6":["10:30-13:00"],"7":["10:30-13:00"]}}',
                 '{"week":{"1":["00:00-24:00"],"2":["00:00-24:00"],"3":["00:00-24:00"],"4":["00:00-24:00"],"5":["00:00-24:00"],"6":["00:00-24:00"],"7":["00:00-24:00"]}}',
                 '{"week":{"1":["09:00-17:00"],"2":["09:00-17:00"],"3":["09:00-17:00"],"4":["09:00-17:00"],"5":["09:00-17:00"],"6":["09:00-12:00"]},"holidayNote":"法定节假日休息"}',
                 null
               ])[1 + floor(random() * 5)::int]::jsonb,
               '0' || (530 + floor(random() * 14)::int) || '-8' || lpad(floor(random() * 1000000)::int::text, 6, '0'),
               case when random() < 0.03 then 'suspended' else 'active' end::facility_status,
               1, timestamptz '2025-06-01 09:00+08' + random() * interval '540 days', true,
               timestamptz '2021-03-01 09:00+08', timestamptz '2025-06-01 09:00+08'
        from (
          select r.code, r.name, r.point, g, case when r.kind = 'community' then 2400 else 5000 end as spread,
                 row_number() over (order by r.code, g) as n
          from regions r, generate_series(1, case when r.kind = 'community' then ${PER_COMMUNITY}::int else ${PER_VILLAGE}::int end) g
          where r.level = 'community' and r.point is not null
          order by r.code, g
        ) c`);
      log(`synthetic province: facilities inserted (${lap()})`);
      await tx.execute(sql`
        insert into services (id, facility_id, name, category, sub_type, description, eligibility, fee,
                              capacity, schedule, valid_from, valid_to, status, version, last_verified_at,
                              is_demo, created_at, updated_at)
        select 'syn-s-' || substr(f.id, 7) || '-' || k, f.id,
               (array['老年助餐', '日间照料', '上门探访', '健康体检', '慢病管理', '社区书屋', '党员活动', '就业岗位对接',
                      '创业政策咨询', '电商服务', '垃圾分类指导', '便民服务'])[x.c],
               (array['elderly_care', 'elderly_care', 'elderly_care', 'health', 'health', 'culture_education',
                      'party_building', 'entrepreneurship', 'entrepreneurship', 'industry', 'green_low_carbon',
                      'other'])[x.c]::service_category,
               null, '合成数据', case when x.c <= 3 then '{"minAge":60}'::jsonb end, '免费',
               case when x.c <= 3 then 20 + floor(random() * 100)::int end,
               case when random() < 0.1 then '{"week":{"2":["08:30-11:00"],"4":["08:30-11:00"]}}'::jsonb end,
               case when random() < 0.5 then date '2024-01-01' + floor(random() * 600)::int end,
               case when random() < 0.02 then date '2025-12-31' end,
               case when f.status = 'suspended' or random() < 0.02 then 'suspended' else 'active' end::service_status,
               1, f.last_verified_at, true, f.created_at, f.updated_at
        from (select * from facilities where id like 'syn-f-%' order by id) f,
             generate_series(1, 2 + substr(f.id, 7)::int % 3) k,
             lateral (select 1 + floor(random() * 12)::int + 0 * k as c) x
        order by f.id, k`);
      log(`synthetic province: services inserted (${lap()})`);
    });
    // a regenerated province leaves the old rows dead in the tables and indexes
    await db.execute(sql`vacuum (analyze) facilities`);
    await db.execute(sql`vacuum (analyze) services`);
    log(`synthetic province: vacuumed and analysed (${lap()})`);
  }

  const [counts] = await queryRows<{ facilities: number; services: number; active: number; public_: number }>(sql`
    select (select count(*)::int from facilities) as facilities,
           (select count(*)::int from services) as services,
           (select count(*)::int from services where status = 'active') as active,
           (select count(*)::int from services s join facilities f on f.id = s.facility_id
             where s.status = 'active' and f.status = 'active' and f.point is not null
               and (s.valid_to is null or s.valid_to >= current_date)) as public_`);
  log(
    `synthetic province: ${counts.facilities} facilities, ${counts.services} services, ${counts.active} active, ` +
      `${counts.public_} public (${lap()})`,
  );
  if (counts.active < MIN_ACTIVE_SERVICES)
    throw new Error(`only ${counts.active} active services, want ${MIN_ACTIVE_SERVICES}`);
  return counts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.env.DATABASE_URL) {
    console.error(
      "set DATABASE_URL to a PostgreSQL + PostGIS database (it is changed: demo and synthetic data are added)",
    );
    process.exit(2);
  }
  const { closeDb } = await import("../../db/client.server");
  try {
    await generateSyntheticProvince({ regenerate: process.argv.includes("--regenerate") });
  } catch (error) {
    console.error(`synthetic province failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await closeDb();
  }
}
