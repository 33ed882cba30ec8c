import type { OpeningHours } from "../../../db/schema";

// Whether a facility or service is open at an instant, always on the clock of China (UTC+8), so the
// answer is the same on a server in UTC and on a resident's phone set to any zone.
//
// Rules, in the words of db/schema.ts and listing-schema.ts:
// - intervals are "HH:MM-HH:MM", start inclusive, end exclusive; "24:00" as an end is midnight;
// - an end before the start runs past midnight and belongs to the day it starts
//   (Monday "22:00-02:00" covers Monday 22:00-24:00 and Tuesday 00:00-02:00, Sunday wraps to Monday);
// - a day missing from `week` is closed that day;
// - no hours, or a `week` that names no day at all, is "unknown": we know nothing, which is not closed;
// - a `week` that names days but gives them no interval (every day closed) is closed with no next
//   opening; intervals that do not parse are skipped, and if nothing else is left the answer is unknown;
// - exceptions (a date range closed, or special hours on dates) replace the week on their dates;
// - China's calendar (PublicCalendar, from public-holidays.server.ts): weekly hours that leave some
//   day of the week closed are office-like, so a public holiday closes the place, and a make-up
//   working day (调休) on one of its closed days takes the hours of its first weekday with hours.
//   Hours open on all seven days have no day off to move: holidays leave them as they are.

export type Weekday = "1" | "2" | "3" | "4" | "5" | "6" | "7";

/** A day that China's calendar makes special: a public holiday, or a make-up working day. */
export type PublicDay = { kind: "holiday" | "workday"; name: { en: string; zh: string } };
/** China dates ("YYYY-MM-DD") → their special kind; an ordinary day is absent. */
export type PublicCalendar = Record<string, PublicDay>;

export type OpenState =
  | {
      state: "open";
      /** "HH:MM" on the China clock; of the last interval in a run of touching ones ("24:00" = midnight) */
      closesAt: string;
      /** set when the run never ends (open round the clock, every day); closesAt is then "24:00" */
      roundTheClock?: true;
    }
  | {
      state: "closed";
      /** the next opening within 14 days (its China date too), null if the hours have none */
      opensAt: { day: Weekday; time: string; date: string } | null;
    }
  | { state: "unknown" };

const DAYS: readonly Weekday[] = ["1", "2", "3", "4", "5", "6", "7"];
const DAY = 24 * 60;
const WEEK = 7 * DAY;
const INTERVAL = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

// one formatter for the module: building an Intl.DateTimeFormat costs far more than using one
const chinaClock = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** the China date ("YYYY-MM-DD") of an instant and the minutes since its midnight */
function chinaMoment(at: Date) {
  const part: Record<string, string> = {};
  for (const p of chinaClock.formatToParts(at)) part[p.type] = p.value;
  // some engines still say "24" at midnight
  const minute = (Number(part.hour) % 24) * 60 + Number(part.minute);
  return { date: `${part.year}-${part.month}-${part.day}`, minute };
}

export const chinaDate = (at: Date) => chinaMoment(at).date;

/** a calendar date `days` later (or earlier): date arithmetic only, no clock involved */
export function addChinaDays(date: string, days: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "1" Monday … "7" Sunday */
export const weekdayOf = (date: string): Weekday => DAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];

type Span = { start: number; end: number }; // minutes since Monday 00:00, end > start

function parseInterval(text: string): { start: number; end: number } | null {
  const m = INTERVAL.exec(text.trim());
  if (!m) return null;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start > DAY || end > DAY || start === end) return null;
  return { start, end: end < start ? end + DAY : end };
}

