// The province admin's evaluation standard: edit the indicators, weights and scores, publish a new
// version. Over 200 lines because the whole standard is one conform form (indicator rows, the
// added indicator, scores) that must stay beside the action whose field errors it shows; the
// versions table is in components/standard-versions.tsx.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { labelOf } from "~/components/assessment-indicators";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { AddSatisfactionIndicator, SatisfactionThresholdInputs } from "~/components/satisfaction-indicator-fields";
import { StandardVersions } from "~/components/standard-versions";
import { requireScope } from "~/domains/accounts/guards.server";
import { SATISFACTION_INDICATOR } from "~/domains/assessments/assessments";
import {
  standardFromForm,
  standardSchema,
  getCurrentStandard,
  listStandards,
  publishStandard,
} from "~/domains/assessments/assessments.server";
import { formatDateTime } from "~/utils/format";
import { toastHeaders } from "~/utils/toast.server";

import { ASSESSMENT_TIERS } from "../../db/identifiers";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireScope(request, "37", "configure");
  const versions = await listStandards();
  return json({ current: versions[0], versions });
}

const fieldErrors = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]]));

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireScope(request, "37", "configure");
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: standardSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), error: null }, { status: 400 });
  const current = await getCurrentStandard();
  if (submission.value.basedOn !== current.version) {
    return json({ result: submission.reply(), error: "assessment.errors.standardConflict" }, { status: 409 });
  }
  const built = standardFromForm(current, submission.value);
  if (!built.ok)
    return json({ result: submission.reply({ fieldErrors: fieldErrors(built.fields) }), error: null }, { status: 400 });
  const published = await publishStandard(
    { userId: account.id },
    { ...built.input, basedOn: submission.value.basedOn },
  );
  if (!published.ok) {
    if (published.reason === "conflict")
      return json({ result: submission.reply(), error: "assessment.errors.standardConflict" }, { status: 409 });
    // the data layer's own check, on the new list's paths: shown above the form
    return json(
      { result: submission.reply({ formErrors: Object.values(published.fields) }), error: null },
      { status: 400 },
    );
  }
  return redirect("/admin/standard", {
    headers: await toastHeaders({
      key: "assessment.toasts.published",
      params: { version: published.standard.version },
    }),
  });
}

