import type { Messages } from "./zh-CN";

export const assessmentEn: Messages["assessment"] = {
  title: "Smart-community assessment",
};
