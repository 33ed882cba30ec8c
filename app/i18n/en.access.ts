import type { Messages } from "./zh-CN";

export const accessEn: Messages["access"] = {
  title: "15-minute living circle",
};
