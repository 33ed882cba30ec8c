// Residents' satisfaction as officials see it beside coverage (docs/figures.md, Satisfaction), and
// the province's minimum of responses; en.satisfaction-regions.ts has the same keys.
export const satisfactionRegionsZh = {
  headlineLabel: "居民满意率（近 12 个月）",
  responses: "{{count}} 条评价，其中 {{satisfied}} 条满意",
  tooFew: "评价不足 {{min}} 条（{{count}} 条评价），不显示满意率",
  responsesColumn: "评价数",
  rateColumn: "满意率",
  tableNote:
    "评价数与满意率按截至今天的近 12 个月的居民评价计算，不随上面的截至日期变化；评价不足 {{min}} 条的不显示满意率（—）。",
  formTitle: "居民满意度",
  formIntro:
    "居民对服务的评价（满意 / 不满意）在近 12 个月内计入满意率。一个区域或社区的评价数达到下面的条数才显示满意率，否则只显示评价数。",
  minResponsesLabel: "满意率最少评价数",
  minResponsesRange: "应为 1 到 1000 之间的整数",
  save: "保存",
  saved: "满意率最少评价数已保存：{{count}} 条",
} as const;
