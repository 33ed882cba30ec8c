import { useTranslation } from "react-i18next";

import { formatDistance, formatPercent } from "~/utils/format";

// The indicators of an assessment as a table, shared by the self-assessment and the review page.

type Label = { "zh-CN": string; en: string };
export type IndicatorView = {
  indicator: { key: string; kind: "automatic" | "manual"; weight: number; label: Label };
  met: boolean;
  automatic?: { met: boolean; detail: Record<string, number | string | null> };
  claimed?: boolean;
  evidence?: { text?: string; links?: string[] };
};

export const labelOf = (label: Label, language: string) => (language.startsWith("en") ? label.en : label["zh-CN"]);

export function MetBadge({ met }: { met: boolean }) {
  const { t } = useTranslation();
  return (
    <strong className={met ? "open" : "closed"}>
      {met ? `✓ ${t("assessment.met")}` : `✗ ${t("assessment.notMet")}`}
    </strong>
  );
}

/** why an automatic indicator is (not) met, from the figures behind it */
export function AutomaticHint({
  indicatorKey,
  detail,
}: {
  indicatorKey: string;
  detail: Record<string, number | string | null>;
}) {
  const { t, i18n } = useTranslation();
  if (Object.keys(detail).length === 0) return null;
  let text: string;
  if (indicatorKey === "elderly_care_access") {
    text =
      detail.distanceM === null || detail.distanceM === undefined
        ? t("assessment.hints.elderly_care_accessNone")
        : t("assessment.hints.elderly_care_access", {
            distance: formatDistance(Number(detail.distanceM), i18n.language),
          });
  } else if (indicatorKey === "resident_satisfaction") {
    const responses = Number(detail.responses ?? 0);
    const threshold = { minRate: detail.minRate, minResponses: detail.minResponses };
    // rounded down, so a share just under X never reads as X
    const share = responses > 0 ? Math.floor((Number(detail.satisfied) * 1000) / responses) / 1000 : null;
    text =
      share === null
        ? t("satisfactionIndicator.hintNone", threshold)
        : t("satisfactionIndicator.hint", { ...threshold, responses, rate: formatPercent(share, i18n.language) });
  } else if (indicatorKey === "scenario_breadth") {
    const areas = String(detail.areas ?? "")
      .split(",")
      .filter(Boolean)
      .map((c) => t(`categories.${c}`));
    text = t("assessment.hints.scenario_breadth", {
      count: Number(detail.count),
      areas: areas.join(i18n.language.startsWith("en") ? ", " : "、") || "—",
    });
  } else {
    text = t(`assessment.hints.${indicatorKey}`, { ...detail, defaultValue: "" });
  }
  return text ? <div className="small muted">{text}</div> : null;
}

export function Evidence({ evidence }: { evidence?: { text?: string; links?: string[] } }) {
  const { t } = useTranslation();
  if (!evidence?.text && !evidence?.links?.length)
    return <div className="small muted">{t("assessment.noEvidence")}</div>;
  return (
    <div className="small">
      {evidence.text ? <p style={{ whiteSpace: "pre-wrap" }}>{evidence.text}</p> : null}
      {evidence.links?.length ? (
        <ul>
          {evidence.links.map((link) => (
            <li key={link}>
              <a href={link} rel="noopener noreferrer nofollow" target="_blank">
                {link}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Read-only indicators; `compare` adds a column with the automatic values as of now. */
export function IndicatorTable({ rows, compare }: { rows: IndicatorView[]; compare?: IndicatorView[] }) {
  const { t, i18n } = useTranslation();
  const now = new Map((compare ?? []).map((r) => [r.indicator.key, r]));
  return (
    <table className="table" data-testid="indicators">
      <thead>
        <tr>
          <th>{t("assessment.indicator")}</th>
          <th>{t("assessment.weight")}</th>
          <th>{compare ? t("assessment.review.asSubmitted") : t("assessment.result")}</th>
          {compare ? <th>{t("assessment.review.asOfNow")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const current = now.get(row.indicator.key);
          return (
            <tr key={row.indicator.key}>
              <td>
                {labelOf(row.indicator.label, i18n.language)}{" "}
                <span className="chip small">{t(`assessment.kinds.${row.indicator.kind}`)}</span>
                {row.indicator.kind === "manual" ? <Evidence evidence={row.evidence} /> : null}
                {!compare && row.automatic ? (
                  <AutomaticHint indicatorKey={row.indicator.key} detail={row.automatic.detail} />
                ) : null}
              </td>
              <td>{row.indicator.weight}</td>
              <td>
                <MetBadge met={row.met} />
              </td>
              {compare ? (
                <td>
                  {row.indicator.kind === "automatic" && current ? (
                    <>
                      <MetBadge met={current.met} />
                      {current.automatic ? (
                        <AutomaticHint indicatorKey={row.indicator.key} detail={current.automatic.detail} />
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ScoreLine({
  score,
  tier,
  passScore,
}: {
  score: number | null;
  tier: string | null;
  passScore: number;
}) {
  const { t } = useTranslation();
  return (
    <p data-testid="score">
      {t("assessment.score")}: <strong>{score ?? "—"}</strong> / 100 · {t("assessment.passScore")}: {passScore} ·{" "}
      {t("assessment.tier")}: <strong>{tier ? t(`assessment.tiers.${tier}`) : t("assessment.noTier")}</strong>
    </p>
  );
}
