import { notificationMessage } from "~/domains/notifications/notifications";
import { createI18n } from "~/i18n";

import { NOTIFICATION_KINDS } from "../../db/identifiers";

// Every kind reads as a sentence in both languages, its identifiers and dates through the
// catalogue and the one date format, with the values stored when it was written.

const params = {
  community: "解放桥社区居民委员会",
  facility: "老年食堂",
  service: "助餐",
  problem: "wrong_phone",
  tier: "growth",
  reason: "证据不足",
  until: "2026-12-10T04:00:00.000Z",
  listing: "service",
  name: "上门助浴",
  verified: "2026-06-01T02:00:00Z",
  staleOn: "2026-11-28T02:00:00Z",
};

describe("notification messages", () => {
  it.each(["zh-CN", "en"] as const)("every kind has a whole sentence in %s", (locale) => {
    const { t } = createI18n(locale);
    for (const kind of NOTIFICATION_KINDS) {
      const text = notificationMessage({ kind, params }, t, locale);
      expect(text, kind).not.toMatch(/\{\{|notifications\.messages|undefined|null/);
      expect(text, kind).toContain(params.community);
    }
  });

  it("names the problem, the tier and the dates in the reader's language", () => {
    const zh = createI18n("zh-CN").t;
    const en = createI18n("en").t;
    expect(notificationMessage({ kind: "problem_report", params }, zh, "zh-CN")).toBe(
      "解放桥社区居民委员会：居民反馈“老年食堂 · 助餐”的问题：电话有误",
    );
    expect(notificationMessage({ kind: "assessment_notice", params }, en, "en")).toBe(
      "解放桥社区居民委员会's assessment was approved (Growth) and is in public notice until 10 Dec 2026",
    );
    expect(notificationMessage({ kind: "listing_stale", params }, zh, "zh-CN")).toBe(
      "解放桥社区居民委员会：服务“上门助浴”上次核实于 2026/06/01，2026/11/28 起视为过期，请核实",
    );
    // a report on a facility without a service
    expect(notificationMessage({ kind: "problem_report", params: { ...params, service: null } }, en, "en")).toBe(
      "解放桥社区居民委员会: a resident reported a problem with “老年食堂”: Wrong phone",
    );
  });
});
