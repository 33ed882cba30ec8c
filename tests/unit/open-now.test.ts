import { isOpenNow, openState } from "~/domains/listings/open-now";
import { calendarWarning, LAST_CALENDAR_YEAR, publicCalendar } from "~/domains/listings/public-holidays.server";

import type { OpeningHours } from "../../db/schema";

// 2026-11-30 is a Monday; "2026-11-30 09:30" is read on the China clock (UTC+8)
const china = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);
const MON = "2026-11-30";
const TUE = "2026-12-01";
const WED = "2026-12-02";
const FRI = "2026-12-04";
const SAT = "2026-12-05";
const SUN = "2026-12-06";
const NEXT_MON = "2026-12-07";

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
    expect(openState(office, china(`${MON} 11:30`))).toEqual({
      state: "closed",
      opensAt: { day: "1", time: "13:30", date: MON },
    });
    expect(openState(office, china(`${MON} 17:30`))).toEqual({
      state: "closed",
      opensAt: { day: "2", time: "08:00", date: TUE },
    });
  });

  it("is closed over the lunch break until the afternoon", () => {
    expect(openState(office, china(`${TUE} 12:15`))).toEqual({
      state: "closed",
      opensAt: { day: "2", time: "13:30", date: TUE },
    });
  });

  it("before opening, opens later today", () => {
    expect(openState(office, china(`${MON} 07:00`))).toEqual({
      state: "closed",
      opensAt: { day: "1", time: "08:00", date: MON },
    });
  });

  it("after closing, opens tomorrow, or on Monday over a closed weekend", () => {
    expect(openState(office, china(`${TUE} 20:00`))).toEqual({
      state: "closed",
      opensAt: { day: "3", time: "08:00", date: WED },
    });
    for (const at of [`${FRI} 18:00`, `${SAT} 10:00`, `${SUN} 23:59`]) {
      expect(openState(office, china(at))).toEqual({
        state: "closed",
        opensAt: { day: "1", time: "08:00", date: NEXT_MON },
      });
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
        opensAt: { day: "7", time: "20:00", date: SUN },
      });
    });

    it("wraps from Sunday into Monday", () => {
      expect(openState(night, china(`${MON} 02:30`))).toEqual({ state: "open", closesAt: "03:00" });
      expect(openState(night, china(`${MON} 03:00`))).toEqual({
        state: "closed",
        opensAt: { day: "1", time: "22:00", date: MON },
      });
    });

    it("leaves a day without its own hours closed outside the spill-over", () => {
      expect(isOpenNow(night, china(`${TUE} 12:00`))).toBe(false);
    });
  });

  it("runs an interval ending at 24:00 to midnight", () => {
    const late: OpeningHours = { week: { "1": ["08:00-24:00"] } };
    expect(openState(late, china(`${MON} 23:59`))).toEqual({ state: "open", closesAt: "24:00" });
    expect(openState(late, china(`${TUE} 00:00`))).toEqual({
      state: "closed",
      opensAt: { day: "1", time: "08:00", date: NEXT_MON },
    });
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
        opensAt: { day: "1", time: "08:00", date: MON },
      });
      // Tuesday 00:00 in Shanghai
      expect(openState({ week: { "1": ["08:00-24:00"] } }, new Date("2026-11-30T16:00:00Z"))).toEqual({
        state: "closed",
        opensAt: { day: "1", time: "08:00", date: NEXT_MON },
      });
    });

    it("where local getDay() would give the wrong weekday", () => {
      process.env.TZ = "America/Los_Angeles";
      expect(new Date("2026-11-30T01:30:00Z").getDay()).toBe(0);
      expect(isOpenNow(office, new Date("2026-11-30T01:30:00Z"))).toBe(true);
    });
  });
});

