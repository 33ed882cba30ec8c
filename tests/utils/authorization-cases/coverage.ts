import type { MatrixCase } from "./shared";

/** the matrix cases of the coverage routes (see authorization-matrix.test.ts) */
export const coverageCases: Record<string, MatrixCase> = {
  "routes/admin.targets": {
    access: "configure",
    audited: true,
    // in scope: a city in Shandong; the province admin's "out": Beijing
    prepare: async (_actor, scope) => ({
      url: "/admin/targets",
      form: {
        intent: "save",
        regionCode: scope === "in" ? "3701" : "11",
        year: "2026",
        ratePercent: "25",
        count: "",
        deadline: "2026-12-31",
      },
    }),
  },
};
