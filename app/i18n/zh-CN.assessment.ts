// The assessment pages' messages; en.assessment.ts has the same keys.
export const assessmentZh = {
  title: "智慧社区评价",
} as const;
