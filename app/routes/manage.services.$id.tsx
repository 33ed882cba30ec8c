import { parseWithZod } from "@conform-to/zod";
import { type ActionFunctionArgs, type LoaderFunctionArgs, json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FeedbackComments, SatisfactionFigure } from "~/components/feedback-staff";
import { FreshnessFlag } from "~/components/freshness";
import { ConflictNotice, ListingActions } from "~/components/listing-actions";
import { ServiceForm } from "~/components/service-form";
import { hasPermission } from "~/domains/accounts/accounts";
import { loadServiceSatisfaction } from "~/domains/feedback/feedback-answers.server";
import { loadListingFreshness } from "~/domains/listings/freshness.server";
import { serviceJson } from "~/domains/listings/listing-json";
import { serviceInputSchema } from "~/domains/listings/listing-schema";
import {
  isStatusIntent,
  readListingControl,
  statusOfIntent,
  toastKeyOfIntent,
  serviceFormValues,
} from "~/domains/listings/listings";
import { setServiceStatus, updateService, verifyService, requireService } from "~/domains/listings/listings.server";
import { formatDate } from "~/utils/format";
import { errorResponse, notFound } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { account, service } = await requireService(request, params.id ?? "", "view");
  const [freshness, satisfaction] = await Promise.all([
    loadListingFreshness({ kind: "service", id: service.id }),
    loadServiceSatisfaction(service.id),
  ]);
  const canAnswer = hasPermission(account.assignments, service.facility.communityCode, "edit");
  return json({ service, freshness, satisfaction, canAnswer });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, service } = await requireService(request, params.id ?? "", "edit");
  const formData = await request.formData();
  const { intent, version } = readListingControl(formData);
  const actor = { userId: account.id };
  let result;
  if (intent === "save") {
    const submission = parseWithZod(formData, { schema: serviceInputSchema });
    if (submission.status !== "success") return json({ result: submission.reply(), conflict: null }, { status: 400 });
    result = await updateService(actor, service.id, version, submission.value);
  } else if (isStatusIntent(intent)) {
    result = await setServiceStatus(actor, service.id, version, statusOfIntent(intent));
  } else if (intent === "verify") {
    result = await verifyService(actor, service.id, version);
  } else {
    throw errorResponse(request, 400, "unknown action");
  }
  if (!result.ok && result.reason === "not_found") throw notFound(request, "no such service");
  if (!result.ok && result.reason === "conflict")
    return json({ result: null, conflict: serviceJson(result.current) }, { status: 409 });
  const key = toastKeyOfIntent(intent);
  return redirect(`/manage/services/${service.id}`, { headers: await toastHeaders({ key }) });
}

export default function EditService() {
  const { service, freshness, satisfaction, canAnswer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const conflict = actionData?.conflict as ReturnType<typeof serviceJson> | null | undefined;
  const version = conflict ? conflict.version : service.version;
  return (
    <section className="stack">
      <p>
        <Link to={`/manage/facilities/${service.facility.id}`}>← {service.facility.name}</Link>
      </p>
      <h1>
        {service.name} {service.isDemo ? <span className="badge-demo">{t("manage.demo")}</span> : null}
      </h1>
      <p>
        {t(`categories.${service.category}`)} · {t("manage.status")}: <strong>{t(`statuses.${service.status}`)}</strong>{" "}
        · {t("manage.lastVerified")}: {service.lastVerifiedAt ? formatDate(service.lastVerifiedAt, i18n.language) : "—"}
      </p>
      {conflict ? (
        <ConflictNotice
          rows={[
            [t("manage.serviceName"), conflict.name],
            [t("manage.description"), conflict.description || "—"],
            [t("manage.fee"), conflict.fee ?? "—"],
            [t("manage.status"), t(`statuses.${conflict.status}`)],
          ]}
        />
      ) : null}
      {freshness ? <FreshnessFlag freshness={freshness} version={version} /> : null}
      <ListingActions version={version} status={service.status} />
      <h2>{t("manage.editService")}</h2>
      <ServiceForm
        id={`service-${service.id}`}
        lastResult={actionData?.result}
        defaultValue={serviceFormValues(service, t("manage.closedDate"))}
        version={version}
        submitLabel={t("manage.save")}
      />
      <section id="satisfaction" className="stack" data-testid="satisfaction">
        <h2>{t("feedbackAnswers.sectionTitle")}</h2>
        {satisfaction.figure.responses === 0 ? (
          <p className="muted">{t("feedbackAnswers.none")}</p>
        ) : (
          <SatisfactionFigure figure={satisfaction.figure} minResponses={satisfaction.minResponses} />
        )}
        <FeedbackComments
          comments={satisfaction.comments}
          canAnswer={canAnswer}
          redirectTo={`/manage/services/${service.id}#satisfaction`}
        />
      </section>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
