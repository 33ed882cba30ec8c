// A resident's comment and the staff's public answer to it. The answer forms on /manage/:code and
// /manage/services/:id post here; a refused answer comes back on this page with what was typed.
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AnswerForm, CommentHeading } from "~/components/feedback-staff";
import { hasPermission } from "~/domains/accounts/accounts";
import { answerFormSchema } from "~/domains/feedback/feedback-answers";
import { answerFeedback, requireFeedback } from "~/domains/feedback/feedback-answers.server";
import { notFound } from "~/utils/responses.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { toastHeaders } from "~/utils/toast.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { account, feedback } = await requireFeedback(request, params.id ?? "", "view");
  const canAnswer = hasPermission(account.assignments, feedback.communityCode, "edit");
  return json({ feedback, canAnswer });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, feedback } = await requireFeedback(request, params.id ?? "", "edit");
  const submission = parseWithZod(await request.formData(), { schema: answerFormSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { answer, givenAt } = submission.value;
  const outcome = await answerFeedback({ userId: account.id }, feedback.id, answer, new Date(), givenAt);
  if (!outcome.ok && outcome.reason === "not_found") throw notFound(request, "no such opinion");
  if (!outcome.ok) {
    // the typed answer comes back with the comment as it is now
    const changed = outcome.reason === "changed";
    const formErrors = [changed ? "feedbackAnswers.commentChanged" : "feedbackAnswers.noComment"];
    return json({ result: submission.reply({ formErrors }) }, { status: changed ? 409 : 400 });
  }
  const back = safeRedirect(submission.value.redirectTo, `/manage/${outcome.communityCode}#satisfaction`);
  return redirect(back, {
    headers: await toastHeaders({
      key: outcome.answer === null ? "feedbackAnswers.answerRemoved" : "feedbackAnswers.answerSaved",
    }),
  });
}

export default function AnswerFeedback() {
  const { feedback, canAnswer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const back = `/manage/${feedback.communityCode}#satisfaction`;
  // where the refused answer was written (the community's or the service's page)
  const sentFrom = actionData?.result.initialValue?.redirectTo;
  return (
    <section className="stack">
      <p>
        <Link to={back}>← {t("feedbackAnswers.back")}</Link>
      </p>
      <h1>{t("feedbackAnswers.pageTitle")}</h1>
      <p>
        <Link to={`/manage/services/${feedback.serviceId}#satisfaction`}>{feedback.serviceName}</Link>
      </p>
      <div className="panel stack" data-testid="feedback-comment">
        <CommentHeading comment={{ ...feedback, comment: feedback.comment ?? "" }} showService={false} />
        {feedback.comment === null ? (
          <p className="muted">{t("feedbackAnswers.noComment")}</p>
        ) : (
          <>
            <blockquote>{feedback.comment}</blockquote>
            {canAnswer ? (
              <AnswerForm
                comment={{ ...feedback, comment: feedback.comment }}
                redirectTo={typeof sentFrom === "string" && sentFrom ? sentFrom : back}
                lastResult={actionData?.result}
              />
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
