import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { RegionPicker } from "~/components/region-picker";
import { TargetsTable } from "~/components/targets-table";
import { hasPermission } from "~/domains/accounts/accounts";
import { requireScope } from "~/domains/accounts/guards.server";
import { deleteTarget, getTarget, listTargets, saveTarget } from "~/domains/coverage/coverage.server";
import { regionCodeInput } from "~/domains/regions/regions";
import { getRegionSummary } from "~/domains/regions/regions.server";
import { calendarDate } from "~/utils/calendar-date";
import { forbidden } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

const optionalNumber = (message: string) =>
  z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? undefined : Number(v)),
    z.number({ invalid_type_error: message }).optional(),
  );

const saveSchema = z
  .object({
    intent: z.literal("save"),
    regionCode: z.preprocess(
      regionCodeInput,
      z
        .string({ required_error: "form.required" })
        .trim()
        .regex(/^(\d{2}|\d{4}|\d{6})$/, "coverage.targetRegionLevel"),
    ),
    year: z.preprocess(
      (v) => (v === "" ? undefined : Number(v)),
      z
        .number({ required_error: "form.required", invalid_type_error: "coverage.targetYearRange" })
        .int("coverage.targetYearRange")
        .min(2000, "coverage.targetYearRange")
        .max(2100, "coverage.targetYearRange"),
    ),
    ratePercent: optionalNumber("coverage.targetRateRange").pipe(
      z.number().min(0.1, "coverage.targetRateRange").max(100, "coverage.targetRateRange").optional(),
    ),
    count: optionalNumber("coverage.targetCountRange").pipe(
      z
        .number()
        .int("coverage.targetCountRange")
        .min(1, "coverage.targetCountRange")
        .max(100_000, "coverage.targetCountRange")
        .optional(),
    ),
    deadline: z.string({ required_error: "form.required" }).pipe(calendarDate("coverage.targetDeadlineFormat")),
  })
  .superRefine((value, ctx) => {
    if (value.ratePercent === undefined && value.count === undefined) {
      ctx.addIssue({ code: "custom", path: ["ratePercent"], message: "coverage.targetNeedsOne" });
    }
    if (Number(value.deadline.slice(0, 4)) < value.year) {
      ctx.addIssue({ code: "custom", path: ["deadline"], message: "coverage.targetDeadlineYear" });
    }
  });

const deleteSchema = z.object({ intent: z.literal("delete"), id: z.string().min(1).max(64) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireScope(request, "37", "configure");
  return json({ targets: await listTargets() });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireScope(request, "37", "configure");
  const formData = await request.formData();
  if (formData.get("intent") === "delete") {
    const parsed = deleteSchema.safeParse(Object.fromEntries(formData));
    const target = parsed.success ? await getTarget(parsed.data.id) : null;
    if (!parsed.success || !target) return json({ result: null, error: "coverage.targetMissing" }, { status: 404 });
    if (!hasPermission(account.assignments, target.regionCode, "configure")) throw forbidden(request);
    await deleteTarget({ userId: account.id }, target.id);
    return redirect("/admin/targets", { headers: await toastHeaders({ key: "coverage.targetDeleted" }) });
  }

  const submission = parseWithZod(formData, { schema: saveSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), error: null }, { status: 400 });
  const { regionCode, year, ratePercent, count, deadline } = submission.value;
  const stored = regionCode.padEnd(12, "0");
  const region = await getRegionSummary(stored);
  const regionError = !region
    ? "coverage.targetRegionUnknown"
    : !["province", "city", "county"].includes(region.level)
      ? "coverage.targetRegionLevel"
      : !hasPermission(account.assignments, stored, "configure")
        ? "coverage.targetRegionOutside"
        : null;
  if (regionError || !region) {
    return json(
      {
        result: submission.reply({ fieldErrors: { regionCode: [regionError ?? "coverage.targetRegionUnknown"] } }),
        error: null,
      },
      { status: 400 },
    );
  }
  await saveTarget(
    { userId: account.id },
    // the rate is kept in basis points' precision
    {
      regionCode: stored,
      year,
      rate: ratePercent === undefined ? null : Math.round(ratePercent * 100) / 10_000,
      count: count ?? null,
      deadline,
    },
  );
  return redirect("/admin/targets", {
    headers: await toastHeaders({ key: "coverage.targetSaved", params: { region: region.name, year } }),
  });
}

export default function AdminTargets() {
  const { targets } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "target",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: saveSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <div className="stack">
      <h1>{t("coverage.targetsTitle")}</h1>
      <p className="muted">{t("coverage.targetsIntro")}</p>
      {actionData?.error ? <ErrorList errors={[actionData.error]} /> : null}
      {targets.length === 0 ? <p className="muted">{t("coverage.targetsEmpty")}</p> : null}
      <TargetsTable targets={targets} />

      <Form method="post" {...getFormProps(form)} className="stack narrow">
        <input type="hidden" name="intent" value="save" />
        <RegionPicker
          label={t("coverage.targetRegion")}
          inputProps={getInputProps(fields.regionCode, { type: "text" })}
          errors={fields.regionCode.errors}
          hint={t("coverage.targetRegionHint")}
          levels={["province", "city", "county"]}
        />
        <Field
          label={t("coverage.targetYear")}
          inputProps={getInputProps(fields.year, { type: "number" })}
          errors={fields.year.errors}
        />
        <Field
          label={t("coverage.targetRatePercent")}
          inputProps={{ ...getInputProps(fields.ratePercent, { type: "number" }), step: "0.1" }}
          errors={fields.ratePercent.errors}
        />
        <Field
          label={t("coverage.targetCountLabel")}
          inputProps={getInputProps(fields.count, { type: "number" })}
          errors={fields.count.errors}
        />
        <Field
          label={t("coverage.targetDeadlineLabel")}
          inputProps={getInputProps(fields.deadline, { type: "date" })}
          errors={fields.deadline.errors}
        />
        <ErrorList errors={form.errors} />
        <button type="submit" className="primary">
          {t("coverage.targetSave")}
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
