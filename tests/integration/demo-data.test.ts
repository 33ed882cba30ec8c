import { verify } from "@node-rs/argon2";
import { sql } from "drizzle-orm";

import { queryRows } from "../../db/client.server";
import { env } from "../../db/env.server";
import { hasDemoData, loadDemoData } from "../../db/seed/demo.server";
import { resetDatabase } from "../utils/database";

const quiet = () => {};

async function fingerprint() {
  const [row] = await queryRows<{ points: string; facilities: string; assessments: string }>(sql`
    select
      (select md5(string_agg(code || ST_AsText(point) || households || population_60, ',' order by code))
         from regions where is_demo) as points,
      (select md5(string_agg(id || name || ST_AsText(point) || coalesce(opening_hours::text, ''), ',' order by id))
         from facilities) as facilities,
      (select md5(string_agg(id || community_code || state || coalesce(effective_at::text, ''), ',' order by id))
         from assessments) as assessments`);
  return row;
}

describe("demo data", () => {
  beforeAll(async () => {
    await loadDemoData(quiet);
  });
  afterAll(async () => {
    await resetDatabase();
  });

  it("puts a point inside its county (a zone's: its city) for every township and village-level unit", async () => {
    const [row] = await queryRows<{ missing: number; outside: number; demo: number }>(sql`
      select
        count(*) filter (where r.point is null)::int as missing,
        count(*) filter (where r.point is not null
          and not ST_Covers(coalesce(county.boundary, city.boundary), r.point))::int as outside,
        count(*) filter (where r.is_demo)::int as demo
      from regions r
      join regions county on county.code = rpad(left(r.code, 6), 12, '0')
      join regions city on city.code = rpad(left(r.code, 4), 12, '0')
      where r.level in ('township', 'community')`);
    expect(row).toEqual({ missing: 0, outside: 0, demo: 1853 + 62074 });
  });

  it("clusters urban communities nearer their township seat than villages", async () => {
    const [row] = await queryRows<{ urban: number; rural: number }>(sql`
      select
        percentile_cont(0.5) within group (order by ST_Distance(c.point::geography, t.point::geography))
          filter (where c.kind = 'community') as urban,
        percentile_cont(0.5) within group (order by ST_Distance(c.point::geography, t.point::geography))
          filter (where c.kind = 'village') as rural
      from regions c join regions t on t.code = c.parent_code
      where c.level = 'community'`);
    expect(row.urban).toBeLessThan(row.rural);
    expect(row.urban).toBeLessThan(3000);
  });

  it("certifies roughly 10–30% of urban communities, some counties above 20% and some below, approved in 2022", async () => {
    const [overall] = await queryRows<{ share: number; outside_2022: number }>(sql`
      select
        (count(distinct a.community_code) filter (where a.state in ('approved', 'revoked'))::float
          / (select count(*) from regions where level = 'community' and kind = 'community')) as share,
        count(*) filter (where a.approved_at is not null and extract(year from a.approved_at) <> 2022)::int as outside_2022
      from assessments a`);
    expect(overall.share).toBeGreaterThan(0.1);
    expect(overall.share).toBeLessThan(0.3);
    expect(overall.outside_2022).toBe(0);

    const counties = await queryRows<{ code: string; rate: number }>(sql`
      select left(r.code, 6) as code,
        count(a.id) filter (where a.state = 'approved')::float / count(*) as rate
      from regions r left join assessments a on a.community_code = r.code
      where r.level = 'community' and r.kind = 'community'
      group by 1 having count(*) >= 20`);
    expect(counties.some((c) => c.rate > 0.2)).toBe(true);
    expect(counties.some((c) => c.rate < 0.2)).toBe(true);
  });

  it("gives a good share of urban communities facilities with elderly-care and entrepreneurship services", async () => {
    const [row] = await queryRows<{ share: number; elderly: number; entrepreneurship: number }>(sql`
      select
        (select count(distinct f.community_code)::float from facilities f
           join regions r on r.code = f.community_code where r.kind = 'community')
          / (select count(*) from regions where kind = 'community') as share,
        (select count(*)::int from services where category = 'elderly_care') as elderly,
        (select count(*)::int from services where category = 'entrepreneurship') as entrepreneurship`);
    expect(row.share).toBeGreaterThan(0.4);
    expect(row.elderly).toBeGreaterThan(1000);
    expect(row.entrepreneurship).toBeGreaterThan(100);
  });

  it("leaves the demo staffer's community without an assessment", async () => {
    const rows = await queryRows(sql`select id from assessments where community_code = '370102001002'`);
    expect(rows).toEqual([]);
  });

  it("gives residents' opinions over the 335 days before the seed day: most certified communities, the demo district and community", async () => {
    const [row] = await queryRows<{
      opinions: number;
      outside: number;
      certified: number;
      certified_rated: number;
      lixia: number;
      staff: number;
      staff_comments: number;
      staff_answered: number;
      staff_answered_by_staff: number;
    }>(sql`
      select
        (select count(*)::int from service_feedback) as opinions,
        (select count(*)::int from service_feedback
          where given_at > now() or given_at < now() - interval '336 days') as outside,
        (select count(*)::int from assessments where state = 'approved') as certified,
        (select count(*)::int from assessments a where state = 'approved'
          and exists (select 1 from service_feedback f where f.community_code = a.community_code)) as certified_rated,
        (select count(*)::int from service_feedback where community_code like '370102%') as lixia,
        (select count(*)::int from service_feedback where community_code = '370102001002') as staff,
        (select count(comment)::int from service_feedback where community_code = '370102001002') as staff_comments,
        (select count(answer)::int from service_feedback where community_code = '370102001002') as staff_answered,
        (select count(*)::int from service_feedback f join users u on u.id = f.answered_by
          where f.community_code = '370102001002' and u.username = 'jiefangqiao') as staff_answered_by_staff`);
    expect(row.opinions).toBeGreaterThan(20_000);
    expect(row.outside).toBe(0);
    expect(row.certified_rated / row.certified).toBeGreaterThan(0.7);
    expect(row.lixia).toBeGreaterThan(100);
    expect(row.staff).toBe(15);
    expect(row.staff_comments).toBeGreaterThanOrEqual(5);
    expect(row.staff_answered).toBeGreaterThan(0);
    expect(row.staff_answered).toBeLessThan(row.staff_comments);
    expect(row.staff_answered_by_staff).toBe(row.staff_answered);

    // counties differ, mostly between 70% and 98% satisfied
    const counties = await queryRows<{ share: number }>(sql`
      select avg(satisfied::int)::float as share from service_feedback group by left(community_code, 6)
      having count(*) >= 50`);
    const within = counties.filter((c) => c.share >= 0.7 && c.share <= 0.98);
    expect(within.length / counties.length).toBeGreaterThan(0.8);
    expect(Math.max(...counties.map((c) => c.share)) - Math.min(...counties.map((c) => c.share))).toBeGreaterThan(0.1);
  });

  it("creates the four demo accounts with their scopes and the demo password", async () => {
    const accounts = await queryRows<{
      username: string;
      role: string;
      region_code: string;
      password_hash: string;
    }>(sql`
      select u.username, a.role::text as role, a.region_code, u.password_hash
      from users u join role_assignments a on a.user_id = u.id where u.is_demo order by u.username`);
    expect(accounts.map(({ username, role, region_code }) => ({ username, role, region_code }))).toEqual([
      { username: "jiefangqiao", role: "community_staff", region_code: "370102001002" },
      { username: "jinan", role: "city_official", region_code: "370100000000" },
      { username: "lixia", role: "district_official", region_code: "370102000000" },
      { username: "province", role: "province_admin", region_code: "370000000000" },
    ]);
    for (const account of accounts) {
      expect(account.password_hash).toMatch(/^\$argon2id\$/);
      expect(await verify(account.password_hash, env.DEMO_PASSWORD)).toBe(true);
      expect(await verify(account.password_hash, "wrong-password")).toBe(false);
    }
  });

  it("does nothing when run again, and generates the same data from scratch", async () => {
    expect(await hasDemoData()).toBe(true);
    const first = await fingerprint();
    await loadDemoData(quiet);
    expect(await fingerprint()).toEqual(first);

    await resetDatabase();
    expect(await hasDemoData()).toBe(false);
    await loadDemoData(quiet);
    expect(await fingerprint()).toEqual(first);
    // a whole load from scratch on PGlite, on 2 cores shared with other work
  }, 120_000);
});
