import { parseRegionCodeParam } from "~/domains/regions/regions";

import { parentLevel, toShortCode } from "../../db/queries/regions.server";

describe("region codes", () => {
  it.each([
    ["37", "370000000000"],
    ["3701", "370100000000"],
    ["370102", "370102000000"],
    ["370102001", "370102001000"],
    ["370102001002", "370102001002"],
    ["370100000000", "370100000000"],
  ])("accepts %s as %s", (input, stored) => {
    expect(parseRegionCodeParam(input)).toEqual({ ok: true, stored });
  });

  it.each(["", "3", "370", "37010", "3701020010", "37a1", "3701020010021", " 37", "-37"])("refuses %j", (input) => {
    expect(parseRegionCodeParam(input).ok).toBe(false);
  });

  it("refuses a missing code with a message", () => {
    const result = parseRegionCodeParam(undefined);
    expect(result).toEqual({ ok: false, error: "a region code is required" });
  });

  it("shortens stored codes to the significant digits of their level", () => {
    expect(toShortCode("370000000000", "province")).toBe("37");
    expect(toShortCode("370100000000", "city")).toBe("3701");
    expect(toShortCode("370110000000", "county")).toBe("370110");
    expect(toShortCode("370102001000", "township")).toBe("370102001");
    expect(toShortCode("370102001002", "community")).toBe("370102001002");
    expect(parentLevel("community")).toBe("township");
    expect(parentLevel("city")).toBe("province");
  });
});

describe("significant code", () => {
  it.each([
    ["370000000000", "37"],
    ["370100000000", "3701"],
    ["370102000000", "370102"],
    ["370102001000", "370102001"],
    ["370102001002", "370102001002"],
    ["3701", "3701"],
    ["370110", "370110"],
    ["371000000000", "3710"],
  ])("%s → %s", async (input, output) => {
    const { significantCode } = await import("~/domains/regions/regions");
    expect(significantCode(input)).toBe(output);
  });
});
