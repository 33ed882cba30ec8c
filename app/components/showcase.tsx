import { Link } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { FilterField, FilterForm } from "~/components/filter-form";
import { ShowcaseMap } from "~/components/maps";
import { SatisfactionText } from "~/components/service-feedback";
import {
  SHOWCASE_TIERS,
  showcaseHref,
  TIER_COLOURS,
  type ShowcaseQuery,
  type ShowcaseTier,
} from "~/domains/showcase/showcase";
import type { ShowcaseEntry, ShowcaseRegionOption } from "~/domains/showcase/showcase.server";

// The parts of the public showcase (/showcase and /showcase/:code).

export function TierBadge({ tier }: { tier: ShowcaseTier | null }) {
  const { t } = useTranslation();
  if (!tier) return null;
  return (
    <span className={`tier-badge tier-${tier}`} data-tier={tier}>
      {t(`assessment.tiers.${tier}`)}
    </span>
  );
}

/** where a community is: its township, county and city */
export const placeOf = (c: Pick<ShowcaseEntry, "city" | "county" | "township">) =>
  [c.city, c.county, c.township].filter(Boolean).join(" ");

/** a community's facts: tier, scenario areas, public services, satisfaction */
export function ShowcaseFacts({ entry, minResponses }: { entry: ShowcaseEntry; minResponses: number }) {
  const { t } = useTranslation();
  return (
    <div className="showcase-facts">
      <p className="result-meta">
        <TierBadge tier={entry.tier} />
        <span>{t("showcase.services", { count: entry.services })}</span>
        <SatisfactionText satisfaction={entry.satisfaction} minResponses={minResponses} />
      </p>
      <p className="showcase-areas">
        <span className="visually-hidden">{t("showcase.areas")}: </span>
        {entry.areas.length === 0 ? (
          <span className="muted">{t("showcase.noAreas")}</span>
        ) : (
          entry.areas.map((area) => (
            <span key={area} className="chip">
              {t(`categories.${area}`)}
            </span>
          ))
        )}
      </p>
    </div>
  );
}

export function ShowcaseList({ entries, minResponses }: { entries: ShowcaseEntry[]; minResponses: number }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <p className="notice">{t("showcase.none")}</p>;
  return (
    <ol className="showcase-list" data-testid="showcase-list">
      {entries.map((entry) => (
        <li key={entry.code} className="result" data-code={entry.code}>
          <h2 className="showcase-name">
            <Link to={`/showcase/${entry.code}`}>{entry.name}</Link>{" "}
            {entry.isDemo ? <span className="badge-demo">{t("app.demoBadge")}</span> : null}
          </h2>
          <p className="muted small">{placeOf(entry)}</p>
          <ShowcaseFacts entry={entry} minResponses={minResponses} />
        </li>
      ))}
    </ol>
  );
}

/** city and county as a GET form; with JavaScript the county's choices follow the city at once */
export function ShowcaseFilters({
  query,
  cities,
  counties,
}: {
  query: ShowcaseQuery;
  cities: ShowcaseRegionOption[];
  counties: ShowcaseRegionOption[];
}) {
  const { t } = useTranslation();
  // uncontrolled: a choice made before the page's scripts run is kept, not reset by hydration
  const [city, setCity] = useState(query.city ?? "");
  const option = (r: ShowcaseRegionOption) => (
    <option key={r.code} value={r.code}>
      {t("showcase.option", { name: r.name, count: r.communities })}
    </option>
  );
  return (
    <FilterForm submitLabel={t("showcase.filter")}>
      <FilterField id="showcase-city" label={t("showcase.city")}>
        <select
          id="showcase-city"
          name="city"
          defaultValue={query.city ?? ""}
          onChange={(e) => setCity(e.target.value)}
        >
          <option value="">{t("showcase.wholeProvince")}</option>
          {cities.map(option)}
        </select>
      </FilterField>
      <FilterField id="showcase-county" label={t("showcase.county")}>
        <select
          key={city}
          id="showcase-county"
          name="county"
          defaultValue={city === (query.city ?? "") ? (query.county ?? "") : ""}
        >
          <option value="">{t("showcase.allCounties")}</option>
          {city ? counties.filter((c) => c.code.startsWith(city)).map(option) : null}
        </select>
      </FilterField>
      {query.tier ? <input type="hidden" name="tier" value={query.tier} /> : null}
    </FilterForm>
  );
}

/** the tiers with their counts, as links that keep the place */
export function TierLinks({
  query,
  tiers,
  all,
}: {
  query: ShowcaseQuery;
  tiers: Record<ShowcaseTier, number>;
  all: number;
}) {
  const { t } = useTranslation();
  const link = (tier: ShowcaseTier | null, label: string) => (
    <Link
      key={tier ?? "all"}
      to={showcaseHref({ ...query, tier, page: 1 })}
      className="chip-link"
      aria-current={query.tier === tier ? "page" : undefined}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={t("showcase.tierLinks")} className="showcase-tiers">
      {link(null, t("showcase.allTiers", { count: all }))}
      {SHOWCASE_TIERS.map((tier) =>
        link(tier, t("showcase.tierCount", { tier: t(`assessment.tiers.${tier}`), count: tiers[tier] })),
      )}
    </nav>
  );
}

export function Pager({ query, pages }: { query: ShowcaseQuery; pages: number }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav aria-label={t("showcase.pages")} className="inline-fields showcase-pager">
      {query.page > 1 ? (
        <Link to={showcaseHref({ ...query, page: query.page - 1 })}>{t("showcase.previous")}</Link>
      ) : null}
      <span>{t("showcase.page", { page: query.page, pages })}</span>
      {query.page < pages ? (
        <Link to={showcaseHref({ ...query, page: query.page + 1 })}>{t("showcase.next")}</Link>
      ) : null}
    </nav>
  );
}

/** the communities of the page on the map, coloured by tier, with the legend in the page */
export function ShowcaseCommunitiesMap({ entries, countiesUrl }: { entries: ShowcaseEntry[]; countiesUrl: string }) {
  const { t } = useTranslation();
  const placed = entries.filter((e) => e.lat !== null && e.lng !== null);
  return (
    <section aria-label={t("showcase.map")} className="stack">
      <ShowcaseMap
        placeholder={<div className="showcase-map map-placeholder">{t("home.mapLoading")}</div>}
        countiesUrl={countiesUrl}
        spots={placed.map((e) => ({
          key: e.code,
          name: e.name,
          lat: e.lat!,
          lng: e.lng!,
          colour: e.tier ? TIER_COLOURS[e.tier] : "#4a5563",
          href: `/showcase/${e.code}`,
        }))}
      />
      <p className="showcase-legend small">
        <span className="visually-hidden">{t("showcase.legend")}: </span>
        {SHOWCASE_TIERS.map((tier) => (
          <span key={tier}>
            <span className="legend-dot" style={{ background: TIER_COLOURS[tier] }} aria-hidden="true" />
            {t(`assessment.tiers.${tier}`)}
          </span>
        ))}
      </p>
      {placed.length < entries.length ? (
        <p className="muted small">{t("showcase.noPoint", { count: entries.length - placed.length })}</p>
      ) : null}
    </section>
  );
}
