import {
  assignableRoles,
  canAssign,
  canManageUser,
  hasPermission,
  scopePrefixes,
  type Assignment,
} from "~/domains/accounts/accounts";

const staff: Assignment = { role: "community_staff", regionCode: "370102001002" };
const lixia: Assignment = { role: "district_official", regionCode: "370102000000" };
const jinan: Assignment = { role: "city_official", regionCode: "370100000000" };
const province: Assignment = { role: "province_admin", regionCode: "370000000000" };

describe("permissions", () => {
  it("scope is the code prefix of the assignment's level", () => {
    expect(hasPermission([lixia], "370102001002", "review")).toBe(true);
    expect(hasPermission([lixia], "370102", "view")).toBe(true);
    expect(hasPermission([lixia], "370103001001", "view")).toBe(false);
    // 370110 shares the digits "37011" with nothing of 370102, and 3701020 is not a prefix trap
    expect(hasPermission([{ role: "district_official", regionCode: "370110000000" }], "370111001001", "view")).toBe(
      false,
    );
    expect(hasPermission([staff], "370102001002", "edit")).toBe(true);
    expect(hasPermission([staff], "370102001003", "edit")).toBe(false);
    expect(hasPermission([staff], "370102001002", "review")).toBe(false);
    expect(hasPermission([jinan], "370102001002", "review")).toBe(true);
    expect(hasPermission([jinan], "370202", "view")).toBe(false);
    expect(hasPermission([province], "371702", "configure")).toBe(true);
    expect(hasPermission([lixia], "370102", "configure")).toBe(false);
    expect(hasPermission([], "37", "view")).toBe(false);
  });

  it("several assignments add up", () => {
    const both: Assignment[] = [lixia, { role: "district_official", regionCode: "370103000000" }];
    expect(hasPermission(both, "370103002001", "review")).toBe(true);
    expect(scopePrefixes(both, "review")).toEqual(["370102", "370103"]);
    expect(scopePrefixes([staff], "review")).toEqual([]);
  });

  it("officials assign roles strictly below their own level, in their region", () => {
    expect(canAssign([lixia], "community_staff", "370102001002")).toBe(true);
    expect(canAssign([lixia], "district_official", "370102")).toBe(false);
    expect(canAssign([lixia], "community_staff", "370103002001")).toBe(false);
    expect(canAssign([jinan], "district_official", "370102")).toBe(true);
    expect(canAssign([jinan], "city_official", "3701")).toBe(false);
    expect(canAssign([province], "province_admin", "37")).toBe(true);
    expect(canAssign([staff], "community_staff", "370102001002")).toBe(false);
    expect(assignableRoles([lixia])).toEqual(["community_staff"]);
    expect(assignableRoles([jinan])).toEqual(["community_staff", "district_official"]);
    expect(assignableRoles([province])).toEqual([
      "community_staff",
      "district_official",
      "city_official",
      "province_admin",
    ]);
    expect(assignableRoles([staff])).toEqual([]);
  });

  it("an account is manageable only when every role it holds is", () => {
    expect(canManageUser([lixia], [staff])).toBe(true);
    expect(canManageUser([lixia], [staff, { role: "community_staff", regionCode: "370103002001" }])).toBe(false);
    expect(canManageUser([lixia], [])).toBe(false);
    expect(canManageUser([province], [])).toBe(true);
    expect(canManageUser([jinan], [lixia, staff])).toBe(true);
  });
});
