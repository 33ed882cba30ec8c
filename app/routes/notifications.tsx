import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireAnyScope } from "~/domains/accounts/guards.server";
import { NOTIFICATIONS_PAGE_SIZE as PAGE_SIZE, notificationMessage } from "~/domains/notifications/notifications";
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from "~/domains/notifications/notifications.server";
import { formatDateTime } from "~/utils/format";
import { metaI18n } from "~/utils/meta";
import { errorResponse, notFound } from "~/utils/responses.server";
import { useRootData } from "~/utils/use-root-data";

const pageSchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

const markSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
  z.object({ intent: z.literal("read_all") }),
]);

// the reader's own, about regions in the reader's scope now (any role reads its own region)
export async function loader({ request }: LoaderFunctionArgs) {
  const { account, prefixes } = await requireAnyScope(request, "view");
  const { page } = pageSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listNotifications(
    { userId: account.id, prefixes },
    { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE },
  );
  return json({ notifications: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE, page });
}

// Marking one's own notifications read is not audited: the audit log records changes to the
// product's objects and to accounts (what officials answer for), and a read mark changes nothing
// anyone else sees; entries for every reading would bury those that matter.
export async function action({ request }: ActionFunctionArgs) {
  const { account, prefixes } = await requireAnyScope(request, "view");
  const submission = parseWithZod(await request.formData(), { schema: markSchema });
  if (submission.status !== "success") throw errorResponse(request, 400, "a notification id or read_all is required");
  const reader = { userId: account.id, prefixes };
  if (submission.value.intent === "read_all") await markAllNotificationsRead(reader);
  // someone else's notification is as absent as one that never was
  else if (!(await markNotificationRead(reader, submission.value.id))) throw notFound(request, "no such notification");
  return redirect(`/notifications${new URL(request.url).search}`);
}

export const meta: MetaFunction = ({ matches }) => [
  { title: `${metaI18n(matches).t("notifications.title")} · 社区通 Shequ` },
];

export default function Notifications() {
  const { notifications, hasMore, page } = useLoaderData<typeof loader>();
  const unread = useRootData()?.user?.unreadNotifications ?? 0;
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const pageLink = (to: number) => {
    const query = new URLSearchParams(location.search);
    query.set("page", String(to));
    return `?${query}`;
  };
  return (
    <section className="stack">
      <h1>{t("notifications.title")}</h1>
      <p className="muted">{t("notifications.intro")}</p>
      {unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read_all" />
          <button type="submit">{t("notifications.markAllRead")}</button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p className="muted">{t("notifications.none")}</p>
      ) : (
        <ol className="notification-list" data-testid="notification-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? "notification" : "notification unread"}>
              <p>
                {n.readAt ? null : <strong className="unread-mark">{t("notifications.unread")}</strong>}
                <Link to={n.link}>{notificationMessage(n, t, i18n.language)}</Link>
              </p>
              <p className="small muted">{formatDateTime(n.createdAt, i18n.language)}</p>
              {n.readAt ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit">{t("notifications.markRead")}</button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      <p className="inline-fields">
        {page > 1 ? <Link to={pageLink(page - 1)}>{t("notifications.newer")}</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>{t("notifications.older")}</Link> : null}
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
