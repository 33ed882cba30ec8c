/** The job queue's queues (docs/decisions/012), named apart from what they run so senders need not import it. */
export const JOBS = {
  /** a public-notice period ends on the clock, not on a request: the assessment becomes approved */
  settleNoticePeriods: "settle-notice-periods",
  /** living-circle recomputes queued by a threshold change or a big import */
  recomputeLivingCircle: "recompute-living-circle",
  /** coverage per region at each month end, for the trend */
  snapshotCoverage: "snapshot-coverage",
  /** staff hear of their listings about to go stale (in-app notifications) */
  remindStaleListings: "remind-stale-listings",
  /** residents' opinions: rater keys after 30 days, opinions after 12 months (docs/figures.md) */
  sweepFeedback: "sweep-feedback",
} as const;
