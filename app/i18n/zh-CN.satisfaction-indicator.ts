// The evaluation standard's optional automatic indicator "residents' satisfaction"
// (docs/certification.md); en.satisfaction-indicator.ts has the same keys.
export const satisfactionIndicatorZh = {
  hint: "近 12 个月 {{responses}} 条评价，满意 {{rate}}；要求 ≥ {{minRate}}%，至少 {{minResponses}} 条",
  hintNone: "近 12 个月没有评价；要求 ≥ {{minRate}}%，至少 {{minResponses}} 条",
  threshold: "≥ {{minRate}}%，至少 {{minResponses}} 条评价",
  addTitle: "新增自动指标：居民满意率",
  addIntro:
    "按居民对本社区服务的评价自动计算：评价时点前 12 个月内的评价至少 N 条，且满意的比例达到 X% 时达到。勾选后随新版本发布，此后的草稿按新版本评分；已提交的自评不受影响。",
  add: "加入新版本",
  minRate: "满意率至少（X，%）",
  minResponses: "评价至少（N，条）",
  errors: {
    minRate: "满意率须为 1 到 100 的整数",
    minResponses: "评价条数须为 1 到 100000 的整数",
    automaticOnly: "居民满意率只能是自动指标",
    thresholdUnexpected: "只有居民满意率可以设置满意率和评价条数",
  },
} as const;
