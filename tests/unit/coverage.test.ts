import {
  ancestorCodes,
  certifiedAt,
  defaultTargetYear,
  endOfDayInChina,
  progressToTarget,
  resolveTarget,
  targetCount,
  targetYears,
  todayInChina,
  type EffectivePeriod,
  type TargetRow,
} from "~/domains/coverage/coverage";
import { trendDates } from "~/domains/coverage/coverage.server";

const targets: TargetRow[] = [
  { id: "p22", regionCode: "370000000000", year: 2022, rate: 0.2, count: 1200, deadline: "2022-12-31" },
  { id: "p25", regionCode: "370000000000", year: 2025, rate: null, count: 5000, deadline: "2025-12-31" },
  { id: "jn22", regionCode: "370100000000", year: 2022, rate: null, count: 200, deadline: "2022-12-31" },
  { id: "lx24", regionCode: "370102000000", year: 2024, rate: 0.3, count: null, deadline: "2024-06-30" },
];

describe("targets", () => {
  it("lists a region's ancestors nearest first", () => {
    expect(ancestorCodes("370102001002", "community")).toEqual([
      "370102001000",
      "370102000000",
      "370100000000",
      "370000000000",
    ]);
    expect(ancestorCodes("370000000000", "province")).toEqual([]);
  });

  it("uses the region's own target, else the nearest ancestor's rate, never an ancestor's count", () => {
    expect(resolveTarget("370100000000", "city", 2022, targets)).toMatchObject({
      rate: null,
      count: 200,
      inherited: false,
    });
    // Lixia has no 2022 row and Jinan's is a count: the province's 20% applies
    expect(resolveTarget("370102000000", "county", 2022, targets)).toMatchObject({
      rate: 0.2,
      count: null,
      deadline: "2022-12-31",
      fromRegionCode: "370000000000",
      inherited: true,
    });
    // 2025 is a province count only: nothing passes down
    expect(resolveTarget("370102000000", "county", 2025, targets)).toBeNull();
    expect(resolveTarget("370102001002", "community", 2024, targets)).toMatchObject({
      rate: 0.3,
      fromRegionCode: "370102000000",
    });
  });

  it("asks for ceil(rate × total) with a rate, the count without, and does not round 7% of 100 up to 8", () => {
    expect(targetCount({ rate: 0.2, count: 1200 }, 7084)).toBe(1417);
    expect(targetCount({ rate: 0.07, count: null }, 100)).toBe(7);
    expect(targetCount({ rate: 0.2, count: null }, 139)).toBe(28);
    expect(targetCount({ rate: null, count: 200 }, 1067)).toBe(200);
    expect(targetCount({ rate: 0.2, count: null }, 0)).toBe(0);
  });

  it("offers the years of the region and its rate-setting ancestors, and opens on the first deadline still ahead", () => {
    expect(targetYears("370102000000", "county", targets).map((y) => y.year)).toEqual([2022, 2024]);
    expect(targetYears("370100000000", "city", targets).map((y) => y.year)).toEqual([2022]);
    const years = targetYears("370000000000", "province", targets);
    expect(defaultTargetYear(years, "2022-06-01")).toBe(2022);
    expect(defaultTargetYear(years, "2023-01-01")).toBe(2025);
    expect(defaultTargetYear(years, "2026-11-26")).toBe(2025);
    expect(defaultTargetYear([], "2026-11-26")).toBeNull();
  });
});

