import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ErrorList } from "~/components/forms";
import type { Satisfaction } from "~/domains/feedback/feedback";
import { answerFormSchema, type StaffComment } from "~/domains/feedback/feedback-answers";
import { formatDate, formatNumber, formatPercent } from "~/utils/format";

// Residents' satisfaction on the staff's pages (/manage/:code, /manage/services/:id): the figures
// (a share only from the province's minimum of responses), the newest comments, and the answer
// form of each, which posts to /manage/feedback/:id.

/** "12 responses, 9 satisfied, share satisfied 75.0%", or "—" and why below the minimum */
export function SatisfactionFigure({ figure, minResponses }: { figure: Satisfaction; minResponses: number }) {
  const { t, i18n } = useTranslation();
  return (
    <p data-testid="satisfaction-figure">
      {t("feedbackAnswers.figure", {
        responses: formatNumber(figure.responses, i18n.language),
        satisfied: formatNumber(figure.satisfied, i18n.language),
        rate: formatPercent(figure.rate, i18n.language),
      })}
      {figure.rate === null ? (
        <span className="muted small"> ({t("feedbackAnswers.belowMinimum", { min: minResponses })})</span>
      ) : null}
    </p>
  );
}

type ServiceFigure = Satisfaction & { serviceId: string; serviceName: string; facilityName: string };

/** the community workspace's section: its figure, each service's, and the newest comments */
export function CommunitySatisfaction({
  satisfaction,
  canAnswer,
  redirectTo,
}: {
  satisfaction: { minResponses: number; total: Satisfaction; services: ServiceFigure[]; comments: StaffComment[] };
  canAnswer: boolean;
  redirectTo: string;
}) {
  const { t, i18n } = useTranslation();
  const { minResponses, total, services, comments } = satisfaction;
  return (
    <section id="satisfaction" className="stack" data-testid="satisfaction">
      <h2>{t("feedbackAnswers.sectionTitle")}</h2>
      <p className="muted small">{t("feedbackAnswers.intro", { min: minResponses })}</p>
      {total.responses === 0 ? (
        <p className="muted">{t("feedbackAnswers.none")}</p>
      ) : (
        <>
          <SatisfactionFigure figure={total} minResponses={minResponses} />
          <table className="table" data-testid="satisfaction-services">
            <thead>
              <tr>
                <th>{t("feedbackAnswers.service")}</th>
                <th>{t("feedbackAnswers.responses")}</th>
                <th>{t("feedbackAnswers.satisfied")}</th>
                <th>{t("feedbackAnswers.rate")}</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr key={s.serviceId}>
                  <td>
                    <Link to={`/manage/services/${s.serviceId}#satisfaction`}>{s.serviceName}</Link>{" "}
                    <span className="muted small">@ {s.facilityName}</span>
                  </td>
                  <td>{formatNumber(s.responses, i18n.language)}</td>
                  <td>{formatNumber(s.satisfied, i18n.language)}</td>
                  <td>{formatPercent(s.rate, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("feedbackAnswers.total")}</th>
                <td>{formatNumber(total.responses, i18n.language)}</td>
                <td>{formatNumber(total.satisfied, i18n.language)}</td>
                <td>{formatPercent(total.rate, i18n.language)}</td>
              </tr>
            </tfoot>
          </table>
        </>
      )}
      <FeedbackComments comments={comments} canAnswer={canAnswer} redirectTo={redirectTo} showService />
    </section>
  );
}

/** the newest comments, each with its answer form (or its answer, for a reader who may not answer) */
export function FeedbackComments({
  comments,
  canAnswer,
  redirectTo,
  showService = false,
}: {
  comments: StaffComment[];
  canAnswer: boolean;
  redirectTo: string;
  showService?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t("feedbackAnswers.commentsTitle")}</h3>
      <p className="muted small">{t("feedbackAnswers.commentsNote")}</p>
      {comments.length === 0 ? <p className="muted">{t("feedbackAnswers.noComments")}</p> : null}
      <ul className="stack" data-testid="feedback-comments">
        {comments.map((c) => (
          <li key={c.id} className="panel stack" data-testid="feedback-comment">
            <CommentHeading comment={c} showService={showService} />
            <blockquote>{c.comment}</blockquote>
            {canAnswer ? (
              <AnswerForm comment={c} redirectTo={redirectTo} />
            ) : c.answer ? (
              <p>
                <strong>{t("feedbackAnswers.answerLabel")}</strong>: {c.answer}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** satisfied or not, the service (on the community's list), the date, and when it was answered */
export function CommentHeading({ comment, showService }: { comment: StaffComment; showService: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="small">
      <strong>
        {t(comment.satisfied ? "feedbackAnswers.opinionSatisfied" : "feedbackAnswers.opinionUnsatisfied")}
      </strong>
      {showService ? (
        <>
          {" · "}
          <Link to={`/manage/services/${comment.serviceId}#satisfaction`}>{comment.serviceName}</Link>
        </>
      ) : null}
      {" · "}
      {formatDate(comment.givenAt, i18n.language)}
      {comment.answeredAt ? (
        <span className="muted">
          {" · "}
          {t("feedbackAnswers.answered", { date: formatDate(comment.answeredAt, i18n.language) })}
        </span>
      ) : null}
    </p>
  );
}

/** the public answer to one comment; an error comes back with the typed answer (lastResult) */
export function AnswerForm({
  comment,
  redirectTo,
  lastResult,
}: {
  comment: StaffComment;
  redirectTo: string;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `answer-${comment.id}`,
    lastResult,
    defaultValue: { answer: comment.answer ?? "", redirectTo },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: answerFormSchema }),
    shouldValidate: "onBlur",
    // an error clears while typing, not on the blur of the click on save, which would move the button away
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" action={`/manage/feedback/${comment.id}`} {...getFormProps(form)} className="stack">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <input type="hidden" name="givenAt" value={comment.givenAt} />
      <div className="field">
        <label htmlFor={fields.answer.id}>{t("feedbackAnswers.answerLabel")}</label>
        <textarea {...getTextareaProps(fields.answer)} rows={2} />
        <p className="hint">{t("feedbackAnswers.answerHint")}</p>
        <ErrorList errors={fields.answer.errors} />
      </div>
      <ErrorList errors={form.errors} />
      <button type="submit">{t("feedbackAnswers.saveAnswer")}</button>
    </Form>
  );
}
