import { sql } from "drizzle-orm";

import { getCoverageReport } from "~/domains/coverage/coverage.server";

import { db } from "../../db/client.server";
import { saveTarget } from "../../db/queries/coverage.server";
import { assessments } from "../../db/schema";
import { auditCount, createTestUser } from "../utils/accounts";

// Hand-computed figures for Zhangqiu district (370114: 69 urban communities, 525 villages in
// the reference data), with a few assessments placed by hand.
type Placed = {
  code: string;
  state: "approved" | "revoked" | "notice" | "rejected" | "submitted";
  effectiveAt?: string;
  revokedAt?: string;
};

async function place(rows: Placed[]) {
  for (const [i, row] of rows.entries()) {
    await db.insert(assessments).values({
      id: `fixture-${i}`,
      communityCode: row.code,
      standardVersion: 1,
      state: row.state,
      tier: row.state === "rejected" || row.state === "submitted" ? null : "basic",
      score: 70,
      effectiveAt: row.effectiveAt ? new Date(row.effectiveAt) : null,
      approvedAt: row.effectiveAt ? new Date(row.effectiveAt) : null,
      revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
    });
  }
}

const report = (code: string, asOf: string, options: { includeVillages?: boolean; year?: number } = {}) =>
  getCoverageReport(code.padEnd(12, "0"), {
    asOf,
    includeVillages: options.includeVillages ?? false,
    year: options.year,
  });

beforeEach(async () => {
  await db.execute(sql`truncate table assessment_transitions, assessments cascade`);
  await place([
    { code: "370114009001", state: "approved", effectiveAt: "2022-06-15T02:00:00Z" },
    { code: "370114009200", state: "approved", effectiveAt: "2022-11-30T02:00:00Z" },
    { code: "370114009201", state: "revoked", effectiveAt: "2022-03-01T02:00:00Z", revokedAt: "2022-10-01T02:00:00Z" },
    { code: "370114001001", state: "revoked", effectiveAt: "2022-12-20T02:00:00Z", revokedAt: "2023-03-01T02:00:00Z" },
    { code: "370114001001", state: "approved", effectiveAt: "2024-05-01T02:00:00Z" },
    // a public-notice period that ended on 25 December (not yet settled to 'approved')
    { code: "370114001002", state: "notice", effectiveAt: "2022-12-25T02:00:00Z" },
    { code: "370114001003", state: "rejected" },
    { code: "370114001004", state: "submitted" },
  ]);
});

