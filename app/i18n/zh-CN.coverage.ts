// The coverage pages' messages; en.coverage.ts has the same keys.
export const coverageZh = {
  title: "覆盖率",
} as const;
