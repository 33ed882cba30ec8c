import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FilterField, FilterForm } from "~/components/filter-form";
import { ErrorList, Field } from "~/components/forms";
import { RegionPicker } from "~/components/region-picker";
import { RoleSelect } from "~/components/role-select";
import { assignableRoles, canManageUser } from "~/domains/accounts/accounts";
import {
  checkAssignment,
  createAccount,
  listAccounts,
  usernameTaken,
  generateTemporaryPassword,
} from "~/domains/accounts/accounts.server";
import { hashPassword } from "~/domains/accounts/auth.server";
import { requireAnyScope } from "~/domains/accounts/guards.server";
import { regionCodeInput } from "~/domains/regions/regions";
import { forbidden } from "~/utils/responses.server";

import { ROLES } from "../../db/identifiers";

const createSchema = z.object({
  username: z
    .string({ required_error: "form.required" })
    .trim()
    .min(3, "users.usernameRule")
    .max(32, "users.usernameRule")
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, "users.usernameRule"),
  displayName: z.string().trim().max(64, "form.tooLong").default(""),
  role: z.enum(ROLES, { errorMap: () => ({ message: "form.invalidChoice" }) }),
  regionCode: z.preprocess(
    regionCodeInput,
    z
      .string({ required_error: "form.required" })
      .trim()
      .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, "users.regionFormat"),
  ),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { account, prefixes } = await requireAnyScope(request, "manage_users");
  const query = new URL(request.url).searchParams.get("q")?.trim() || undefined;
  const isProvinceAdmin = account.assignments.some((a) => a.role === "province_admin");
  const accounts = await listAccounts({ prefixes: isProvinceAdmin ? undefined : prefixes, query });
  return json({
    accounts: accounts.filter((a) => a.id !== account.id && canManageUser(account.assignments, a.assignments)),
    assignableRoles: assignableRoles(account.assignments),
    query: query ?? "",
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireAnyScope(request, "manage_users");
  const submission = await parseWithZod(await request.formData(), {
    async: true,
    schema: createSchema.superRefine(async (value, ctx) => {
      if (await usernameTaken(value.username)) {
        ctx.addIssue({ code: "custom", path: ["username"], message: "users.usernameTaken" });
      }
    }),
  });
  if (submission.status !== "success") return json({ result: submission.reply(), created: null }, { status: 400 });
  const { username, displayName, role, regionCode } = submission.value;
  const check = await checkAssignment(account.assignments, role, regionCode);
  if (!check.ok) {
    if (check.status === 403) throw forbidden(request);
    return json(
      { result: submission.reply({ fieldErrors: { [check.field]: [check.message] } }), created: null },
      { status: 400 },
    );
  }
  const temporaryPassword = generateTemporaryPassword();
  const id = await createAccount({
    actorUserId: account.id,
    username,
    displayName,
    passwordHash: await hashPassword(temporaryPassword),
    assignment: { role, regionCode: check.regionCode },
  });
  return json(
    { result: submission.reply({ resetForm: true }), created: { id, username, temporaryPassword } },
    { status: 201 },
  );
}

export default function AdminUsers() {
  const { accounts, assignableRoles, query } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "create-user",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="stack">
      <h1>{t("users.title")}</h1>
      <FilterForm submitLabel={t("users.searchSubmit")}>
        <FilterField id="q" label={t("users.search")}>
          <input id="q" name="q" type="search" defaultValue={query} />
        </FilterField>
      </FilterForm>
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th>{t("users.username")}</th>
            <th>{t("users.displayName")}</th>
            <th>{t("users.roles")}</th>
            <th>{t("users.status")}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/admin/users/${a.id}`}>{a.username}</Link>
              </td>
              <td>{a.displayName}</td>
              <td>
                {a.assignments.map((r) => (
                  <div key={`${r.role}@${r.regionCode}`}>
                    {t(`roles.${r.role}`)} · {r.regionName}
                  </div>
                ))}
              </td>
              <td>
                {a.disabledAt ? t("users.disabled") : a.mustChangePassword ? t("users.temporary") : t("users.active")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {accounts.length === 0 ? <p className="muted">{t("users.none")}</p> : null}

      <h2>{t("users.create")}</h2>
      {actionData?.created ? (
        <div className="notice" role="status">
          <p>{t("users.created", { username: actionData.created.username })}</p>
          <p>
            {t("users.temporaryPassword")}{" "}
            <code data-testid="temporary-password">{actionData.created.temporaryPassword}</code>
          </p>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <Field
          label={t("users.username")}
          inputProps={getInputProps(fields.username, { type: "text" })}
          errors={fields.username.errors}
          hint={t("users.usernameRule")}
        />
        <Field
          label={t("users.displayName")}
          inputProps={getInputProps(fields.displayName, { type: "text" })}
          errors={fields.displayName.errors}
        />
        <RoleSelect field={fields.role} roles={assignableRoles} />
        <RegionPicker
          label={t("users.regionCode")}
          inputProps={getInputProps(fields.regionCode, { type: "text" })}
          errors={fields.regionCode.errors}
          hint={t("users.regionHint")}
          levels={["province", "city", "county", "community"]}
        />
        <ErrorList errors={form.errors} />
        <button type="submit" className="primary">
          {t("users.createSubmit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
