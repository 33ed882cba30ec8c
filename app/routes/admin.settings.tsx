// The province's settings (province admin): freshness, N and M (docs/figures.md, Freshness), and
// the minimum of responses before a share satisfied is shown (docs/figures.md, Satisfaction).
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { requireScope } from "~/domains/accounts/guards.server";
import { FEEDBACK_LIMITS } from "~/domains/feedback/feedback";
import { minResponsesSchema } from "~/domains/feedback/feedback-schema";
import { getSatisfactionMinResponses, saveSatisfactionMinResponses } from "~/domains/feedback/feedback.server";
import { getFreshnessSettings, saveFreshnessSettings } from "~/domains/listings/freshness.server";
import { formatDateTime } from "~/utils/format";
import { toastHeaders } from "~/utils/toast.server";

import { LISTING_FRESHNESS } from "../../db/identifiers";

const days = z
  .number({ required_error: "form.required", invalid_type_error: "freshness.daysRange" })
  .int("freshness.daysRange")
  .min(1, "freshness.daysRange")
  .max(LISTING_FRESHNESS.maxDays, "freshness.daysRange");

const freshnessSchema = z
  .object({ intent: z.literal("freshness"), staleDays: days, hiddenDays: days })
  .refine((v) => v.staleDays < v.hiddenDays, { path: ["hiddenDays"], message: "freshness.order" });

const satisfactionSchema = z.object({
  intent: z.literal("satisfaction"),
  minResponses: z
    .number({ required_error: "form.required", invalid_type_error: "satisfactionRegions.minResponsesRange" })
    .refine((n) => minResponsesSchema.safeParse(n).success, "satisfactionRegions.minResponsesRange"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireScope(request, "37", "configure");
  const [freshness, minResponses] = await Promise.all([getFreshnessSettings(), getSatisfactionMinResponses()]);
  return json({ freshness, satisfaction: { minResponses } });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireScope(request, "37", "configure");
  const formData = await request.formData();
  if (formData.get("intent") === "satisfaction") {
    const submission = parseWithZod(formData, { schema: satisfactionSchema });
    if (submission.status !== "success") {
      return json({ intent: "satisfaction" as const, result: submission.reply() }, { status: 400 });
    }
    const { minResponses } = submission.value;
    await saveSatisfactionMinResponses({ userId: account.id }, minResponses);
    return redirect("/admin/settings", {
      headers: await toastHeaders({ key: "satisfactionRegions.saved", params: { count: minResponses } }),
    });
  }
  const submission = parseWithZod(formData, { schema: freshnessSchema });
  if (submission.status !== "success") {
    return json({ intent: "freshness" as const, result: submission.reply() }, { status: 400 });
  }
  const { staleDays, hiddenDays } = submission.value;
  await saveFreshnessSettings({ userId: account.id }, staleDays, hiddenDays);
  return redirect("/admin/settings", {
    headers: await toastHeaders({ key: "freshness.saved", params: { staleDays, hiddenDays } }),
  });
}

function FreshnessForm({
  settings,
  lastResult,
}: {
  settings: { staleDays: number; hiddenDays: number; updatedAt: string | null };
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: "freshness",
    lastResult,
    defaultValue: {
      intent: "freshness",
      staleDays: String(settings.staleDays),
      hiddenDays: String(settings.hiddenDays),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: freshnessSchema }),
    shouldRevalidate: "onInput",
  });
  const bounds = { min: 1, max: LISTING_FRESHNESS.maxDays, step: 1 };
  return (
    <section className="stack" data-testid="freshness-settings">
      <h2>{t("freshness.formTitle")}</h2>
      <p className="muted">{t("freshness.formIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input {...getInputProps(fields.intent, { type: "hidden" })} />
        <div className="inline-fields">
          <Field
            label={t("freshness.staleDaysLabel")}
            inputProps={{ ...getInputProps(fields.staleDays, { type: "number" }), ...bounds }}
            errors={fields.staleDays.errors}
          />
          <Field
            label={t("freshness.hiddenDaysLabel")}
            inputProps={{ ...getInputProps(fields.hiddenDays, { type: "number" }), ...bounds }}
            errors={fields.hiddenDays.errors}
          />
        </div>
        <ErrorList errors={[...(form.errors ?? []), ...(fields.intent.errors ?? [])]} />
        <p>
          <button type="submit">{t("freshness.save")}</button>
        </p>
      </Form>
      <p className="small muted">
        {settings.updatedAt
          ? t("freshness.lastSet", { date: formatDateTime(settings.updatedAt, i18n.language) })
          : t("freshness.neverSet")}
      </p>
    </section>
  );
}

function SatisfactionForm({
  minResponses,
  lastResult,
}: {
  minResponses: number;
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "satisfaction",
    lastResult,
    defaultValue: { intent: "satisfaction", minResponses: String(minResponses) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: satisfactionSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="stack" data-testid="satisfaction-settings">
      <h2>{t("satisfactionRegions.formTitle")}</h2>
      <p className="muted">{t("satisfactionRegions.formIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input {...getInputProps(fields.intent, { type: "hidden" })} />
        <Field
          label={t("satisfactionRegions.minResponsesLabel")}
          inputProps={{
            ...getInputProps(fields.minResponses, { type: "number" }),
            min: 1,
            max: FEEDBACK_LIMITS.minResponsesMax,
            step: 1,
          }}
          errors={fields.minResponses.errors}
        />
        <ErrorList errors={[...(form.errors ?? []), ...(fields.intent.errors ?? [])]} />
        <p>
          <button type="submit">{t("satisfactionRegions.save")}</button>
        </p>
      </Form>
    </section>
  );
}

export default function AdminSettings() {
  const { freshness, satisfaction } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="stack">
      <h1>{t("freshness.settingsTitle")}</h1>
      <FreshnessForm
        key={`${freshness.staleDays}-${freshness.hiddenDays}`}
        settings={freshness}
        lastResult={actionData?.intent === "freshness" ? actionData.result : undefined}
      />
      <SatisfactionForm
        key={satisfaction.minResponses}
        minResponses={satisfaction.minResponses}
        lastResult={actionData?.intent === "satisfaction" ? actionData.result : undefined}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
