// China's public holidays and make-up working days (调休), from the State Council's yearly notice
// as packaged by `chinese-days` (MIT, docs/decisions/005). Only the days around a moment leave the
// server (publicCalendar), so the browser never loads the whole dataset.
import dataset from "chinese-days/dist/chinese-days.json";

import { addChinaDays, chinaDate, type PublicCalendar } from "./open-now";

type Dataset = { holidays: Record<string, string>; workdays: Record<string, string> };
const { holidays, workdays } = dataset as Dataset;

/** "National Day,国庆节,3" → its names */
function names(entry: string) {
  const [en, zh] = entry.split(",");
  return { en: en ?? "", zh: zh ?? en ?? "" };
}

/** The special days from the day before `at` to 15 days after it, on China's calendar. */
export function publicCalendar(at: Date, days = 16): PublicCalendar {
  const calendar: PublicCalendar = {};
  const start = addChinaDays(chinaDate(at), -1);
  for (let i = 0; i <= days; i++) {
    const date = addChinaDays(start, i);
    if (holidays[date]) calendar[date] = { kind: "holiday", name: names(holidays[date]) };
    else if (workdays[date]) calendar[date] = { kind: "workday", name: names(workdays[date]) };
  }
  return calendar;
}

/** The last year the dataset knows; a later year's holidays are unknown until the package is updated. */
export const LAST_CALENDAR_YEAR = Math.max(...Object.keys(holidays).map((date) => Number(date.slice(0, 4))));

/**
 * Said at start when China's calendar for the current year is missing: "open now" then follows the
 * weekly hours alone on that year's holidays. The fix is `npm update chinese-days` once the State
 * Council has published the year's calendar (README, "Public holidays").
 */
export function calendarWarning(at: Date): string | null {
  const year = Number(chinaDate(at).slice(0, 4));
  if (year <= LAST_CALENDAR_YEAR) return null;
  return `China's public holidays are known up to ${LAST_CALENDAR_YEAR} only: "open now" ignores ${year}'s holidays until chinese-days is updated`;
}
