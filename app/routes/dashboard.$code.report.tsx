import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { Headline, TrendChart } from "~/components/coverage-view";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ReportChildrenTable, ReportGaps, ReportMap, ReportSources } from "~/components/region-report";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import { loadRegionReport } from "~/domains/coverage/report.server";
import { significantCode } from "~/domains/regions/regions";
import coverageCss from "~/styles/coverage.css";
import reportCss from "~/styles/report.css";
import { formatCalendarDate, formatDateTime } from "~/utils/format";

// The region's coverage report on A4 (issue 16): the dashboard's figures, map, table and trend,
// the living circle's gaps and the sources, printed or saved as PDF by the browser.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: coverageCss },
  { rel: "stylesheet", href: reportCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.report.region.name} · 报告 · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  return json(await loadRegionReport(request, code, params.code));
}

/** ?print=1 (the dashboard's link) opens the print dialog once the page has drawn */
function usePrintOnLoad() {
  const [params] = useSearchParams();
  const print = params.get("print") === "1";
  useEffect(() => {
    if (print) window.print();
  }, [print]);
}

export default function RegionReportPage() {
  const data = useLoaderData<typeof loader>();
  const { report } = data;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [params] = useSearchParams();
  usePrintOnLoad();
  const back = new URLSearchParams(params);
  back.delete("print");
  const backSearch = back.toString() ? `?${back.toString()}` : "";
  return (
    <article className="report" data-testid="region-report">
      <div className="report-actions">
        <button type="button" onClick={() => window.print()} data-testid="report-print">
          {t("report.print")}
        </button>
        <Link to={`/dashboard/${significantCode(report.region.code)}${backSearch}`}>{t("report.back")}</Link>
      </div>
      <header className="report-header">
        <h1>{t("report.title", { name: report.region.name })}</h1>
        <dl className="report-facts">
          <div>
            <dt>{t("report.level")}</dt>
            <dd>{t(`levels.${report.region.level}`)}</dd>
          </div>
          <div>
            <dt>{t("report.asOf")}</dt>
            <dd data-testid="report-as-of">{formatCalendarDate(report.asOf, locale)}</dd>
          </div>
          <div>
            <dt>{t("report.printedAt")}</dt>
            <dd>{formatDateTime(data.printedAt, locale)}</dd>
          </div>
        </dl>
      </header>
      {data.errors.asOf || data.errors.year ? (
        <p className="form-errors" role="alert">
          {Object.values(data.errors)
            .map((key) => t("coverage.inputIgnored", { message: t(key as string) }))
            .join(" ")}
        </p>
      ) : null}
      <section className="report-section">
        <h2>{t("report.figures")}</h2>
        <Headline report={report} />
      </section>
      <ReportMap data={data} />
      <ReportChildrenTable report={report} />
      {/* drawn at A4's content width (180 mm) from the start: the page may be printed before its scripts run */}
      <TrendChart report={report} initialWidth={680} />
      <ReportGaps livingCircle={data.livingCircle} />
      <ReportSources data={data} />
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
