import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FacilityForm } from "~/components/facility-form";
import { FreshnessFlag } from "~/components/freshness";
import { ConflictNotice, ListingActions } from "~/components/listing-actions";
import { loadListingFreshness } from "~/domains/listings/freshness.server";
import { facilityAsInput, facilityJson } from "~/domains/listings/listing-json";
import { isStatusIntent, readListingControl, statusOfIntent, toastKeyOfIntent } from "~/domains/listings/listings";
import {
  getCommunityProfile,
  listServicesOf,
  setFacilityStatus,
  updateFacility,
  verifyFacility,
  readFacilityForm,
  requireFacility,
} from "~/domains/listings/listings.server";
import { formatDate } from "~/utils/format";
import { errorResponse, notFound } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { facility } = await requireFacility(request, params.id ?? "", "view");
  const [services, community, freshness] = await Promise.all([
    listServicesOf([facility.id]),
    getCommunityProfile(facility.communityCode),
    loadListingFreshness({ kind: "facility", id: facility.id }),
  ]);
  return json({ facility, services, community, freshness });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, facility } = await requireFacility(request, params.id ?? "", "edit");
  const formData = await request.formData();
  const { intent, version } = readListingControl(formData);
  const actor = { userId: account.id };
  let result;
  if (intent === "save" || intent === "geocode") {
    const form = await readFacilityForm(formData, facility.communityCode);
    if (!form.ok) return form.response;
    result = await updateFacility(actor, facility.id, version, form.value);
  } else if (isStatusIntent(intent)) {
    result = await setFacilityStatus(actor, facility.id, version, statusOfIntent(intent));
  } else if (intent === "verify") {
    result = await verifyFacility(actor, facility.id, version);
  } else {
    throw errorResponse(request, 400, "unknown action");
  }
  if (!result.ok && result.reason === "not_found") throw notFound(request, "no such facility");
  if (!result.ok && result.reason === "conflict") {
    return json(
      { result: null, needsConfirmation: false, geocode: null, conflict: facilityJson(result.current) },
      { status: 409 },
    );
  }
  const key = toastKeyOfIntent(intent);
  return redirect(`/manage/facilities/${facility.id}`, { headers: await toastHeaders({ key }) });
}

export default function EditFacility() {
  const { facility, services, community, freshness } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const conflict = actionData?.conflict as ReturnType<typeof facilityJson> | null | undefined;
  // after a conflict the form keeps the user's edits but carries the newer version: saving again is a deliberate choice
  const version = conflict ? conflict.version : facility.version;
  return (
    <section className="stack">
      <p>
        <Link to={`/manage/${facility.communityCode}`}>← {community?.name ?? t("manage.back")}</Link>
      </p>
      <h1>
        {facility.name} {facility.isDemo ? <span className="badge-demo">{t("manage.demo")}</span> : null}
      </h1>
      <p>
        {t(`facilityTypes.${facility.type}`)} · {t("manage.status")}:{" "}
        <strong>{t(`statuses.${facility.status}`)}</strong> · {t("manage.lastVerified")}:{" "}
        {facility.lastVerifiedAt ? formatDate(facility.lastVerifiedAt, i18n.language) : "—"}
      </p>
      {conflict ? (
        <ConflictNotice
          rows={[
            [t("manage.facilityName"), conflict.name],
            [t("manage.address"), conflict.address || "—"],
            [t("manage.phone"), conflict.phone ?? "—"],
            [t("manage.point"), conflict.lat !== null ? `${conflict.lat}, ${conflict.lng}` : "—"],
            [t("manage.status"), t(`statuses.${conflict.status}`)],
          ]}
        />
      ) : null}
      {freshness ? <FreshnessFlag freshness={freshness} version={version} /> : null}
      <ListingActions version={version} status={facility.status} />

      <h2>{t("manage.services")}</h2>
      <ul data-testid="service-list">
        {services.map((s) => (
          <li key={s.id}>
            <Link to={`/manage/services/${s.id}`}>{s.name}</Link>{" "}
            <span className="muted small">{t(`categories.${s.category}`)}</span> · {t(`statuses.${s.status}`)}
          </li>
        ))}
        {services.length === 0 ? <li className="muted">{t("manage.noServices")}</li> : null}
      </ul>
      <p>
        <Link to={`/manage/facilities/${facility.id}/services/new`} className="button-link">
          {t("manage.newService")}
        </Link>
      </p>

      <h2>{t("manage.editFacility")}</h2>
      <FacilityForm
        id={`facility-${facility.id}`}
        lastResult={actionData?.result}
        defaultValue={facilityAsInput(facility)}
        centre={{ lat: facility.lat ?? community?.lat ?? 36.66, lng: facility.lng ?? community?.lng ?? 117.02 }}
        communityPoint={
          community && community.lat !== null && community.lng !== null
            ? { lat: community.lat, lng: community.lng }
            : null
        }
        version={version}
        needsConfirmation={actionData?.needsConfirmation}
        geocodeMessage={actionData?.geocode ? String(t(actionData.geocode.key, actionData.geocode.params)) : null}
        submitLabel={t("manage.save")}
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
