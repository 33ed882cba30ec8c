import { toStoredCode } from "../identifiers";
import type { StandardIndicator } from "../schema";
import type { DivisionsFile } from "./reference-data.server";

/**
 * Version 1 of the evaluation standard (docs/certification.md), from the automatic indicators and
 * the manual ones the implementation opinion names. The province admin edits later versions.
 */
export const defaultStandard = {
  version: 1,
  passScore: 60,
  tierScores: { basic: 60, growth: 75, benchmark: 90 },
  noticeDays: 0,
  indicators: [
    {
      key: "elderly_care_service",
      kind: "automatic",
      weight: 15,
      label: { "zh-CN": "至少一项在营养老服务", en: "At least one active elderly-care service" },
    },
    {
      key: "entrepreneurship_service",
      kind: "automatic",
      weight: 10,
      label: { "zh-CN": "至少一项在营创业服务", en: "At least one active entrepreneurship service" },
    },
    {
      key: "scenario_breadth",
      kind: "automatic",
      weight: 15,
      label: { "zh-CN": "六类场景中至少四类有在营服务", en: "Active services in at least 4 of the 6 scenario areas" },
    },
    {
      key: "facility_data_complete",
      kind: "automatic",
      weight: 10,
      label: { "zh-CN": "所有设施均有位置和开放时间", en: "Every facility has a point and opening hours" },
    },
    {
      key: "elderly_care_access",
      kind: "automatic",
      weight: 15,
      label: {
        "zh-CN": "15分钟步行范围内有养老设施",
        en: "An active elderly-care facility within the 15-minute threshold",
      },
    },
    {
      key: "listings_verified",
      kind: "automatic",
      weight: 5,
      label: { "zh-CN": "服务信息180天内已核实", en: "Listings verified within 180 days" },
    },
    {
      key: "gigabit_fibre",
      kind: "manual",
      weight: 10,
      label: { "zh-CN": "家庭千兆光纤覆盖", en: "Household gigabit fibre coverage" },
    },
    {
      key: "video_coverage",
      kind: "manual",
      weight: 10,
      label: { "zh-CN": "重点部位视频覆盖", en: "Video coverage of key points" },
    },
    {
      key: "resident_platform",
      kind: "manual",
      weight: 10,
      label: { "zh-CN": "居民服务平台", en: "A resident service platform" },
    },
  ] satisfies StandardIndicator[],
};

// Shandong 2022 list of communities for key construction (1,542 in all), by city.
const cityCounts2022: Record<string, number> = {
  济南市: 200,
  潍坊市: 144,
  青岛市: 127,
  济宁市: 122,
  枣庄市: 118,
  聊城市: 110,
  淄博市: 104,
  滨州市: 78,
  临沂市: 77,
  烟台市: 75,
  威海市: 75,
  东营市: 72,
  泰安市: 67,
  德州市: 64,
  日照市: 57,
  菏泽市: 52,
};

/** The published targets: province 2022 (20%, about 1,200) and 2025 (5,000); city counts for 2022. */
export function defaultTargets(divisions: DivisionsFile) {
  const province = toStoredCode(divisions.province.code);
  return [
    { region_code: province, year: 2022, rate: 0.2, count: 1200, deadline: "2022-12-31" },
    { region_code: province, year: 2025, rate: null, count: 5000, deadline: "2025-12-31" },
    ...divisions.cities.map((c) => {
      const count = cityCounts2022[c.name];
      if (count === undefined) throw new Error(`no 2022 target count for ${c.name}`);
      return { region_code: toStoredCode(c.code), year: 2022, rate: null, count, deadline: "2022-12-31" };
    }),
  ];
}
