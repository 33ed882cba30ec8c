// An area's freshness (docs/figures.md): the share of listings verified within N days for each of
// its children, down to communities; at a community, its stale and hidden listings.
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FreshnessShare, StaleListingList } from "~/components/freshness";
import { requireRegionScope } from "~/domains/accounts/guards.server";
import { loadFreshnessReport } from "~/domains/listings/freshness.server";
import { getRegion } from "~/domains/regions/regions.server";
import { formatNumber, formatPercent } from "~/utils/format";
import { notFound } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.region.name} · 社区通` : "社区通" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { code } = await requireRegionScope(request, params.code, "view");
  const region = await getRegion(code);
  if (!region) throw notFound(request, "no such region");
  const report = await loadFreshnessReport({ code: region.code, level: region.level });
  return json({ region: { code: region.code, name: region.name, level: region.level }, ...report });
}

type Row = { code: string; name: string; listings: number; fresh: number; stale: number; hidden: number };

function ChildrenTable({
  rows,
  total,
  settings,
}: {
  rows: Row[];
  total: Row;
  settings: { staleDays: number; hiddenDays: number };
}) {
  const { t, i18n } = useTranslation();
  const cells = (row: Row) => (
    <>
      <td>{formatNumber(row.listings, i18n.language)}</td>
      <td>{formatNumber(row.fresh, i18n.language)}</td>
      <td>{formatPercent(row.listings ? row.fresh / row.listings : null, i18n.language)}</td>
      <td>{formatNumber(row.stale, i18n.language)}</td>
      <td>{formatNumber(row.hidden, i18n.language)}</td>
    </>
  );
  return (
    <table className="table" data-testid="freshness-children">
      <thead>
        <tr>
          <th>{t("freshness.region")}</th>
          <th>{t("freshness.listings")}</th>
          <th>{t("freshness.fresh", { days: settings.staleDays })}</th>
          <th>{t("freshness.shareColumn")}</th>
          <th>{t("freshness.stale", { days: settings.staleDays })}</th>
          <th>{t("freshness.hidden", { days: settings.hiddenDays })}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.code}>
            <td>
              <Link to={`/dashboard/${row.code}/freshness`}>{row.name}</Link>
            </td>
            {cells(row)}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t("freshness.total")}</th>
          {cells(total)}
        </tr>
      </tfoot>
    </table>
  );
}

export default function RegionFreshness() {
  const { region, settings, figure, children, stale } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack">
      <p>
        <Link to={`/dashboard/${region.code}`}>← {t("freshness.back")}</Link>
      </p>
      <h1>{t("freshness.pageTitle", { name: region.name })}</h1>
      <p className="muted">{t("freshness.pageIntro", { days: settings.staleDays })}</p>
      <p data-testid="freshness-share">
        <FreshnessShare figure={figure} days={settings.staleDays} />
      </p>
      {region.level === "community" ? (
        <section>
          <h2>{t("freshness.communityListings")}</h2>
          {stale.length ? (
            <StaleListingList stale={stale} />
          ) : (
            <p className="muted">{t("freshness.noStale", { days: settings.staleDays })}</p>
          )}
        </section>
      ) : (
        <ChildrenTable
          rows={children}
          total={{ code: region.code, name: region.name, ...figure }}
          settings={settings}
        />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
