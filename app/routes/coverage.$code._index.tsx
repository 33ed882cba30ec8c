import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { CoverageView } from "~/components/coverage-view";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { publicRoute } from "~/domains/accounts/guards.server";
import { isPublicCoverageCode } from "~/domains/coverage/coverage";
import { loadCoverageReport, requirePublicCoverageRegion } from "~/domains/coverage/coverage.server";
import { significantCode } from "~/domains/regions/regions";
import coverageCss from "~/styles/coverage.css";
import { description, metaI18n } from "~/utils/meta";

// Leaflet's styles come with the map (components/maps.tsx)
export const links: LinksFunction = () => [{ rel: "stylesheet", href: coverageCss }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const { t } = metaI18n(matches);
  return [
    { title: data ? `${data.report.region.name} · 社区通` : "社区通" },
    description(data ? t("meta.coverage", { region: data.report.region.name }) : t("meta.description")),
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  publicRoute();
  const code = requirePublicCoverageRegion(params.code);
  const { report, errors } = await loadCoverageReport(request, code, params.code);
  return json({ report, errors });
}

export default function PublicCoverage() {
  const { report, errors } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("coverage.publicTitle")}</h1>
      <p className="muted">{t("coverage.publicIntro")}</p>
      <CoverageView
        report={report}
        errors={errors}
        pathHref={(code) => `/coverage/${significantCode(code)}`}
        childHref={(row) => (isPublicCoverageCode(row.code) ? `/coverage/${significantCode(row.code)}` : null)}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <CoverageErrorBoundary />;
}

function CoverageErrorBoundary() {
  const { t } = useTranslation();
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        403: () => <p>{t("coverage.notPublic")}</p>,
        404: () => <p>{t("coverage.notFound")}</p>,
      }}
    />
  );
}
