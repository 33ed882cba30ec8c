import { useTranslation } from "react-i18next";

import { openState } from "~/domains/listings/open-now";

import type { OpeningHours } from "../../db/schema";

/**
 * "Open now, closes 17:30" / "Closed; opens Mon 08:00" / "Hours unknown". `at` comes from the
 * loader so the server's and the browser's renders agree.
 */
export function OpenStateText({ hours, at }: { hours: OpeningHours | null | undefined; at: string }) {
  const { t } = useTranslation();
  const state = openState(hours, new Date(at));
  if (state.state === "unknown") return <span className="muted">{t("resident.hoursUnknown")}</span>;
  if (state.state === "open") {
    return (
      <span className="open" data-open="true">
        {t("resident.openNowYes")}
        {state.roundTheClock ? null : ` · ${t("resident.closesAt", { time: state.closesAt })}`}
      </span>
    );
  }
  return (
    <span className="closed" data-open="false">
      {state.opensAt
        ? t("resident.closedOpensAt", { day: t(`weekdays.${state.opensAt.day}`), time: state.opensAt.time })
        : t("resident.closedToday")}
    </span>
  );
}
