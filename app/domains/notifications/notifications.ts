import type { TFunction } from "i18next";

import { LIVING_CIRCLE_MEASURES, type LivingCircleMeasure, type NotificationKind } from "../../../db/identifiers";
import type { NotificationParams } from "../../../db/schema";
import { formatDate } from "../../utils/format";
import { measureLabelKey } from "../living-circle/living-circle";

// How a notification reads: its kind's message in the catalogue (notifications.messages), with
// the values stored when it was written; identifiers through the catalogue, dates through the
// one date format. Pure: the list page and the tests share it.

export const NOTIFICATIONS_PAGE_SIZE = 20;

export function notificationMessage(
  notification: { kind: NotificationKind; params: NotificationParams },
  t: TFunction,
  locale: string,
) {
  const p = notification.params;
  const text = (key: string) => (p[key] === null || p[key] === undefined ? "" : String(p[key]));
  const date = (key: string) => (p[key] ? formatDate(String(p[key]), locale) : "");
  const label = (prefix: string, key: string) => (p[key] ? t(`${prefix}.${p[key]}`) : "");
  return t(`notifications.messages.${notification.kind}`, {
    community: text("community"),
    place: [text("facility"), text("service")].filter(Boolean).join(" · "),
    problem: label("problems", "problem"),
    tier: label("assessment.tiers", "tier"),
    reason: text("reason"),
    until: date("until"),
    listing: label("notifications.listings", "listing"),
    name: text("name"),
    verified: date("verified"),
    staleOn: date("staleOn"),
    official: text("official"),
    scenario: text("scenario"),
    measures: text("measures")
      .split(",")
      .filter((m): m is LivingCircleMeasure => (LIVING_CIRCLE_MEASURES as readonly string[]).includes(m))
      .map((m) => t(measureLabelKey(m)))
      .join(t("livingCircle.listSeparator")),
  });
}
