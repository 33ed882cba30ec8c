import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { formatDate, formatDateTime } from "~/utils/format";

export type AssessmentStateView = {
  state: string;
  tier: string | null;
  submittedAt: string | null;
  effectiveAt: string | null;
  revokedAt: string | null;
  /** the reason of the rejection or revocation, when that is the state */
  reason?: string | null;
};

/** An assessment's state and outcome: tier once decided, notice end, effective and revoked dates, reason. */
export function AssessmentStatePanel({
  assessment,
  children,
}: {
  assessment: AssessmentStateView;
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { state, reason } = assessment;
  // a tier stands once decided; a submission's tier is only what its score reaches
  const tier = ["notice", "approved", "revoked"].includes(state) ? assessment.tier : null;
  return (
    <div className="panel" data-testid="assessment-state">
      <p>
        {t("assessment.outcome")}: <strong>{t(`assessment.states.${state}`)}</strong>
        {tier ? ` · ${t(`assessment.tiers.${tier}`)}` : null}
        {assessment.submittedAt
          ? ` · ${t("assessment.submittedAt")}: ${formatDateTime(assessment.submittedAt, i18n.language)}`
          : null}
      </p>
      {state === "notice" && assessment.effectiveAt ? (
        <p>{t("assessment.noticeUntil", { date: formatDate(assessment.effectiveAt, i18n.language) })}</p>
      ) : null}
      {assessment.effectiveAt && state !== "notice" ? (
        <p>
          {t("assessment.effectiveAt")}: {formatDate(assessment.effectiveAt, i18n.language)}
          {assessment.revokedAt
            ? ` · ${t("assessment.revokedAt")}: ${formatDate(assessment.revokedAt, i18n.language)}`
            : null}
        </p>
      ) : null}
      {state === "rejected" && reason ? <p role="alert">{t("assessment.rejectedBecause", { reason })}</p> : null}
      {state === "revoked" && reason ? <p role="alert">{t("assessment.revokedBecause", { reason })}</p> : null}
      {children}
    </div>
  );
}
