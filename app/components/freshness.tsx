import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { formatDate, formatPercent } from "~/utils/format";

// Freshness (docs/figures.md): the flag on a listing's staff page, the workspace's list of stale
// and hidden listings, and an area's share of listings verified within N days.

type Settings = { staleDays: number; hiddenDays: number };
type Figure = { listings: number; fresh: number; stale: number; hidden: number };

/** A stale or hidden listing's flag, with the verify button (the page's own verify action). */
export function FreshnessFlag({
  freshness,
  version,
}: {
  freshness: { state: "fresh" | "stale" | "hidden"; staleDays: number; hiddenDays: number; facilityHidden: boolean };
  version: number;
}) {
  const { t } = useTranslation();
  if (freshness.state === "fresh" && !freshness.facilityHidden) return null;
  const hidden = freshness.state === "hidden";
  const text = hidden
    ? t("freshness.hiddenFlag", { days: freshness.hiddenDays })
    : freshness.state === "stale"
      ? t("freshness.staleFlag", { days: freshness.staleDays })
      : null;
  return (
    <div className={hidden ? "panel conflict" : "notice"} role="status" data-testid="freshness-flag">
      {text ? (
        <Form method="post" className="inline-fields">
          <strong>{text}</strong>
          <input type="hidden" name="version" value={version} />
          <button type="submit" name="intent" value="verify">
            {t("manage.verify")}
          </button>
        </Form>
      ) : null}
      {freshness.facilityHidden ? <p>{t("freshness.facilityHiddenFlag", { days: freshness.hiddenDays })}</p> : null}
    </div>
  );
}

/** "x / y listings verified within N days (z%)", or that there are none. */
export function FreshnessShare({ figure, days }: { figure: Figure; days: number }) {
  const { t, i18n } = useTranslation();
  if (figure.listings === 0) return <>{t("freshness.shareNone")}</>;
  return (
    <>
      {t("freshness.share", {
        fresh: figure.fresh,
        listings: figure.listings,
        days,
        percent: formatPercent(figure.fresh / figure.listings, i18n.language),
      })}
    </>
  );
}

/** The dashboard's small block: the region's share and the link to its drill-down page. */
export function FreshnessBlock({ figure, settings, href }: { figure: Figure; settings: Settings; href: string }) {
  const { t } = useTranslation();
  return (
    <section className="panel" data-testid="freshness-block">
      <h2>{t("freshness.blockTitle")}</h2>
      <p>
        <FreshnessShare figure={figure} days={settings.staleDays} />
      </p>
      {figure.hidden > 0 ? (
        <p>{t("freshness.hiddenCount", { hidden: figure.hidden, days: settings.hiddenDays })}</p>
      ) : null}
      <p>
        <Link to={href}>{t("freshness.drillDown")}</Link>
      </p>
    </section>
  );
}

export type StaleListingRow = {
  kind: "facility" | "service";
  id: string;
  name: string;
  verifiedAt: string;
  hidden: boolean;
};

/** Stale listings, oldest first, each linking to its page (where the verify button is). */
export function StaleListingList({ stale }: { stale: StaleListingRow[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ul data-testid="stale-listings">
      {stale.map((l) => (
        <li key={`${l.kind}-${l.id}`}>
          <Link to={l.kind === "facility" ? `/manage/facilities/${l.id}` : `/manage/services/${l.id}`}>{l.name}</Link>{" "}
          <span className="muted small">
            {t(`notifications.listings.${l.kind}`)} · {t("manage.lastVerified")}:{" "}
            {formatDate(l.verifiedAt, i18n.language)}
          </span>
          {l.hidden ? (
            <>
              {" "}
              <strong className="small">{t("freshness.hiddenBadge")}</strong>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The workspace's section: its counts and its stale and hidden listings. */
export function StaleListings({
  stale,
  counts,
  settings,
}: {
  stale: StaleListingRow[];
  counts: { stale: number; hidden: number };
  settings: Settings;
}) {
  const { t } = useTranslation();
  return (
    <section data-testid="freshness-workspace">
      <h2>{t("freshness.workspaceTitle")}</h2>
      {stale.length ? (
        <>
          <p data-testid="freshness-counts">
            {t("freshness.workspaceCounts", {
              ...counts,
              staleDays: settings.staleDays,
              hiddenDays: settings.hiddenDays,
            })}
          </p>
          <StaleListingList stale={stale} />
        </>
      ) : (
        <p className="muted">{t("freshness.noStale", { days: settings.staleDays })}</p>
      )}
    </section>
  );
}
