// The access pages' messages; en.access.ts has the same keys.
export const accessZh = {
  title: "15分钟生活圈",
} as const;
