import { sql } from "drizzle-orm";

import {
  NOTICE_ENDED_REASON,
  scoreOf,
  suggestedTier,
  tierFor,
  type StandardInput,
} from "../../app/domains/assessments/assessments";
import { db, queryRows } from "../../db/client.server";
import type { ServiceCategory } from "../../db/identifiers";
import {
  approveAssessment,
  evaluateAutomatic,
  getAssessment,
  getCurrentStandard,
  getSelfAssessment,
  listDutyConflicts,
  listRecentDecisions,
  listReviewQueue,
  publishStandard,
  rejectAssessment,
  revokeAssessment,
  saveDraft,
  settleNoticePeriods,
  startAssessment,
  submitAssessment,
} from "../../db/queries/assessments.server";
import { importListings } from "../../db/queries/listing-import.server";
import {
  createFacility,
  createService,
  getFacility,
  setServiceStatus,
  updateCommunityProfile,
  updateFacility,
  verifyService,
  type ServiceFields,
} from "../../db/queries/listings.server";
import { assessments } from "../../db/schema";
import { createTestUser } from "../utils/accounts";

const HOME = "370102001002";
const DAY = 24 * 3600 * 1000;
const hours = { week: { "1": ["08:00-17:00"] } };

async function actors() {
  const staff = await createTestUser({ role: "community_staff", regionCode: HOME });
  const district = await createTestUser({ role: "district_official", regionCode: "370102" });
  return { staff: { userId: staff.id }, district: { userId: district.id } };
}

async function facilityWith(
  code: string,
  categories: ServiceCategory[],
  options: { point?: boolean; hours?: boolean } = {},
) {
  const owner = await createTestUser({ role: "province_admin", regionCode: "37" });
  const facility = await createFacility({ userId: owner.id }, code, {
    name: `设施 ${categories.join(" ")}`,
    type: "other",
    address: "",
    ...(options.point === false ? {} : { lat: 36.6651, lng: 117.0403 }),
    openingHours: options.hours === false ? null : hours,
  });
  const services = [];
  for (const category of categories) {
    const fields: ServiceFields = { name: `服务 ${category}`, category, description: "", residentsOnly: false };
    services.push((await createService({ userId: owner.id }, facility.id, fields))!);
  }
  return { facility, services };
}

/** everything automatic met: 4 scenario areas incl. elderly care and entrepreneurship, living-circle row */
async function fullyServed(code: string) {
  const made = await facilityWith(code, ["elderly_care", "entrepreneurship", "culture_education", "party_building"]);
  await db.execute(sql`insert into community_access (community_code, measure, facility_id, distance_m)
                       values (${code}, 'elderly_care', ${made.facility.id}, 420)
                       on conflict (community_code, measure) do update set distance_m = 420`);
  return made;
}

const allManual = [
  { key: "gigabit_fibre", met: true, text: "千兆光纤入户率 92%", links: ["https://example.org/fibre.pdf"] },
  { key: "video_coverage", met: true, text: "重点部位 48 路视频" },
  { key: "resident_platform", met: true, links: ["http://example.org/app"] },
];

async function transitionsOf(id: string) {
  return queryRows<{
    from_state: string | null;
    to_state: string;
    actor_user_id: string | null;
    reason: string | null;
  }>(
    sql`select from_state, to_state, actor_user_id, reason from assessment_transitions where assessment_id = ${id} order by id`,
  );
}

async function auditsOf(id: string) {
  return queryRows<{ action: string; actor_user_id: string | null; region_code: string }>(
    sql`select action, actor_user_id, region_code from audit_entries where object_type = 'assessment' and object_id = ${id} order by id`,
  );
}

/** a draft with all manual evidence, submitted: score 100 when fully served */
async function submitted(actor: { userId: string }, code = HOME, now = new Date()) {
  const started = await startAssessment(actor, code, now);
  if (!started.ok) throw new Error(`start failed: ${started.reason}`);
  const saved = await saveDraft(actor, started.assessment.id, started.assessment.version, allManual, now);
  if (!saved.ok) throw new Error(`save failed: ${saved.reason}`);
  const sent = await submitAssessment(actor, saved.assessment.id, saved.assessment.version, now);
  if (!sent.ok) throw new Error(`submit failed: ${sent.reason}`);
  return sent.assessment;
}

async function setNoticeDays(days: number) {
  const current = await getCurrentStandard();
  const published = await publishStandard((await actors()).district, { ...current, noticeDays: days });
  if (!published.ok) throw new Error("could not publish");
}