describe("open now on China's calendar (public holidays and make-up working days)", () => {
  const office = weekdays(["08:00-11:30", "13:30-17:30"]);
  const everyDay: OpeningHours = {
    week: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, ["07:00-19:00"]])),
  };
  const on = (local: string) => {
    const at = china(local);
    return { at, calendar: publicCalendar(at) };
  };

  it("National Day 2026: a weekday canteen is closed and reopens on the first working day after", () => {
    const { at, calendar } = on("2026-10-01 10:00");
    expect(calendar["2026-10-01"]).toMatchObject({ kind: "holiday", name: { zh: "国庆节" } });
    expect(openState(office, at, calendar)).toEqual({
      state: "closed",
      opensAt: { day: "4", time: "08:00", date: "2026-10-08" },
    });
    // without the calendar it would have said open: the bug this fixes
    expect(isOpenNow(office, at)).toBe(true);
  });

  it("National Day 2025 (eight days with Mid-Autumn): closed on Friday the 3rd, open again on the 9th", () => {
    const { at, calendar } = on("2025-10-03 09:00");
    expect(openState(office, at, calendar)).toEqual({
      state: "closed",
      opensAt: { day: "4", time: "08:00", date: "2025-10-09" },
    });
  });

  it("Spring Festival 2026: closed on its Monday; the make-up Saturday before it is a working day", () => {
    const festival = on("2026-02-16 10:00");
    expect(isOpenNow(office, festival.at, festival.calendar)).toBe(false);
    const makeUp = on("2026-02-14 09:00");
    expect(makeUp.calendar["2026-02-14"]).toMatchObject({ kind: "workday" });
    expect(openState(office, makeUp.at, makeUp.calendar)).toEqual({ state: "open", closesAt: "11:30" });
  });

  it("a make-up working Sunday (调休, 2026-09-20 and 2025-09-28) keeps a working day's hours", () => {
    for (const local of ["2026-09-20 10:00", "2025-09-28 15:00"]) {
      const { at, calendar } = on(local);
      expect(isOpenNow(office, at, calendar), local).toBe(true);
      expect(isOpenNow(office, at), `${local} without the calendar`).toBe(false);
    }
  });

  it("hours open on all seven days have no day off to move: a holiday leaves them as they are", () => {
    const { at, calendar } = on("2026-10-03 10:00");
    expect(openState(everyDay, at, calendar)).toEqual({ state: "open", closesAt: "19:00" });
  });

  it("an ordinary week is untouched by the calendar", () => {
    const { at, calendar } = on(`${TUE} 09:00`);
    expect(calendar).toEqual({});
    expect(openState(office, at, calendar)).toEqual({ state: "open", closesAt: "11:30" });
  });
});

describe("the holiday dataset", () => {
  it("knows 2025 and 2026, and says so at start when the current year is missing", () => {
    expect(LAST_CALENDAR_YEAR).toBeGreaterThanOrEqual(2026);
    expect(calendarWarning(new Date("2026-06-01T00:00:00Z"))).toBeNull();
    expect(calendarWarning(new Date(`${LAST_CALENDAR_YEAR + 1}-03-01T00:00:00Z`))).toMatch(/chinese-days/);
  });
});

describe("a place's own special dates (exceptions)", () => {
  const office = weekdays(["08:00-11:30", "13:30-17:30"]);
  const everyDay: OpeningHours = {
    week: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, ["07:00-19:00"]])),
  };

  it("a closed range replaces the week, and the next opening is after it", () => {
    const closed: OpeningHours = { ...office, exceptions: [{ from: MON, to: WED, hours: [] }] };
    expect(openState(closed, china(`${TUE} 09:00`))).toEqual({
      state: "closed",
      opensAt: { day: "4", time: "08:00", date: "2026-12-03" },
    });
  });

  it("special hours on a date replace the week's hours that day only", () => {
    const short: OpeningHours = { ...office, exceptions: [{ from: TUE, to: TUE, hours: ["09:00-10:00"] }] };
    expect(openState(short, china(`${TUE} 09:30`))).toEqual({ state: "open", closesAt: "10:00" });
    expect(isOpenNow(short, china(`${TUE} 15:00`))).toBe(false);
    expect(isOpenNow(short, china(`${WED} 15:00`))).toBe(true);
  });

  it("come before China's calendar: a place open every day may close for National Day, or open on it", () => {
    const at = china("2026-10-02 10:00");
    const calendar = publicCalendar(at);
    const closes: OpeningHours = { ...everyDay, exceptions: [{ from: "2026-10-01", to: "2026-10-03", hours: [] }] };
    expect(isOpenNow(closes, at, calendar)).toBe(false);
    const opens: OpeningHours = {
      ...office,
      exceptions: [{ from: "2026-10-02", to: "2026-10-02", hours: ["09:00-12:00"] }],
    };
    expect(isOpenNow(opens, at, calendar)).toBe(true);
    expect(isOpenNow(office, at, calendar)).toBe(false);
  });

  it("dated hours alone (no weekly hours) are known hours, not unknown", () => {
    const popUp: OpeningHours = { week: {}, exceptions: [{ from: SAT, to: SAT, hours: ["09:00-12:00"] }] };
    expect(openState(popUp, china(`${FRI} 10:00`))).toEqual({
      state: "closed",
      opensAt: { day: "6", time: "09:00", date: SAT },
    });
  });
});
