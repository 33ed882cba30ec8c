import { useTranslation } from "react-i18next";

import { formatDateTime } from "~/utils/format";

export type DutiesView = {
  /** why the reader may not approve: they submitted it, or changed the listings since (how often, the latest when) */
  conflicts: { conflict: "submitted" | "edited_listings"; count: number; lastAt: string | Date }[];
  /** who else in scope may approve it */
  otherReviewers: { username: string; displayName: string }[];
};

/** Separation of duties on the review page: why the reader may not approve, and who else in scope may. */
export function DutyConflictNotice({ duties }: { duties: DutiesView }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="notice stack" data-testid="duty-conflict">
      <p>
        <strong>{t("assessment.review.duties.title")}</strong>
      </p>
      <ul>
        {duties.conflicts.map((c) => (
          <li key={c.conflict}>
            {c.conflict === "submitted"
              ? t("assessment.review.duties.submitted")
              : t("assessment.review.duties.edited_listings", {
                  count: c.count,
                  date: formatDateTime(c.lastAt, i18n.language),
                })}
          </li>
        ))}
      </ul>
      <p data-testid="other-reviewers">
        {duties.otherReviewers.length > 0
          ? `${t("assessment.review.duties.others")} ${duties.otherReviewers
              .map((r) => (r.displayName ? `${r.displayName} (${r.username})` : r.username))
              .join(t("assessment.review.duties.separator"))}`
          : t("assessment.review.duties.noOthers")}
      </p>
      <p className="small muted">{t("assessment.review.duties.mayReject")}</p>
    </div>
  );
}
