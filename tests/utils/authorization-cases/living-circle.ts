import { sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";

import { queryRows } from "../../../db/client.server";
import { toStoredCode, type Role } from "../../../db/identifiers";
import type { MatrixCase } from "./shared";

/** a county inside each role's home scope (plans are made for counties), and one outside it */
const PLANNED: Record<Role, { in: string; out: string }> = {
  community_staff: { in: "370102", out: "370103" },
  district_official: { in: "370102", out: "370103" },
  city_official: { in: "370102", out: "370202" },
  province_admin: { in: "370102", out: "110101" },
};

/** the matrix cases of the access routes (see authorization-matrix.test.ts) */
export const livingCircleCases: Record<string, MatrixCase> = {
  "routes/admin.living-circle": {
    // thresholds are province-wide settings with no region: any province admin
    access: "configure_unscoped",
    audited: true,
    prepare: async () => ({ url: "/admin/living-circle", form: { measure: "health", metres: "900" } }),
  },
  "routes/dashboard.$code.roads": {
    access: "review",
    audited: true,
    prepare: async (actor, scope) => {
      const code = PLANNED[actor?.role ?? "district_official"][scope];
      // a network loaded for that county, to remove (loading one needs pgRouting)
      const name = `${code}-matrix-${randomBytes(3).toString("hex")}`;
      await queryRows(sql`
        insert into road_networks (name, source_file, bounds, vertices, edges, length_m, region_code)
        values (${name}, 'matrix.osm', ST_GeomFromText('POLYGON EMPTY', 4326), 0, 0, 0,
                (select r.code from regions r where r.code = ${toStoredCode(code)}))`);
      return { url: `/dashboard/${code}/roads`, params: { code }, form: { intent: "remove", name } };
    },
  },
  "routes/dashboard.$code.plan": {
    access: "review",
    audited: true,
    prepare: async (actor, scope) => {
      const code = PLANNED[actor?.role ?? "district_official"][scope];
      return {
        url: `/dashboard/${code}/plan`,
        params: { code },
        // a new name each time: names are unique per region
        form: {
          intent: "save",
          name: `矩阵方案 ${randomBytes(3).toString("hex")}`,
          m: "elderly_care",
          s: "36.66,117.09",
        },
      };
    },
  },
};
