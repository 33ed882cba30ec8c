import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PublicAnswers } from "~/components/feedback-answers";
import { PlaceMap } from "~/components/maps";
import { OpenStateText } from "~/components/open-state";
import { ReadAloudButton } from "~/components/read-aloud";
import { ServiceFeedbackForm, SatisfactionText, type FeedbackResult } from "~/components/service-feedback";
import {
  DirectionsLinks,
  HoursTable,
  NextSevenDays,
  ProblemReportPanel,
  ServiceFacts,
} from "~/components/service-page";
import { publicRoute } from "~/domains/accounts/guards.server";
import { listPublicAnswers } from "~/domains/feedback/feedback-answers.server";
import {
  getSatisfactionMinResponses,
  getServiceSatisfaction,
  giveFeedback,
  parseFeedbackForm,
} from "~/domains/feedback/feedback.server";
import { createProblemReport, parseProblemReport } from "~/domains/listings/listings.server";
import { publicCalendar } from "~/domains/listings/public-holidays.server";
import { openNowOf, publicServiceJson } from "~/domains/search/search";
import { getPublicService, parseFromParam } from "~/domains/search/search.server";
import { formatDate, formatDistance, formatWalkingMinutes } from "~/utils/format";
import { description, metaI18n } from "~/utils/meta";
import { consumeReportAllowance } from "~/utils/rate-limit.server";
import { readDatabaseFor } from "~/utils/read-database.server";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const from = parseFromParam(new URL(request.url).searchParams.get("from"));
  const now = new Date();
  const service = await getPublicService(params.id ?? "", { now, from }, readDatabaseFor(request));
  if (!service) throw notFound(request, "not found");
  const { schedule, facilityOpeningHours } = service;
  const database = readDatabaseFor(request);
  const [satisfaction, minResponses, answers] = await Promise.all([
    getServiceSatisfaction(service.id, now, database),
    getSatisfactionMinResponses(database),
    listPublicAnswers(service.id, now, database),
  ]);
  return json({
    satisfaction,
    minResponses,
    answers,
    service: { ...service, ...publicServiceJson(service, openNowOf(service, now, publicCalendar(now))) },
    schedule,
    facilityOpeningHours,
    from: from ?? null,
    now: now.toISOString(),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  publicRoute();
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "feedback") return feedbackAction(request, context.clientIp, params.id ?? "", form);
  const service = await getPublicService(params.id ?? "", { now: new Date() });
  if (!service) throw notFound(request, "not found");
  // what the resident wrote comes back with a refusal, so that nothing is lost
  const kept = { kind: String(form.kind ?? ""), text: String(form.text ?? "").slice(0, 500) };
  const parsed = parseProblemReport(form);
  if (!parsed.success)
    return json({ intent: "report", reported: false, limitedMinutes: null, invalid: true, ...kept }, { status: 400 });
  const allowance = await consumeReportAllowance(context.clientIp);
  if (allowance.limited) {
    return json(
      {
        intent: "report",
        reported: false,
        limitedMinutes: Math.ceil(allowance.retryAfterSeconds / 60),
        invalid: false,
        ...kept,
      },
      { status: 429, headers: { "Retry-After": String(allowance.retryAfterSeconds) } },
    );
  }
  await createProblemReport({
    facilityId: service.facility.id,
    serviceId: service.id,
    communityCode: service.facility.communityCode,
    kind: parsed.data.kind,
    text: parsed.data.text,
  });
  return json({ intent: "report", reported: true, limitedMinutes: null, invalid: false });
}

/** a resident's opinion from the form here or under a result (docs/figures.md, Satisfaction) */
async function feedbackAction(request: Request, clientIp: string, serviceId: string, form: Record<string, unknown>) {
  const comment = String(form.comment ?? "");
  const parsed = parseFeedbackForm(form);
  if (!parsed.success) {
    const refused: FeedbackResult = { intent: "feedback", given: false, invalid: true, limitedMinutes: null, comment };
    return json(refused, { status: 400 });
  }
  const outcome = await giveFeedback(request, clientIp, serviceId, parsed.data);
  if (!outcome.ok && outcome.reason === "not_found") throw notFound(request, "not found");
  if (!outcome.ok) {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    const refused: FeedbackResult = {
      intent: "feedback",
      given: false,
      invalid: false,
      limitedMinutes: minutes,
      comment,
    };
    return json(refused, { status: 429, headers: { "Retry-After": String(outcome.retryAfterSeconds) } });
  }
  const given: FeedbackResult = { intent: "feedback", given: true, replaced: outcome.replaced };
  return json(given, { headers: { "Set-Cookie": outcome.setCookie } });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t } = metaI18n(matches);
  if (!data) return [{ title: "社区通 Shequ" }, description(t("meta.description"))];
  const { service } = data;
  return [
    { title: `${service.name} · ${service.facility.name} · 社区通 Shequ` },
    description(
      t("meta.service", {
        name: service.name,
        facility: service.facility.name,
        category: t(`categories.${service.category}`),
      }),
    ),
  ];
};

export default function ServicePage() {
  const { service, schedule, facilityOpeningHours, from, now, satisfaction, minResponses, answers } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const back = from ? `/?lat=${from.lat}&lng=${from.lng}&category=${service.category}` : "/";
  return (
    <article className="stack">
      <p>
        <Link to={back}>← {t("service.back")}</Link>
      </p>
      <h1>
        {service.name} {service.demo ? <span className="badge-demo">{t("resident.demo")}</span> : null}
      </h1>
      <p>
        {t(`categories.${service.category}`)}
        {service.subType ? ` · ${t(`subTypes.${service.subType}`, { defaultValue: service.subType })}` : null}
      </p>
      <div className="result-meta">
        <OpenStateText hours={schedule ?? facilityOpeningHours} at={now} />
        <ReadAloudButton
          name={service.name}
          distanceM={from ? service.distanceM : null}
          hours={schedule ?? facilityOpeningHours}
          phone={service.phone}
          at={now}
        />
        {from ? (
          <>
            <span>{formatDistance(service.distanceM, i18n.language)}</span>
            <span>{formatWalkingMinutes(service.walkMinutes, i18n.language)}</span>
          </>
        ) : null}
      </div>
      {service.description ? <p>{service.description}</p> : null}
      <ServiceFacts service={service} />
      <h2>{schedule ? t("service.serviceHours") : t("service.hours")}</h2>
      <HoursTable hours={schedule ?? facilityOpeningHours} />
      <NextSevenDays hours={schedule ?? facilityOpeningHours} at={now} />
      <h2>{t("service.directions")}</h2>
      <PlaceMap
        placeholder={<div className="place-map map-placeholder">{t("home.mapLoading")}</div>}
        lat={service.facility.lat}
        lng={service.facility.lng}
      />
      <DirectionsLinks facility={service.facility} />
      <p className="muted small">
        {service.lastVerified
          ? t("service.lastVerified", { date: formatDate(service.lastVerified, i18n.language) })
          : t("service.notVerified")}
      </p>

      <section className="panel stack" aria-labelledby="feedback-title">
        <h2 id="feedback-title">{t("residentFeedback.title")}</h2>
        <p>
          <SatisfactionText satisfaction={satisfaction} minResponses={minResponses} />
        </p>
        <ServiceFeedbackForm
          serviceId={service.id}
          result={actionData?.intent === "feedback" ? (actionData as FeedbackResult) : undefined}
        />
      </section>
      <PublicAnswers answers={answers} />

      <ProblemReportPanel result={actionData?.intent === "report" ? actionData : undefined} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
