import { randomBytes } from "node:crypto";

import type { Role } from "../../../db/identifiers";
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
