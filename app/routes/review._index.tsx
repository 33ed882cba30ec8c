import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FilterField, FilterForm } from "~/components/filter-form";
import { requireAnyScope } from "~/domains/accounts/guards.server";
import { listDutyConflicts, listRecentDecisions } from "~/domains/assessments/assessments.server";
import { readReviewQueue, reviewCounty } from "~/domains/assessments/review-queue.server";
import { xlsxHref } from "~/utils/export-table";
import { formatDate, formatDateTime } from "~/utils/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const { prefixes, account } = await requireAnyScope(request, "review");
  const county = reviewCounty(request, prefixes);
  const [{ queue, counties }, recent] = await Promise.all([
    readReviewQueue(prefixes, county),
    listRecentDecisions({ prefixes, county }),
  ]);
  // separation of duties: the submissions this reader may not approve, and why
  const conflicts = await listDutyConflicts(
    queue.filter((item) => item.state === "submitted").map((item) => item.id),
    { userId: account.id },
  );
  const conflictsById: Record<string, string[]> = {};
  for (const c of conflicts) (conflictsById[c.assessmentId] ??= []).push(c.conflict);
  return json({
    queue,
    recent,
    conflicts: conflictsById,
    counties,
    county: county ?? null,
    // a district official sees one county: no filter
    canFilter: prefixes.some((p) => p.length < 6),
  });
}

export default function ReviewQueue() {
  const { queue, recent, conflicts, counties, county, canFilter } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const exportSearch = county ? `?county=${county}` : "";
  return (
    <section className="stack">
      <h1>{t("assessment.review.title")}</h1>
      {canFilter && counties.length > 0 ? (
        <FilterForm submitLabel={t("assessment.review.filter")}>
          <FilterField id="county" label={t("assessment.review.county")}>
            <select id="county" name="county" defaultValue={county ?? ""}>
              <option value="">{t("assessment.review.allCounties")}</option>
              {counties.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </FilterField>
        </FilterForm>
      ) : null}

      <h2>
        {t("assessment.review.queue")} ({queue.length})
      </h2>
      <p>
        <a href={`/review.csv${exportSearch}`} download>
          {t("exportTables.exportCsv")}
        </a>{" "}
        <a href={xlsxHref("/review.xlsx", exportSearch, i18n.language)} download>
          {t("exportTables.exportExcel")}
        </a>
      </p>
      {queue.length === 0 ? (
        <p className="muted">{t("assessment.review.queueEmpty")}</p>
      ) : (
        <table className="table" data-testid="review-queue">
          <thead>
            <tr>
              <th>{t("assessment.review.community")}</th>
              <th>{t("assessment.review.township")}</th>
              <th>{t("assessment.submittedAt")}</th>
              <th>{t("assessment.score")}</th>
              <th>{t("assessment.review.suggestedTier")}</th>
              <th>{t("assessment.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link to={`/review/${item.id}`}>{item.community}</Link>{" "}
                  <span className="small muted">{item.communityCode}</span>
                  {item.isDemo ? <span className="badge-demo">{t("app.demoBadge")}</span> : null}
                </td>
                <td>{item.township ?? "—"}</td>
                <td>{item.submittedAt ? formatDate(item.submittedAt, i18n.language) : "—"}</td>
                <td>{item.score ?? "—"}</td>
                <td>{item.suggestedTier ? t(`assessment.tiers.${item.suggestedTier}`) : "—"}</td>
                <td>
                  {t(`assessment.states.${item.state}`)}
                  {item.state === "notice" && item.effectiveAt ? (
                    <div className="small muted">
                      {t("assessment.noticeUntil", { date: formatDate(item.effectiveAt, i18n.language) })}
                    </div>
                  ) : null}
                  {conflicts[item.id] ? (
                    <div className="small" data-testid="duty-conflict">
                      {t("assessment.review.duties.queueNote")}
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("assessment.review.recent")}</h2>
      {recent.length === 0 ? (
        <p className="muted">{t("assessment.review.recentEmpty")}</p>
      ) : (
        <table className="table" data-testid="recent-decisions">
          <thead>
            <tr>
              <th>{t("assessment.review.community")}</th>
              <th>{t("assessment.review.decision")}</th>
              <th>{t("assessment.review.decidedAt")}</th>
              <th>{t("assessment.historyBy")}</th>
              <th>{t("assessment.historyReason")}</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((item) => (
              <tr key={`${item.id}-${item.decidedAt}-${item.decision}`}>
                <td>
                  <Link to={`/review/${item.id}`}>{item.community}</Link>{" "}
                  <span className="small muted">{item.township ?? ""}</span>
                </td>
                <td>
                  {t(`assessment.states.${item.decision}`)}
                  {item.decision !== "rejected" && item.decision !== "revoked" && item.tier
                    ? ` · ${t(`assessment.tiers.${item.tier}`)}`
                    : null}
                </td>
                <td>{formatDateTime(item.decidedAt, i18n.language)}</td>
                <td>{item.actor ?? "—"}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{item.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
