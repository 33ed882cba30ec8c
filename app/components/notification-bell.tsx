import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The header's way to /notifications for a signed-in reader: a bell, its word and the unread
 * count. The name comes from the text (no aria-label, so that what is read aloud starts with
 * what is seen): "通知，3 条未读", the badge's bare number hidden from it.
 */
export function NotificationBell({ unread }: { unread: number }) {
  const { t } = useTranslation();
  return (
    <Link to="/notifications" className="bell" data-testid="notification-bell">
      <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="1.1em" height="1.1em">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {t("nav.notifications")}
      {unread > 0 ? (
        <>
          <span className="visually-hidden">{t("nav.notificationsUnread", { unread })}</span>
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        </>
      ) : null}
    </Link>
  );
}
