import { z } from "zod";

/** YYYY-MM-DD naming a real day: 2026-02-30 is refused, where Date.parse would roll it into March. */
export function isCalendarDate(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** The one date-field check of forms, queries and the API; `message` is a catalogue key. */
export const calendarDate = (message: string) => z.string().refine(isCalendarDate, message);
