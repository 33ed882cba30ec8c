import { useTranslation } from "react-i18next";

import { openState } from "~/domains/listings/open-now";

import type { OpeningHours } from "../../db/schema";

/** The open state as words (shown, and read aloud) and whether the place is open. */
export function useOpenStateLabel(hours: OpeningHours | null | undefined, at: string) {
  const { t } = useTranslation();
  const state = openState(hours, new Date(at));
  if (state.state === "unknown") return { state: state.state, text: t("resident.hoursUnknown") };
  if (state.state === "open") {
    const closes = state.roundTheClock ? "" : ` · ${t("resident.closesAt", { time: state.closesAt })}`;
    return { state: state.state, text: `${t("resident.openNowYes")}${closes}` };
  }
  const text = state.opensAt
    ? t("resident.closedOpensAt", { day: t(`weekdays.${state.opensAt.day}`), time: state.opensAt.time })
    : t("resident.closedToday");
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
