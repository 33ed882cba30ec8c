import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PlaceMap } from "~/components/maps";
import { OpenStateText } from "~/components/open-state";
import { ReadAloudButton } from "~/components/read-aloud";
import {
  DirectionsLinks,
  HoursTable,
  NextSevenDays,
  ProblemReportPanel,
  ServiceFacts,
} from "~/components/service-page";
import { publicRoute } from "~/domains/accounts/guards.server";
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
  return json({
    service: { ...service, ...publicServiceJson(service, openNowOf(service, now, publicCalendar(now))) },
    schedule,
    facilityOpeningHours,
    from: from ?? null,
    now: now.toISOString(),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  publicRoute();
  const service = await getPublicService(params.id ?? "", { now: new Date() });
  if (!service) throw notFound(request, "not found");
  const form = Object.fromEntries(await request.formData());
  // what the resident wrote comes back with a refusal, so that nothing is lost
  const kept = { kind: String(form.kind ?? ""), text: String(form.text ?? "").slice(0, 500) };
  const parsed = parseProblemReport(form);
  if (!parsed.success) return json({ reported: false, limitedMinutes: null, invalid: true, ...kept }, { status: 400 });
  const allowance = await consumeReportAllowance(context.clientIp);
  if (allowance.limited) {
    return json(
      { reported: false, limitedMinutes: Math.ceil(allowance.retryAfterSeconds / 60), invalid: false, ...kept },
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
  return json({ reported: true, limitedMinutes: null, invalid: false });
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
  const { service, schedule, facilityOpeningHours, from, now } = useLoaderData<typeof loader>();
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

      <ProblemReportPanel result={actionData} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
