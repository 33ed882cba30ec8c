import { useTranslation } from "react-i18next";

import { formatDateTime } from "~/utils/format";

export type TransitionView = {
  id: number;
  fromState: string | null;
  toState: string;
  reason: string | null;
  at: string;
  actor: string | null;
  actorName: string | null;
};

/** Who moved an assessment from one state to another, when and why. */
export function AssessmentHistory({ transitions }: { transitions: TransitionView[] }) {
  const { t, i18n } = useTranslation();
  if (transitions.length === 0) return <p className="muted">{t("assessment.historyEmpty")}</p>;
  return (
    <table className="table" data-testid="history">
      <thead>
        <tr>
          <th>{t("assessment.historyAt")}</th>
          <th>{t("assessment.historyChange")}</th>
          <th>{t("assessment.historyBy")}</th>
          <th>{t("assessment.historyReason")}</th>
        </tr>
      </thead>
      <tbody>
        {transitions.map((tr) => (
          <tr key={tr.id}>
            <td>{formatDateTime(tr.at, i18n.language)}</td>
            <td>
              {tr.fromState ? t(`assessment.states.${tr.fromState}`) : t("assessment.created")} →{" "}
              {t(`assessment.states.${tr.toState}`)}
            </td>
            <td>{tr.actor ? tr.actorName || tr.actor : t("assessment.system")}</td>
            <td style={{ whiteSpace: "pre-wrap" }}>
              {!tr.actor && tr.fromState === "notice" && tr.toState === "approved"
                ? t("assessment.noticeEnded")
                : tr.reason || "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
