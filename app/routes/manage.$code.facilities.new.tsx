import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useMeasureNames } from "~/components/facility-drafts";
import { FacilityForm } from "~/components/facility-form";
import { createFacility, readFacilityForm, requireCommunity } from "~/domains/listings/listings.server";
import { getFacilityDraft } from "~/domains/living-circle/scenarios.server";
import { textError } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

import { FACILITY_TYPES, type FacilityType } from "../../db/identifiers";

/** `?draft=ID`: an open facility draft of this community (a planned site), else 404 */
async function openDraft(request: Request, communityCode: string) {
  const id = new URL(request.url).searchParams.get("draft");
  if (!id) return null;
  const draft = await getFacilityDraft(id);
  if (!draft || draft.communityCode !== communityCode || draft.state !== "open") {
    throw textError(404, "no such open facility draft");
  }
  return draft;
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community } = await requireCommunity(request, params.code ?? "", "edit");
  const draft = await openDraft(request, community.code);
  return json({ community, draft });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, community } = await requireCommunity(request, params.code ?? "", "edit");
  const draft = await openDraft(request, community.code);
  const form = await readFacilityForm(await request.formData(), community.code);
  if (!form.ok) return form.response;
  const facility = await createFacility({ userId: account.id }, community.code, form.value, { fromDraft: draft?.id });
  return redirect(`/manage/facilities/${facility.id}`, {
    headers: await toastHeaders({ key: "manage.created", params: { name: facility.name } }),
  });
}

export default function NewFacility() {
  const { community, draft } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const names = useMeasureNames();
  // a facility-type measure (the day-care centre) names the type to register
  const type = draft?.measures.find((m): m is FacilityType => (FACILITY_TYPES as readonly string[]).includes(m));
  return (
    <section className="stack">
      <p>
        <Link to={`/manage/${community.code}`}>← {community.name}</Link>
      </p>
      <h1>{t("manage.newFacility")}</h1>
      {draft ? (
        <p className="panel" data-testid="facility-draft">
          {t("livingCircle.planDraftFrom", { scenario: draft.scenarioName, measures: names(draft.measures) })}
          {draft.note ? <span className="small"> {draft.note}</span> : null}
        </p>
      ) : null}
      <FacilityForm
        id="new-facility"
        lastResult={actionData?.result}
        defaultValue={draft ? { lat: draft.lat, lng: draft.lng, ...(type ? { type } : {}) } : {}}
        centre={{ lat: community.lat ?? 36.66, lng: community.lng ?? 117.02 }}
        communityPoint={
          community.lat !== null && community.lng !== null ? { lat: community.lat, lng: community.lng } : null
        }
        needsConfirmation={actionData?.needsConfirmation}
        geocodeMessage={actionData?.geocode ? String(t(actionData.geocode.key, actionData.geocode.params)) : null}
        submitLabel={t("manage.create")}
      />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
