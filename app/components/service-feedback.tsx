import { useFetcher } from "@remix-run/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { FEEDBACK_LIMITS, type Satisfaction } from "~/domains/feedback/feedback";
import { formatNumber, formatPercent } from "~/utils/format";

// A resident's opinion of a service, no account (docs/figures.md, Satisfaction): on the service
// page and under each result. It posts to the service page's action, so it works without
// scripts too; with them, the answer replaces the form in place.

export type FeedbackResult =
  | { intent: "feedback"; given: true; replaced: boolean }
  | { intent: "feedback"; given: false; invalid: boolean; limitedMinutes: number | null; comment: string };

export function ServiceFeedbackForm({
  serviceId,
  result,
}: {
  serviceId: string;
  /** the page's own action data, when the form was sent without scripts */
  result?: FeedbackResult;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<FeedbackResult>();
  const id = useId();
  const shown = fetcher.data ?? result;
  if (shown?.given) {
    return (
      <p role="status" className="toast">
        {shown.replaced ? t("residentFeedback.replaced") : t("residentFeedback.thanks")}
      </p>
    );
  }
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" action={`/services/${serviceId}`} className="stack feedback-form">
      <input type="hidden" name="intent" value="feedback" />
      <p id={`${id}-question`}>{t("residentFeedback.question")}</p>
      {shown?.limitedMinutes ? (
        <p role="alert" className="notice">
          {t("residentFeedback.limited", { minutes: shown.limitedMinutes })}
        </p>
      ) : null}
      {shown?.invalid ? (
        <p role="alert" className="notice">
          {t("residentFeedback.invalid")}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-comment`}>{t("residentFeedback.comment")}</label>
        <textarea
          id={`${id}-comment`}
          name="comment"
          maxLength={FEEDBACK_LIMITS.commentLength}
          rows={2}
          defaultValue={shown?.comment ?? ""}
        />
      </div>
      <div className="feedback-choices" role="group" aria-labelledby={`${id}-question`}>
        <button type="submit" name="opinion" value="satisfied" className="primary" disabled={busy}>
          {t("residentFeedback.satisfied")}
        </button>
        <button type="submit" name="opinion" value="unsatisfied" disabled={busy}>
          {t("residentFeedback.unsatisfied")}
        </button>
      </div>
      <p className="muted small">{t("residentFeedback.privacy")}</p>
    </fetcher.Form>
  );
}

/**
 * A result's "rate" fold: the form comes when it is opened, so that a page of results does not
 * carry twenty forms; without scripts it leads to the service page's own.
 */
export function ResultFeedback({ serviceId }: { serviceId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <details className="result-feedback" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t("residentFeedback.open")}</summary>
      {open ? (
        <ServiceFeedbackForm serviceId={serviceId} />
      ) : (
        <a href={`/services/${serviceId}#feedback-title`}>{t("residentFeedback.onServicePage")}</a>
      )}
    </details>
  );
}

/** a service's or a community's share satisfied from the minimum of responses, else "—" with the count */
export function SatisfactionText({ satisfaction, minResponses }: { satisfaction: Satisfaction; minResponses: number }) {
  const { t, i18n } = useTranslation();
  const responses = formatNumber(satisfaction.responses, i18n.language);
  return (
    <span data-testid="satisfaction">
      {satisfaction.responses === 0
        ? t("residentFeedback.figureNone")
        : satisfaction.rate === null
          ? t("residentFeedback.figureFew", { responses, min: minResponses })
          : t("residentFeedback.figure", { rate: formatPercent(satisfaction.rate, i18n.language), responses })}
    </span>
  );
}
