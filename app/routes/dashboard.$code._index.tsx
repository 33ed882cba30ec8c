import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useTranslation } from "react-i18next";

import { CoverageView } from "~/components/coverage-view";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FreshnessBlock } from "~/components/freshness";
import { hasPermission } from "~/domains/accounts/accounts";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import { countReviewQueue } from "~/domains/assessments/assessments.server";
import { loadCoverageReport } from "~/domains/coverage/coverage.server";
import { loadRegionFreshness } from "~/domains/listings/freshness.server";
import { significantCode } from "~/domains/regions/regions";
import coverageCss from "~/styles/coverage.css";
import { xlsxHref } from "~/utils/export-table";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: coverageCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.report.region.name} · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { account, code } = await requireRegionScope(request, params.code, "view");
  const { report, errors } = await loadCoverageReport(request, code, params.code);
  const assignments = account.assignments;
  const canReview = hasPermission(assignments, report.region.code, "review");
  const pendingReviews = canReview ? await countReviewQueue([significantCode(report.region.code)]) : 0;
  const freshness = await loadRegionFreshness(report.region);
  return json({
    report,
    errors,
    // which levels of the breadcrumb the reader may open, and the links the page offers
    pathInScope: report.path.filter((p) => hasPermission(assignments, p.code, "view")).map((p) => p.code),
    canReview,
    pendingReviews,
    canEdit: hasPermission(assignments, report.region.code, "edit"),
    freshness,
  });
}

export default function Dashboard() {
  const { report, errors, pathInScope, canReview, pendingReviews, canEdit, freshness } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const short = significantCode(report.region.code);
  const query = new URLSearchParams(params);
  query.delete("sort");
  query.delete("dir");
  const search = query.toString() ? `?${query.toString()}` : "";
  const inScope = new Set(pathInScope);
  const isCommunity = report.region.level === "community";
  return (
    <div>
      <h1>{t("coverage.dashboardTitle", { name: report.region.name })}</h1>
      <CoverageView
        report={report}
        errors={errors}
        pathHref={(code) => (inScope.has(code) ? `/dashboard/${significantCode(code)}${search}` : null)}
        childHref={(row) => `/dashboard/${significantCode(row.code)}${search}`}
        aside={
          <div className="coverage-links">
            {isCommunity ? (
              <p data-testid="community-certified">
                {report.figures.certified > 0 ? t("coverage.communityCertified") : t("coverage.communityNotCertified")}
                {canEdit ? (
                  <>
                    {" "}
                    <Link to={`/manage/${short}/assessment`}>{t("coverage.communityAssessment")}</Link>
                  </>
                ) : null}
              </p>
            ) : (
              <>
                <span>{t("coverage.exports")}:</span>
                <a href={`/dashboard/${short}/table.csv${search}`} download>
                  {t("coverage.exportCsv")}
                </a>
                <a href={xlsxHref(`/dashboard/${short}/table.xlsx`, search, i18n.language)} download>
                  {t("exportTables.tableExcel")}
                </a>
                <a href={`/dashboard/${short}/table.geojson${search}`} download>
                  {t("coverage.exportGeojson")}
                </a>
              </>
            )}
            <Link to={`/dashboard/${short}/report${search ? `${search}&` : "?"}print=1`} data-testid="report-link">
              {t("report.link")}
            </Link>
            <Link to={`/dashboard/${short}/living-circle${search}`}>{t("coverage.livingCircleLink")}</Link>
            {canReview ? (
              <Link
                to={`/review${report.region.level === "province" ? "" : `?county=${short.slice(0, 6)}`}`}
                data-testid="pending-reviews"
              >
                {t("coverage.reviewLink", { count: pendingReviews })}
              </Link>
            ) : null}
          </div>
        }
      />
      <FreshnessBlock {...freshness} href={`/dashboard/${short}/freshness`} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
