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
//   opening; intervals that do not parse are skipped, and if nothing else is left the answer is unknown.

export type Weekday = "1" | "2" | "3" | "4" | "5" | "6" | "7";

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
      /** the next opening within 7 days, null if the hours have none */
      opensAt: { day: Weekday; time: string } | null;
    }
  | { state: "unknown" };

const DAYS: readonly Weekday[] = ["1", "2", "3", "4", "5", "6", "7"];
const DAY = 24 * 60;
const WEEK = 7 * DAY;
const INTERVAL = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

// one formatter for the module: building an Intl.DateTimeFormat costs far more than using one
const chinaClock = new Intl.DateTimeFormat("en-US", {
  timeZone: "Asia/Shanghai",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** minutes since Monday 00:00 on the China clock */
function minuteOfWeek(at: Date) {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of chinaClock.formatToParts(at)) {
    if (part.type === "weekday") day = WEEKDAY_INDEX[part.value];
    else if (part.type === "hour")
      hour = Number(part.value) % 24; // some engines still say "24" at midnight
    else if (part.type === "minute") minute = Number(part.value);
  }
  return day * DAY + hour * 60 + minute;
}

type Span = { start: number; end: number }; // minutes since Monday 00:00, end > start

function parseInterval(text: string): { start: number; end: number } | null {
  const m = INTERVAL.exec(text.trim());
  if (!m) return null;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start > DAY || end > DAY || start === end) return null;
  return { start, end: end < start ? end + DAY : end };
}

/** the week's spans, sorted, repeated over three weeks (last, this, next) so wraps need no special case */
function weekSpans(hours: OpeningHours): { spans: Span[]; namedDays: number; skipped: number } {
  const week: Span[] = [];
  let namedDays = 0;
  let skipped = 0;
  for (const [index, day] of DAYS.entries()) {
    const intervals = hours.week?.[day];
    if (!intervals) continue;
    namedDays++;
    for (const text of intervals) {
      const interval = typeof text === "string" ? parseInterval(text) : null;
      if (!interval) {
        skipped++;
        continue;
      }
      week.push({ start: index * DAY + interval.start, end: index * DAY + interval.end });
    }
  }
  const spans = [-WEEK, 0, WEEK].flatMap((shift) => week.map((s) => ({ start: s.start + shift, end: s.end + shift })));
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return { spans, namedDays, skipped };
}

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export function openState(hours: OpeningHours | null | undefined, at: Date): OpenState {
  if (!hours || Number.isNaN(at.getTime())) return { state: "unknown" };
  const { spans, namedDays, skipped } = weekSpans(hours);
  if (spans.length === 0) {
    return namedDays === 0 || skipped > 0 ? { state: "unknown" } : { state: "closed", opensAt: null };
  }

  const now = minuteOfWeek(at);
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
  if (!next) return { state: "closed", opensAt: null }; // unreachable: next week's copy always follows
  const start = ((next.start % WEEK) + WEEK) % WEEK;
  return { state: "closed", opensAt: { day: DAYS[Math.floor(start / DAY)], time: clock(start % DAY) } };
}

/** true open, false closed, null when the hours are unknown */
export function isOpenNow(hours: OpeningHours | null | undefined, at: Date): boolean | null {
  const { state } = openState(hours, at);
  return state === "unknown" ? null : state === "open";
}
