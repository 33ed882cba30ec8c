import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";

import { AssessmentHistory } from "~/components/assessment-history";
import { IndicatorTable, type IndicatorView } from "~/components/assessment-indicators";
import { AssessmentStatePanel } from "~/components/assessment-state";
import { createI18n } from "~/i18n";

const render = (element: ReturnType<typeof h>, locale: "zh-CN" | "en" = "zh-CN") =>
  renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(locale) }, element))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });

describe("assessment components", () => {
  it("state panel: tier only once decided, notice end, dates and the reason", () => {
    const submitted = render(
      h(AssessmentStatePanel, {
        assessment: {
          state: "submitted",
          tier: "growth",
          submittedAt: "2026-09-01T02:00:00Z",
          effectiveAt: null,
          revokedAt: null,
        },
      }),
    );
    expect(submitted).toContain("已提交，待审核");
    expect(submitted).not.toContain("成长型");
    const notice = render(
      h(AssessmentStatePanel, {
        assessment: {
          state: "notice",
          tier: "growth",
          submittedAt: null,
          effectiveAt: "2026-09-10T02:00:00Z",
          revokedAt: null,
        },
      }),
    );
    expect(notice).toContain("成长型");
    expect(notice).toContain("公示期至 2026/09/10");
    const revoked = render(
      h(AssessmentStatePanel, {
        assessment: {
          state: "revoked",
          tier: "basic",
          submittedAt: null,
          effectiveAt: "2026-01-05T02:00:00Z",
          revokedAt: "2026-06-01T02:00:00Z",
          reason: "服务停止",
        },
      }),
      "en",
    );
    // English pages name the month (issue 13: 01/05/2026 read as 1 May outside the United States)
    expect(revoked).toContain("Effective from: 5 Jan 2026 · Revoked: 1 Jun 2026");
    expect(revoked).toContain("Reason for revocation: 服务停止");
  });

  it("indicator table: live hints from the figures, evidence links, and as submitted against now", () => {
    const rows: IndicatorView[] = [
      {
        indicator: {
          key: "scenario_breadth",
          kind: "automatic" as const,
          weight: 15,
          label: label("六类场景", "Scenario breadth"),
        },
        met: false,
        automatic: { met: false, detail: { count: 2, areas: "elderly_care,health" } },
      },
      {
        indicator: {
          key: "elderly_care_access",
          kind: "automatic" as const,
          weight: 15,
          label: label("养老可达", "Access"),
        },
        met: true,
        automatic: { met: true, detail: { distanceM: 1234 } },
      },
      {
        indicator: { key: "gigabit_fibre", kind: "manual" as const, weight: 10, label: label("千兆", "Fibre") },
        met: true,
        evidence: { text: "92%", links: ["https://example.org/a"] },
      },
    ];
    const live = render(h(IndicatorTable, { rows }));
    expect(live).toContain("有在营服务的场景 2 类（需至少 4 类）：养老服务、卫生健康");
    expect(live).toContain("最近的在营养老设施：1.2 公里");
    expect(live).toContain("https://example.org/a");
    const compared = render(
      h(IndicatorTable, {
        rows,
        compare: [{ ...rows[1], met: false, automatic: { met: false, detail: { distanceM: null } } }],
      }),
      "en",
    );
    expect(compared).toContain("As submitted");
    expect(compared).toContain("No active elderly-care facility within the 15-minute walk");
  });

  it("history: who, when, why; the end of a notice period is the system's", () => {
    const html = render(
      h(AssessmentHistory, {
        transitions: [
          {
            id: 1,
            fromState: "submitted",
            toState: "rejected",
            reason: "材料不全",
            at: "2026-09-01T02:00:00Z",
            actor: "lixia",
            actorName: "历下区工作人员",
          },
          {
            id: 2,
            fromState: "notice",
            toState: "approved",
            reason: "notice period ended",
            at: "2026-09-08T02:00:00Z",
            actor: null,
            actorName: null,
          },
        ],
      }),
    );
    expect(html).toContain("2026/09/01 10:00 已提交，待审核 → 未通过 历下区工作人员 材料不全");
    expect(html).toContain("公示中 → 已通过 系统 公示期满");
  });
});
