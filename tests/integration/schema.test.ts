import { sql } from "drizzle-orm";
import { readdirSync } from "node:fs";

import { queryRows } from "../../db/client.server";
import { countAppliedMigrations } from "../../db/migrate.server";

describe("schema from migrations", () => {
  it("applies every migration in drizzle/, the first creating PostGIS", async () => {
    const files = readdirSync("drizzle")
      .filter((f) => f.endsWith(".sql"))
      .sort();
    expect(files[0]).toBe("0000_enable_postgis.sql");
    expect(await countAppliedMigrations()).toBe(files.length);
    const [row] = await queryRows<{ version: string }>(sql`select postgis_lib_version() as version`);
    expect(row.version).toMatch(/^3\./);
  });

  it("declares SRID 4326 on every geometry column", async () => {
    const columns = await queryRows<{ table: string; column: string; srid: number; type: string }>(sql`
      select f_table_name as table, f_geometry_column as column, srid, type
      from geometry_columns where f_table_schema = 'public' order by 1, 2`);
    expect(columns).toEqual([
      { table: "facilities", column: "point", srid: 4326, type: "POINT" },
      { table: "regions", column: "boundary", srid: 4326, type: "MULTIPOLYGON" },
      { table: "regions", column: "point", srid: 4326, type: "POINT" },
      { table: "road_edges", column: "geom", srid: 4326, type: "LINESTRING" },
      { table: "road_networks", column: "bounds", srid: 4326, type: "POLYGON" },
      { table: "road_vertices", column: "point", srid: 4326, type: "POINT" },
    ]);
  });

  it("refuses a point in another SRID", async () => {
    await expect(
      queryRows(sql`update regions set point = ST_SetSRID(ST_MakePoint(117, 36), 3857) where code = '370000000000'`),
    ).rejects.toThrow();
  });

  it("has GiST indexes on geometries and pattern indexes for code-prefix scope", async () => {
    const indexes = await queryRows<{ name: string; def: string }>(sql`
      select indexname as name, indexdef as def from pg_indexes where schemaname = 'public'`);
    const byName = new Map(indexes.map((i) => [i.name, i.def]));
    for (const name of ["regions_boundary_gist", "regions_point_gist", "facilities_point_gist"]) {
      expect(byName.get(name)).toMatch(/USING gist/);
    }
    for (const name of [
      "regions_code_prefix_idx",
      "facilities_community_prefix_idx",
      "assessments_community_prefix_idx",
      "audit_entries_region_prefix_idx",
    ]) {
      expect(byName.get(name)).toMatch(/text_pattern_ops/);
    }
  });

  it("answers a scope query (code prefix) from an index range, not a scan", async () => {
    await queryRows(sql`analyze regions`);
    const plan = await queryRows<{ "QUERY PLAN": string }>(
      sql`explain select code from regions where code like '370102%'`,
    );
    const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
    // the pattern index, or the primary key where the database's collation is C: a range either way
    // (plain or bitmap, with or without the varchar→text cast in the plan's text)
    expect(text).toMatch(/Index Cond: .*~?>=~? '370102'::text.* AND .*~?<~? '370103'::text/);
    expect(text).not.toMatch(/Seq Scan/);
  });
});
