import type { MatrixCase } from "./shared";

/** the matrix cases of the access routes (see authorization-matrix.test.ts) */
export const accessCases: Record<string, MatrixCase> = {};
