import { LISTING_FRESHNESS } from "../../../db/identifiers";
import { getFreshnessSettings } from "../../../db/queries/freshness.server";
import { writeStaleReminders } from "../../../db/queries/notifications.server";

// Notifications on the server. The workflow writes them in its own transactions
// (db/queries/notifications.server.ts says who receives what); the reader's list, count and
// marks are the queries below as they are, each naming the reader.
export {
  countUnreadNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from "../../../db/queries/notifications.server";

/**
 * The daily reminder to community staff of listings that go stale (N days) within the lead time (or
 * already have), at most once per listing and verification; safe to run twice or from two
 * processes at once. The job queue calls it; it schedules nothing itself.
 */
export async function remindStaleListings(now = new Date()) {
  const { staleDays } = await getFreshnessSettings();
  return writeStaleReminders({
    now,
    // the province's N (docs/figures.md, Freshness)
    staleAfterDays: staleDays,
    leadDays: LISTING_FRESHNESS.reminderLeadDays,
  });
}
