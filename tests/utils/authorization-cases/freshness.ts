import type { MatrixCase } from "./shared";

/** the matrix cases of the freshness routes (see authorization-matrix.test.ts) */
export const freshnessCases: Record<string, MatrixCase> = {
  "routes/admin.settings": {
    // a province-wide setting with no region: any province admin
    access: "configure_unscoped",
    audited: true,
    prepare: async () => ({
      url: "/admin/settings",
      form: { intent: "freshness", staleDays: "170", hiddenDays: "400" },
    }),
  },
};
