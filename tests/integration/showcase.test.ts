import { sql } from "drizzle-orm";

import { scenarioAreasOf, showcaseHref } from "~/domains/showcase/showcase";
import * as showcaseCommunityRoute from "~/routes/showcase.$code";
import * as showcaseRoute from "~/routes/showcase._index";

import { db, queryRows } from "../../db/client.server";
import { saveSatisfactionMinResponses } from "../../db/queries/feedback.server";
import { assessments, serviceFeedback } from "../../db/schema";
import { createTestUser } from "../utils/accounts";
import { renderPage } from "../utils/render-page";
import { callLoader } from "../utils/routes";

// The public showcase: which communities it lists (certified now, by the coverage rule), in which
// order, filtered by city and county; what it counts of them (public services only, residents'
// satisfaction from the minimum); and /showcase/:code, which answers only for a certified community.

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

const LIXIA = "370102001002"; // 济南市 历下区
const ZHANGQIU = "370114009001"; // 济南市 章丘区
const ZHANGQIU_AGAIN = "370114009200"; // revoked once, certified again
const ZHANGQIU_NOTICE_ENDED = "370114001002"; // notice ended, not settled to approved yet
const SHINAN = "370202001001"; // 青岛市 市南区
const IN_NOTICE = "370103002001"; // approved, its notice period not ended
const REVOKED = "370114001001";
const REJECTED = "370114001003";
const SUBMITTED = "370114001004";
const DRAFT = "370114009201";

type Placed = {
  code: string;
  state: "draft" | "submitted" | "notice" | "approved" | "rejected" | "revoked";
  tier?: "basic" | "growth" | "benchmark";
  effectiveAt?: Date;
  revokedAt?: Date;
};

let placedCount = 0;
async function place(rows: Placed[]) {
  await db.insert(assessments).values(
    rows.map((row) => ({
      id: `showcase-${placedCount++}`,
      communityCode: row.code,
      standardVersion: 1,
      state: row.state,
      tier: row.tier ?? null,
      score: 80,
      effectiveAt: row.effectiveAt ?? null,
      approvedAt: row.effectiveAt ?? null,
      revokedAt: row.revokedAt ?? null,
    })),
  );
}

/** a facility with services; returns the services' ids by name */
async function listings(
  code: string,
  services: {
    name: string;
    category: string;
    status?: string;
    validTo?: string;
    verifiedDaysAgo?: number;
  }[],
  facility: { verifiedDaysAgo?: number; status?: string } = {},
) {
  const facilityId = `f-${code}-${placedCount++}`;
  await queryRows(sql`
    insert into facilities (id, community_code, name, type, address, point, status, last_verified_at)
    values (${facilityId}, ${code}, ${`设施 ${facilityId}`}, 'other', '测试路 1 号',
            ST_SetSRID(ST_MakePoint(117.04, 36.665), 4326), ${facility.status ?? "active"}::facility_status,
            ${ago(facility.verifiedDaysAgo ?? 1).toISOString()}::timestamptz)`);
  const ids: Record<string, string> = {};
  for (const s of services) {
    const id = `s-${facilityId}-${s.name}`;
    await queryRows(sql`
      insert into services (id, facility_id, name, category, status, valid_to, last_verified_at)
      values (${id}, ${facilityId}, ${s.name}, ${s.category}::service_category, ${s.status ?? "active"}::service_status,
              ${s.validTo ?? null}::date, ${ago(s.verifiedDaysAgo ?? 1).toISOString()}::timestamptz)`);
    ids[s.name] = id;
  }
  return ids;
}

async function opinions(serviceId: string, code: string, satisfied: number, unsatisfied: number, daysAgo = 3) {
  const row = (ok: boolean) => ({ serviceId, communityCode: code, satisfied: ok, givenAt: ago(daysAgo) });
  await db
    .insert(serviceFeedback)
    .values([
      ...Array.from({ length: satisfied }, () => row(true)),
      ...Array.from({ length: unsatisfied }, () => row(false)),
    ]);
}

