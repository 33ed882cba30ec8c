import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";

import { PublicAnswers } from "~/components/feedback-answers";
import { SatisfactionFigure } from "~/components/feedback-staff";
import { createI18n } from "~/i18n";

const render = (element: ReturnType<typeof h>, locale: "zh-CN" | "en" = "zh-CN") =>
  renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(locale) }, element))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe("satisfaction components", () => {
  it("public answers: the answer, which kind of opinion it answers and the dates, in China's calendar", () => {
    const answers = [
      {
        answer: "已调整为早上八点开门",
        answeredAt: "2026-12-03T17:00:00.000Z",
        givenAt: "2026-12-01T02:00:00.000Z",
        satisfied: false,
      },
    ];
    const zh = render(h(PublicAnswers, { answers }));
    expect(zh).toContain("社区的回复");
    expect(zh).toContain("回复一条不满意的评价（2026/12/01）");
    expect(zh).toContain("已调整为早上八点开门");
    expect(zh).toContain("2026/12/04 回复");
    expect(render(h(PublicAnswers, { answers }), "en")).toContain("To a resident who was not satisfied (1 Dec 2026)");
    expect(renderToStaticMarkup(h(PublicAnswers, { answers: [] }))).toBe("");
  });

  it("a figure: the share from the minimum, else a dash and why", () => {
    expect(
      render(h(SatisfactionFigure, { figure: { responses: 9, satisfied: 6, rate: null }, minResponses: 10 })),
    ).toContain("9 条评价，6 条满意，满意率 — (评价满 10 条后显示满意率)");
    const shown = render(
      h(SatisfactionFigure, { figure: { responses: 10, satisfied: 7, rate: 0.7 }, minResponses: 10 }),
    );
    expect(shown).toContain("满意率 70.0%");
    expect(shown).not.toContain("评价满");
  });
});
