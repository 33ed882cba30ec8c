import { sql } from "drizzle-orm";

import { parseResidentQuery, resolveOrigin } from "../../app/domains/search/search.server";
import { queryRows } from "../../db/client.server";
import { getAreaAt, searchCommunities } from "../../db/queries/regions.server";

// A resident types a community's name; names repeat across the province, so each choice says
// where it is: its city, its county and its township.

// only places with a point are offered; the reference data has none (the demo data adds them)
let placed: string[] = [];
beforeAll(async () => {
  const rows = await queryRows<{ code: string }>(sql`
    update regions set point = ST_SetSRID(ST_MakePoint(117.04, 36.66), 4326)
    where name like '%解放桥%' and level in ('community', 'township') and point is null
    returning code`);
  placed = rows.map((r) => r.code);
});
afterAll(async () => {
  await queryRows(sql`update regions set point = null
    where code in (select jsonb_array_elements_text(${JSON.stringify(placed)}::jsonb))`);
});

describe("community choices", () => {
  it("name the city, the county and the township of each community that matches", async () => {
    const choices = await searchCommunities("解放桥", 12);
    expect(choices.length).toBeGreaterThan(1);
    const lixia = choices.find((c) => c.code === "370102001002");
    expect(lixia?.area).toBe("济南市 历下区 解放路街道");
    // every choice names at least its city and county, so two of the same name can be told apart
    for (const choice of choices) expect(choice.area.split(" ").length, choice.code).toBeGreaterThanOrEqual(2);
    expect(new Set(choices.map((c) => `${c.name} ${c.area}`)).size).toBe(choices.length);
  });
});

describe("where a search starts", () => {
  it("says the city and county of a community picked from the choices, and of an address the geocoder found", async () => {
    const community = await resolveOrigin(parseResidentQuery(new URLSearchParams("community=370102001002")));
    expect(community.origin).toMatchObject({ label: "解放桥社区居民委员会", area: "济南市 历下区" });
    const address = await resolveOrigin(parseResidentQuery(new URLSearchParams({ address: "济南市历下区泉城路" })));
    expect(address.origin).toMatchObject({ label: "济南市历下区泉城路", area: "济南市 历下区" });
    const qingdao = await resolveOrigin(parseResidentQuery(new URLSearchParams({ address: "青岛市市南区香港中路" })));
    expect(qingdao.origin?.area).toBe("青岛市 市南区");
  });

  it("has no area for a point outside every county outline", async () => {
    expect(await getAreaAt({ lat: 39.9087, lng: 116.3975 })).toBeNull();
  });
});
