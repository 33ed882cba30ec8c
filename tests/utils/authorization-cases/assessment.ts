import type { MatrixCase } from "./shared";

/** the matrix cases of the assessment routes (see authorization-matrix.test.ts) */
export const assessmentCases: Record<string, MatrixCase> = {};