type ShowcaseJson = {
  query: { city: string | null; county: string | null; tier: string | null; page: number };
  tiers: Record<string, number>;
  all: number;
  total: number;
  pages: number;
  minResponses: number;
  cities: { code: string; name: string; communities: number }[];
  counties: { code: string; name: string; communities: number }[];
  communities: {
    code: string;
    name: string;
    tier: string | null;
    isDemo: boolean;
    city: string | null;
    county: string | null;
    services: number;
    areas: string[];
    satisfaction: { responses: number; satisfied: number; rate: number | null };
  }[];
};

async function showcase(search = ""): Promise<ShowcaseJson> {
  const response = await callLoader(showcaseRoute.loader, `/showcase${search}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ShowcaseJson;
}

const communityPage = (code: string) => callLoader(showcaseCommunityRoute.loader, `/showcase/${code}`, { code });

let lixiaServices: Record<string, string>;
let zhangqiuServices: Record<string, string>;

beforeEach(async () => {
  await db.execute(
    sql`truncate table service_feedback, assessment_transitions, assessments, services, facilities cascade`,
  );
  await db.execute(sql`delete from province_settings`);
  await place([
    { code: LIXIA, state: "approved", tier: "benchmark", effectiveAt: ago(100) },
    { code: ZHANGQIU, state: "approved", tier: "growth", effectiveAt: ago(50) },
    { code: SHINAN, state: "approved", tier: "basic", effectiveAt: ago(20) },
    { code: ZHANGQIU_AGAIN, state: "revoked", tier: "benchmark", effectiveAt: ago(400), revokedAt: ago(300) },
    { code: ZHANGQIU_AGAIN, state: "approved", tier: "basic", effectiveAt: ago(10) },
    { code: ZHANGQIU_NOTICE_ENDED, state: "notice", tier: "growth", effectiveAt: ago(1) },
    { code: IN_NOTICE, state: "notice", tier: "benchmark", effectiveAt: new Date(Date.now() + 5 * DAY) },
    { code: REVOKED, state: "revoked", tier: "benchmark", effectiveAt: ago(200), revokedAt: ago(2) },
    { code: REJECTED, state: "rejected" },
    { code: SUBMITTED, state: "submitted", tier: "benchmark" },
    { code: DRAFT, state: "draft" },
  ]);
  lixiaServices = await listings(LIXIA, [
    { name: "助餐", category: "elderly_care" },
    { name: "四点半课堂", category: "culture_education" },
    { name: "义诊", category: "health" },
    { name: "暂停的服务", category: "entrepreneurship", status: "suspended" },
    { name: "过期的服务", category: "party_building", validTo: "2020-12-31" },
    { name: "久未核实的服务", category: "green_low_carbon", verifiedDaysAgo: 800 },
  ]);
  // a facility hidden for want of verification: its services are not public
  await listings(LIXIA, [{ name: "隐藏设施的服务", category: "industry" }], { verifiedDaysAgo: 800 });
  zhangqiuServices = await listings(ZHANGQIU, [{ name: "创业指导", category: "entrepreneurship" }]);
});

describe("which communities the showcase lists", () => {
  it("lists those certified now with their tier, benchmark first, then growth, then basic", async () => {
    const data = await showcase();
    expect(data.communities.map((c) => [c.code, c.tier])).toEqual([
      [LIXIA, "benchmark"],
      [ZHANGQIU_NOTICE_ENDED, "growth"],
      [ZHANGQIU, "growth"],
      [ZHANGQIU_AGAIN, "basic"],
      [SHINAN, "basic"],
    ]);
    expect(data.tiers).toEqual({ basic: 2, growth: 2, benchmark: 1 });
    expect(data.all).toBe(5);
    expect(data.total).toBe(5);
    const lixia = data.communities[0];
    expect(lixia).toMatchObject({ city: "济南市", county: "历下区" });
  });

  it("does not list a draft, submitted, rejected or revoked assessment, nor one still in its notice period", async () => {
    const codes = (await showcase()).communities.map((c) => c.code);
    for (const code of [IN_NOTICE, REVOKED, REJECTED, SUBMITTED, DRAFT]) expect(codes).not.toContain(code);
  });

  it("filters by city and by county, and drops a county outside the city chosen", async () => {
    const qingdao = await showcase("?city=3702");
    expect(qingdao.communities.map((c) => c.code)).toEqual([SHINAN]);
    expect(qingdao.tiers).toEqual({ basic: 1, growth: 0, benchmark: 0 });

    const zhangqiu = await showcase("?county=370114");
    expect(zhangqiu.query).toMatchObject({ city: "3701", county: "370114" });
    expect(zhangqiu.communities.map((c) => c.code)).toEqual([ZHANGQIU_NOTICE_ENDED, ZHANGQIU, ZHANGQIU_AGAIN]);

    const moved = await showcase("?city=3702&county=370114");
    expect(moved.query).toMatchObject({ city: "3702", county: null });
    expect(moved.communities.map((c) => c.code)).toEqual([SHINAN]);

    const byTier = await showcase("?city=3701&tier=growth");
    expect(byTier.communities.map((c) => c.code)).toEqual([ZHANGQIU_NOTICE_ENDED, ZHANGQIU]);
    expect(byTier.total).toBe(2);
    expect(byTier.all).toBe(4);

    // the choices carry their counts; nonsense is dropped, not refused
    expect(qingdao.cities.find((c) => c.code === "3701")?.communities).toBe(4);
    expect(qingdao.counties.find((c) => c.code === "370114")?.communities).toBe(3);
    const nonsense = await showcase("?city=11&county=abc&tier=gold&page=-3");
    expect(nonsense.query).toEqual({ city: null, county: null, tier: null, page: 1 });
    expect(nonsense.total).toBe(5);
  });

  it("pages 50 at a time, with the counts per tier of the whole filter", async () => {
    const codes = await queryRows<{ code: string }>(
      sql`select code from regions where level = 'community' and code like '370112%' order by code limit 60`,
    );
    await place(codes.map(({ code }) => ({ code, state: "approved", tier: "basic", effectiveAt: ago(5) })));
    const first = await showcase();
    expect(first.total).toBe(65);
    expect(first.pages).toBe(2);
    expect(first.communities).toHaveLength(50);
    expect(first.communities[0].code).toBe(LIXIA);
    const second = await showcase("?page=2");
    expect(second.communities).toHaveLength(15);
    expect(second.tiers).toEqual({ basic: 62, growth: 2, benchmark: 1 });
    // past the last page: the last page
    expect((await showcase("?page=9")).query.page).toBe(2);
    const seen = new Set([...first.communities, ...second.communities].map((c) => c.code));
    expect(seen.size).toBe(65);
  });
});

describe("how the showcase shows a community", () => {
  it("marks a demo certification as demo, like the other pages", async () => {
    await db.execute(sql`update assessments set is_demo = true where community_code = ${SHINAN}`);
    const data = await showcase();
    expect(data.communities.find((c) => c.code === SHINAN)).toMatchObject({ isDemo: true });
    expect(data.communities.find((c) => c.code === LIXIA)).toMatchObject({ isDemo: false });
    const page = await renderPage(showcaseRoute, "/showcase", "/showcase?city=3702");
    expect(page.html).toContain("badge-demo");
    const lixia = await renderPage(showcaseRoute, "/showcase", "/showcase?county=370102");
    expect(lixia.html).not.toContain("badge-demo");
  });

  it("links each filter and page with the others kept, and leaves out what is empty", () => {
    expect(showcaseHref({ city: "3701", county: null, tier: "growth", page: 2 })).toBe(
      "/showcase?city=3701&tier=growth&page=2",
    );
    expect(showcaseHref({ city: null, county: null, tier: null, page: 1 })).toBe("/showcase");
    expect(scenarioAreasOf(["health", "party_building", "elderly_care", "other"])).toEqual([
      "elderly_care",
      "party_building",
    ]);
  });
});

describe("what the showcase counts", () => {
  it("counts only public services, and the scenario areas among them", async () => {
    const data = await showcase("?city=3701");
    const lixia = data.communities.find((c) => c.code === LIXIA)!;
    // 助餐, 四点半课堂, 义诊: not the suspended, expired, stale one, nor those of the hidden facility
    expect(lixia.services).toBe(3);
    expect(lixia.areas).toEqual(["elderly_care", "culture_education"]);
    expect(data.communities.find((c) => c.code === ZHANGQIU)).toMatchObject({
      services: 1,
      areas: ["entrepreneurship"],
    });
    expect(data.communities.find((c) => c.code === ZHANGQIU_AGAIN)).toMatchObject({ services: 0, areas: [] });
  });

  it("shows the share satisfied from the minimum of responses, else the count alone", async () => {
    await opinions(lixiaServices["助餐"], LIXIA, 9, 1);
    // a year old: not counted
    await opinions(lixiaServices["义诊"], LIXIA, 0, 5, 400);
    await opinions(zhangqiuServices["创业指导"], ZHANGQIU, 2, 1);
    let data = await showcase();
    expect(data.minResponses).toBe(10);
    expect(data.communities.find((c) => c.code === LIXIA)!.satisfaction).toEqual({
      responses: 10,
      satisfied: 9,
      rate: 0.9,
    });
    expect(data.communities.find((c) => c.code === ZHANGQIU)!.satisfaction).toEqual({
      responses: 3,
      satisfied: 2,
      rate: null,
    });
    expect(data.communities.find((c) => c.code === SHINAN)!.satisfaction).toEqual({
      responses: 0,
      satisfied: 0,
      rate: null,
    });

    const admin = await createTestUser({ role: "province_admin", regionCode: "37" });
    await saveSatisfactionMinResponses({ userId: admin.id }, 3);
    data = await showcase("?county=370114");
    expect(data.communities.find((c) => c.code === ZHANGQIU)!.satisfaction.rate).toBeCloseTo(2 / 3, 4);
  });

  it("renders the list with tier, areas and satisfaction, in both languages", async () => {
    await opinions(lixiaServices["助餐"], LIXIA, 9, 1);
    await opinions(zhangqiuServices["创业指导"], ZHANGQIU, 2, 1);
    const zh = await renderPage(showcaseRoute, "/showcase", "/showcase?city=3701");
    expect(zh.status).toBe(200);
    expect(zh.html).toContain("智慧社区风采");
    expect(zh.html).toContain(`href="/showcase/${LIXIA}"`);
    expect(zh.html).toContain("标杆型");
    expect(zh.html).toContain("居民满意 90.0%（10 条评价）");
    expect(zh.html).toContain("居民满意度 —（3 条评价，满 10 条后显示比例）");
    expect(zh.html).toContain("居民满意度：暂无评价");
    expect(zh.html).toContain("养老服务");
    expect(zh.html).not.toContain(SHINAN);
    const en = await renderPage(showcaseRoute, "/showcase", "/showcase?city=3701", { locale: "en" });
    expect(en.html).toContain("Residents satisfied: 90.0% (responses: 10)");
  });
});

describe("a certified community's page", () => {
  it("lists only its public services, with links to their pages", async () => {
    const response = await communityPage(LIXIA);
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      community: { code: string; tier: string; services: number };
      services: { id: string; name: string }[];
    };
    expect(data.community).toMatchObject({ code: LIXIA, tier: "benchmark", services: 3 });
    expect(data.services.map((s) => s.name).sort()).toEqual(["义诊", "助餐", "四点半课堂"].sort());
    const page = await renderPage(showcaseCommunityRoute, "/showcase/:code", `/showcase/${LIXIA}`);
    expect(page.html).toContain(`href="/services/${lixiaServices["助餐"]}"`);
    expect(page.html).not.toContain("暂停的服务");
    expect(page.html).not.toContain("隐藏设施的服务");
  });

  it("is 404 for any community not certified now, and for what is not a community code", async () => {
    for (const code of [
      IN_NOTICE,
      REVOKED,
      REJECTED,
      SUBMITTED,
      DRAFT,
      "370102001001",
      "370102",
      "abc",
      "110101001001",
    ]) {
      expect((await communityPage(code)).status, code).toBe(404);
    }
    const page = await renderPage(showcaseCommunityRoute, "/showcase/:code", `/showcase/${IN_NOTICE}`);
    expect(page.status).toBe(404);
    expect(page.html).toContain("没有找到这个已认定的智慧社区");
    expect(page.html).not.toContain("市中区");
    // certified again after a revocation: its current tier
    expect(await (await communityPage(ZHANGQIU_AGAIN)).json()).toMatchObject({ community: { tier: "basic" } });
  });
});