beforeEach(async () => {
  await db.execute(
    sql`truncate table assessment_transitions, assessments, community_access, services, facilities cascade`,
  );
  await db.execute(sql`delete from evaluation_standards where version > 1`);
});

describe("scoring", () => {
  const indicators = [
    { key: "a", kind: "automatic" as const, weight: 60, label: { "zh-CN": "a", en: "a" } },
    { key: "b", kind: "manual" as const, weight: 40, label: { "zh-CN": "b", en: "b" } },
  ];

  it("adds the weights of met indicators, scaled to 100 when the weights do not add up to 100", () => {
    expect(
      scoreOf(indicators, [
        { key: "a", met: true },
        { key: "b", met: false },
      ]),
    ).toBe(60);
    expect(
      scoreOf(indicators, [
        { key: "a", met: true },
        { key: "b", met: true },
      ]),
    ).toBe(100);
    const halves = indicators.map((i) => ({ ...i, weight: i.weight / 2 }));
    expect(scoreOf(halves, [{ key: "a", met: true }])).toBe(60);
    // 1 of 3 equal weights: 33.3, rounded down
    const thirds = ["x", "y", "z"].map((key) => ({
      key,
      kind: "manual" as const,
      weight: 1,
      label: { "zh-CN": key, en: key },
    }));
    expect(scoreOf(thirds, [{ key: "x", met: true }])).toBe(33.3);
    expect(
      scoreOf(thirds, [
        { key: "x", met: true },
        { key: "y", met: true },
      ]),
    ).toBe(66.6);
    expect(scoreOf([{ ...indicators[0], weight: 0 }], [{ key: "a", met: true }])).toBe(0);
  });

  it("gives the highest tier reached, and suggests none below the pass score", () => {
    const tiers = { basic: 60, growth: 75, benchmark: 90 };
    expect(tierFor(59.9, tiers)).toBeNull();
    expect(tierFor(60, tiers)).toBe("basic");
    expect(tierFor(89.9, tiers)).toBe("growth");
    expect(tierFor(90, tiers)).toBe("benchmark");
    expect(suggestedTier(70, { passScore: 70, tierScores: tiers })).toBe("basic");
    expect(suggestedTier(65, { passScore: 70, tierScores: tiers })).toBeNull();
    expect(suggestedTier(null, { passScore: 70, tierScores: tiers })).toBeNull();
  });
});

