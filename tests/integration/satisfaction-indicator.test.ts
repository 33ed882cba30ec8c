import { sql } from "drizzle-orm";
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";

import { AutomaticHint } from "~/components/assessment-indicators";
import {
  checkStandard,
  SATISFACTION_INDICATOR,
  satisfactionMet,
  type StandardInput,
} from "~/domains/assessments/assessments";
import { createI18n } from "~/i18n";
import * as standardPage from "~/routes/admin.standard";
import * as selfPage from "~/routes/manage.$code.assessment";
import * as reviewPage from "~/routes/review.$id";

import { db, queryRows } from "../../db/client.server";
import {
  evaluateAutomatic,
  getAssessmentForReview,
  getCurrentStandard,
  getSelfAssessment,
  publishStandard,
  saveDraft,
  startAssessment,
  submitAssessment,
} from "../../db/queries/assessments.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { serviceFeedback, type StandardIndicator } from "../../db/schema";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { renderPage, textOf } from "../utils/render-page";
import { callAction, callLoaderAs } from "../utils/routes";

// The standard's optional automatic indicator "residents' satisfaction" (docs/certification.md).

const HOME = "370102001002";
const OTHER = "370103002001";
const DAY = 24 * 3600 * 1000;

const satisfaction = (minRate: number, minResponses: number, weight = 10): StandardIndicator => ({
  key: SATISFACTION_INDICATOR.key,
  kind: "automatic",
  weight,
  label: { ...SATISFACTION_INDICATOR.label },
  threshold: { minRate, minResponses },
});

/** a version's indicators with residents' satisfaction after the automatic ones */
const withSatisfaction = (indicators: readonly StandardIndicator[], indicator: StandardIndicator) => {
  const at = indicators.map((i) => i.kind).lastIndexOf("automatic") + 1;
  return [...indicators.slice(0, at), indicator, ...indicators.slice(at)];
};

async function serviceIn(code: string) {
  const owner = await createTestUser({ role: "province_admin", regionCode: "37" });
  const facility = await createFacility({ userId: owner.id }, code, {
    name: "社区服务中心",
    type: "other",
    address: "",
    lat: 36.6651,
    lng: 117.0403,
    openingHours: { week: { "1": ["08:00-17:00"] } },
  });
  const service = await createService({ userId: owner.id }, facility.id, {
    name: "助餐服务",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  });
  return service!.id;
}

/** `satisfied` and `unsatisfied` opinions of a service in `code`, given at `givenAt` */
async function opinions(code: string, satisfied: number, unsatisfied: number, givenAt: Date) {
  const serviceId = await serviceIn(code);
  const rows = [
    ...Array.from({ length: satisfied }, () => true),
    ...Array.from({ length: unsatisfied }, () => false),
  ].map((value) => ({ serviceId, communityCode: code, satisfied: value, givenAt }));
  if (rows.length) await db.insert(serviceFeedback).values(rows);
}

