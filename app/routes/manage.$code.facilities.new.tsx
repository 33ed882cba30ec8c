import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FacilityForm } from "~/components/facility-form";
import { createFacility, readFacilityForm, requireCommunity } from "~/domains/listings/listings.server";
import { toastHeaders } from "~/utils/toast.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community } = await requireCommunity(request, params.code ?? "", "edit");
  return json({ community });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, community } = await requireCommunity(request, params.code ?? "", "edit");
  const form = await readFacilityForm(await request.formData(), community.code);
  if (!form.ok) return form.response;
  const facility = await createFacility({ userId: account.id }, community.code, form.value);
  return redirect(`/manage/facilities/${facility.id}`, {
    headers: await toastHeaders({ key: "manage.created", params: { name: facility.name } }),
  });
}

export default function NewFacility() {
  const { community } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="stack">
      <p>
        <Link to={`/manage/${community.code}`}>← {community.name}</Link>
      </p>
      <h1>{t("manage.newFacility")}</h1>
      <FacilityForm
        id="new-facility"
        lastResult={actionData?.result}
        defaultValue={{}}
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