/** The weekly hours read once: each day's intervals that parse, and what the week says at all. */
function readWeek(hours: OpeningHours) {
  const byDay = {} as Record<Weekday, string[]>;
  let namedDays = 0;
  let skipped = 0;
  for (const day of DAYS) {
    const list = hours.week?.[day];
    if (list) namedDays++;
    byDay[day] = (list ?? []).filter(
      (text): text is string => typeof text === "string" && parseInterval(text) !== null,
    );
    skipped += (list?.length ?? 0) - byDay[day].length;
  }
  const daysWithHours = DAYS.filter((day) => byDay[day].length > 0);
  return {
    byDay,
    namedDays,
    skipped,
    intervals: daysWithHours.reduce((n, day) => n + byDay[day].length, 0),
    everyDay: daysWithHours.length === DAYS.length,
    /** the hours a make-up working day borrows: the first weekday (Monday to Friday) with some */
    workday: (["1", "2", "3", "4", "5"] as const).find((day) => byDay[day].length > 0),
  };
}
type Week = ReturnType<typeof readWeek>;

/** The place's own special date covering a China date, if any. */
export const exceptionOn = (hours: OpeningHours, date: string) =>
  hours.exceptions?.find((e) => e.from <= date && date <= e.to);

/** The intervals of one China date, after the public calendar (the rules at the top). */
export function hoursOn(
  hours: OpeningHours,
  date: string,
  calendar: PublicCalendar,
  week: Week = readWeek(hours),
): string[] {
  // the place's own word for a date comes first: it knows its holidays better than the rules
  const exception = exceptionOn(hours, date);
  if (exception) return exception.hours.filter((text) => parseInterval(text) !== null);
  const own = week.byDay[weekdayOf(date)];
  const special = calendar[date];
  if (!special || week.everyDay) return own;
  if (special.kind === "holiday") return [];
  return own.length > 0 || !week.workday ? own : week.byDay[week.workday];
}

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** How many days ahead an opening is looked for: a week's holiday and the weekend around it. */
const LOOKAHEAD_DAYS = 14;

export function openState(hours: OpeningHours | null | undefined, at: Date, calendar: PublicCalendar = {}): OpenState {
  if (!hours || Number.isNaN(at.getTime())) return { state: "unknown" };
  const week = readWeek(hours);
  const datedHours = hours.exceptions?.some((e) => e.hours.length > 0) ?? false;
  if (week.intervals === 0 && !datedHours) {
    return week.namedDays === 0 || week.skipped > 0 ? { state: "unknown" } : { state: "closed", opensAt: null };
  }

  const { date: today, minute: now } = chinaMoment(at);
  // yesterday first: its interval may run past midnight into now
  const spans: Span[] = [];
  for (let offset = -1; offset <= LOOKAHEAD_DAYS; offset++) {
    for (const text of hoursOn(hours, addChinaDays(today, offset), calendar, week)) {
      const interval = parseInterval(text)!;
      spans.push({ start: offset * DAY + interval.start, end: offset * DAY + interval.end });
    }
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);

  const covering = spans.filter((s) => s.start <= now && now < s.end);
  if (covering.length > 0) {
    // follow touching and overlapping intervals to the end of the run
    let end = Math.max(...covering.map((s) => s.end));
    for (const span of spans) {
      if (span.start <= end && span.end > end) end = span.end;
    }
    if (end - now >= WEEK) return { state: "open", closesAt: "24:00", roundTheClock: true };
    const time = ((end % DAY) + DAY) % DAY;
    // an interval ending at midnight closes at "24:00", not "00:00"
    return { state: "open", closesAt: time === 0 ? "24:00" : clock(time) };
  }

  const next = spans.find((s) => s.start > now);
  if (!next) return { state: "closed", opensAt: null };
  const date = addChinaDays(today, Math.floor(next.start / DAY));
  return { state: "closed", opensAt: { day: weekdayOf(date), time: clock(next.start % DAY), date } };
}

/** true open, false closed, null when the hours are unknown */
export function isOpenNow(
  hours: OpeningHours | null | undefined,
  at: Date,
  calendar: PublicCalendar = {},
): boolean | null {
  const { state } = openState(hours, at, calendar);
  return state === "unknown" ? null : state === "open";
}
