import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { measureLabelKey, type LivingCircleRecompute } from "~/domains/living-circle/living-circle";
import { formatDateTime } from "~/utils/format";

type RecomputeView = Omit<LivingCircleRecompute, "startedAt">;

const isActive = (r: RecomputeView) => r.state === "queued" || r.state === "running";

/** While a recompute runs, the page asks for its data again every few seconds (the progress moves). */
function useRefreshWhileRecomputing(recomputes: readonly RecomputeView[]) {
  const { revalidate, state } = useRevalidator();
  const active = recomputes.some(isActive);
  useEffect(() => {
    if (!active || state !== "idle") return;
    const timer = setTimeout(revalidate, 3000);
    return () => clearTimeout(timer);
  }, [active, state, revalidate, recomputes]);
}

function Progress({ recompute }: { recompute: RecomputeView }) {
  const { t } = useTranslation();
  const total = recompute.partsTotal ?? 0;
  const label = t("livingCircle.recomputeProgress", { done: recompute.partsDone, total: total || "—" });
  return (
    <span className="recompute-progress">
      <progress value={recompute.partsDone} max={total || 1} aria-label={label} /> {label}
    </span>
  );
}

/** The province admin's list: waiting and running recomputes with their progress, then the last finished. */
export function LivingCircleRecomputes({ recomputes }: { recomputes: readonly RecomputeView[] }) {
  const { t, i18n } = useTranslation();
  useRefreshWhileRecomputing(recomputes);
  return (
    <section className="stack" aria-live="polite" data-testid="living-circle-recomputes">
      <h2>{t("livingCircle.recomputesTitle")}</h2>
      {recomputes.some(isActive) ? null : <p className="muted">{t("livingCircle.recomputesNone")}</p>}
      {recomputes.length ? (
        <ul className="recomputes stack">
          {recomputes.map((r) => (
            <li key={r.id} data-state={r.state}>
              {t("livingCircle.recomputeLine", {
                state: t(`livingCircle.recomputeState_${r.state}`),
                measures: r.measures.map((m) => t(measureLabelKey(m))).join(t("livingCircle.listSeparator")),
              })}
              <div className="small muted">
                {t("livingCircle.recomputeRequested", {
                  at: formatDateTime(r.requestedAt, i18n.language),
                  reason: t(`livingCircle.recomputeReason_${r.reason}`),
                })}
                {r.state === "done" && r.finishedAt
                  ? ` · ${t("livingCircle.recomputeFinished", { at: formatDateTime(r.finishedAt, i18n.language), rows: r.rows })}`
                  : null}
              </div>
              {/* the number of cities is known once it has started */}
              {r.state === "running" ? <Progress recompute={r} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** On the living-circle pages: a note while a recompute is changing the figures. */
export function LivingCircleRecomputeNote({ recomputes }: { recomputes: readonly RecomputeView[] }) {
  const { t } = useTranslation();
  useRefreshWhileRecomputing(recomputes);
  const active = recomputes.find(isActive);
  if (!active) return null;
  return (
    <p className="notice" role="status" data-testid="living-circle-recompute-note">
      {t("livingCircle.recomputeRunningNote", { done: active.partsDone, total: active.partsTotal ?? "—" })}
    </p>
  );
}
