import type { MatrixCase } from "./shared";

/** the matrix cases of the coverage routes (see authorization-matrix.test.ts) */
export const coverageCases: Record<string, MatrixCase> = {};
