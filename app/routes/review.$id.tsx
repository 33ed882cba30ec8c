import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ReasonForm } from "~/components/assessment-decisions";
import { DutyConflictNotice } from "~/components/assessment-duties";
import { AssessmentHistory } from "~/components/assessment-history";
import { IndicatorTable, ScoreLine } from "~/components/assessment-indicators";
import { AssessmentStatePanel } from "~/components/assessment-state";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { requireAnyScope, requireScope } from "~/domains/accounts/guards.server";
import { reasonOf } from "~/domains/assessments/assessments";
import {
  approvalDuties,
  reviewSchema,
  approveAssessment,
  getAssessment,
  getAssessmentForReview,
  rejectAssessment,
  revokeAssessment,
  type TransitionResult,
} from "~/domains/assessments/assessments.server";
import { invariantResponse, notFound } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

import { ASSESSMENT_TIERS } from "../../db/identifiers";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // reviewers only, before anything is looked up; then the assessment's own community decides
  await requireAnyScope(request, "review");
  const review = await getAssessmentForReview(params.id ?? "");
  invariantResponse(review, "no such assessment");
  const { account } = await requireScope(request, review.assessment.communityCode, "review");
  // separation of duties: only while an approval is possible
  const duties =
    review.assessment.state === "submitted"
      ? await approvalDuties(review.assessment, account.id)
      : { conflicts: [], otherReviewers: [] };
  return json({ ...review, duties });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireAnyScope(request, "review");
  const assessment = await getAssessment(params.id ?? "");
  invariantResponse(assessment, "no such assessment");
  const { account } = await requireScope(request, assessment.communityCode, "review");
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: reviewSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), error: null }, { status: 400 });
  const actor = { userId: account.id };
  const value = submission.value;
  let result: TransitionResult;
  if (value.intent === "approve") result = await approveAssessment(actor, assessment.id, value.version, value.tier);
  else if (value.intent === "reject")
    result = await rejectAssessment(actor, assessment.id, value.version, value.reason);
  else result = await revokeAssessment(actor, assessment.id, value.version, value.reason);
  if (!result.ok) {
    if (result.reason === "invalid")
      return json(
        {
          result: submission.reply({
            fieldErrors: Object.fromEntries(Object.entries(result.fields).map(([k, v]) => [k, [v]])),
          }),
          error: null,
        },
        { status: 400 },
      );
    if (result.reason === "not_found") throw notFound(request, "no such assessment");
    // the page says why and who else may approve
    if (result.reason === "separation_of_duties")
      return json({ result: null, error: "assessment.errors.separationOfDuties" }, { status: 403 });
    return json(
      {
        result: null,
        error: result.reason === "conflict" ? "assessment.errors.conflict" : "assessment.errors.invalidState",
      },
      { status: 409 },
    );
  }
  const toast =
    value.intent === "approve"
      ? result.assessment.state === "notice"
        ? "notice"
        : "approved"
      : value.intent === "reject"
        ? "rejected"
        : "revoked";
  return redirect(`/review/${assessment.id}`, { headers: await toastHeaders({ key: `assessment.toasts.${toast}` }) });
}

export default function ReviewAssessment() {
  const { assessment, standard, noticeDays, community, asSubmitted, asOfNow, suggestedTier, transitions, duties } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const reachable = ASSESSMENT_TIERS.filter((tier) => (assessment.score ?? 0) >= standard.tierScores[tier]);
  const [approveForm, approveFields] = useForm({
    id: `approve-${assessment.id}`,
    lastResult: actionData?.result?.initialValue?.intent === "approve" ? actionData.result : undefined,
    defaultValue: { tier: suggestedTier ?? "" },
  });
  const canDecide = assessment.state === "submitted";
  // a tier stands once decided; before that the page shows the one the score reaches
  const decidedTier = ["notice", "approved", "revoked"].includes(assessment.state) ? assessment.tier : null;
  const canReject = assessment.state === "submitted" || assessment.state === "notice";

  return (
    <section className="stack">
      <p>
        <Link to="/review">← {t("assessment.review.title")}</Link>
      </p>
      <h1>
        {community.name} <span className="muted small">{community.code}</span>
        {assessment.isDemo ? <span className="badge-demo">{t("app.demoBadge")}</span> : null}
      </h1>
      <p className="muted">
        {[community.county, community.township].filter(Boolean).join(" · ")} ·{" "}
        {t("assessment.standardVersion", { version: standard.version })}
      </p>
      <AssessmentStatePanel
        assessment={{
          ...assessment,
          reason: reasonOf(transitions, assessment.state),
        }}
      />
      {actionData?.error ? <ErrorList errors={[actionData.error]} /> : null}

      <ScoreLine score={assessment.score} tier={decidedTier ?? suggestedTier} passScore={standard.passScore} />
      <IndicatorTable rows={asSubmitted.rows} compare={asOfNow.rows} />

      {canDecide ? (
        <Form method="post" {...getFormProps(approveForm)} className="panel stack">
          <h2>{t("assessment.review.approveTitle")}</h2>
          <input type="hidden" name="intent" value="approve" />
          <input type="hidden" name="version" value={assessment.version} />
          {duties.conflicts.length > 0 ? (
            <DutyConflictNotice duties={duties} />
          ) : reachable.length === 0 || (assessment.score ?? 0) < standard.passScore ? (
            <p className="notice">{t("assessment.review.cannotApprove")}</p>
          ) : (
            <>
              <div className="field">
                <label htmlFor={approveFields.tier.id}>{t("assessment.tier")}</label>
                <select {...getSelectProps(approveFields.tier)}>
                  {reachable.map((tier) => (
                    <option key={tier} value={tier}>
                      {t(`assessment.tiers.${tier}`)} (≥ {standard.tierScores[tier]})
                    </option>
                  ))}
                </select>
                <ErrorList errors={approveFields.tier.errors} />
              </div>
              <p className="small muted">
                {noticeDays > 0
                  ? t("assessment.review.approveNotice", { days: noticeDays })
                  : t("assessment.review.approveNow")}
              </p>
              <ErrorList errors={approveForm.errors} />
              <button type="submit" className="primary">
                {t("assessment.review.approve")}
              </button>
            </>
          )}
        </Form>
      ) : null}

      {canReject ? <ReasonForm intent="reject" version={assessment.version} lastResult={actionData?.result} /> : null}
      {assessment.state === "approved" ? (
        <ReasonForm intent="revoke" version={assessment.version} lastResult={actionData?.result} />
      ) : null}

      <h2>{t("assessment.history")}</h2>
      <AssessmentHistory transitions={transitions} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
