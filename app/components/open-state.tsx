import { useTranslation } from "react-i18next";

import { addChinaDays, chinaDate, openState, type PublicCalendar } from "~/domains/listings/open-now";
import { formatCalendarDate } from "~/utils/format";
import { useRootData } from "~/utils/use-root-data";

import type { OpeningHours } from "../../db/schema";

/** The days China's calendar makes special around now, from the root loader (none before it loads). */
export function usePublicCalendar(): PublicCalendar {
  return useRootData()?.publicCalendar ?? {};
}

/** The open state as words (shown, and read aloud) and whether the place is open. */
export function useOpenStateLabel(hours: OpeningHours | null | undefined, at: string) {
  const { t, i18n } = useTranslation();
  const calendar = usePublicCalendar();
  const now = new Date(at);
  const state = openState(hours, now, calendar);
  if (state.state === "unknown") return { state: state.state, text: t("resident.hoursUnknown") };
  if (state.state === "open") {
    const closes = state.roundTheClock ? "" : ` · ${t("resident.closesAt", { time: state.closesAt })}`;
    return { state: state.state, text: `${t("resident.openNowYes")}${closes}` };
  }
  const today = chinaDate(now);
  const holiday = calendar[today]?.kind === "holiday" ? calendar[today].name : null;
  let text = t("resident.closedToday");
  if (state.opensAt) {
    // a weekday names the coming week only; further off (after a long holiday) the date is said
    const farOff = state.opensAt.date >= addChinaDays(today, 7);
    text = farOff
      ? t("resident.closedOpensOn", {
          date: formatCalendarDate(state.opensAt.date, i18n.language),
          time: state.opensAt.time,
        })
      : t("resident.closedOpensAt", { day: t(`weekdays.${state.opensAt.day}`), time: state.opensAt.time });
  }
  if (holiday)
    text = `${t("resident.publicHoliday", { name: i18n.language === "en" ? holiday.en : holiday.zh })} · ${text}`;
  return { state: state.state, text };
}

/**
 * "Open now, closes 17:30" / "Closed; opens Mon 08:00" / "Hours unknown". `at` comes from the
 * loader so the server's and the browser's renders agree.
 */
export function OpenStateText({ hours, at }: { hours: OpeningHours | null | undefined; at: string }) {
  const label = useOpenStateLabel(hours, at);
  if (label.state === "unknown") return <span className="muted">{label.text}</span>;
  return (
    <span className={label.state} data-open={label.state === "open" ? "true" : "false"}>
      {label.text}
    </span>
  );
}
