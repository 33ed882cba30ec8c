import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/forms";
import {
  createApiToken,
  deleteAllSessions,
  listApiTokens,
  revokeApiToken,
  setPreferences,
} from "~/domains/accounts/accounts.server";
import { generateApiToken, requireUser } from "~/domains/accounts/auth.server";
import { LOCALES } from "~/i18n/i18n";
import { formatDateTime } from "~/utils/format";
import { serializeLargeText, serializeLocale } from "~/utils/preferences.server";
import { notFound } from "~/utils/responses.server";

const schema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("preferences"),
    locale: z.enum(LOCALES, { errorMap: () => ({ message: "form.invalidChoice" }) }),
    largeText: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  }),
  z.object({ intent: z.literal("sign_out_everywhere") }),
  z.object({
    intent: z.literal("create_token"),
    name: z.string({ required_error: "form.required" }).trim().min(1, "form.required").max(80, "form.tooLong"),
  }),
  z.object({ intent: z.literal("revoke_token"), tokenId: z.string().min(1) }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const { account } = await requireUser(request);
  return json({ account, tokens: await listApiTokens(account.id) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { account } = await requireUser(request);
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return json({ result: submission.reply(), token: null }, { status: 400 });
  const value = submission.value;
  switch (value.intent) {
    case "preferences": {
      await setPreferences({ userId: account.id, locale: value.locale, largeText: value.largeText });
      const headers = new Headers();
      headers.append("Set-Cookie", await serializeLocale(value.locale));
      headers.append("Set-Cookie", await serializeLargeText(value.largeText));
      return redirect("/account", { headers });
    }
    case "sign_out_everywhere": {
      await deleteAllSessions({ actorUserId: account.id, userId: account.id });
      return redirect("/login");
    }
    case "create_token": {
      const { token, tokenHash } = generateApiToken();
      await createApiToken({ userId: account.id, name: value.name, tokenHash });
      return json({ result: submission.reply({ resetForm: true }), token: { name: value.name, value: token } });
    }
    case "revoke_token": {
      const revoked = await revokeApiToken({ userId: account.id, tokenId: value.tokenId });
      if (!revoked) throw notFound(request, "no such token");
      return redirect("/account");
    }
  }
}

export default function AccountPage() {
  const { account, tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const [tokenForm, tokenFields] = useForm({
    id: "create-token",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <section className="stack">
      <h1>{t("account.title")}</h1>
      <p>
        <strong>{account.displayName || account.username}</strong> <span className="muted">({account.username})</span>
      </p>
      <h2>{t("account.roles")}</h2>
      <ul>
        {account.assignments.map((a) => (
          <li key={`${a.role}@${a.regionCode}`}>
            {t(`roles.${a.role}`)} · {a.regionName} <span className="muted">{a.regionCode}</span>
          </li>
        ))}
      </ul>

      <h2>{t("account.preferences")}</h2>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="preferences" />
        <div className="field">
          <label htmlFor="locale">{t("account.language")}</label>
          <select id="locale" name="locale" defaultValue={account.locale}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <label className="field checkbox">
          <input type="checkbox" name="largeText" defaultChecked={account.largeText} /> {t("account.largeText")}
        </label>
        <button type="submit">{t("account.save")}</button>
      </Form>

      <h2>{t("account.security")}</h2>
      <p>
        <Link to="/account/password">{t("password.title")}</Link>
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="sign_out_everywhere" />
        <button type="submit">{t("account.signOutEverywhere")}</button>
      </Form>
      <p className="muted small">{t("account.signOutEverywhereHelp")}</p>

      <h2>{t("account.tokens")}</h2>
      <p className="muted small">{t("account.tokensHelp")}</p>
      {actionData?.token ? (
        <div className="notice" role="status">
          <p>{t("account.tokenCreated", { name: actionData.token.name })}</p>
          <code className="token" data-testid="new-token">
            {actionData.token.value}
          </code>
        </div>
      ) : null}
      {tokens.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t("account.tokenName")}</th>
              <th>{t("account.tokenCreatedAt")}</th>
              <th>{t("account.tokenLastUsed")}</th>
              <th>
                <span className="visually-hidden">{t("form.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{formatDateTime(token.createdAt, i18n.language)}</td>
                <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt, i18n.language) : "—"}</td>
                <td>
                  {token.revokedAt ? (
                    t("account.tokenRevoked")
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke_token" />
                      <input type="hidden" name="tokenId" value={token.id} />
                      <button type="submit">{t("account.revoke")}</button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Form method="post" {...getFormProps(tokenForm)} className="inline-fields">
        <input type="hidden" name="intent" value="create_token" />
        <Field
          label={t("account.tokenName")}
          inputProps={getInputProps(tokenFields.name, { type: "text" })}
          errors={tokenFields.name.errors}
        />
        <button type="submit">{t("account.createToken")}</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
