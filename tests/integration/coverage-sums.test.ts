import { sql } from "drizzle-orm";

import { addDays } from "~/domains/coverage/coverage";
import { getCoverageReport, type CoverageReport } from "~/domains/coverage/coverage.server";

import { db, queryRows } from "../../db/client.server";
import { LEVEL_CODE_LENGTH } from "../../db/identifiers";
import { assessments } from "../../db/schema";
import { mulberry32 } from "../../db/seed/random";

// Property: on random assessment histories, at random dates, with and without villages, every
// region's figures equal the sum of its children's, down from the province to a township, and
// agree with a plain recount of the inserted histories.

type History = {
  code: string;
  kind: "community" | "village";
  effectiveAt: Date | null;
  revokedAt: Date | null;
  state: string;
};

const seed = Number(process.env.COVERAGE_SEED ?? Date.now() % 1_000_000);
const random = mulberry32(seed);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
const START = Date.parse("2022-01-01T00:00:00+08:00");
const END = Date.parse("2026-11-01T00:00:00+08:00");
const moment = () => new Date(START + random() * (END - START));

let histories: History[] = [];

beforeAll(async () => {
  await db.execute(sql`truncate table assessment_transitions, assessments cascade`);
  const communities = await queryRows<{ code: string; kind: "community" | "village" }>(
    sql`select code, kind::text as kind from regions where level = 'community' order by code`,
  );
  // most in a few counties (so townships get several), the rest anywhere in the province
  const focus = communities.filter(
    (c) => c.code.startsWith("370102") || c.code.startsWith("370114") || c.code.startsWith("3702"),
  );
  histories = [];
  for (let i = 0; i < 600; i++) {
    const community = random() < 0.7 ? pick(focus) : pick(communities);
    const state = pick(["approved", "approved", "approved", "revoked", "notice", "rejected", "submitted"] as const);
    const effectiveAt = state === "rejected" || state === "submitted" ? null : moment();
    const revokedAt =
      state === "revoked" && effectiveAt
        ? new Date(effectiveAt.getTime() + random() * (END - effectiveAt.getTime()))
        : null;
    histories.push({ code: community.code, kind: community.kind, effectiveAt, revokedAt, state });
  }
  for (let i = 0; i < histories.length; i += 200) {
    await db.insert(assessments).values(
      histories.slice(i, i + 200).map((h, j) => ({
        id: `prop-${i + j}`,
        communityCode: h.code,
        standardVersion: 1,
        state: h.state as "approved",
        score: 70,
        effectiveAt: h.effectiveAt,
        approvedAt: h.effectiveAt,
        revokedAt: h.revokedAt,
      })),
    );
  }
});

/** certified communities under a prefix at the end of a China day, counted the plain way */
function recount(prefix: string, date: string, includeVillages: boolean) {
  const instant = Date.parse(`${addDays(date, 1)}T00:00:00+08:00`);
  const certified = new Set<string>();
  for (const h of histories) {
    if (!h.code.startsWith(prefix) || !h.effectiveAt) continue;
    if (h.state === "rejected" || h.state === "submitted") continue;
    if (!includeVillages && h.kind === "village") continue;
    if (h.effectiveAt.getTime() < instant && (!h.revokedAt || h.revokedAt.getTime() >= instant)) certified.add(h.code);
  }
  return certified.size;
}

function expectSums(r: CoverageReport) {
  const sum = (key: "communities" | "certified" | "urban" | "urbanCertified" | "villages" | "villagesCertified") =>
    r.children.reduce((s, c) => s + c[key], 0);
  const label = `${r.region.code} on ${r.asOf} (villages ${r.includeVillages}, seed ${seed})`;
  for (const key of ["communities", "certified", "urban", "urbanCertified", "villages", "villagesCertified"] as const) {
    expect(sum(key), `${label}: ${key}`).toBe(r.figures[key]);
  }
}

describe(`coverage adds up (seed ${seed}; rerun with COVERAGE_SEED=${seed})`, () => {
  it("at every level, on random dates, with and without villages, and agrees with a recount", async () => {
    for (let round = 0; round < 4; round++) {
      const asOf = new Date(START + random() * (Date.parse("2026-11-20T00:00:00Z") - START)).toISOString().slice(0, 10);
      const includeVillages = round % 2 === 1;
      const province = (await getCoverageReport("370000000000", { asOf, includeVillages }))!;
      expect(province.children).toHaveLength(16);
      expectSums(province);
      expect(province.figures.certified).toBe(recount("37", asOf, includeVillages));
      // all 151 county-level units at once add up to the province too
      const counties = (await getCoverageReport("370000000000", { asOf, includeVillages, children: "county" }))!;
      expect(counties.children).toHaveLength(151);
      expect(counties.childrenLevel).toBe("county");
      expectSums(counties);
      expect(counties.figures).toEqual(province.figures);

      // down one random branch to a township, and through the fixture-heavy ones
      const city = pick(province.children.filter((c) => c.communities > 0));
      for (const code of [city.code, "370200000000", "370100000000", "370102000000", "370114000000"]) {
        const r = (await getCoverageReport(code, { asOf, includeVillages }))!;
        expectSums(r);
        // the region's own digits (3710, not 371: codes may end in a zero of their own)
        const prefix = code.slice(0, LEVEL_CODE_LENGTH[r.region.level]);
        expect(r.figures.certified, `${code} on ${asOf}`).toBe(recount(prefix, asOf, includeVillages));
        const child = pick(r.children.filter((c) => c.communities > 0));
        const below = (await getCoverageReport(child.code, { asOf, includeVillages }))!;
        expectSums(below);
        expect(below.figures.certified).toBe(child.certified);
        expect(below.figures.communities).toBe(child.communities);
      }
      for (const township of ["370102001000", "370114009000"]) {
        const r = (await getCoverageReport(township, { asOf, includeVillages }))!;
        expectSums(r);
      }
    }
  });
});