describe("automatic indicators from live data", () => {
  const met = (values: Awaited<ReturnType<typeof evaluateAutomatic>>) =>
    Object.fromEntries(values.map((v) => [v.key, v.met]));

  it("are all unmet for a community with no listings", async () => {
    const values = await evaluateAutomatic(HOME, await getCurrentStandard());
    expect(met(values)).toEqual({
      elderly_care_service: false,
      entrepreneurship_service: false,
      scenario_breadth: false,
      facility_data_complete: false,
      elderly_care_access: false,
      listings_verified: false,
    });
    expect(values.find((v) => v.key === "elderly_care_access")!.detail).toEqual({ distanceM: null });
  });

  it("are met from active services, complete facilities, recent verification and the living-circle table", async () => {
    const { services } = await fullyServed(HOME);
    let values = await evaluateAutomatic(HOME, await getCurrentStandard());
    expect(met(values)).toEqual({
      elderly_care_service: true,
      entrepreneurship_service: true,
      scenario_breadth: true,
      facility_data_complete: true,
      elderly_care_access: true,
      listings_verified: true,
    });
    expect(values.find((v) => v.key === "scenario_breadth")!.detail).toEqual({
      count: 4,
      areas: "culture_education,elderly_care,entrepreneurship,party_building",
    });
    expect(values.find((v) => v.key === "elderly_care_access")!.detail).toEqual({ distanceM: 420 });

    // a suspended service is not active; an expired one neither; health is not a scenario area
    await db.execute(sql`update services set status = 'suspended' where id = ${services[0].id}`);
    await db.execute(sql`update services set valid_to = '2020-01-01' where id = ${services[1].id}`);
    await facilityWith(HOME, ["health"]);
    values = await evaluateAutomatic(HOME, await getCurrentStandard());
    expect(met(values)).toMatchObject({
      elderly_care_service: false,
      entrepreneurship_service: false,
      scenario_breadth: false,
    });
    expect(values.find((v) => v.key === "scenario_breadth")!.detail.count).toBe(2);
  });

  it("needs every facility's point and hours, and every listing verified within 180 days", async () => {
    await fullyServed(HOME);
    const { facility } = await facilityWith(HOME, ["other"], { hours: false });
    let values = await evaluateAutomatic(HOME, await getCurrentStandard());
    expect(values.find((v) => v.key === "facility_data_complete")).toMatchObject({
      met: false,
      detail: { total: 2, complete: 1 },
    });
    await db.execute(sql`update facilities set status = 'closed' where id = ${facility.id}`);
    values = await evaluateAutomatic(HOME, await getCurrentStandard());
    expect(values.find((v) => v.key === "facility_data_complete")).toMatchObject({
      met: true,
      detail: { total: 1, complete: 1 },
    });

    await db.execute(
      sql`update services set last_verified_at = now() - interval '181 days' where name = '服务 party_building'`,
    );
    values = await evaluateAutomatic(HOME, await getCurrentStandard());
    expect(values.find((v) => v.key === "listings_verified")).toMatchObject({
      met: false,
      detail: { total: 5, stale: 1 },
    });
    // 179 days ago is recent enough
    await db.execute(
      sql`update services set last_verified_at = now() - interval '179 days' where name = '服务 party_building'`,
    );
    expect(
      (await evaluateAutomatic(HOME, await getCurrentStandard())).find((v) => v.key === "listings_verified")!.met,
    ).toBe(true);
  });

  it("reads elderly-care access only from the community's own elderly_care row", async () => {
    await db.execute(sql`insert into community_access (community_code, measure, facility_id, distance_m) values
      (${HOME}, 'health', 'f-1', 100), ('370103002001', 'elderly_care', 'f-2', 100)`);
    expect(
      (await evaluateAutomatic(HOME, await getCurrentStandard())).find((v) => v.key === "elderly_care_access")!.met,
    ).toBe(false);
  });

  it("feed the live score of the self-assessment with the manual evidence", async () => {
    const { staff } = await actors();
    await fullyServed(HOME);
    const started = await startAssessment(staff, HOME);
    expect(started.ok).toBe(true);
    let self = await getSelfAssessment(HOME);
    expect(self.live.score).toBe(70);
    expect(self.live.tier).toBe("basic");
    // claimed without evidence: does not count
    await saveDraft(staff, self.latest!.id, self.latest!.version, [
      { key: "gigabit_fibre", met: true },
      { key: "video_coverage", met: true, text: "48 路" },
    ]);
    self = await getSelfAssessment(HOME);
    expect(self.live.score).toBe(80);
    expect(self.live.tier).toBe("growth");
    expect(self.live.rows.find((r) => r.indicator.key === "gigabit_fibre")).toMatchObject({
      claimed: true,
      met: false,
    });
  });
});

