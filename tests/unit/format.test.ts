import {
  WALKING_METRES_PER_MINUTE,
  formatClauses,
  formatDate,
  formatDateTime,
  formatDistance,
  formatWalkingMinutes,
  walkingMinutes,
} from "~/utils/format";

describe("distance", () => {
  it.each([
    [0, "0 米", "0 m"],
    [4, "0 米", "0 m"],
    [5, "10 米", "10 m"],
    [123, "120 米", "120 m"],
    [850, "850 米", "850 m"],
    [994, "990 米", "990 m"],
    [995, "1.0 公里", "1.0 km"],
    [1000, "1.0 公里", "1.0 km"],
    [1234, "1.2 公里", "1.2 km"],
    [1250, "1.3 公里", "1.3 km"],
    [15_000, "15.0 公里", "15.0 km"],
    [1_234_567, "1,234.6 公里", "1,234.6 km"],
  ])("%d m", (metres, zh, en) => {
    expect(formatDistance(metres, "zh-CN")).toBe(zh);
    expect(formatDistance(metres, "en")).toBe(en);
  });

  it("reads any zh locale as Chinese and anything else as English", () => {
    expect(formatDistance(850, "zh")).toBe("850 米");
    expect(formatDistance(850, "zh-Hans-CN")).toBe("850 米");
    expect(formatDistance(850, "en-GB")).toBe("850 m");
    expect(formatDistance(850, "fr")).toBe("850 m");
  });

  it("shows nothing for a distance that is not a number, and no negative distance", () => {
    expect(formatDistance(Number.NaN, "en")).toBe("");
    expect(formatDistance(-20, "en")).toBe("0 m");
  });
});

describe("walking minutes", () => {
  it("walks 80 m a minute unless told otherwise", () => {
    expect(WALKING_METRES_PER_MINUTE).toBe(80);
    expect(walkingMinutes(800)).toBe(10);
    expect(walkingMinutes(801)).toBe(11);
    expect(walkingMinutes(960)).toBe(12);
  });

  it("rounds up and never says less than a minute", () => {
    expect(walkingMinutes(0)).toBe(1);
    expect(walkingMinutes(1)).toBe(1);
    expect(walkingMinutes(81)).toBe(2);
  });

  it("takes the planning speed of TD/T 1062-2021 when asked", () => {
    expect(walkingMinutes(1000, 60)).toBe(17);
    expect(walkingMinutes(300, 60)).toBe(5);
  });

  it("refuses a speed that is not positive", () => {
    expect(() => walkingMinutes(100, 0)).toThrow(RangeError);
    expect(() => walkingMinutes(100, -80)).toThrow(RangeError);
  });

  it("says it in both languages", () => {
    expect(formatWalkingMinutes(12, "zh-CN")).toBe("步行 12 分钟");
    expect(formatWalkingMinutes(12, "en")).toBe("12 min walk");
    expect(formatWalkingMinutes(walkingMinutes(850), "zh-CN")).toBe("步行 11 分钟");
  });
});

describe("dates", () => {
  it("are shown on China's clock", () => {
    expect(formatDate("2022-12-31T16:00:00Z", "zh-CN")).toBe("2023/01/01");
    expect(formatDateTime("2022-12-31T16:05:00Z", "zh-CN")).toBe("2023/01/01 00:05");
  });

  it("name the month on English pages, never the ambiguous 01/05/2026", () => {
    expect(formatDate("2022-12-31T16:00:00Z", "en")).toBe("1 Jan 2023");
    expect(formatDate("2026-01-05T02:00:00Z", "en")).toBe("5 Jan 2026");
    expect(formatDateTime("2026-06-01T13:30:00Z", "en")).toBe("1 Jun 2026, 21:30");
  });
});

describe("clauses", () => {
  it("are joined with the full-width semicolon in Chinese and '; ' in English, skipping blanks", () => {
    expect(formatClauses(["60 岁以上", null, "本社区居民"], "zh-CN")).toBe("60 岁以上；本社区居民");
    expect(formatClauses(["Aged 60 and over", "", "Residents only"], "en")).toBe("Aged 60 and over; Residents only");
    expect(formatClauses([null, undefined], "en")).toBe("");
  });
});