export default function AdminStandard() {
  const { current, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: `standard-${current.version}`,
    lastResult: actionData?.result,
    defaultValue: {
      basedOn: String(current.version),
      passScore: String(current.passScore),
      noticeDays: String(current.noticeDays),
      tierScores: Object.fromEntries(
        ASSESSMENT_TIERS.map((tier) => [tier, String(current.tierScores[tier])]),
      ) as Record<(typeof ASSESSMENT_TIERS)[number], string>,
      indicators: current.indicators.map((i) => ({
        key: i.key,
        weight: String(i.weight),
        labelZh: i.label["zh-CN"],
        labelEn: i.label.en,
        remove: "",
        minRate: i.threshold ? String(i.threshold.minRate) : "",
        minResponses: i.threshold ? String(i.threshold.minResponses) : "",
      })),
      added: { labelZh: "", labelEn: "", weight: "" },
      satisfaction: {
        add: "",
        labelZh: SATISFACTION_INDICATOR.label["zh-CN"],
        labelEn: SATISFACTION_INDICATOR.label.en,
        weight: String(SATISFACTION_INDICATOR.defaults.weight),
        minRate: String(SATISFACTION_INDICATOR.defaults.minRate),
        minResponses: String(SATISFACTION_INDICATOR.defaults.minResponses),
      },
    },
    shouldValidate: "onSubmit",
  });
  const indicatorFields = fields.indicators.getFieldList();
  const tierFields = fields.tierScores.getFieldset();
  const added = fields.added.getFieldset();
  const hasSatisfaction = current.indicators.some((i) => i.key === SATISFACTION_INDICATOR.key);
  const total = current.indicators.reduce((sum, i) => sum + i.weight, 0);

  return (
    <div className="stack">
      <h1>{t("assessment.standard.title")}</h1>
      <p className="muted">{t("assessment.standard.intro")}</p>
      <p>
        {t("assessment.standard.current", {
          version: current.version,
          date: formatDateTime(current.publishedAt, i18n.language),
        })}
      </p>
      {actionData?.error ? <ErrorList errors={[actionData.error]} /> : null}

      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name={fields.basedOn.name} value={current.version} />
        <h2>{t("assessment.standard.indicators")}</h2>
        <p className="small muted">{t("assessment.standard.totalWeight", { total })}</p>
        <ErrorList errors={fields.indicators.errors} />
        <table className="table" data-testid="standard-indicators">
          <thead>
            <tr>
              <th>{t("assessment.standard.key")}</th>
              <th>{t("assessment.kind")}</th>
              <th>{t("assessment.standard.labelZh")}</th>
              <th>{t("assessment.standard.labelEn")}</th>
              <th>{t("assessment.weight")}</th>
              <th>{t("assessment.standard.remove")}</th>
            </tr>
          </thead>
          <tbody>
            {current.indicators.map((indicator, i) => {
              const row = indicatorFields[i]?.getFieldset();
              if (!row) return null;
              // residents' satisfaction is the admin's: named, re-set and removed like a manual one
              const editable = indicator.kind === "manual" || indicator.key === SATISFACTION_INDICATOR.key;
              return (
                <tr key={indicator.key}>
                  <td>
                    <code>{indicator.key}</code>
                    <input type="hidden" name={row.key.name} value={indicator.key} />
                    <ErrorList errors={row.key.errors} />
                    {indicator.key === SATISFACTION_INDICATOR.key ? (
                      <SatisfactionThresholdInputs fields={row} label={labelOf(indicator.label, i18n.language)} />
                    ) : null}
                  </td>
                  <td>{t(`assessment.kinds.${indicator.kind}`)}</td>
                  <td>
                    <input
                      {...getInputProps(row.labelZh, { type: "text" })}
                      aria-label={`${t("assessment.standard.labelZh")} ${indicator.key}`}
                      readOnly={!editable}
                    />
                    <ErrorList errors={row.labelZh.errors} />
                  </td>
                  <td>
                    <input
                      {...getInputProps(row.labelEn, { type: "text" })}
                      aria-label={`${t("assessment.standard.labelEn")} ${indicator.key}`}
                      readOnly={!editable}
                    />
                    <ErrorList errors={row.labelEn.errors} />
                  </td>
                  <td>
                    <input
                      {...getInputProps(row.weight, { type: "number" })}
                      min={0}
                      max={100}
                      aria-label={`${t("assessment.weight")} ${labelOf(indicator.label, i18n.language)}`}
                    />
                    <ErrorList errors={row.weight.errors} />
                  </td>
                  <td>
                    {editable ? (
                      <label className="checkbox-target">
                        <input
                          {...getInputProps(row.remove, { type: "checkbox" })}
                          aria-label={`${t("assessment.standard.remove")} ${labelOf(indicator.label, i18n.language)}`}
                        />
                      </label>
                    ) : null}
                    <ErrorList errors={row.remove.errors} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>

        {hasSatisfaction ? null : <AddSatisfactionIndicator fields={fields.satisfaction.getFieldset()} />}

        <fieldset className="inline-fields">
          <legend>{t("assessment.standard.addManual")}</legend>
          <Field
            label={t("assessment.standard.labelZh")}
            inputProps={getInputProps(added.labelZh, { type: "text" })}
            errors={added.labelZh.errors}
          />
          <Field
            label={t("assessment.standard.labelEn")}
            inputProps={getInputProps(added.labelEn, { type: "text" })}
            errors={added.labelEn.errors}
          />
          <Field
            label={t("assessment.weight")}
            inputProps={{ ...getInputProps(added.weight, { type: "number" }), min: 0, max: 100 }}
            errors={added.weight.errors}
          />
        </fieldset>

        <div className="inline-fields">
          <Field
            label={t("assessment.standard.passScore")}
            inputProps={{ ...getInputProps(fields.passScore, { type: "number" }), min: 0, max: 100, step: "0.1" }}
            errors={fields.passScore.errors}
          />
          <Field
            label={t("assessment.standard.noticeDays")}
            inputProps={{ ...getInputProps(fields.noticeDays, { type: "number" }), min: 0, max: 30 }}
            errors={fields.noticeDays.errors}
          />
        </div>
        <fieldset className="inline-fields">
          <legend>{t("assessment.standard.tierScores")}</legend>
          {ASSESSMENT_TIERS.map((tier) => (
            <Field
              key={tier}
              label={t(`assessment.tiers.${tier}`)}
              inputProps={{ ...getInputProps(tierFields[tier], { type: "number" }), min: 0, max: 100, step: "0.1" }}
              errors={tierFields[tier].errors}
            />
          ))}
        </fieldset>
        <ErrorList errors={form.errors} />
        <button type="submit" className="primary">
          {t("assessment.standard.publish")}
        </button>
      </Form>

      <StandardVersions versions={versions} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