describe("progress to a target", () => {
  it("gives the gap, the pace needed per month and the projection at the 90-day pace", () => {
    // 100 certified, 70 of them 90 days ago: 1/3 a day; 61 days to go
    const p = progressToTarget({
      certified: 100,
      certifiedWindowAgo: 70,
      targetCount: 150,
      deadline: "2022-12-31",
      asOf: "2022-10-31",
    });
    expect(p.gap).toBe(50);
    expect(p.daysLeft).toBe(61);
    expect(p.neededPerMonth).toBeCloseTo(50 / (61 / (365.25 / 12)), 9);
    expect(p.recentPerMonth).toBeCloseTo((30 / 90) * (365.25 / 12), 9);
    expect(p.projected).toBeCloseTo(100 + (30 / 90) * 61, 9);
    // 120.3 projected of 150: it closes less than half the 50 missing
    expect(p.status).toBe("off_track");
  });

  it("is achieved once the count is reached, whatever the date", () => {
    expect(
      progressToTarget({
        certified: 30,
        certifiedWindowAgo: 30,
        targetCount: 28,
        deadline: "2022-12-31",
        asOf: "2026-11-26",
      }),
    ).toMatchObject({
      gap: 0,
      status: "achieved",
    });
  });

  it("is on track when the recent pace reaches the target, at risk when it closes half the gap", () => {
    const base = { certifiedWindowAgo: 0, deadline: "2022-12-31", asOf: "2022-10-02" }; // 90 days left
    expect(progressToTarget({ ...base, certified: 50, targetCount: 100 }).status).toBe("on_track"); // +50 projected
    expect(progressToTarget({ ...base, certified: 40, targetCount: 100 }).status).toBe("at_risk"); // +40 of 60 missing
    expect(progressToTarget({ ...base, certified: 30, targetCount: 100 }).status).toBe("off_track"); // +30 of 70
    expect(progressToTarget({ ...base, certified: 20, targetCount: 100 }).status).toBe("off_track"); // +20 of 80
  });

  it("is off track after the deadline, with no pace needed", () => {
    const p = progressToTarget({
      certified: 26,
      certifiedWindowAgo: 26,
      targetCount: 28,
      deadline: "2022-12-31",
      asOf: "2023-01-01",
    });
    expect(p).toMatchObject({ gap: 2, daysLeft: 0, neededPerMonth: null, status: "off_track", projected: 26 });
  });
});

describe("certified on a date", () => {
  const at = (iso: string) => new Date(iso);
  const periods: EffectivePeriod[] = [
    { communityCode: "A", kind: "community", effectiveAt: at("2022-03-01T02:00:00Z"), revokedAt: null },
    {
      communityCode: "B",
      kind: "community",
      effectiveAt: at("2022-05-01T02:00:00Z"),
      revokedAt: at("2023-02-01T02:00:00Z"),
    },
    // re-certified after the revocation: counted once
    { communityCode: "B", kind: "community", effectiveAt: at("2024-01-10T02:00:00Z"), revokedAt: null },
    { communityCode: "V", kind: "village", effectiveAt: at("2022-12-31T15:30:00Z"), revokedAt: null },
  ];

  it("counts an assessment from the instant it takes effect until its revocation", () => {
    expect([...certifiedAt(periods, endOfDayInChina("2022-02-28")).keys()]).toEqual([]);
    expect([...certifiedAt(periods, endOfDayInChina("2022-06-30")).keys()].sort()).toEqual(["A", "B"]);
    expect([...certifiedAt(periods, endOfDayInChina("2023-06-30")).keys()].sort()).toEqual(["A", "V"]);
    expect([...certifiedAt(periods, endOfDayInChina("2024-06-30")).keys()].sort()).toEqual(["A", "B", "V"]);
  });

  it("reads a date as the end of that day in China", () => {
    expect(endOfDayInChina("2022-12-31").toISOString()).toBe("2022-12-31T16:00:00.000Z");
    // 23:30 in Beijing on 31 December counts for 2022
    expect(certifiedAt(periods, endOfDayInChina("2022-12-31")).has("V")).toBe(true);
    expect(certifiedAt(periods, endOfDayInChina("2022-12-30")).has("V")).toBe(false);
    expect(todayInChina(new Date("2026-11-26T17:00:00Z"))).toBe("2026-11-27");
    expect(todayInChina(new Date("2026-11-26T15:59:00Z"))).toBe("2026-11-26");
  });

  it("charts month ends from January of the first year, then the as-of date", () => {
    expect(trendDates("2022-04-15", 2022)).toEqual(["2022-01-31", "2022-02-28", "2022-03-31", "2022-04-15"]);
    expect(trendDates("2024-03-31", 2024)).toEqual(["2024-01-31", "2024-02-29", "2024-03-31"]);
  });
});