describe("coverage of a region on a date", () => {
  it("counts urban communities certified at the end of the day, against the province's inherited 20%", async () => {
    const r = (await report("370114", "2022-12-31"))!;
    expect(r.figures).toMatchObject({
      communities: 69,
      certified: 3,
      urban: 69,
      urbanCertified: 3,
      villages: 525,
      villagesCertified: 1,
      gap: 11, // ceil(0.2 × 69) = 14
      status: "off_track",
      daysLeft: 0,
      neededPerMonth: null,
    });
    expect(r.figures.rate).toBeCloseTo(3 / 69, 12);
    expect(r.figures.target).toMatchObject({
      year: 2022,
      rate: 0.2,
      deadline: "2022-12-31",
      inherited: true,
      fromRegionCode: "370000000000",
      targetCount: 14,
    });
    // one urban community was certified on 2 October, three on 31 December
    expect(r.figures.recentPerMonth).toBeCloseTo((2 / 90) * (365.25 / 12), 9);
    expect(r.path.map((p) => p.name)).toEqual(["山东省", "济南市", "章丘区"]);
  });

  it("projects the last 90 days' pace to the deadline and gives the pace needed", async () => {
    // end of 20 December: 009001 and 001001 (approved that morning); 90 days before, 009001 only
    const r = (await report("370114", "2022-12-20"))!;
    expect(r.figures).toMatchObject({ certified: 2, gap: 12, daysLeft: 11, status: "off_track" });
    expect(r.figures.recentPerMonth).toBeCloseTo((1 / 90) * (365.25 / 12), 9);
    expect(r.figures.projected).toBeCloseTo(2 + 11 / 90, 9);
    expect(r.figures.neededPerMonth).toBeCloseTo(12 / (11 / (365.25 / 12)), 9);
  });

  it("adds the villages to both numbers when asked", async () => {
    const r = (await report("370114", "2022-12-31", { includeVillages: true }))!;
    expect(r.figures).toMatchObject({ communities: 594, certified: 4, gap: 115 }); // ceil(0.2 × 594) = 119
    const township = (await report("370114009", "2022-12-31", { includeVillages: true }))!;
    expect(township.figures).toMatchObject({ communities: 38, certified: 2, urbanCertified: 1, villagesCertified: 1 });
  });

  it("follows revocations and re-certification through time", async () => {
    expect((await report("370114", "2022-09-30"))!.figures).toMatchObject({ urbanCertified: 1, villagesCertified: 1 });
    expect((await report("370114", "2022-10-01"))!.figures).toMatchObject({ urbanCertified: 1, villagesCertified: 0 });
    expect((await report("370114", "2023-06-30"))!.figures).toMatchObject({ urbanCertified: 2, villagesCertified: 1 });
    expect((await report("370114", "2024-06-30"))!.figures).toMatchObject({ urbanCertified: 3, villagesCertified: 1 });
    expect((await report("370114", "2022-06-14"))!.figures.certified).toBe(0);
  });

  it("lists every child with its own figures, adding up to the region", async () => {
    const r = (await report("370114", "2022-12-31"))!;
    expect(r.children).toHaveLength(18);
    const township001 = r.children.find((c) => c.code === "370114001000")!;
    expect(township001).toMatchObject({ name: expect.any(String), level: "township", communities: 17, certified: 2 });
    expect(r.children.find((c) => c.code === "370114009000")).toMatchObject({
      communities: 1,
      certified: 1,
      status: "achieved",
    });
    expect(r.children.reduce((s, c) => s + c.communities, 0)).toBe(69);
    expect(r.children.reduce((s, c) => s + c.certified, 0)).toBe(3);

    const community = (await report("370114001001", "2025-01-01"))!;
    expect(community.children).toEqual([]);
    expect(community.figures).toMatchObject({ communities: 1, certified: 1 });
  });

  it("uses a region's own target when it has one, and any year asked for", async () => {
    const admin = await createTestUser({ role: "province_admin", regionCode: "37" });
    const before = await auditCount();
    await saveTarget(
      { userId: admin.id },
      { regionCode: "370114000000", year: 2022, rate: null, count: 5, deadline: "2022-12-31" },
    );
    expect(await auditCount()).toBe(before + 1);
    const r = (await report("370114", "2022-12-31"))!;
    expect(r.figures.target).toMatchObject({ count: 5, rate: null, inherited: false, targetCount: 5 });
    expect(r.figures.gap).toBe(2);
    // the province's 2025 target is a count: nothing passes down to the district
    expect((await report("370114", "2025-06-30", { year: 2025 }))!.figures).toMatchObject({
      target: null,
      gap: null,
      status: null,
    });
    // and the province itself
    const province = (await report("37", "2025-06-30", { year: 2025 }))!;
    expect(province.figures.target).toMatchObject({ count: 5000, targetCount: 5000 });
    expect(province.figures.gap).toBe(5000 - 3);
  });

  it("charts the certified count at each month end", async () => {
    const r = (await report("370114", "2023-04-15"))!;
    const byDate = new Map(r.trend.map((p) => [p.date, p.certified]));
    expect(byDate.get("2022-05-31")).toBe(0);
    expect(byDate.get("2022-06-30")).toBe(1);
    expect(byDate.get("2022-12-31")).toBe(3);
    expect(byDate.get("2023-03-31")).toBe(2);
    expect(r.trend.at(-1)).toMatchObject({ date: "2023-04-15", certified: 2 });
  });
});
