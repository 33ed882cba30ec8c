import type { MatrixCase } from "./shared";

/** the matrix cases of the access routes (see authorization-matrix.test.ts) */
export const livingCircleCases: Record<string, MatrixCase> = {
  "routes/admin.living-circle": {
    // thresholds are province-wide settings with no region: any province admin
    access: "configure_unscoped",
    audited: true,
    prepare: async () => ({ url: "/admin/living-circle", form: { measure: "health", metres: "900" } }),
  },
};
