import { sql } from "drizzle-orm";

import { db, queryRows, type Database } from "../client.server";
import { toStoredCode } from "../identifiers";
import { defaultStandard, defaultTargets } from "./defaults";
import {
  readCityBoundaries,
  readCountyBoundaries,
  readDivisions,
  type BoundaryCollection,
} from "./reference-data.server";

export type Log = (line: string) => void;

type RegionRow = {
  code: string;
  level: string;
  parent_code: string | null;
  name: string;
  kind: string | null;
  township_type: string | null;
  gbt2260: boolean | null;
};

// One statement per level: the rows travel as one JSON parameter, which both drivers take and
// which stays far below PostgreSQL's 65,535-parameter limit.
async function upsertRegions(tx: Database, rows: RegionRow[]) {
  await tx.execute(sql`
    insert into regions (code, level, parent_code, name, kind, township_type, gbt2260)
    select r.code, r.level::region_level, r.parent_code, r.name, r.kind::community_kind,
           r.township_type::township_type, r.gbt2260
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      code text, level text, parent_code text, name text, kind text, township_type text, gbt2260 boolean)
    on conflict (code) do update set
      level = excluded.level, parent_code = excluded.parent_code, name = excluded.name,
      kind = excluded.kind, township_type = excluded.township_type, gbt2260 = excluded.gbt2260`);
}

/** `significantDigits`: a city's adcode 370100 is division code 3701, a county's is its own */
async function setBoundaries(tx: Database, collection: BoundaryCollection, significantDigits: number) {
  const rows = collection.features.map((f) => ({
    code: toStoredCode(f.properties.adcode.slice(0, significantDigits)),
    geometry: f.geometry,
  }));
  // Reference points come from the real boundary; a demo point is never overwritten.
  await tx.execute(sql`
    update regions set
      boundary = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(b.geometry::text), 4326)),
      point = case when regions.is_demo and regions.point is not null then regions.point
                   else ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(b.geometry::text), 4326)) end
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as b(code text, geometry jsonb)
    where regions.code = b.code`);
  return rows.length;
}

/**
 * Loads the five levels of Shandong's divisions and the county and city boundaries, in one
 * transaction. Safe to run again: rows are upserted, nothing is duplicated.
 */
export async function loadReferenceData(log: Log = console.log, database: Database = db) {
  const started = performance.now();
  const lap = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const divisions = readDivisions();
  const provinceCode = toStoredCode(divisions.province.code);

  await database.transaction(async (tx) => {
    await upsertRegions(tx, [
      {
        code: provinceCode,
        level: "province",
        parent_code: null,
        name: divisions.province.name,
        kind: null,
        township_type: null,
        gbt2260: true,
      },
    ]);
    log(`  province: 1 (${lap()})`);

    await upsertRegions(
      tx,
      divisions.cities.map((c) => ({
        code: toStoredCode(c.code),
        level: "city",
        parent_code: provinceCode,
        name: c.name,
        kind: null,
        township_type: null,
        gbt2260: true,
      })),
    );
    log(`  cities: ${divisions.cities.length} (${lap()})`);

    await upsertRegions(
      tx,
      divisions.counties.map((c) => ({
        code: toStoredCode(c.code),
        level: "county",
        parent_code: toStoredCode(c.cityCode),
        name: c.name,
        kind: null,
        township_type: null,
        gbt2260: c.gbt2260,
      })),
    );
    const zones = divisions.counties.filter((c) => !c.gbt2260).length;
    log(`  county-level units: ${divisions.counties.length} (${zones} NBS-only zones) (${lap()})`);

    await upsertRegions(
      tx,
      divisions.streets.map((s) => ({
        code: toStoredCode(s.code),
        level: "township",
        parent_code: toStoredCode(s.countyCode),
        name: s.name,
        kind: null,
        township_type: s.type,
        gbt2260: null,
      })),
    );
    log(`  townships: ${divisions.streets.length} (${lap()})`);

    const chunk = 20_000;
    for (let i = 0; i < divisions.villages.length; i += chunk) {
      await upsertRegions(
        tx,
        divisions.villages.slice(i, i + chunk).map((v) => ({
          code: v.code,
          level: "community",
          parent_code: toStoredCode(v.streetCode),
          name: v.name,
          kind: v.kind,
          township_type: null,
          gbt2260: null,
        })),
      );
    }
    const urban = divisions.villages.filter((v) => v.kind === "community").length;
    log(
      `  village-level units: ${divisions.villages.length} (${urban} urban communities, ` +
        `${divisions.villages.length - urban} villages) (${lap()})`,
    );

    const counties = await setBoundaries(tx, readCountyBoundaries(), 6);
    const cities = await setBoundaries(tx, readCityBoundaries(), 4);
    await tx.execute(sql`
      update regions set
        boundary = (select ST_Multi(ST_Union(boundary)) from regions where level = 'city'),
        point = (select ST_PointOnSurface(ST_Union(boundary)) from regions where level = 'city')
      where code = ${provinceCode}`);
    log(`  boundaries: ${counties} counties, ${cities} cities, 1 province (${lap()})`);

    await tx.execute(sql`
      insert into evaluation_standards (version, indicators, pass_score, tier_scores, notice_days)
      values (${defaultStandard.version}, ${JSON.stringify(defaultStandard.indicators)}::jsonb,
              ${defaultStandard.passScore}, ${JSON.stringify(defaultStandard.tierScores)}::jsonb,
              ${defaultStandard.noticeDays})
      on conflict (version) do nothing`);
    // Targets from the published plans; an admin's later edits are kept.
    await tx.execute(sql`
      insert into targets (id, region_code, year, rate, count, deadline)
      select gen_random_uuid()::text, t.region_code, t.year, t.rate, t.count, t.deadline::date
      from jsonb_to_recordset(${JSON.stringify(defaultTargets(divisions))}::jsonb) as t(
        region_code text, year int, rate numeric, count int, deadline text)
      on conflict (region_code, year) do nothing`);
    log(`  evaluation standard v${defaultStandard.version} and published targets (${lap()})`);
    await tx.execute(sql`refresh materialized view region_community_counts`);
  });
  // fresh planner statistics: a just-loaded table otherwise looks empty to the planner
  await database.execute(sql`analyze`);
  return { seconds: (performance.now() - started) / 1000 };
}

export async function countRegionsByLevel(database: Database = db) {
  return queryRows<{ level: string; n: number }>(
    sql`select level::text as level, count(*)::int as n from regions group by level`,
    database,
  );
}
