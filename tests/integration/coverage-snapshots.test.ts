// Issue 14 part 3: the monthly coverage snapshot per region, which the trend reads.
import { sql } from "drizzle-orm";

import { getCoverageReport, snapshotCoverage } from "../../app/domains/coverage/coverage.server";
import { queryRows } from "../../db/client.server";
import { loadDemoData } from "../../db/seed/demo.server";

const QUERY = { includeVillages: false, asOf: "2026-11-15" } as const;

beforeAll(async () => {
  await loadDemoData(() => {});
});

describe("coverage snapshots", () => {
  it("takes every month end since January 2022 once, and the trend reads them as counted", async () => {
    const before = await getCoverageReport("370000000000", QUERY);
    const started = Date.now();
    const taken = await snapshotCoverage(new Date("2026-11-15T12:00:00+08:00"));
    console.log(`snapshots of ${taken.length} months in ${Date.now() - started} ms`);
    expect(taken[0]).toBe("2022-01-31");
    expect(taken.at(-1)).toBe("2026-10-31");
    expect(taken).toHaveLength(58);
    // a second run has nothing to take
    expect(await snapshotCoverage(new Date("2026-11-15T12:00:00+08:00"))).toEqual([]);
    // the next month's run takes that month only
    expect(await snapshotCoverage(new Date("2026-12-01T00:30:00+08:00"))).toEqual(["2026-11-30"]);

    const after = await getCoverageReport("370000000000", QUERY);
    expect(after!.trend).toEqual(before!.trend);
    expect(after!.trend.some((p) => p.certified > 0)).toBe(true);

    // every region above community level: the province, 16 cities, counties and townships
    const [counts] = await queryRows<{ digits: string }>(
      sql`select string_agg(distinct digits::text, ',' order by digits::text) as digits from coverage_snapshots`,
    );
    expect(counts.digits).toBe("2,4,6,9");

    // the trend reads the snapshot, with that month's number of communities
    await queryRows(
      sql`update coverage_snapshots set urban_certified = 7, urban = 70
          where digits = 4 and region_code = '370100000000' and month_end = '2025-06-30'`,
    );
    const city = await getCoverageReport("370100000000", QUERY);
    expect(city!.trend.find((p) => p.date === "2025-06-30")).toEqual({ date: "2025-06-30", certified: 7, rate: 0.1 });
  });
});
