import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ErrorList } from "~/components/forms";

// The reviewer's decisions that need a written reason (docs/certification.md).

/** reject or revoke: a decision that needs a reason */
export function ReasonForm({
  intent,
  version,
  lastResult,
}: {
  intent: "reject" | "revoke";
  version: number;
  lastResult: SubmissionResult | null | undefined;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `${intent}-form`,
    lastResult: lastResult?.initialValue?.intent === intent ? lastResult : undefined,
    defaultValue: { reason: "" },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="panel stack">
      <h2>{t(`assessment.review.${intent}Title`)}</h2>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={version} />
      <div className="field">
        <label htmlFor={fields.reason.id}>{t("assessment.review.reason")}</label>
        <textarea {...getTextareaProps(fields.reason)} rows={3} required maxLength={1000} />
        <ErrorList errors={fields.reason.errors} />
      </div>
      <button type="submit">{t(`assessment.review.${intent}`)}</button>
    </Form>
  );
}
