// Residents' opinions of services (docs/figures.md, Satisfaction): the form on the service page
// and in the results, and the service's figure; en.resident-feedback.ts has the same keys.
export const residentFeedbackZh = {
  title: "评价这项服务",
  open: "评价",
  onServicePage: "到服务页面评价",
  question: "您用过这项服务吗？满意吗？",
  satisfied: "满意",
  unsatisfied: "不满意",
  comment: "想说的话（可不填，最多 200 字，只有社区工作人员能看到）",
  privacy: "不用登录。同一项服务 30 天内再次评价，会替换您上一次的评价。",
  thanks: "谢谢您的评价！",
  replaced: "已更新您的评价。",
  invalid: "请选择“满意”或“不满意”，留言不超过 200 字。",
  limited: "评价太频繁了，请 {{minutes}} 分钟后再试。",
  figure: "居民满意 {{rate}}（{{responses}} 条评价）",
  figureFew: "居民满意度 —（{{responses}} 条评价，满 {{min}} 条后显示比例）",
  figureNone: "居民满意度：暂无评价",
} as const;
