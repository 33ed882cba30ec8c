import type { Messages } from "./zh-CN";

export const coverageEn: Messages["coverage"] = {
  title: "Coverage",
};
