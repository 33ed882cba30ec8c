import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import { getPasswordHash, setPassword } from "~/domains/accounts/accounts.server";
import { hashPassword, renewSession, requireUser, verifyCurrentPassword } from "~/domains/accounts/auth.server";
import { newPasswordSchema } from "~/domains/accounts/password-rule";
import { safeRedirect } from "~/utils/safe-redirect";

const schema = z
  .object({
    currentPassword: z.string({ required_error: "form.required" }).min(1, "form.required"),
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ required_error: "form.required" }),
    redirectTo: z.string().optional(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "password.mismatch", path: ["confirmPassword"] })
  .refine((v) => v.newPassword !== v.currentPassword, { message: "password.sameAsOld", path: ["newPassword"] });

export async function loader({ request }: LoaderFunctionArgs) {
  const { account } = await requireUser(request, { allowTemporaryPassword: true });
  return json({ mustChange: account.mustChangePassword });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireUser(request, { allowTemporaryPassword: true });
  const submission = await parseWithZod(await request.formData(), {
    async: true,
    schema: schema.superRefine(async (v, ctx) => {
      const hash = await getPasswordHash(account.id);
      if (!hash || !(await verifyCurrentPassword(hash, v.currentPassword))) {
        ctx.addIssue({ code: "custom", path: ["currentPassword"], message: "password.currentWrong" });
      }
    }),
  });
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), {
      status: 400,
    });
  }
  await setPassword({
    actorUserId: account.id,
    userId: account.id,
    passwordHash: await hashPassword(submission.value.newPassword),
    mustChangePassword: false,
    action: "user.change_password",
  });
  return redirect(safeRedirect(submission.value.redirectTo, "/account"), {
    headers: { "Set-Cookie": await renewSession(account.id) },
  });
}

export default function ChangePassword() {
  const { mustChange } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="narrow">
      <h1>{t("password.title")}</h1>
      {mustChange ? <p className="notice">{t("password.mustChange")}</p> : null}
      <p className="muted small">{t("password.endsOthers")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label={t("password.current")}
          inputProps={{
            ...getInputProps(fields.currentPassword, { type: "password" }),
            autoComplete: "current-password",
          }}
          errors={fields.currentPassword.errors}
        />
        <Field
          label={t("password.new")}
          inputProps={{ ...getInputProps(fields.newPassword, { type: "password" }), autoComplete: "new-password" }}
          errors={fields.newPassword.errors}
          hint={t("password.rule")}
        />
        <Field
          label={t("password.confirm")}
          inputProps={{ ...getInputProps(fields.confirmPassword, { type: "password" }), autoComplete: "new-password" }}
          errors={fields.confirmPassword.errors}
        />
        <button type="submit" className="primary">
          {t("password.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
