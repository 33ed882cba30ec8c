import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { LivingCircleRecomputes } from "~/components/living-circle-recomputes";
import { RoadNetworksTable } from "~/components/road-networks-table";
import { requireScope } from "~/domains/accounts/guards.server";
import { measureLabelKey } from "~/domains/living-circle/living-circle";
import {
  LIVING_CIRCLE_THRESHOLD_MAX,
  LIVING_CIRCLE_THRESHOLD_MIN,
  listLivingCircleRecomputes,
  listLivingCircleThresholdSettings,
  getDistanceModel,
  hasPgRouting,
  setDetourFactor,
  setLivingCircleThreshold,
} from "~/domains/living-circle/living-circle.server";
import { formatDateTime, formatDetourFactor, formatDistance } from "~/utils/format";
import { toastHeaders } from "~/utils/toast.server";

import { DETOUR_FACTOR, LIVING_CIRCLE_MEASURES, type LivingCircleMeasure } from "../../db/identifiers";

const detourSchema = z.object({
  intent: z.literal("detour"),
  detourFactor: z
    .number({ required_error: "form.required", invalid_type_error: "livingCircle.detourRange" })
    .min(DETOUR_FACTOR.min, "livingCircle.detourRange")
    .max(DETOUR_FACTOR.max, "livingCircle.detourRange"),
});

const schema = z.object({
  measure: z.enum(LIVING_CIRCLE_MEASURES, { errorMap: () => ({ message: "livingCircle.measureInvalid" }) }),
  metres: z
    .number({ required_error: "form.required", invalid_type_error: "livingCircle.thresholdRange" })
    .int("livingCircle.thresholdRange")
    .min(LIVING_CIRCLE_THRESHOLD_MIN, "livingCircle.thresholdRange")
    .max(LIVING_CIRCLE_THRESHOLD_MAX, "livingCircle.thresholdRange"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireScope(request, "37", "configure");
  const [settings, recomputes, distance, routing] = await Promise.all([
    listLivingCircleThresholdSettings(),
    listLivingCircleRecomputes(),
    getDistanceModel(),
    hasPgRouting(),
  ]);
  return json({ settings, recomputes, distance, routing });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireScope(request, "37", "configure");
  const formData = await request.formData();
  if (formData.get("intent") === "detour") {
    const detour = parseWithZod(formData, { schema: detourSchema });
    if (detour.status !== "success") return json({ measure: "detour", result: detour.reply() }, { status: 400 });
    await setDetourFactor({ userId: account.id }, detour.value.detourFactor);
    return redirect("/admin/living-circle", {
      headers: await toastHeaders({ key: "livingCircle.detourSaved", params: { factor: detour.value.detourFactor } }),
    });
  }
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") {
    return json({ measure: String(formData.get("measure") ?? ""), result: submission.reply() }, { status: 400 });
  }
  const { measure, metres } = submission.value;
  await setLivingCircleThreshold({ userId: account.id }, measure, metres);
  return redirect("/admin/living-circle", {
    headers: await toastHeaders({
      key: "livingCircle.thresholdSaved",
      params: { measureKey: measureLabelKey(measure), metres },
    }),
  });
}

function ThresholdRow({
  setting,
  lastResult,
}: {
  setting: { measure: LivingCircleMeasure; metres: number; defaultMetres: number; updatedAt: string | null };
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: `threshold-${setting.measure}`,
    lastResult,
    defaultValue: { measure: setting.measure, metres: String(setting.metres) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const errorId = fields.metres.errors?.length ? `${fields.metres.id}-error` : undefined;
  return (
    <tr>
      <td>
        <label htmlFor={fields.metres.id}>{t(measureLabelKey(setting.measure))}</label>
      </td>
      <td>
        <Form method="post" {...getFormProps(form)} className="inline-form">
          <input {...getInputProps(fields.measure, { type: "hidden" })} />
          <input
            {...getInputProps(fields.metres, { type: "number" })}
            min={LIVING_CIRCLE_THRESHOLD_MIN}
            max={LIVING_CIRCLE_THRESHOLD_MAX}
            step={1}
            aria-invalid={errorId ? true : undefined}
            aria-describedby={errorId}
          />{" "}
          <button type="submit">{t("livingCircle.save")}</button>
          <ErrorList id={errorId} errors={fields.metres.errors} />
          <ErrorList errors={[...(form.errors ?? []), ...(fields.measure.errors ?? [])]} />
        </Form>
      </td>
      <td className="small muted">{formatDistance(setting.defaultMetres, i18n.language)}</td>
      <td className="small muted">{setting.updatedAt ? formatDateTime(setting.updatedAt, i18n.language) : "—"}</td>
    </tr>
  );
}

function DetourFactorForm({ factor, lastResult }: { factor: number; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "detour-factor",
    lastResult,
    defaultValue: { intent: "detour", detourFactor: String(factor) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: detourSchema }),
    shouldRevalidate: "onInput",
  });
  const errorId = fields.detourFactor.errors?.length ? `${fields.detourFactor.id}-error` : undefined;
  return (
    <section className="stack" data-testid="detour-factor">
      <h2>{t("livingCircle.detourTitle")}</h2>
      <p className="muted">{t("livingCircle.detourIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="inline-form">
        <input {...getInputProps(fields.intent, { type: "hidden" })} />
        <label htmlFor={fields.detourFactor.id}>{t("livingCircle.detourLabel")}</label>{" "}
        <input
          {...getInputProps(fields.detourFactor, { type: "number" })}
          min={DETOUR_FACTOR.min}
          max={DETOUR_FACTOR.max}
          step={0.05}
          aria-invalid={errorId ? true : undefined}
          aria-describedby={errorId}
        />{" "}
        <button type="submit">{t("livingCircle.save")}</button>
        <ErrorList id={errorId} errors={fields.detourFactor.errors} />
        <ErrorList errors={form.errors} />
      </Form>
    </section>
  );
}

function RoadNetworks({
  networks,
  routing,
}: {
  networks: { name: string; sourceFile: string; edges: number; lengthM: number; loadedAt: string }[];
  routing: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="stack">
      <h2>{t("livingCircle.networksTitle")}</h2>
      <p className="muted">{t("livingCircle.networksIntro")}</p>
      {!routing ? <p>{t("livingCircle.networksUnavailable")}</p> : <RoadNetworksTable networks={networks} />}
    </section>
  );
}

export default function AdminLivingCircle() {
  const { settings, recomputes, distance, routing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <div className="stack">
      <h1>{t("livingCircle.adminTitle")}</h1>
      <p className="muted">{t("livingCircle.adminIntro")}</p>
      <table className="table" data-testid="living-circle-thresholds">
        <thead>
          <tr>
            <th>{t("livingCircle.measure")}</th>
            <th>{t("livingCircle.metres")}</th>
            <th>{t("livingCircle.defaultColumn")}</th>
            <th>{t("livingCircle.lastSet")}</th>
          </tr>
        </thead>
        <tbody>
          {settings.map((setting) => (
            <ThresholdRow
              key={setting.measure}
              setting={setting}
              lastResult={actionData && actionData.measure === setting.measure ? actionData.result : undefined}
            />
          ))}
        </tbody>
      </table>
      <DetourFactorForm
        key={formatDetourFactor(distance.detourFactor, i18n.language)}
        factor={distance.detourFactor}
        lastResult={actionData?.measure === "detour" ? actionData.result : undefined}
      />
      <RoadNetworks networks={distance.networks} routing={routing} />
      <LivingCircleRecomputes recomputes={recomputes} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