describe("the workflow", () => {
  it("starts, saves, submits and approves without a notice period: effective at once", async () => {
    const { staff, district } = await actors();
    await fullyServed(HOME);
    const t0 = new Date("2026-10-01T02:00:00Z");
    const started = await startAssessment(staff, HOME, t0);
    if (!started.ok) throw new Error(started.reason);
    expect(started.assessment).toMatchObject({ state: "draft", version: 1, standardVersion: 1, effectiveAt: null });
    // only one open assessment at a time
    expect(await startAssessment(staff, HOME, t0)).toMatchObject({ ok: false, reason: "invalid_state" });

    const saved = await saveDraft(staff, started.assessment.id, 1, allManual, t0);
    if (!saved.ok) throw new Error(saved.reason);
    expect(saved.assessment).toMatchObject({ state: "draft", version: 2 });
    expect(saved.assessment.indicators).toContainEqual({
      key: "gigabit_fibre",
      met: true,
      evidence: { text: "千兆光纤入户率 92%", links: ["https://example.org/fibre.pdf"] },
    });

    const sent = await submitAssessment(staff, started.assessment.id, 2, t0);
    if (!sent.ok) throw new Error(sent.reason);
    expect(sent.assessment).toMatchObject({
      state: "submitted",
      version: 3,
      score: 100,
      submittedAt: t0,
      effectiveAt: null,
    });
    expect(sent.assessment.indicators).toHaveLength(9);
    expect(sent.assessment.indicators).toContainEqual({ key: "elderly_care_access", met: true });

    const t1 = new Date("2026-10-05T02:00:00Z");
    const approved = await approveAssessment(district, sent.assessment.id, 3, "benchmark", t1);
    if (!approved.ok) throw new Error(approved.reason);
    expect(approved.assessment).toMatchObject({
      state: "approved",
      tier: "benchmark",
      approvedAt: t1,
      effectiveAt: t1,
      revokedAt: null,
      version: 4,
    });

    expect(await transitionsOf(sent.assessment.id)).toEqual([
      { from_state: null, to_state: "draft", actor_user_id: staff.userId, reason: null },
      { from_state: "draft", to_state: "submitted", actor_user_id: staff.userId, reason: null },
      { from_state: "submitted", to_state: "approved", actor_user_id: district.userId, reason: null },
    ]);
    expect((await auditsOf(sent.assessment.id)).map((a) => [a.action, a.actor_user_id, a.region_code])).toEqual([
      ["assessment.create", staff.userId, HOME],
      ["assessment.save", staff.userId, HOME],
      ["assessment.submit", staff.userId, HOME],
      ["assessment.approve", district.userId, HOME],
    ]);
    // approved: no new assessment may start
    expect(await startAssessment(staff, HOME)).toMatchObject({ ok: false, reason: "invalid_state" });
  });

  it("puts an approval into public notice, then settles it when the period has passed", async () => {
    const { staff, district } = await actors();
    await fullyServed(HOME);
    await setNoticeDays(7);
    const sent = await submitted(staff);
    const t1 = new Date("2026-10-05T02:00:00Z");
    const approved = await approveAssessment(district, sent.id, sent.version, "growth", t1);
    if (!approved.ok) throw new Error(approved.reason);
    expect(approved.assessment).toMatchObject({
      state: "notice",
      tier: "growth",
      approvedAt: t1,
      effectiveAt: new Date(t1.getTime() + 7 * DAY),
      revokedAt: null,
    });
    expect((await listReviewQueue({ prefixes: ["370102"], now: t1 })).map((q) => [q.id, q.state])).toEqual([
      [sent.id, "notice"],
    ]);

    expect(await settleNoticePeriods(new Date(t1.getTime() + 7 * DAY - 1000))).toBe(0);
    expect((await getAssessment(sent.id))!.state).toBe("notice");
    expect(await settleNoticePeriods(new Date(t1.getTime() + 7 * DAY))).toBe(1);
    expect(await settleNoticePeriods(new Date(t1.getTime() + 8 * DAY))).toBe(0);
    const after = (await getAssessment(sent.id))!;
    expect(after).toMatchObject({
      state: "approved",
      tier: "growth",
      effectiveAt: new Date(t1.getTime() + 7 * DAY),
      approvedAt: t1,
      version: approved.assessment.version + 1,
    });
    expect((await transitionsOf(sent.id)).slice(-2)).toEqual([
      { from_state: "submitted", to_state: "notice", actor_user_id: district.userId, reason: null },
      { from_state: "notice", to_state: "approved", actor_user_id: null, reason: NOTICE_ENDED_REASON },
    ]);
    expect((await auditsOf(sent.id)).at(-1)).toMatchObject({ action: "assessment.notice_ended", actor_user_id: null });
    // a stale version (from before the period ended) is a conflict, nothing changes
    expect(await rejectAssessment(district, sent.id, approved.assessment.version, "异议成立")).toMatchObject({
      ok: false,
      reason: "conflict",
    });
  });

  it("rejects during notice: never takes effect; a new assessment may start", async () => {
    const { staff, district } = await actors();
    await fullyServed(HOME);
    await setNoticeDays(5);
    const sent = await submitted(staff);
    const approved = await approveAssessment(district, sent.id, sent.version, "basic");
    if (!approved.ok) throw new Error(approved.reason);
    const rejected = await rejectAssessment(
      district,
      sent.id,
      approved.assessment.version,
      "  公示期间收到实名异议，经核实服务未开展  ",
    );
    if (!rejected.ok) throw new Error(rejected.reason);
    expect(rejected.assessment).toMatchObject({ state: "rejected", effectiveAt: null, revokedAt: null, tier: null });
    expect((await transitionsOf(sent.id)).at(-1)).toEqual({
      from_state: "notice",
      to_state: "rejected",
      actor_user_id: district.userId,
      reason: "公示期间收到实名异议，经核实服务未开展",
    });
    expect(await settleNoticePeriods(new Date(Date.now() + 30 * DAY))).toBe(0);
    const again = await startAssessment(staff, HOME);
    expect(again).toMatchObject({ ok: true, assessment: { state: "draft" } });
  });

  it("rejects a submission with a reason, and revokes an approval with one (keeping effective_at)", async () => {
    const { staff, district } = await actors();
    await fullyServed(HOME);
    const first = await submitted(staff);
    expect(await rejectAssessment(district, first.id, first.version, "   ")).toMatchObject({
      ok: false,
      reason: "invalid",
      fields: { reason: "assessment.errors.reasonRequired" },
    });
    expect(await rejectAssessment(district, first.id, first.version, "x".repeat(1001))).toMatchObject({
      ok: false,
      reason: "invalid",
      fields: { reason: "assessment.errors.reasonTooLong" },
    });
    expect(await transitionsOf(first.id)).toHaveLength(2);
    const rejected = await rejectAssessment(district, first.id, first.version, "证明材料不全");
    expect(rejected).toMatchObject({ ok: true, assessment: { state: "rejected", effectiveAt: null } });
    // a rejected one cannot be revoked
    expect(await revokeAssessment(district, first.id, first.version + 1, "撤销")).toMatchObject({
      ok: false,
      reason: "invalid_state",
    });

    const second = await submitted(staff);
    const t1 = new Date();
    const approved = await approveAssessment(district, second.id, second.version, "basic", t1);
    if (!approved.ok) throw new Error(approved.reason);
    expect(await revokeAssessment(district, second.id, approved.assessment.version, "")).toMatchObject({
      ok: false,
      reason: "invalid",
    });
    const t2 = new Date(t1.getTime() + 40 * DAY);
    const revoked = await revokeAssessment(district, second.id, approved.assessment.version, "养老服务站已停业", t2);
    expect(revoked).toMatchObject({ ok: true, assessment: { state: "revoked", effectiveAt: t1, revokedAt: t2 } });
    expect((await transitionsOf(second.id)).at(-1)).toEqual({
      from_state: "approved",
      to_state: "revoked",
      actor_user_id: district.userId,
      reason: "养老服务站已停业",
    });
    expect((await auditsOf(second.id)).at(-1)!.action).toBe("assessment.revoke");
    // history keeps both; a revoked community may start again
    expect(await startAssessment(staff, HOME)).toMatchObject({ ok: true });
    const all = await queryRows<{ n: number }>(
      sql`select count(*)::int as n from assessments where community_code = ${HOME}`,
    );
    expect(all[0].n).toBe(3);
  });

  it("refuses transitions from the wrong state, stale versions, low scores and tiers above the score", async () => {
    const { staff, district } = await actors();
    const started = await startAssessment(staff, HOME);
    if (!started.ok) throw new Error(started.reason);
    const draft = started.assessment;
    expect(await approveAssessment(district, draft.id, draft.version, "basic")).toMatchObject({
      ok: false,
      reason: "invalid_state",
    });
    expect(await rejectAssessment(district, draft.id, draft.version, "原因")).toMatchObject({
      ok: false,
      reason: "invalid_state",
    });
    expect(await revokeAssessment(district, draft.id, draft.version, "原因")).toMatchObject({
      ok: false,
      reason: "invalid_state",
    });
    expect(await saveDraft(staff, draft.id, draft.version + 5, allManual)).toMatchObject({
      ok: false,
      reason: "conflict",
      current: { version: draft.version },
    });
    expect(await saveDraft(staff, "no-such-id", 1, allManual)).toMatchObject({ ok: false, reason: "not_found" });

    // nothing automatic is met: 30 from the manual evidence, below the pass score of 60
    const saved = await saveDraft(staff, draft.id, draft.version, allManual);
    if (!saved.ok) throw new Error(saved.reason);
    // the first save moved the version: saving again on the old one loses nothing and says so
    expect(await saveDraft(staff, draft.id, draft.version, [])).toMatchObject({ ok: false, reason: "conflict" });
    expect((await getAssessment(draft.id))!.indicators).toHaveLength(3);
    const sent = await submitAssessment(staff, draft.id, saved.assessment.version);
    if (!sent.ok) throw new Error(sent.reason);
    expect(sent.assessment.score).toBe(30);
    expect(await submitAssessment(staff, draft.id, sent.assessment.version)).toMatchObject({
      ok: false,
      reason: "invalid_state",
    });
    expect(await approveAssessment(district, draft.id, sent.assessment.version, "basic")).toMatchObject({
      ok: false,
      reason: "invalid",
      fields: { tier: "assessment.errors.belowPass" },
    });
    expect((await getAssessment(draft.id))!.state).toBe("submitted");

    await db
      .update(assessments)
      .set({ score: 80 })
      .where(sql`id = ${draft.id}`);
    expect(await approveAssessment(district, draft.id, sent.assessment.version, "benchmark")).toMatchObject({
      ok: false,
      reason: "invalid",
      fields: { tier: "assessment.errors.tierTooHigh" },
    });
    expect(await approveAssessment(district, draft.id, sent.assessment.version, "growth")).toMatchObject({
      ok: true,
      assessment: { state: "approved", tier: "growth" },
    });
    // approved twice: the second is stale
    expect(await approveAssessment(district, draft.id, sent.assessment.version, "growth")).toMatchObject({
      ok: false,
      reason: "conflict",
    });
  });

  it("checks evidence: text length, http(s) links, at most five, known manual indicators", async () => {
    const { staff } = await actors();
    const started = await startAssessment(staff, HOME);
    if (!started.ok) throw new Error(started.reason);
    const { id, version } = started.assessment;
    const bad = await saveDraft(staff, id, version, [
      { key: "gigabit_fibre", met: true, text: "字".repeat(2001) },
      { key: "video_coverage", met: true, links: ["javascript:alert(1)"] },
      {
        key: "resident_platform",
        met: true,
        links: [
          "https://a.example/1",
          "https://a.example/2",
          "https://a.example/3",
          "https://a.example/4",
          "https://a.example/5",
          "https://a.example/6",
        ],
      },
      { key: "elderly_care_service", met: true },
    ]);
    expect(bad).toEqual({
      ok: false,
      reason: "invalid",
      fields: {
        "manual[0].text": "assessment.errors.textTooLong",
        "manual[1].links": "assessment.errors.linkFormat",
        "manual[2].links": "assessment.errors.tooManyLinks",
        "manual[3].key": "assessment.errors.unknownIndicator",
      },
    });
    expect((await getAssessment(id))!.version).toBe(version);
    expect(
      await saveDraft(staff, id, version, [
        { key: "gigabit_fibre", met: true, text: "字".repeat(2000), links: ["ftp://x.example/a"] },
      ]),
    ).toMatchObject({ ok: false, reason: "invalid" });
    expect(
      await saveDraft(staff, id, version, [
        { key: "gigabit_fibre", met: true, text: "字".repeat(2000), links: ["http://x.example/a"] },
      ]),
    ).toMatchObject({ ok: true });
  });
});

