// What runs in the background, and when (docs/decisions/012). Each job is idempotent and does all
// there is to do when it runs, so a retry, a late run or a run from two processes changes nothing.
import { settleNoticePeriods } from "../../../db/queries/assessments.server";
import { sweepFeedback } from "../../../db/queries/feedback.server";
import { runLivingCircleRecomputes } from "../../../db/queries/living-circle.server";
import { snapshotCoverage } from "../coverage/coverage.server";
import { remindStaleListings } from "../notifications/notifications.server";
import { JOBS } from "./job-names";
import { startJobQueue, type JobDefinition, type JobQueueTiming } from "./job-queue.server";

export const BACKGROUND_JOBS: readonly JobDefinition[] = [
  { name: JOBS.settleNoticePeriods, cron: "* * * * *", atStart: true, run: () => settleNoticePeriods() },
  // sent when one is queued; the schedule and the start take up one a stopped process left
  { name: JOBS.recomputeLivingCircle, cron: "* * * * *", atStart: true, run: () => runLivingCircleRecomputes() },
  // just after midnight on the first of each month; at start, the months missing (all, at first)
  { name: JOBS.snapshotCoverage, cron: "30 0 1 * *", atStart: true, run: () => snapshotCoverage() },
  // each morning before office hours; not at start: it reads every listing of the province, and a
  // morning missed is caught up the next (a reminder comes 14 days ahead)
  { name: JOBS.remindStaleListings, cron: "0 7 * * *", run: () => remindStaleListings() },
  // nightly, and at start: what residents' limits no longer need is not kept a day longer
  { name: JOBS.sweepFeedback, cron: "15 3 * * *", atStart: true, run: () => sweepFeedback() },
];

export const startBackgroundJobs = (timing?: JobQueueTiming) => startJobQueue(BACKGROUND_JOBS, timing);
