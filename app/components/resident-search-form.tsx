import { Form } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";

import { formatDistance } from "~/utils/format";

type Query = {
  c?: string;
  address?: string;
  lat?: number;
  lng?: number;
  community?: string;
  category?: string;
  radius: string;
  openNow?: "1";
};

/**
 * The residents' search: where (my location, a community, an address), a category, a radius, open
 * now. A GET form, so the whole query is in the URL; `onLocated` receives the browser's position.
 */
export function ResidentSearchForm({
  query,
  outsideShandong,
  categories,
  radii,
  onLocated,
}: {
  query: Query;
  outsideShandong: boolean;
  categories: readonly string[];
  radii: readonly string[];
  onLocated: (lat: number, lng: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const [locating, setLocating] = useState<"idle" | "busy" | "denied">("idle");

  const useMyLocation = () => {
    if (!("geolocation" in navigator)) return setLocating("denied");
    setLocating("busy");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating("idle");
        onLocated(position.coords.latitude, position.coords.longitude);
      },
      () => setLocating("denied"),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };

  const hidden = (name: string, value: string | number | undefined) =>
    value === undefined ? null : <input type="hidden" name={name} value={value} />;

  return (
    <Form method="get" className="stack panel" role="search">
      <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>
          <strong>{t("resident.where")}</strong>
        </legend>
        <div className="inline-fields">
          <ClientOnly fallback={null}>
            {() => (
              <button type="button" onClick={useMyLocation} disabled={locating === "busy"}>
                {locating === "busy" ? t("resident.locating") : t("resident.useLocation")}
              </button>
            )}
          </ClientOnly>
          <div className="field">
            <label htmlFor="c">{t("resident.community")}</label>
            <input id="c" name="c" defaultValue={query.c ?? ""} placeholder={t("resident.communityPlaceholder")} />
          </div>
          <div className="field">
            <label htmlFor="address">{t("resident.address")}</label>
            <input
              id="address"
              name="address"
              defaultValue={query.address ?? ""}
              placeholder={t("resident.addressPlaceholder")}
              size={28}
            />
          </div>
        </div>
        {/* a point outside Shandong is not carried on: typing a community or an address starts afresh */}
        {!query.c && !query.address && !outsideShandong ? (
          <>
            {hidden("lat", query.lat)}
            {hidden("lng", query.lng)}
            {hidden("community", query.community)}
          </>
        ) : null}
        {locating === "denied" ? <p className="notice">{t("resident.locationDenied")}</p> : null}
        <p className="hint">{t("resident.tapMap")}</p>
      </fieldset>
      <fieldset className="chips" aria-label={t("resident.category")}>
        <legend className="muted small">{t("resident.category")}</legend>
        <label className="chip-toggle">
          <input type="radio" name="category" value="" defaultChecked={!query.category} />
          {t("resident.allCategories")}
        </label>
        {categories.map((category) => (
          <label key={category} className="chip-toggle">
            <input type="radio" name="category" value={category} defaultChecked={query.category === category} />
            {t(`categories.${category}`)}
          </label>
        ))}
      </fieldset>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="radius">{t("resident.radius")}</label>
          <select id="radius" name="radius" defaultValue={query.radius}>
            {radii.map((r) => (
              <option key={r} value={r}>
                {r === "any" ? t("resident.radiusAny") : formatDistance(Number(r), i18n.language)}
              </option>
            ))}
          </select>
        </div>
        <label className="field checkbox">
          <input type="checkbox" name="openNow" value="1" defaultChecked={query.openNow === "1"} />{" "}
          {t("resident.openNow")}
        </label>
        <button type="submit" className="primary" data-primary-action>
          {t("resident.search")}
        </button>
      </div>
    </Form>
  );
}

/** The search, folded into its one-line summary ("养老服务 · 1.0 公里 · 解放桥社区 — 修改") when asked. */
export function FoldedWhen({ folded, summary, children }: { folded: boolean; summary: string; children: ReactNode }) {
  const { t } = useTranslation();
  if (!folded) return <>{children}</>;
  return (
    <details className="search-summary" data-testid="search-summary">
      <summary>
        {summary} — <span className="change">{t("resident.change")}</span>
      </summary>
      {children}
    </details>
  );
}
