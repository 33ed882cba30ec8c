import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import { measureLabelKey } from "~/domains/living-circle/living-circle";
import { compareScenarios, requirePlanningRegion } from "~/domains/living-circle/scenarios.server";
import { significantCode } from "~/domains/regions/regions";
import { formatNumber, formatPercent } from "~/utils/format";
import { textError } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.region.name} · 社区通` : "社区通" },
];

// Two saved scenarios of the region side by side: per measure, each one's figures after its
// sites, and the second's difference from the first. ?a=ID&b=ID (another region's: 404).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "review");
  const region = await requirePlanningRegion(code);
  if (!region.planning) throw textError(400, "plans are made for a county or a township");
  const url = new URL(request.url);
  const villages = url.searchParams.get("villages") === "1";
  const comparison = await compareScenarios(code, url.searchParams.get("a"), url.searchParams.get("b"), villages);
  return json({ region, comparison });
}

type Figures = {
  covered: number;
  communities: number;
  population60Covered: number;
  share: number | null;
  share60: number | null;
};

export default function ComparePage() {
  const { region, comparison } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const short = significantCode(region.code);
  const figures = (f: Figures | null) =>
    f ? (
      <>
        {t("livingCircle.coveredOfTotal", {
          covered: formatNumber(f.covered, locale),
          total: formatNumber(f.communities, locale),
        })}{" "}
        · {formatPercent(f.share, locale)}
        <br />
        {formatNumber(f.population60Covered, locale)} · {formatPercent(f.share60, locale)}
      </>
    ) : (
      t("livingCircle.planCompareNotIn")
    );
  const signed = (n: number, text: string) => (n > 0 ? `+${text}` : text);
  return (
    <div className="stack">
      <h1>{t("livingCircle.planCompareTitle", { name: region.name })}</h1>
      <p>
        <Link to={`/dashboard/${short}/plan`}>{t("livingCircle.planBackToPlan")}</Link>
      </p>
      <p className="muted">{t("livingCircle.planCompareIntro")}</p>
      <div className="table-scroll">
        <table data-testid="plan-compare">
          <thead>
            <tr>
              <th>{t("livingCircle.measure")}</th>
              {[comparison.a, comparison.b].map((s) => (
                <th key={s.id}>
                  <Link to={`/dashboard/${short}/plan?scenario=${s.id}`}>{s.name}</Link>{" "}
                  <span className="small muted">
                    {t("livingCircle.planCompareSites", { n: formatNumber(s.sites, locale) })}
                  </span>
                </th>
              ))}
              <th>{t("livingCircle.planDifference")}</th>
            </tr>
          </thead>
          <tbody>
            {comparison.measures.map((m) => (
              <tr key={m.measure}>
                <th scope="row">{t(measureLabelKey(m.measure))}</th>
                <td>{figures(m.a)}</td>
                <td>{figures(m.b)}</td>
                <td>
                  {m.difference ? (
                    <>
                      {signed(m.difference.covered, formatNumber(m.difference.covered, locale))} ·{" "}
                      {m.difference.share === null
                        ? "—"
                        : signed(m.difference.share, formatPercent(m.difference.share, locale))}
                      <br />
                      {signed(
                        m.difference.population60Covered,
                        formatNumber(m.difference.population60Covered, locale),
                      )}{" "}
                      ·{" "}
                      {m.difference.share60 === null
                        ? "—"
                        : signed(m.difference.share60, formatPercent(m.difference.share60, locale))}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