describe("the standard", () => {
  it("publishes a new version (audited); drafts follow it, submitted assessments keep theirs", async () => {
    const { staff, district } = await actors();
    await fullyServed(HOME);
    const current = await getCurrentStandard();
    const input: StandardInput = {
      ...current,
      passScore: 70,
      tierScores: { basic: 70, growth: 80, benchmark: 95 },
      indicators: [
        ...current.indicators
          .filter((i) => i.key !== "resident_platform")
          .map((i) => (i.key === "listings_verified" ? { ...i, weight: 0 } : i)),
        { key: "smart_parking", kind: "manual", weight: 20, label: { "zh-CN": "智慧停车", en: "Smart parking" } },
      ],
    };
    const published = await publishStandard(district, { ...input, basedOn: 1 });
    if (!published.ok) throw new Error(published.reason);
    expect(published.standard).toMatchObject({ version: 2, passScore: 70, noticeDays: 0 });
    expect(await publishStandard(district, { ...input, basedOn: 1 })).toMatchObject({
      ok: false,
      reason: "conflict",
      current: { version: 2 },
    });
    const [audit] = await queryRows<{ action: string; object_id: string }>(
      sql`select action, object_id from audit_entries where object_type = 'evaluation_standard'`,
    );
    expect(audit).toEqual({ action: "standard.publish", object_id: "2" });

    // weights 105 in all, 65 of them automatic and met: 61.9 (rounded down), below 70
    const started = await startAssessment(staff, HOME);
    if (!started.ok) throw new Error(started.reason);
    const self = await getSelfAssessment(HOME);
    expect(self.standard.version).toBe(2);
    expect(self.live.score).toBe(61.9);
    expect(self.live.passes).toBe(false);
    const saved = await saveDraft(staff, started.assessment.id, started.assessment.version, [
      { key: "smart_parking", met: true, text: "120 个智慧车位" },
    ]);
    expect(saved).toMatchObject({ ok: true, assessment: { standardVersion: 2 } });
    // an indicator removed from the standard is refused
    expect(
      await saveDraft(staff, started.assessment.id, 2, [{ key: "resident_platform", met: true, text: "x" }]),
    ).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("refuses a standard that drops an automatic indicator, misorders tiers or sets notice days out of range", async () => {
    const { district } = await actors();
    const current = await getCurrentStandard();
    const result = await publishStandard(district, {
      ...current,
      indicators: current.indicators.filter((i) => i.key !== "elderly_care_access"),
      passScore: 60,
      tierScores: { basic: 50, growth: 95, benchmark: 90 },
      noticeDays: 31,
    });
    expect(result).toEqual({
      ok: false,
      reason: "invalid",
      fields: {
        indicators: "assessment.errors.automaticKeys",
        "tierScores.basic": "assessment.errors.basicBelowPass",
        "tierScores.benchmark": "assessment.errors.tierOrder",
        noticeDays: "assessment.errors.noticeDaysRange",
      },
    });
    expect((await getCurrentStandard()).version).toBe(1);
  });
});

describe("the review queue", () => {
  it("lists submitted and in-notice assessments under the reviewer's prefixes, oldest first", async () => {
    const { staff, district } = await actors();
    const older = new Date("2026-09-01T00:00:00Z");
    const newer = new Date("2026-09-02T00:00:00Z");
    await fullyServed(HOME);
    const home = await submitted(staff, HOME, newer);
    const otherStaff = await createTestUser({ role: "community_staff", regionCode: "370103002001" });
    const other = await submitted({ userId: otherStaff.id }, "370103002001", older);
    const qingdaoStaff = await createTestUser({ role: "community_staff", regionCode: "370202001001" });
    const qingdao = await submitted({ userId: qingdaoStaff.id }, "370202001001", older);

    const district370102 = await listReviewQueue({ prefixes: ["370102"] });
    expect(district370102.map((q) => q.id)).toEqual([home.id]);
    expect(district370102[0]).toMatchObject({
      communityCode: HOME,
      community: expect.any(String),
      township: expect.any(String),
      score: 100,
      suggestedTier: "benchmark",
      state: "submitted",
    });
    expect((await listReviewQueue({ prefixes: ["3701"] })).map((q) => q.id)).toEqual([other.id, home.id]);
    expect((await listReviewQueue({ prefixes: ["3701"], county: "370102" })).map((q) => q.id)).toEqual([home.id]);
    const province = (await listReviewQueue({ prefixes: ["37"] })).map((q) => q.id);
    expect(new Set(province)).toEqual(new Set([other.id, qingdao.id, home.id]));
    expect(province.at(-1)).toBe(home.id);
    expect(await listReviewQueue({ prefixes: [] })).toEqual([]);
    // the score of a nothing-met submission suggests no tier
    expect((await listReviewQueue({ prefixes: ["370103"] }))[0]).toMatchObject({ score: 30, suggestedTier: null });

    await rejectAssessment(district, home.id, home.version, "请补充材料");
    expect(await listReviewQueue({ prefixes: ["370102"] })).toEqual([]);
    expect(await listRecentDecisions({ prefixes: ["370102"] })).toMatchObject([
      { id: home.id, decision: "rejected", reason: "请补充材料" },
    ]);
    expect(await listRecentDecisions({ prefixes: ["370202"] })).toEqual([]);
  });
});

describe("separation of duties", () => {
  const official = async (regionCode = "370102") => ({
    userId: (await createTestUser({ role: "district_official", regionCode })).id,
  });
  const auditTotal = async () =>
    (await queryRows<{ n: number }>(sql`select count(*)::int as n from audit_entries`))[0].n;

  it("refuses the approval of whoever submitted it, writing nothing; another official in scope approves", async () => {
    const submitter = await official();
    const { facility } = await fullyServed(HOME);
    // the official edits the listings, starts, fills and submits: all her own work
    const edited = await updateFacility(submitter, facility.id, facility.version, {
      name: "社区日间照料中心",
      type: "elderly_day_care",
      address: "",
      lat: 36.6651,
      lng: 117.0403,
      openingHours: hours,
    });
    expect(edited.ok).toBe(true);
    const sent = await submitted(submitter);
    const before = await auditTotal();
    const refused = await approveAssessment(submitter, sent.id, sent.version, "benchmark");
    expect(refused).toMatchObject({
      ok: false,
      reason: "separation_of_duties",
      conflicts: [{ conflict: "submitted", userId: submitter.userId, count: 1 }],
    });
    // her edit came before the submission: only the submission counts against her
    if (refused.ok || refused.reason !== "separation_of_duties") throw new Error("expected a refusal");
    expect(refused.conflicts.map((c) => c.conflict)).toEqual(["submitted"]);
    expect(await getAssessment(sent.id)).toMatchObject({
      state: "submitted",
      version: sent.version,
      approvedAt: null,
      effectiveAt: null,
    });
    expect(await auditTotal()).toBe(before);
    expect(await transitionsOf(sent.id)).toHaveLength(2);

    const other = await official();
    expect(await approveAssessment(other, sent.id, sent.version, "benchmark")).toMatchObject({
      ok: true,
      assessment: { state: "approved" },
    });
  });

  it("lets the submitter reject (sending it back) but not approve into public notice", async () => {
    const submitter = await official();
    await fullyServed(HOME);
    await setNoticeDays(7);
    const first = await submitted(submitter);
    expect(await approveAssessment(submitter, first.id, first.version, "basic")).toMatchObject({
      ok: false,
      reason: "separation_of_duties",
    });
    expect(await rejectAssessment(submitter, first.id, first.version, "材料需补充，退回重新提交")).toMatchObject({
      ok: true,
      assessment: { state: "rejected" },
    });
    const second = await submitted(submitter);
    const other = await official();
    const notice = await approveAssessment(other, second.id, second.version, "basic");
    expect(notice).toMatchObject({ ok: true, assessment: { state: "notice" } });
  });

  it("refuses whoever changed the community's listings after the submission: facility, service, status, verification, profile, import", async () => {
    const { staff } = await actors();
    const { facility, services } = await fullyServed(HOME);
    const editors = {
      facility: await official(),
      service: await official(),
      suspend: await official(),
      verify: await official(),
      profile: await official("3701"),
      import: await official("37"),
    };
    // an official who changed the listings before the submission, and one who changed another community's after it
    const earlier = await official();
    expect(
      (
        await updateFacility(earlier, facility.id, facility.version, {
          name: "提交前改名",
          type: "other",
          address: "",
          lat: 36.6651,
          lng: 117.0403,
          openingHours: hours,
        })
      ).ok,
    ).toBe(true);
    const elsewhere = await official();
    // the submission is dated in the past: "after" follows the log, not the caller's clock
    const sent = await submitted(staff, HOME, new Date("2026-10-01T02:00:00Z"));

    const { version } = (await getFacility(facility.id))!;
    expect(
      (
        await updateFacility(editors.facility, facility.id, version, {
          name: "提交后改名",
          type: "other",
          address: "",
          lat: 36.6651,
          lng: 117.0403,
          openingHours: hours,
        })
      ).ok,
    ).toBe(true);
    expect(
      await createService(editors.service, facility.id, {
        name: "助浴",
        category: "elderly_care",
        description: "",
        residentsOnly: false,
      }),
    ).toBeTruthy();
    expect((await setServiceStatus(editors.suspend, services[1].id, services[1].version, "suspended")).ok).toBe(true);
    expect((await verifyService(editors.verify, services[0].id, services[0].version)).ok).toBe(true);
    expect(
      await updateCommunityProfile(editors.profile, HOME, { lat: 36.6652, lng: 117.0404, households: 1200 }),
    ).toBeTruthy();
    await importListings(editors.import, [
      { communityCode: HOME, fields: { name: "导入的站点", type: "other", address: "" }, services: [] },
    ]);
    await facilityWith("370103002001", ["other"]).then(async ({ facility: there }) => {
      const moved = await updateFacility(elsewhere, there.id, there.version, {
        name: "别的社区",
        type: "other",
        address: "",
        openingHours: hours,
      });
      expect(moved.ok).toBe(true);
    });

    for (const [kind, editor] of Object.entries(editors)) {
      const result = await approveAssessment(editor, sent.id, sent.version, "basic");
      expect(result, kind).toMatchObject({
        ok: false,
        reason: "separation_of_duties",
        conflicts: [{ conflict: "edited_listings", userId: editor.userId }],
      });
    }
    const all = await listDutyConflicts([sent.id]);
    expect(new Set(all.map((c) => `${c.conflict}:${c.userId}`))).toEqual(
      new Set([`submitted:${staff.userId}`, ...Object.values(editors).map((e) => `edited_listings:${e.userId}`)]),
    );
    expect(all.find((c) => c.userId === editors.import.userId)).toMatchObject({ count: 1 });
    expect(await listDutyConflicts([sent.id], { userId: earlier.userId })).toEqual([]);
    expect((await getAssessment(sent.id))!.state).toBe("submitted");
    // neither the one who edited before the submission nor the one who edited elsewhere is conflicted
    expect(await approveAssessment(elsewhere, sent.id, sent.version, "basic")).toMatchObject({
      ok: true,
      assessment: { state: "approved" },
    });
  });

  it("reads an assessment with no submission in the log (seeded history) from its submitted_at", async () => {
    await fullyServed(HOME);
    const [row] = await db
      .insert(assessments)
      .values({
        communityCode: HOME,
        standardVersion: 1,
        state: "submitted",
        score: 100,
        submittedAt: new Date(Date.now() - DAY),
        indicators: [],
      })
      .returning({ id: assessments.id, version: assessments.version });
    const editor = await official();
    await updateCommunityProfile(editor, HOME, { households: 900 });
    expect(await approveAssessment(editor, row.id, row.version, "basic")).toMatchObject({
      ok: false,
      reason: "separation_of_duties",
      conflicts: [{ conflict: "edited_listings" }],
    });
    expect(await approveAssessment(await official(), row.id, row.version, "basic")).toMatchObject({ ok: true });
  });
});
