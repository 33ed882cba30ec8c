import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FilterField, FilterForm } from "~/components/filter-form";
import { requireAnyScope } from "~/domains/accounts/guards.server";
import { listDutyConflicts, listRecentDecisions, listReviewQueue } from "~/domains/assessments/assessments.server";
import { formatDate, formatDateTime } from "~/utils/format";

const filterSchema = z.object({
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { prefixes, account } = await requireAnyScope(request, "review");
  const { county } = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  // a county filter narrows the reader's scope, never widens it
  const inScope = county && prefixes.some((p) => county.startsWith(p)) ? county : undefined;
  const [queue, recent] = await Promise.all([
    listReviewQueue({ prefixes }),
    listRecentDecisions({ prefixes, county: inScope }),
  ]);
  // separation of duties: the submissions this reader may not approve, and why
  const conflicts = await listDutyConflicts(
    queue.filter((item) => item.state === "submitted").map((item) => item.id),
    { userId: account.id },
  );
  const conflictsById: Record<string, string[]> = {};
  for (const c of conflicts) (conflictsById[c.assessmentId] ??= []).push(c.conflict);
  const counties = [
    ...new Map(
      queue.map((item) => [item.communityCode.slice(0, 6), item.county ?? item.communityCode.slice(0, 6)]),
    ).entries(),
  ]
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.code.localeCompare(b.code));
  return json({
    queue: inScope ? queue.filter((item) => item.communityCode.startsWith(inScope.slice(0, 6))) : queue,
    recent,
    conflicts: conflictsById,
    counties,
    county: inScope ?? null,
    // a district official sees one county: no filter
    canFilter: prefixes.some((p) => p.length < 6),
  });
}

export default function ReviewQueue() {
  const { queue, recent, conflicts, counties, county, canFilter } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
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
