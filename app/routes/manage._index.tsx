import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FilterField, FilterForm } from "~/components/filter-form";
import { requireAnyScope } from "~/domains/accounts/guards.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { account } = await requireAnyScope(request, "edit");
  const chosen = new URL(request.url).searchParams.get("community")?.trim();
  if (chosen && /^\d{12}$/.test(chosen)) throw redirect(`/manage/${chosen}`);
  const communities = account.assignments.filter((a) => a.role === "community_staff");
  if (communities.length === 1 && account.assignments.length === 1)
    throw redirect(`/manage/${communities[0].regionCode}`);
  return json({ assignments: account.assignments });
}

export default function ManageIndex() {
  const { assignments } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="stack">
      <h1>{t("manage.title")}</h1>
      <ul>
        {assignments
          .filter((a) => a.role === "community_staff")
          .map((a) => (
            <li key={a.regionCode}>
              <Link to={`/manage/${a.regionCode}`}>{a.regionName}</Link>
            </li>
          ))}
      </ul>
      <FilterForm submitLabel={t("manage.open")}>
        <FilterField id="community" label={t("manage.communityCode")}>
          <input id="community" name="community" inputMode="numeric" pattern="\d{12}" required />
        </FilterField>
      </FilterForm>
      <p>
        <Link to="/manage/import">{t("manage.import")}</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
