import { createI18n } from "~/i18n";
import { en } from "~/i18n/en";
import { zhCN } from "~/i18n/zh-CN";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Object.values(value as object).flatMap(leaves);
}

describe("message catalogues", () => {
  it("have the same keys in zh-CN and en", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it("have no empty message", () => {
    for (const text of [...leaves(en), ...leaves(zhCN)]) expect(text.trim()).not.toBe("");
  });

  it("translate with Chinese as the default and English on request", () => {
    expect(createI18n("zh-CN").t("nav.signIn")).toBe("登录");
    expect(createI18n("en").t("nav.signIn")).toBe("Sign in");
    expect(createI18n("en").t("resident.results", { place: "your point" })).toBe("Services nearest to your point");
  });
});
