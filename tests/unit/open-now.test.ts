import { isOpenNow, openState } from "~/domains/listings/open-now";

import type { OpeningHours } from "../../db/schema";

// 2026-11-30 is a Monday; "2026-11-30 09:30" is read on the China clock (UTC+8)
const china = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);
const MON = "2026-11-30";
const TUE = "2026-12-01";
const WED = "2026-12-02";
const FRI = "2026-12-04";
const SAT = "2026-12-05";
const SUN = "2026-12-06";

const weekdays = (intervals: string[]): OpeningHours => ({
  week: { "1": intervals, "2": intervals, "3": intervals, "4": intervals, "5": intervals },
});

describe("open now", () => {
  const office = weekdays(["08:00-11:30", "13:30-17:30"]);

  it("is open during the day and says when it closes", () => {
    expect(openState(office, china(`${MON} 09:30`))).toEqual({ state: "open", closesAt: "11:30" });
    expect(openState(office, china(`${WED} 15:00`))).toEqual({ state: "open", closesAt: "17:30" });
  });

  it("counts the start in and the end out", () => {
    expect(openState(office, china(`${MON} 08:00`))).toEqual({ state: "open", closesAt: "11:30" });
    expect(openState(office, china(`${MON} 11:30`))).toEqual({ state: "closed", opensAt: { day: "1", time: "13:30" } });
    expect(openState(office, china(`${MON} 17:30`))).toEqual({ state: "closed", opensAt: { day: "2", time: "08:00" } });
  });

  it("is closed over the lunch break until the afternoon", () => {
    expect(openState(office, china(`${TUE} 12:15`))).toEqual({ state: "closed", opensAt: { day: "2", time: "13:30" } });
  });

  it("before opening, opens later today", () => {
    expect(openState(office, china(`${MON} 07:00`))).toEqual({ state: "closed", opensAt: { day: "1", time: "08:00" } });
  });

  it("after closing, opens tomorrow, or on Monday over a closed weekend", () => {
    expect(openState(office, china(`${TUE} 20:00`))).toEqual({ state: "closed", opensAt: { day: "3", time: "08:00" } });
    for (const at of [`${FRI} 18:00`, `${SAT} 10:00`, `${SUN} 23:59`]) {
      expect(openState(office, china(at))).toEqual({ state: "closed", opensAt: { day: "1", time: "08:00" } });
    }
  });

  describe("an interval past midnight belongs to the day it starts", () => {
    const night: OpeningHours = { week: { "1": ["22:00-02:00"], "7": ["20:00-03:00"] } };

    it("covers the evening", () => {
      expect(openState(night, china(`${MON} 23:00`))).toEqual({ state: "open", closesAt: "02:00" });
      expect(openState(night, china(`${SUN} 21:00`))).toEqual({ state: "open", closesAt: "03:00" });
    });

    it("covers the early morning of the next day", () => {
      expect(openState(night, china(`${TUE} 01:30`))).toEqual({ state: "open", closesAt: "02:00" });
      expect(openState(night, china(`${TUE} 02:00`))).toEqual({
        state: "closed",
        opensAt: { day: "7", time: "20:00" },
      });
    });

    it("wraps from Sunday into Monday", () => {
      expect(openState(night, china(`${MON} 02:30`))).toEqual({ state: "open", closesAt: "03:00" });
      expect(openState(night, china(`${MON} 03:00`))).toEqual({
        state: "closed",
        opensAt: { day: "1", time: "22:00" },
      });
    });

    it("leaves a day without its own hours closed outside the spill-over", () => {
      expect(isOpenNow(night, china(`${TUE} 12:00`))).toBe(false);
    });
  });

  it("runs an interval ending at 24:00 to midnight", () => {
    const late: OpeningHours = { week: { "1": ["08:00-24:00"] } };
    expect(openState(late, china(`${MON} 23:59`))).toEqual({ state: "open", closesAt: "24:00" });
    expect(openState(late, china(`${TUE} 00:00`))).toEqual({ state: "closed", opensAt: { day: "1", time: "08:00" } });
  });

  it("closes at the later end of touching intervals", () => {
    const split: OpeningHours = { week: { "3": ["11:00-13:00", "13:00-17:00"] } };
    expect(openState(split, china(`${WED} 12:00`))).toEqual({ state: "open", closesAt: "17:00" });
    expect(openState(split, china(`${WED} 13:00`))).toEqual({ state: "open", closesAt: "17:00" });

    const acrossMidnight: OpeningHours = { week: { "1": ["20:00-24:00"], "2": ["00:00-06:00"] } };
    expect(openState(acrossMidnight, china(`${MON} 21:00`))).toEqual({ state: "open", closesAt: "06:00" });
  });

  it("says when a place never closes", () => {
    const always = { week: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, ["00:00-24:00"]])) };
    expect(openState(always, china(`${SAT} 03:00`))).toEqual({ state: "open", closesAt: "24:00", roundTheClock: true });
  });

  describe("unknown is not closed", () => {
    it.each([
      ["no hours", null],
      ["missing hours", undefined],
      ["an empty week", { week: {} }],
      ["an empty week with a holiday note", { week: {}, holidayNote: "节假日另行通知" }],
      ["only unreadable intervals", { week: { "1": ["9am-5pm"] } }],
    ])("%s", (_label, hours) => {
      expect(openState(hours as OpeningHours | null | undefined, china(`${MON} 10:00`))).toEqual({ state: "unknown" });
      expect(isOpenNow(hours as OpeningHours | null | undefined, china(`${MON} 10:00`))).toBeNull();
    });

    it("nor is an instant that is not a date", () => {
      expect(openState(office, new Date("not a date"))).toEqual({ state: "unknown" });
    });
  });

  it("skips an unreadable interval and keeps the rest", () => {
    const hours: OpeningHours = { week: { "1": ["9am-5pm", "09:00-10:00"] } };
    expect(openState(hours, china(`${MON} 09:30`))).toEqual({ state: "open", closesAt: "10:00" });
  });

  it("is closed with no next opening when every named day is closed", () => {
    expect(openState({ week: { "1": [], "2": [] } }, china(`${MON} 10:00`))).toEqual({
      state: "closed",
      opensAt: null,
    });
  });

  it("answers yes, no or don't know", () => {
    expect(isOpenNow(office, china(`${MON} 09:30`))).toBe(true);
    expect(isOpenNow(office, china(`${SAT} 09:30`))).toBe(false);
    expect(isOpenNow(null, china(`${MON} 09:30`))).toBeNull();
  });

  describe("on China's clock whatever the server's time zone", () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it.each(["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])("with TZ=%s", (tz) => {
      process.env.TZ = tz;
      // Monday 09:30 in Shanghai, still Sunday in Los Angeles
      expect(openState(office, new Date("2026-11-30T01:30:00Z"))).toEqual({ state: "open", closesAt: "11:30" });
      // Monday 07:30 in Shanghai, Sunday 23:30 in UTC
      expect(openState(office, new Date("2026-11-29T23:30:00Z"))).toEqual({
        state: "closed",
        opensAt: { day: "1", time: "08:00" },
      });
      // Tuesday 00:00 in Shanghai
      expect(openState({ week: { "1": ["08:00-24:00"] } }, new Date("2026-11-30T16:00:00Z"))).toEqual({
        state: "closed",
        opensAt: { day: "1", time: "08:00" },
      });
    });

    it("where local getDay() would give the wrong weekday", () => {
      process.env.TZ = "America/Los_Angeles";
      expect(new Date("2026-11-30T01:30:00Z").getDay()).toBe(0);
      expect(isOpenNow(office, new Date("2026-11-30T01:30:00Z"))).toBe(true);
    });
  });
});