const monthsBefore = (date: Date, months: number) => {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

async function satisfactionValue(standard: { indicators: StandardIndicator[] }, now: Date, code = HOME) {
  return (await evaluateAutomatic(code, standard, now)).find((v) => v.key === SATISFACTION_INDICATOR.key);
}

beforeEach(async () => {
  await db.execute(
    sql`truncate table audit_entries, service_feedback, assessment_transitions, assessments, community_access, services, facilities cascade`,
  );
  await db.execute(sql`delete from evaluation_standards where version > 1`);
});

describe("the standard's check", () => {
  const input = async (): Promise<StandardInput> => {
    const v1 = await getCurrentStandard();
    return { indicators: v1.indicators, passScore: v1.passScore, tierScores: v1.tierScores, noticeDays: 0 };
  };

  it("accepts a version without residents' satisfaction and one with it", async () => {
    const v1 = await input();
    expect(v1.indicators.map((i) => i.key)).not.toContain(SATISFACTION_INDICATOR.key);
    expect(checkStandard(v1)).toEqual({});
    expect(checkStandard({ ...v1, indicators: withSatisfaction(v1.indicators, satisfaction(80, 20)) })).toEqual({});
    expect(checkStandard({ ...v1, indicators: withSatisfaction(v1.indicators, satisfaction(1, 1)) })).toEqual({});
    expect(checkStandard({ ...v1, indicators: withSatisfaction(v1.indicators, satisfaction(100, 100_000)) })).toEqual(
      {},
    );
  });

  it("refuses X and N out of range, a missing threshold, a manual one and a threshold elsewhere", async () => {
    const v1 = await input();
    const at = 6; // after the six automatic indicators
    const check = (indicator: StandardIndicator) =>
      checkStandard({ ...v1, indicators: withSatisfaction(v1.indicators, indicator) });
    expect(check(satisfaction(0, 0))).toEqual({
      [`indicators[${at}].minRate`]: "satisfactionIndicator.errors.minRate",
      [`indicators[${at}].minResponses`]: "satisfactionIndicator.errors.minResponses",
    });
    expect(check(satisfaction(101, 100_001))).toEqual({
      [`indicators[${at}].minRate`]: "satisfactionIndicator.errors.minRate",
      [`indicators[${at}].minResponses`]: "satisfactionIndicator.errors.minResponses",
    });
    expect(check(satisfaction(80.5, 2.5))).toEqual({
      [`indicators[${at}].minRate`]: "satisfactionIndicator.errors.minRate",
      [`indicators[${at}].minResponses`]: "satisfactionIndicator.errors.minResponses",
    });
    const { threshold: _, ...bare } = satisfaction(80, 20);
    expect(check(bare)).toEqual({
      [`indicators[${at}].minRate`]: "satisfactionIndicator.errors.minRate",
      [`indicators[${at}].minResponses`]: "satisfactionIndicator.errors.minResponses",
    });
    expect(check({ ...satisfaction(80, 20), kind: "manual" })).toEqual({
      [`indicators[${at}].key`]: "satisfactionIndicator.errors.automaticOnly",
    });
    const elsewhere = v1.indicators.map((i, n) =>
      n === 0 ? { ...i, threshold: { minRate: 80, minResponses: 20 } } : i,
    );
    expect(checkStandard({ ...v1, indicators: elsewhere })).toEqual({
      "indicators[0].key": "satisfactionIndicator.errors.thresholdUnexpected",
    });
    // the six stay required beside it
    expect(
      checkStandard({
        ...v1,
        indicators: withSatisfaction(
          v1.indicators.filter((i) => i.key !== "listings_verified"),
          satisfaction(80, 20),
        ),
      }),
    ).toEqual({ indicators: "assessment.errors.automaticKeys" });
    // and the data layer refuses to publish it
    const admin = await createTestUser({ role: "province_admin", regionCode: "37" });
    expect(
      await publishStandard(
        { userId: admin.id },
        { ...v1, indicators: withSatisfaction(v1.indicators, satisfaction(0, 20)) },
      ),
    ).toMatchObject({ ok: false, reason: "invalid" });
    expect((await getCurrentStandard()).version).toBe(1);
  });

  it("is met from exactly X % over exactly N responses, in whole numbers", () => {
    const threshold = { minRate: 80, minResponses: 20 };
    expect(satisfactionMet({ responses: 20, satisfied: 16 }, threshold)).toBe(true);
    expect(satisfactionMet({ responses: 19, satisfied: 19 }, threshold)).toBe(false);
    expect(satisfactionMet({ responses: 20, satisfied: 15 }, threshold)).toBe(false);
    // 70 % of 30 is 21 in whole numbers, though 0.7 × 30 is 20.999… in floating point
    expect(satisfactionMet({ responses: 30, satisfied: 21 }, { minRate: 70, minResponses: 1 })).toBe(true);
    expect(satisfactionMet({ responses: 0, satisfied: 0 }, { minRate: 1, minResponses: 1 })).toBe(false);
  });
});

describe("the evaluation at its thresholds", () => {
  const now = new Date();
  const yesterday = new Date(now.getTime() - DAY);
  const standard = async (minRate = 80, minResponses = 20) => {
    const v1 = await getCurrentStandard();
    return { indicators: withSatisfaction(v1.indicators, satisfaction(minRate, minResponses)) };
  };

  it("is met at exactly X % with exactly N responses, with its figures as the detail", async () => {
    await opinions(HOME, 16, 4, yesterday);
    expect(await satisfactionValue(await standard(), now)).toEqual({
      key: "resident_satisfaction",
      met: true,
      detail: { responses: 20, satisfied: 16, minRate: 80, minResponses: 20 },
    });
  });

  it("is not met with one response fewer than N, however satisfied", async () => {
    await opinions(HOME, 16, 3, yesterday);
    expect(await satisfactionValue(await standard(), now)).toMatchObject({
      met: false,
      detail: { responses: 19, satisfied: 16 },
    });
  });

  it("is not met at a share just below X", async () => {
    // 79 of 100: 79 %; one more satisfied would be 80 %
    await opinions(HOME, 79, 21, yesterday);
    expect(await satisfactionValue(await standard(), now)).toMatchObject({
      met: false,
      detail: { responses: 100, satisfied: 79 },
    });
    await opinions(HOME, 1, 0, yesterday);
    // 80 of 101 is 79.2 %: still below
    expect((await satisfactionValue(await standard(), now))!.met).toBe(false);
    await opinions(HOME, 4, 0, yesterday);
    // 84 of 105 is 80 % exactly
    expect(await satisfactionValue(await standard(), now)).toMatchObject({
      met: true,
      detail: { responses: 105, satisfied: 84 },
    });
  });

  it("counts only the last 12 months before the evaluation instant", async () => {
    await opinions(HOME, 16, 3, monthsBefore(now, 11));
    await opinions(HOME, 5, 0, new Date(monthsBefore(now, 12).getTime() - DAY));
    expect(await satisfactionValue(await standard(), now)).toMatchObject({
      met: false,
      detail: { responses: 19, satisfied: 16 },
    });
    // evaluated two days earlier, the older ones were still within 12 months
    expect(await satisfactionValue(await standard(), new Date(now.getTime() - 2 * DAY))).toMatchObject({
      met: true,
      detail: { responses: 24, satisfied: 21 },
    });
  });

  it("counts the community's own opinions, not another community's", async () => {
    await opinions(OTHER, 30, 0, yesterday);
    await opinions(HOME, 10, 0, yesterday);
    expect(await satisfactionValue(await standard(), now)).toMatchObject({
      met: false,
      detail: { responses: 10, satisfied: 10 },
    });
    expect(await satisfactionValue(await standard(), now, OTHER)).toMatchObject({
      met: true,
      detail: { responses: 30, satisfied: 30 },
    });
  });

  it("is not computed when the standard does not include it (version 1)", async () => {
    await opinions(HOME, 30, 0, yesterday);
    const values = await evaluateAutomatic(HOME, await getCurrentStandard(), now);
    expect(values.map((v) => v.key)).toEqual([
      "elderly_care_service",
      "entrepreneurship_service",
      "scenario_breadth",
      "facility_data_complete",
      "elderly_care_access",
      "listings_verified",
    ]);
  });
});

describe("publishing it on /admin/standard", () => {
  async function signedIn(role: "province_admin" | "community_staff" | "district_official", regionCode: string) {
    const user = await createTestUser({ role, regionCode });
    return { user, cookie: (await sessionCookieFor(user.id)).cookie };
  }

  /** the current standard as the page posts it, unchanged */
  async function form() {
    const current = await getCurrentStandard();
    const values: Record<string, string> = {
      basedOn: String(current.version),
      passScore: String(current.passScore),
      noticeDays: String(current.noticeDays),
      "tierScores.basic": String(current.tierScores.basic),
      "tierScores.growth": String(current.tierScores.growth),
      "tierScores.benchmark": String(current.tierScores.benchmark),
    };
    current.indicators.forEach((indicator, i) => {
      values[`indicators[${i}].key`] = indicator.key;
      values[`indicators[${i}].weight`] = String(indicator.weight);
      values[`indicators[${i}].labelZh`] = indicator.label["zh-CN"];
      values[`indicators[${i}].labelEn`] = indicator.label.en;
      if (indicator.threshold) {
        values[`indicators[${i}].minRate`] = String(indicator.threshold.minRate);
        values[`indicators[${i}].minResponses`] = String(indicator.threshold.minResponses);
      }
    });
    return values;
  }

  const adding = (values: Record<string, string>, fields: Record<string, string>) => ({
    ...values,
    "satisfaction.add": "on",
    "satisfaction.labelZh": "居民满意率",
    "satisfaction.labelEn": "Residents' satisfaction",
    "satisfaction.weight": "10",
    "satisfaction.minRate": "80",
    "satisfaction.minResponses": "20",
    ...fields,
  });

  it("offers it while the current version has none, and refuses X and N out of range", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    const page = textOf((await renderPage(standardPage, "/admin/standard", "/admin/standard", { cookie })).html);
    expect(page).toContain("新增自动指标：居民满意率");
    expect(page).toContain("满意率至少（X，%）");

    const refused = await callAction(standardPage.action, "/admin/standard", {
      cookie,
      form: adding(await form(), {
        "satisfaction.minRate": "0",
        "satisfaction.minResponses": "",
        "satisfaction.labelEn": "",
      }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).result.error).toEqual({
      "satisfaction.minRate": ["satisfactionIndicator.errors.minRate"],
      "satisfaction.minResponses": ["satisfactionIndicator.errors.minResponses"],
      "satisfaction.labelEn": ["assessment.errors.labelRequired"],
    });
    // not ticked, its fields are not the version's
    const unticked = await callAction(standardPage.action, "/admin/standard", {
      cookie,
      form: { ...adding(await form(), {}), "satisfaction.add": "" },
    });
    expect(unticked.status).toBe(302);
    expect((await getCurrentStandard()).indicators.map((i) => i.key)).not.toContain(SATISFACTION_INDICATOR.key);
  });

  it("publishes a version with it (audited); a draft is then scored on it, fixed at submission; v1's assessments keep theirs", async () => {
    const { user: staffUser } = await signedIn("community_staff", HOME);
    const staff = { userId: staffUser.id };
    const now = new Date();
    // an assessment submitted on version 1, with opinions already given: scored without them
    const old = await startAssessment(staff, OTHER, now);
    if (!old.ok) throw new Error(old.reason);
    await opinions(OTHER, 30, 0, new Date(now.getTime() - DAY));
    const oldSubmitted = await submitAssessment(staff, old.assessment.id, old.assessment.version, now);
    if (!oldSubmitted.ok) throw new Error(oldSubmitted.reason);
    expect(oldSubmitted.assessment.indicators.map((i) => i.key)).not.toContain(SATISFACTION_INDICATOR.key);
    const oldScore = oldSubmitted.assessment.score;

    // a draft on version 1 while v1 is current: no satisfaction row
    const draft = await startAssessment(staff, HOME, now);
    if (!draft.ok) throw new Error(draft.reason);
    await opinions(HOME, 16, 4, new Date(now.getTime() - DAY));
    const beforePublishing = await getSelfAssessment(HOME, now);
    expect(beforePublishing.live.rows.map((r) => r.indicator.key)).not.toContain(SATISFACTION_INDICATOR.key);
    // the opinions' service: elderly care (15), complete facility data (10), listings verified (5)
    expect(beforePublishing.live.score).toBe(30);

    const { cookie, user: admin } = await signedIn("province_admin", "37");
    const response = await callAction(standardPage.action, "/admin/standard", {
      cookie,
      form: adding(await form(), {}),
    });
    expect(response.status).toBe(302);
    const v2 = await getCurrentStandard();
    expect(v2.version).toBe(2);
    expect(v2.indicators.map((i) => i.key)).toEqual([
      "elderly_care_service",
      "entrepreneurship_service",
      "scenario_breadth",
      "facility_data_complete",
      "elderly_care_access",
      "listings_verified",
      "resident_satisfaction",
      "gigabit_fibre",
      "video_coverage",
      "resident_platform",
    ]);
    expect(v2.indicators[6]).toEqual(satisfaction(80, 20));
    const audits = await queryRows<{ actor_user_id: string; action: string; object_id: string; after: unknown }>(
      sql`select actor_user_id, action, object_id, after from audit_entries where object_type = 'evaluation_standard'`,
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_user_id: admin.id, action: "standard.publish", object_id: "2" });
    const after = (typeof audits[0].after === "string" ? JSON.parse(audits[0].after) : audits[0].after) as {
      indicators: StandardIndicator[];
    };
    expect(after.indicators[6].threshold).toEqual({ minRate: 80, minResponses: 20 });

    // the draft follows version 2: 30 + 10 (satisfaction) of 110, rounded down
    const live = await getSelfAssessment(HOME, now);
    expect(live.standard.version).toBe(2);
    const row = live.live.rows.find((r) => r.indicator.key === SATISFACTION_INDICATOR.key)!;
    expect(row).toMatchObject({
      met: true,
      automatic: { detail: { responses: 20, satisfied: 16, minRate: 80, minResponses: 20 } },
    });
    expect(live.live.score).toBe(36.3);

    // the page shows the figures behind it
    const { cookie: staffCookie } = await sessionCookieFor(staffUser.id);
    const selfHtml = await renderPage(selfPage, "/manage/:code/assessment", `/manage/${HOME}/assessment`, {
      cookie: staffCookie,
    });
    expect(selfHtml.status).toBe(200);
    expect(textOf(selfHtml.html)).toContain("近 12 个月 20 条评价，满意 80.0%；要求 ≥ 80%，至少 20 条");

    // submitted: fixed with the score; later opinions do not change it
    const saved = await saveDraft(staff, draft.assessment.id, draft.assessment.version, [], now);
    if (!saved.ok) throw new Error(saved.reason);
    const sent = await submitAssessment(staff, saved.assessment.id, saved.assessment.version, now);
    if (!sent.ok) throw new Error(sent.reason);
    expect(sent.assessment).toMatchObject({ standardVersion: 2, score: 36.3 });
    expect(sent.assessment.indicators.find((i) => i.key === SATISFACTION_INDICATOR.key)).toEqual({
      key: SATISFACTION_INDICATOR.key,
      met: true,
    });
    await opinions(HOME, 0, 10, now);
    const review = (await getAssessmentForReview(sent.assessment.id, new Date(now.getTime() + 1000)))!;
    expect(review.assessment.score).toBe(36.3);
    expect(review.asSubmitted.rows.find((r) => r.indicator.key === SATISFACTION_INDICATOR.key)!.met).toBe(true);
    // as of now: 16 of 30
    expect(review.asOfNow.rows.find((r) => r.indicator.key === SATISFACTION_INDICATOR.key)).toMatchObject({
      met: false,
      automatic: { detail: { responses: 30, satisfied: 16 } },
    });
    const { cookie: reviewerCookie } = await signedIn("district_official", "370102");
    const reviewHtml = textOf(
      (await renderPage(reviewPage, "/review/:id", `/review/${sent.assessment.id}`, { cookie: reviewerCookie })).html,
    );
    expect(reviewHtml).toContain("近 12 个月 30 条评价，满意 53.3%；要求 ≥ 80%，至少 20 条");

    // the assessment submitted on version 1 keeps its version, indicators and score
    const oldReview = (await getAssessmentForReview(old.assessment.id, now))!;
    expect(oldReview.assessment).toMatchObject({ standardVersion: 1, score: oldScore });
    expect(oldReview.asOfNow.rows.map((r) => r.indicator.key)).not.toContain(SATISFACTION_INDICATOR.key);
  });

  it("re-sets X and N and removes it in later versions", async () => {
    const { cookie } = await signedIn("province_admin", "37");
    expect(
      (await callAction(standardPage.action, "/admin/standard", { cookie, form: adding(await form(), {}) })).status,
    ).toBe(302);
    const page = (await (await callLoaderAs(standardPage.loader, "/admin/standard", cookie)).json()) as {
      current: { indicators: StandardIndicator[] };
    };
    expect(page.current.indicators[6].threshold).toEqual({ minRate: 80, minResponses: 20 });

    const bad = await form();
    Object.assign(bad, { "indicators[6].minRate": "101", "indicators[6].minResponses": "0" });
    const refused = await callAction(standardPage.action, "/admin/standard", { cookie, form: bad });
    expect(refused.status).toBe(400);
    expect((await refused.json()).result.error).toEqual({
      "indicators[6].minRate": ["satisfactionIndicator.errors.minRate"],
      "indicators[6].minResponses": ["satisfactionIndicator.errors.minResponses"],
    });

    // ticking the add fieldset again (a stale page) does not add a second one
    const changed = adding(await form(), {});
    Object.assign(changed, {
      "indicators[6].minRate": "90",
      "indicators[6].minResponses": "50",
      "indicators[6].weight": "20",
      "indicators[6].labelZh": "居民满意度",
    });
    expect((await callAction(standardPage.action, "/admin/standard", { cookie, form: changed })).status).toBe(302);
    const v3 = await getCurrentStandard();
    expect(v3.indicators.filter((i) => i.key === SATISFACTION_INDICATOR.key)).toEqual([
      {
        ...satisfaction(90, 50, 20),
        label: { "zh-CN": "居民满意度", en: "Residents' satisfaction" },
      },
    ]);

    const removed = await form();
    removed["indicators[6].remove"] = "on";
    expect((await callAction(standardPage.action, "/admin/standard", { cookie, form: removed })).status).toBe(302);
    const v4 = await getCurrentStandard();
    expect(v4.version).toBe(4);
    expect(v4.indicators.map((i) => i.key)).not.toContain(SATISFACTION_INDICATOR.key);
    expect(v4.indicators.filter((i) => i.kind === "automatic")).toHaveLength(6);
  });
});

