import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { homePath } from "~/domains/accounts/accounts";
import { getSignedInAccount, signIn } from "~/domains/accounts/auth.server";
import { publicRoute } from "~/domains/accounts/guards.server";
import { safeRedirect } from "~/utils/safe-redirect";

const schema = z.object({
  username: z.string({ required_error: "form.required" }).trim().min(1, "form.required").max(64, "form.tooLong"),
  password: z.string({ required_error: "form.required" }).min(1, "form.required").max(256, "form.tooLong"),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const account = await getSignedInAccount(request);
  if (account) {
    const redirectTo = new URL(request.url).searchParams.get("redirectTo");
    throw redirect(safeRedirect(redirectTo, homePath(account.assignments)));
  }
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  publicRoute();
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { username, password, redirectTo } = submission.value;
  const result = await signIn({ username, password, clientIp: context.clientIp, request });
  if (!result.ok) {
    const minutes = result.reason === "rate_limited" ? Math.ceil(result.retryAfterSeconds / 60) : 0;
    const message = result.reason === "rate_limited" ? `login.rateLimited|${minutes}` : "login.invalid";
    return json(submission.reply({ formErrors: [message], hideFields: ["password"] }), {
      status: result.reason === "rate_limited" ? 429 : 400,
      headers: result.reason === "rate_limited" ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
    });
  }
  const next = safeRedirect(redirectTo, result.home);
  const target = result.mustChangePassword ? `/account/password?${new URLSearchParams({ redirectTo: next })}` : next;
  return redirect(target, { headers: { "Set-Cookie": result.setCookie } });
}

/** a refused sign-in's page carries the action's Retry-After (Remix sends a document only the route's headers) */
export const headers: HeadersFunction = ({ parentHeaders, actionHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export const meta: MetaFunction = () => [{ title: "登录 Sign in · 社区通 Shequ" }];

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const formErrors = form.errors?.map((e) => {
    const [key, minutes] = e.split("|");
    return minutes ? t(key, { minutes }) : key;
  });
  return (
    <section className="narrow">
      <h1>{t("login.title")}</h1>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label={t("login.username")}
          inputProps={{
            ...getInputProps(fields.username, { type: "text" }),
            autoComplete: "username",
            autoFocus: true,
          }}
          errors={fields.username.errors}
        />
        <Field
          label={t("login.password")}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }}
          errors={fields.password.errors}
        />
        <ErrorList id={form.errorId} errors={formErrors} />
        <button type="submit" className="primary">
          {t("login.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
