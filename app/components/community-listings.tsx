import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { formatDate } from "~/utils/format";

// The community workspace's lists: its facilities, its services by category, and the residents'
// problem reports (what is stale: components/freshness.tsx).

export function FacilityList({
  facilities,
}: {
  facilities: { id: string; name: string; type: string; status: string; services: { id: string; name: string }[] }[];
}) {
  const { t } = useTranslation();
  return (
    <ul className="stack" data-testid="facility-list">
      {facilities.map((f) => (
        <li key={f.id} className="panel">
          <Link to={`/manage/facilities/${f.id}`}>
            <strong>{f.name}</strong>
          </Link>{" "}
          <span className="muted small">{t(`facilityTypes.${f.type}`)}</span> · {t(`statuses.${f.status}`)}
          <div className="small">
            {f.services.map((s) => (
              <span key={s.id} className="chip">
                {s.name}
              </span>
            ))}
          </div>
        </li>
      ))}
      {facilities.length === 0 ? <li className="muted">{t("manage.noFacilities")}</li> : null}
    </ul>
  );
}

export function ServicesByCategory({
  groups,
}: {
  groups: { category: string; services: { id: string; name: string; facilityName: string; status: string }[] }[];
}) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("manage.servicesByCategory")}</h2>
      {groups.map((group) => (
        <details key={group.category} open>
          <summary>
            {t(`categories.${group.category}`)} ({group.services.length})
          </summary>
          <ul>
            {group.services.map((s) => (
              <li key={s.id}>
                <Link to={`/manage/services/${s.id}`}>{s.name}</Link>{" "}
                <span className="muted small">@ {s.facilityName}</span> · {t(`statuses.${s.status}`)}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </>
  );
}

/** each report with its resolve buttons (a POST to the page's action, intent resolve_report) */
export function ProblemReports({
  reports,
}: {
  reports: { id: string; kind: string; status: string; facilityName: string; createdAt: string; text: string | null }[];
}) {
  const { t, i18n } = useTranslation();
  const openReports = reports.filter((r) => r.status === "open");
  return (
    <>
      <h2 id="reports">{t("manage.reports")}</h2>
      {openReports.length === 0 ? <p className="muted">{t("manage.noReports")}</p> : null}
      <ul>
        {reports.map((r) => (
          <li key={r.id}>
            <strong>{t(`problems.${r.kind}`)}</strong> · {r.facilityName} · {formatDate(r.createdAt, i18n.language)} ·{" "}
            {t(`problems.${r.status}`)}
            {r.text ? <div className="small">{r.text}</div> : null}
            <Form method="post" className="inline-fields">
              <input type="hidden" name="intent" value="resolve_report" />
              <input type="hidden" name="reportId" value={r.id} />
              {r.status === "open" ? (
                <>
                  <button type="submit" name="status" value="fixed">
                    {t("manage.markFixed")}
                  </button>
                  <button type="submit" name="status" value="dismissed">
                    {t("manage.dismiss")}
                  </button>
                </>
              ) : (
                <button type="submit" name="status" value="open">
                  {t("manage.reopen")}
                </button>
              )}
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
