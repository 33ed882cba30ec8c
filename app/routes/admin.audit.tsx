import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FilterField, FilterForm } from "~/components/filter-form";
import { requireAnyScope } from "~/domains/accounts/guards.server";
import { readAuditLog } from "~/domains/audit/audit.server";
import { xlsxHref } from "~/utils/export-table";
import { formatDateTime } from "~/utils/format";

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireAnyScope(request, "manage_users");
  const { entries, filter } = await readAuditLog(request, reader, { pageSize: PAGE_SIZE + 1 });
  return json({ entries: entries.slice(0, PAGE_SIZE), hasMore: entries.length > PAGE_SIZE, filter });
}

export default function AuditLog() {
  const { entries, hasMore, filter } = useLoaderData<typeof loader>();
  const location = useLocation();
  const { t, i18n } = useTranslation();
  const query = new URLSearchParams(location.search);
  const pageLink = (page: number) => {
    const next = new URLSearchParams(query);
    next.set("page", String(page));
    return `?${next}`;
  };
  const dateValue = (d?: string) => (d ? d.slice(0, 10) : "");
  return (
    <section className="stack">
      <h1>{t("audit.title")}</h1>
      <FilterForm submitLabel={t("audit.filter")}>
        <FilterField id="action" label={t("audit.action")}>
          <input id="action" name="action" defaultValue={filter.action ?? ""} placeholder="user." />
        </FilterField>
        <FilterField id="objectType" label={t("audit.objectType")}>
          <input id="objectType" name="objectType" defaultValue={filter.objectType ?? ""} />
        </FilterField>
        <FilterField id="actor" label={t("audit.actor")}>
          <input id="actor" name="actor" defaultValue={filter.actor ?? ""} />
        </FilterField>
        <FilterField id="from" label={t("audit.from")}>
          <input id="from" name="from" type="date" defaultValue={dateValue(filter.from as unknown as string)} />
        </FilterField>
        <FilterField id="to" label={t("audit.to")}>
          <input id="to" name="to" type="date" defaultValue={dateValue(filter.to as unknown as string)} />
        </FilterField>
      </FilterForm>
      <p>
        <a href={`/admin/audit.csv${location.search}`} download>
          {t("audit.exportCsv")}
        </a>{" "}
        <a href={xlsxHref("/admin/audit.xlsx", location.search, i18n.language)} download>
          {t("exportTables.exportExcel")}
        </a>
      </p>
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t("audit.at")}</th>
            <th>{t("audit.actor")}</th>
            <th>{t("audit.action")}</th>
            <th>{t("audit.object")}</th>
            <th>{t("audit.region")}</th>
            <th>{t("audit.before")}</th>
            <th>{t("audit.after")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at, i18n.language)}</td>
              <td>{e.actor ?? "—"}</td>
              <td>{e.action}</td>
              <td>
                {e.objectType} <span className="muted small">{e.objectId}</span>
              </td>
              <td>{e.regionCode ?? "—"}</td>
              <td>
                <pre className="json">{e.before ? JSON.stringify(e.before, null, 1) : "—"}</pre>
              </td>
              <td>
                <pre className="json">{e.after ? JSON.stringify(e.after, null, 1) : "—"}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 ? <p className="muted">{t("audit.none")}</p> : null}
      <p className="inline-fields">
        {filter.page > 1 ? <Link to={pageLink(filter.page - 1)}>{t("audit.newer")}</Link> : null}
        {hasMore ? <Link to={pageLink(filter.page + 1)}>{t("audit.older")}</Link> : null}
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
