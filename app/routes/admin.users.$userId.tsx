import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { RegionPicker } from "~/components/region-picker";
import { RoleSelect } from "~/components/role-select";
import { assignableRoles, canAssign } from "~/domains/accounts/accounts";
import {
  checkAssignment,
  requireManageableAccount,
  addAssignment,
  removeAssignment,
  setDisabled,
  setPassword,
  generateTemporaryPassword,
} from "~/domains/accounts/accounts.server";
import { hashPassword } from "~/domains/accounts/auth.server";
import { regionCodeInput } from "~/domains/regions/regions";
import { forbidden } from "~/utils/responses.server";

import { ROLES, toStoredCode } from "../../db/identifiers";

const roleFields = {
  role: z.enum(ROLES, { errorMap: () => ({ message: "form.invalidChoice" }) }),
  regionCode: z.preprocess(
    regionCodeInput,
    z
      .string({ required_error: "form.required" })
      .trim()
      .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, "users.regionFormat"),
  ),
};

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reset_password") }),
  z.object({ intent: z.literal("disable") }),
  z.object({ intent: z.literal("enable") }),
  z.object({ intent: z.literal("add_role"), ...roleFields }),
  z.object({ intent: z.literal("remove_role"), ...roleFields }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, target } = await requireManageableAccount(request, params.userId ?? "");
  return json({ target, assignableRoles: assignableRoles(actor.account.assignments) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, target } = await requireManageableAccount(request, params.userId ?? "");
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success")
    return json({ result: submission.reply(), temporaryPassword: null }, { status: 400 });
  const value = submission.value;
  const actorUserId = actor.account.id;
  switch (value.intent) {
    case "reset_password": {
      const temporaryPassword = generateTemporaryPassword();
      await setPassword({
        actorUserId,
        userId: target.id,
        passwordHash: await hashPassword(temporaryPassword),
        mustChangePassword: true,
        action: "user.reset_password",
      });
      return json({ result: submission.reply(), temporaryPassword });
    }
    case "disable":
    case "enable":
      await setDisabled({ actorUserId, userId: target.id, disabled: value.intent === "disable" });
      return redirect(`/admin/users/${target.id}`);
    case "add_role": {
      const check = await checkAssignment(actor.account.assignments, value.role, value.regionCode);
      if (!check.ok) {
        if (check.status === 403) throw forbidden(request);
        return json(
          { result: submission.reply({ fieldErrors: { [check.field]: [check.message] } }), temporaryPassword: null },
          { status: 400 },
        );
      }
      await addAssignment({ actorUserId, userId: target.id, role: value.role, regionCode: check.regionCode });
      return redirect(`/admin/users/${target.id}`);
    }
    case "remove_role": {
      const regionCode = toStoredCode(value.regionCode);
      if (!canAssign(actor.account.assignments, value.role, regionCode)) throw forbidden(request);
      await removeAssignment({ actorUserId, userId: target.id, role: value.role, regionCode });
      return redirect(`/admin/users/${target.id}`);
    }
  }
}

export default function AdminUser() {
  const { target, assignableRoles } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "add-role",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <section className="stack">
      <p>
        <Link to="/admin/users">← {t("users.title")}</Link>
      </p>
      <h1>
        {target.displayName || target.username} <span className="muted">({target.username})</span>
      </h1>
      <p>
        {target.disabledAt ? t("users.disabled") : target.mustChangePassword ? t("users.temporary") : t("users.active")}
      </p>

      <h2>{t("users.roles")}</h2>
      <ul>
        {target.assignments.map((a) => (
          <li key={`${a.role}@${a.regionCode}`}>
            {t(`roles.${a.role}`)} · {a.regionName} <span className="muted">{a.regionCode}</span>{" "}
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="remove_role" />
              <input type="hidden" name="role" value={a.role} />
              <input type="hidden" name="regionCode" value={a.regionCode} />
              <button type="submit">{t("users.removeRole")}</button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" {...getFormProps(form)} className="inline-fields">
        <input type="hidden" name="intent" value="add_role" />
        <RoleSelect field={fields.role} roles={assignableRoles} />
        <RegionPicker
          label={t("users.regionCode")}
          inputProps={getInputProps(fields.regionCode, { type: "text" })}
          errors={fields.regionCode.errors}
          hint={t("users.regionHint")}
          levels={["province", "city", "county", "community"]}
        />
        <button type="submit">{t("users.addRole")}</button>
      </Form>
      <ErrorList errors={form.errors} />

      <h2>{t("users.access")}</h2>
      <p className="muted small">{t("users.accessHelp")}</p>
      {actionData?.temporaryPassword ? (
        <p className="notice" role="status">
          {t("users.temporaryPassword")} <code data-testid="temporary-password">{actionData.temporaryPassword}</code>
        </p>
      ) : null}
      <div className="inline-fields">
        <Form method="post">
          <input type="hidden" name="intent" value="reset_password" />
          <button type="submit">{t("users.resetPassword")}</button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value={target.disabledAt ? "enable" : "disable"} />
          <button type="submit">{target.disabledAt ? t("users.enable") : t("users.disable")}</button>
        </Form>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
