import { useTranslation } from "react-i18next";

import { labelOf } from "~/components/assessment-indicators";
import { formatClauses, formatDateTime } from "~/utils/format";

import { ASSESSMENT_TIERS } from "../../db/identifiers";
import type { StandardIndicator } from "../../db/schema";

// Every published version of the evaluation standard, newest first.

type PublishedStandard = {
  version: number;
  publishedAt: string | Date;
  passScore: number;
  tierScores: Record<(typeof ASSESSMENT_TIERS)[number], number>;
  noticeDays: number;
  indicators: readonly Pick<StandardIndicator, "label" | "weight" | "threshold">[];
};

export function StandardVersions({ versions }: { versions: readonly PublishedStandard[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h2>{t("assessment.standard.versions")}</h2>
      <table className="table" data-testid="standard-versions">
        <thead>
          <tr>
            <th>{t("assessment.standard.version")}</th>
            <th>{t("assessment.standard.publishedAt")}</th>
            <th>{t("assessment.standard.passScore")}</th>
            <th>{t("assessment.standard.tierScores")}</th>
            <th>{t("assessment.standard.noticeDays")}</th>
            <th>{t("assessment.standard.indicators")}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{formatDateTime(v.publishedAt, i18n.language)}</td>
              <td>{v.passScore}</td>
              <td>
                {ASSESSMENT_TIERS.map((tier) => `${t(`assessment.tiers.${tier}`)} ${v.tierScores[tier]}`).join(" · ")}
              </td>
              <td>{v.noticeDays}</td>
              <td className="small">
                {formatClauses(
                  v.indicators.map((i) => {
                    const threshold = i.threshold ? `; ${t("satisfactionIndicator.threshold", i.threshold)}` : "";
                    return `${labelOf(i.label, i18n.language)} (${i.weight}${threshold})`;
                  }),
                  i18n.language,
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
