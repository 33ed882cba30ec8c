import { sql } from "drizzle-orm";

import { queryRows } from "../../db/client.server";
import { countRegionsByLevel, loadReferenceData } from "../../db/seed/load-reference.server";
import { readDivisions } from "../../db/seed/reference-data.server";

async function levelCounts() {
  return Object.fromEntries((await countRegionsByLevel()).map((r) => [r.level, r.n]));
}

describe("reference data", () => {
  it("holds all five levels of Shandong's divisions", async () => {
    expect(await levelCounts()).toEqual({
      province: 1,
      city: 16,
      county: 151,
      township: 1853,
      community: 62074,
    });
    const kinds = await queryRows<{ kind: string; n: number }>(sql`
      select kind::text, count(*)::int as n from regions where level = 'community' group by kind order by kind`);
    expect(kinds).toEqual([
      { kind: "community", n: 7084 },
      { kind: "village", n: 54990 },
    ]);
  });

  it("flags the 15 NBS-only zones and gives the 136 real counties and 16 cities a boundary", async () => {
    const [row] = await queryRows<{ zones: number; counties: number; cities: number; zone_boundaries: number }>(sql`
      select
        count(*) filter (where level = 'county' and gbt2260 = false)::int as zones,
        count(*) filter (where level = 'county' and boundary is not null)::int as counties,
        count(*) filter (where level = 'city' and boundary is not null)::int as cities,
        count(*) filter (where level = 'county' and gbt2260 = false and boundary is not null)::int as zone_boundaries
      from regions`);
    expect(row).toEqual({ zones: 15, counties: 136, cities: 16, zone_boundaries: 0 });
  });

  it("links every unit to an existing parent whose code it extends", async () => {
    const [row] = await queryRows<{ orphans: number; mismatched: number }>(sql`
      select
        count(*) filter (where p.code is null)::int as orphans,
        count(*) filter (where p.code is not null and left(c.code, length(rtrim(p.code, '0'))) <> rtrim(p.code, '0'))::int as mismatched
      from regions c left join regions p on p.code = c.parent_code
      where c.level <> 'province'`);
    expect(row).toEqual({ orphans: 0, mismatched: 0 });
  });

  it("matches the data file's per-city counts", async () => {
    const divisions = readDivisions();
    const rows = await queryRows<{ city: string; counties: number; villages: number }>(sql`
      select left(code, 4) as city,
        count(*) filter (where level = 'county')::int as counties,
        count(*) filter (where level = 'community')::int as villages
      from regions where level in ('county', 'community') group by 1 order by 1`);
    const perCity = divisions.meta.counts as unknown as Record<string, number>;
    expect(perCity.villages).toBe(62074);
    expect(rows).toHaveLength(16);
    for (const city of divisions.cities) {
      const row = rows.find((r) => r.city === city.code);
      expect(row?.counties).toBe(divisions.counties.filter((c) => c.cityCode === city.code).length);
      expect(row?.villages).toBe(divisions.villages.filter((v) => v.code.startsWith(city.code)).length);
    }
  });

  it("puts each real county's reference point inside its own boundary, and the city's too", async () => {
    const [row] = await queryRows<{ outside: number; outside_city: number }>(sql`
      select
        count(*) filter (where not ST_Covers(c.boundary, c.point))::int as outside,
        count(*) filter (where not ST_Covers(p.boundary, c.point))::int as outside_city
      from regions c join regions p on p.code = c.parent_code
      where c.level = 'county' and c.boundary is not null`);
    expect(row).toEqual({ outside: 0, outside_city: 0 });
  });

  it("loads again without duplicating anything", async () => {
    const lines: string[] = [];
    await loadReferenceData((line) => lines.push(line));
    expect(lines.join("\n")).toMatch(/village-level units: 62074/);
    expect(await levelCounts()).toEqual({
      province: 1,
      city: 16,
      county: 151,
      township: 1853,
      community: 62074,
    });
    const [targets] = await queryRows<{ n: number }>(sql`select count(*)::int as n from targets`);
    expect(targets.n).toBe(18);
  });
});