describe("its detail on the pages", () => {
  const hint = (detail: Record<string, number>, locale: "zh-CN" | "en") =>
    renderToStaticMarkup(
      h(
        I18nextProvider,
        { i18n: createI18n(locale) },
        h(AutomaticHint, { indicatorKey: "resident_satisfaction", detail }),
      ),
    ).replace(/<[^>]+>/g, "");

  it("gives the responses, the share rounded down and what is required, in both languages", () => {
    const detail = { responses: 42, satisfied: 37, minRate: 80, minResponses: 20 };
    // 37 ÷ 42 = 88.095…%
    expect(hint(detail, "zh-CN")).toBe("近 12 个月 42 条评价，满意 88.0%；要求 ≥ 80%，至少 20 条");
    expect(hint(detail, "en")).toBe("42 opinions in the last 12 months, 88.0% satisfied; needs ≥ 80% over at least 20");
    // 1,999 of 2,500 is 79.96%: not shown as 80.0%
    expect(hint({ ...detail, responses: 2500, satisfied: 1999 }, "zh-CN")).toContain("满意 79.9%");
    expect(hint({ ...detail, responses: 0, satisfied: 0 }, "zh-CN")).toBe("近 12 个月没有评价；要求 ≥ 80%，至少 20 条");
  });
});
