import { parseWithZod } from "@conform-to/zod";
import { type ActionFunctionArgs, type LoaderFunctionArgs, json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ServiceForm } from "~/components/service-form";
import { serviceInputSchema } from "~/domains/listings/listing-schema";
import { createService, requireFacility } from "~/domains/listings/listings.server";
import { notFound } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { facility } = await requireFacility(request, params.id ?? "", "edit");
  return json({ facility: { id: facility.id, name: facility.name, type: facility.type } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, facility } = await requireFacility(request, params.id ?? "", "edit");
  const submission = parseWithZod(await request.formData(), { schema: serviceInputSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const service = await createService({ userId: account.id }, facility.id, submission.value);
  if (!service) throw notFound(request, "no such facility");
  return redirect(`/manage/facilities/${facility.id}`, {
    headers: await toastHeaders({ key: "manage.serviceCreated", params: { name: service.name } }),
  });
}

export default function NewService() {
  const { facility } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const category =
    facility.type.startsWith("elderly") || facility.type === "home_care_point" ? "elderly_care" : undefined;
  return (
    <section className="stack">
      <p>
        <Link to={`/manage/facilities/${facility.id}`}>← {facility.name}</Link>
      </p>
      <h1>{t("manage.newService")}</h1>
      <ServiceForm
        id="new-service"
        lastResult={actionData?.result}
        defaultValue={{ category }}
        submitLabel={t("manage.newService")}
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
