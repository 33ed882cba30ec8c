import { Form, Link, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { ChildShading } from "~/components/coverage-map.client";
import { CoverageMap } from "~/components/maps";
import type { CoverageReport, CoverageRow } from "~/domains/coverage/coverage.server";
import type { Satisfaction } from "~/domains/feedback/feedback";
import { significantCode } from "~/domains/regions/regions";
import { formatCalendarDate, formatNumber, formatPercent } from "~/utils/format";
import { useRootData } from "~/utils/use-root-data";

// The coverage figures of one region, as officials see them on /dashboard and the public on
// /coverage: headline against the target, map, sortable table of the children, trend.

export const SORT_COLUMNS = [
  "code",
  "name",
  "communities",
  "certified",
  "rate",
  "target",
  "gap",
  "status",
  "responses",
  "satisfaction",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

const STATUS_ORDER = { achieved: 0, on_track: 1, at_risk: 2, off_track: 3 } as const;

function sortValue(row: CoverageRow, column: SortColumn): number | string {
  switch (column) {
    case "code":
      return row.code;
    case "name":
      return row.name;
    case "communities":
      return row.communities;
    case "certified":
      return row.certified;
    case "rate":
      return row.rate ?? -1;
    case "target":
      return row.target?.targetCount ?? -1;
    case "gap":
      return row.gap ?? -1;
    case "status":
      return row.status ? STATUS_ORDER[row.status] : 9;
    case "responses":
      return row.satisfaction.responses;
    case "satisfaction":
      return row.satisfaction.rate ?? -1;
  }
}

export function sortRows(rows: CoverageRow[], column: SortColumn, dir: "asc" | "desc") {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    const order = typeof x === "string" ? x.localeCompare(String(y), "zh-CN") : x - (y as number);
    return order !== 0 ? sign * order : a.code.localeCompare(b.code);
  });
}

/** the map's shading follows the table's status (none: no target or no communities), then certified ÷ target count */
export function shadingOf(row: Pick<CoverageRow, "certified" | "target" | "status">): ChildShading {
  const needed = row.target?.targetCount;
  if (row.status === null || !needed) return "none";
  if (row.status === "achieved") return "achieved";
  const share = row.certified / needed;
  if (share >= 0.75) return "p75";
  if (share >= 0.5) return "p50";
  return "below";
}

/**
 * A child's figures in the dashboard's column order (communities, certified, rate, target, gap,
 * status, responses, share satisfied): the dashboard's table and the printed report's show the
 * same cells.
 */
export function ChildFigureCells({ row, testIdPrefix = "" }: { row: CoverageRow; testIdPrefix?: string }) {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <>
      <td>{formatNumber(row.communities, locale)}</td>
      <td data-testid={`${testIdPrefix}child-certified`}>{formatNumber(row.certified, locale)}</td>
      <td>{formatPercent(row.rate, locale)}</td>
      <td>{row.target?.targetCount != null ? formatNumber(row.target.targetCount, locale) : "—"}</td>
      <td data-testid={`${testIdPrefix}child-gap`}>{row.gap !== null ? formatNumber(row.gap, locale) : "—"}</td>
      <td>
        <StatusBadge status={row.status} communities={row.communities} />
      </td>
      <td data-testid={`${testIdPrefix}child-responses`}>{formatNumber(row.satisfaction.responses, locale)}</td>
      <td data-testid={`${testIdPrefix}child-satisfaction`}>{formatPercent(row.satisfaction.rate, locale)}</td>
    </>
  );
}

/** the headers of ChildFigureCells' satisfaction columns, and the note that says what they count */
export function SatisfactionHeaders({ sortable }: { sortable: boolean }) {
  const { t } = useTranslation();
  return sortable ? (
    <>
      <SortHeader column="responses" label={t("satisfactionRegions.responsesColumn")} />
      <SortHeader column="satisfaction" label={t("satisfactionRegions.rateColumn")} />
    </>
  ) : (
    <>
      <th>{t("satisfactionRegions.responsesColumn")}</th>
      <th>{t("satisfactionRegions.rateColumn")}</th>
    </>
  );
}

export function SatisfactionNote({ minResponses }: { minResponses: number }) {
  const { t } = useTranslation();
  return <p className="small muted">{t("satisfactionRegions.tableNote", { min: minResponses })}</p>;
}

/** the region's residents' satisfaction beside its coverage: the share, or "—" below the minimum */
function SatisfactionFigure({ satisfaction, minResponses }: { satisfaction: Satisfaction; minResponses: number }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const count = formatNumber(satisfaction.responses, locale);
  return (
    <div className="figure">
      <span className="figure-label">{t("satisfactionRegions.headlineLabel")}</span>
      <strong className="figure-value" data-testid="satisfaction-rate">
        {formatPercent(satisfaction.rate, locale)}
      </strong>
      <span className="small" data-testid="satisfaction-responses" data-responses={satisfaction.responses}>
        {satisfaction.rate === null
          ? t("satisfactionRegions.tooFew", { min: minResponses, count })
          : t("satisfactionRegions.responses", { count, satisfied: formatNumber(satisfaction.satisfied, locale) })}
      </span>
    </div>
  );
}

export function StatusBadge({ status, communities }: { status: CoverageRow["status"]; communities: number }) {
  const { t } = useTranslation();
  if (!status && communities === 0) return <span className="muted">{t("coverage.statusNoCommunities")}</span>;
  if (!status) return <span className="muted">{t("coverage.statusNone")}</span>;
  return (
    <span className={`status-badge status-${status}`} data-status={status}>
      {t(`coverage.statuses.${status}`)}
    </span>
  );
}

function TargetLine({ figures, pathNames }: { figures: CoverageReport["figures"]; pathNames: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const target = figures.target;
  if (!target) return <p className="muted">{t("coverage.noTarget")}</p>;
  return (
    <p data-testid="target">
      {target.rate !== null
        ? t("coverage.targetRate", { year: target.year, rate: formatPercent(target.rate, i18n.language) })
        : t("coverage.targetCount", { year: target.year, count: formatNumber(target.count ?? 0, i18n.language) })}{" "}
      · {t("coverage.targetDeadline", { deadline: target.deadline })}
      {target.inherited ? (
        <>
          {" "}
          · {t("coverage.targetInherited", { region: pathNames.get(target.fromRegionCode) ?? target.fromRegionCode })}
        </>
      ) : null}
      {target.targetCount !== null ? (
        <> · {t("coverage.targetNeeded", { count: formatNumber(target.targetCount, i18n.language) })}</>
      ) : null}
    </p>
  );
}

export function Headline({ report }: { report: CoverageReport }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const f = report.figures;
  const pathNames = new Map(report.path.map((p) => [p.code, p.name]));
  return (
    <section className="coverage-headline" aria-label={t("coverage.rate")}>
      <div className="figure">
        <span className="figure-label">{t("coverage.rate")}</span>
        <strong className="figure-value" data-testid="coverage-rate">
          {formatPercent(f.rate, locale)}
        </strong>
        <span className="small">
          <span data-testid="certified-count">{formatNumber(f.certified, locale)}</span> /{" "}
          {formatNumber(f.communities, locale)}{" "}
          {report.includeVillages ? t("coverage.denominatorAll") : t("coverage.denominatorUrban")}
        </span>
        <span className="small muted">
          {t("coverage.urbanCounts", {
            certified: formatNumber(f.urbanCertified, locale),
            total: formatNumber(f.urban, locale),
          })}{" "}
          ·{" "}
          {t("coverage.villageCounts", {
            certified: formatNumber(f.villagesCertified, locale),
            total: formatNumber(f.villages, locale),
          })}
        </span>
      </div>
      {/* a single community has no target of its own to reach: the page says whether it is certified */}
      {report.region.level !== "community" ? (
        <div className="figure">
          <span className="figure-label">{t("coverage.target")}</span>
          <TargetLine figures={f} pathNames={pathNames} />
          <span>
            {t("coverage.status")}: <StatusBadge status={f.status} communities={f.communities} />
          </span>
        </div>
      ) : null}
      {f.gap !== null && report.region.level !== "community" ? (
        <div className="figure">
          <span className="figure-label">{t("coverage.gap")}</span>
          <strong className="figure-value" data-testid="gap">
            {t("coverage.gapValue", { count: formatNumber(f.gap, locale) })}
          </strong>
          <span className="small">
            {t("coverage.neededPace")}:{" "}
            {f.neededPerMonth === null
              ? t("coverage.deadlinePassed")
              : t("coverage.neededPaceValue", { value: formatNumber(f.neededPerMonth, locale, 1) })}
          </span>
          <span className="small">
            {t("coverage.recentPace")}:{" "}
            {t("coverage.neededPaceValue", { value: formatNumber(f.recentPerMonth ?? 0, locale, 1) })}
          </span>
          <span className="small">
            {t("coverage.projected")}:{" "}
            {t("coverage.projectedValue", { value: formatNumber(Math.floor(f.projected ?? 0), locale) })}
          </span>
        </div>
      ) : null}
      <SatisfactionFigure satisfaction={f.satisfaction} minResponses={report.satisfactionMinResponses} />
    </section>
  );
}

/** A line chart of coverage at each month end, with the target as a dashed line. */
/**
 * The chart is drawn at its frame's width in CSS pixels (once the script runs; 720 before), so its
 * labels are the size the stylesheet says on a phone too instead of shrinking with the picture.
 */
function useFrameWidth(initial: number) {
  const frame = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = frame.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(280, Math.round(entry.contentRect.width))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { frame, width };
}

export function TrendChart({ report, initialWidth = 720 }: { report: CoverageReport; initialWidth?: number }) {
  const { t, i18n } = useTranslation();
  const { frame, width } = useFrameWidth(initialWidth);
  const largeText = useRootData()?.largeText ?? false;
  const points = report.trend;
  if (points.length < 2) return null;
  // room for the labels at the stylesheet's size (.trend-label: 11 px, 19 px in large text)
  const label = largeText ? 19 : 11;
  const height = largeText ? 260 : 220;
  const pad = { left: label * 4.2, right: 12, top: label + 4, bottom: label * 2.4 };
  const target = report.figures.target;
  // a rate target is drawn as set; a count target as the share of today's communities it asks for
  const targetRate =
    target?.rate ??
    (target?.targetCount != null && report.figures.communities > 0
      ? target.targetCount / report.figures.communities
      : null);
  const maxRate = Math.max(0.05, targetRate ?? 0, ...points.map((p) => p.rate ?? 0)) * 1.15;
  const x = (i: number) => pad.left + (i / (points.length - 1)) * (width - pad.left - pad.right);
  const y = (rate: number) => pad.top + (1 - rate / maxRate) * (height - pad.top - pad.bottom);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.rate ?? 0).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points[points.length - 1];
  const summary = t("coverage.trendSummary", {
    from: first.date,
    to: last.date,
    fromRate: formatPercent(first.rate, i18n.language),
    toRate: formatPercent(last.rate, i18n.language),
  });
  const ticks = [0, maxRate / 2, maxRate];
  return (
    <figure className="trend">
      <figcaption>
        <h2>{t("coverage.trend")}</h2>
        <p className="small muted">{summary}</p>
      </figcaption>
      <div ref={frame} className="trend-frame">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={summary}
          className="trend-chart"
          data-testid="trend-chart"
        >
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} className="trend-grid" />
              <text x={pad.left - 6} y={y(tick) + label / 3} textAnchor="end" className="trend-label">
                {formatPercent(tick, i18n.language)}
              </text>
            </g>
          ))}
          {points.map((p, i) =>
            p.date.endsWith("-01-31") ? (
              <text key={p.date} x={x(i)} y={height - label / 2} textAnchor="middle" className="trend-label">
                {p.date.slice(0, 4)}
              </text>
            ) : null,
          )}
          {targetRate !== null ? (
            <g>
              <line
                x1={pad.left}
                x2={width - pad.right}
                y1={y(targetRate)}
                y2={y(targetRate)}
                className="trend-target"
              />
              <text x={width - pad.right} y={y(targetRate) - 4} textAnchor="end" className="trend-label">
                {t("coverage.trendTargetLine")} {formatPercent(targetRate, i18n.language)}
              </text>
            </g>
          ) : null}
          <polyline points={line} className="trend-line" />
        </svg>
      </div>
    </figure>
  );
}

function SortHeader({ column, label }: { column: SortColumn; label: string }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const current = params.get("sort") ?? "code";
  const dir = params.get("dir") === "desc" ? "desc" : "asc";
  const next = new URLSearchParams(params);
  next.set("sort", column);
  next.set("dir", current === column && dir === "asc" ? "desc" : "asc");
  return (
    <th aria-sort={current === column ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?${next.toString()}`} preventScrollReset title={t("coverage.sortBy", { column: label })}>
        {label}
        {current === column ? (dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}

function ChildrenTable({
  report,
  childHref,
}: {
  report: CoverageReport;
  childHref: (row: CoverageRow) => string | null;
}) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const column = (SORT_COLUMNS as readonly string[]).includes(params.get("sort") ?? "")
    ? (params.get("sort") as SortColumn)
    : "code";
  const rows = sortRows(report.children, column, params.get("dir") === "desc" ? "desc" : "asc");
  if (rows.length === 0) return <p className="muted">{t("coverage.noChildren")}</p>;
  return (
    <div className="table-scroll">
      <table className="table coverage-table" data-testid="children-table">
        <caption className="visually-hidden">{t("coverage.childrenOf", { name: report.region.name })}</caption>
        <thead>
          <tr>
            <SortHeader column="code" label={t("coverage.code")} />
            <SortHeader column="name" label={t("coverage.name")} />
            <SortHeader column="communities" label={t("coverage.communities")} />
            <SortHeader column="certified" label={t("coverage.certified")} />
            <SortHeader column="rate" label={t("coverage.rate")} />
            <SortHeader column="target" label={t("coverage.target")} />
            <SortHeader column="gap" label={t("coverage.gap")} />
            <SortHeader column="status" label={t("coverage.status")} />
            <SatisfactionHeaders sortable />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const href = childHref(row);
            return (
              <tr key={row.code} data-code={significantCode(row.code)}>
                <td className="small">{significantCode(row.code)}</td>
                <td>{href ? <Link to={href}>{row.name}</Link> : row.name}</td>
                <ChildFigureCells row={row} />
              </tr>
            );
          })}
        </tbody>
      </table>
      <SatisfactionNote minResponses={report.satisfactionMinResponses} />
    </div>
  );
}

export function CoverageControls({
  report,
  errors,
}: {
  report: CoverageReport;
  errors: Partial<Record<"asOf" | "year", string>>;
}) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  return (
    <Form method="get" className="inline-fields coverage-controls">
      {params.get("sort") ? <input type="hidden" name="sort" value={params.get("sort") ?? ""} /> : null}
      {params.get("dir") ? <input type="hidden" name="dir" value={params.get("dir") ?? ""} /> : null}
      <div className="field">
        <label htmlFor="asOf">{t("coverage.asOf")}</label>
        <input
          id="asOf"
          name="asOf"
          type="date"
          defaultValue={report.asOf}
          aria-invalid={errors.asOf ? true : undefined}
          aria-describedby={errors.asOf ? "asOf-error" : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="year">{t("coverage.year")}</label>
        <select id="year" name="year" defaultValue={report.year ?? ""}>
          {report.years.length === 0 ? <option value="">{t("coverage.noTargetYear")}</option> : null}
          {report.years.map((y) => (
            <option key={y.year} value={y.year}>
              {y.year}
            </option>
          ))}
        </select>
      </div>
      {report.region.level === "province" ? (
        <div className="field">
          <label htmlFor="children">{t("coverage.childrenLevel")}</label>
          <select id="children" name="children" defaultValue={report.childrenLevel === "county" ? "county" : ""}>
            <option value="">{t("levels.city")}</option>
            <option value="county">{t("levels.county")}</option>
          </select>
        </div>
      ) : null}
      <label className="field checkbox">
        <input type="checkbox" name="villages" value="1" defaultChecked={report.includeVillages} />{" "}
        {t("coverage.includeVillages")}
      </label>
      <button type="submit">{t("coverage.update")}</button>
      {(["asOf", "year"] as const).map((key) =>
        errors[key] ? (
          <p key={key} id={`${key}-error`} className="form-errors" role="alert">
            {t("coverage.inputIgnored", { message: t(errors[key] as string) })}
          </p>
        ) : null,
      )}
    </Form>
  );
}

export function Breadcrumb({ report, href }: { report: CoverageReport; href: (code: string) => string | null }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("coverage.breadcrumb")} className="breadcrumb">
      <ol>
        {report.path.map((p, i) => {
          const link = i < report.path.length - 1 ? href(p.code) : null;
          return (
            <li key={p.code}>{link ? <Link to={link}>{p.name}</Link> : <span aria-current="page">{p.name}</span>}</li>
          );
        })}
      </ol>
    </nav>
  );
}

/** The whole view; `childHref` decides how far a reader may drill down, `aside` holds the page's own links. */
export function CoverageView({
  report,
  errors,
  childHref,
  pathHref,
  aside,
}: {
  report: CoverageReport;
  errors: Partial<Record<"asOf" | "year", string>>;
  childHref: (row: CoverageRow) => string | null;
  pathHref: (code: string) => string | null;
  aside?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const query = new URLSearchParams(params);
  query.delete("sort");
  query.delete("dir");
  const shading = Object.fromEntries(
    report.children.map((c) => [
      c.code,
      { shading: shadingOf(c), href: childHref(c), label: `${c.name} ${formatPercent(c.rate, i18n.language)}` },
    ]),
  );
  return (
    <>
      <Breadcrumb report={report} href={pathHref} />
      <CoverageControls report={report} errors={errors} />
      <p className="small muted">
        {t("coverage.asOf")}: {formatCalendarDate(report.asOf, i18n.language)}
      </p>
      <Headline report={report} />
      {aside}
      {report.children.length > 0 ? (
        <section className="coverage-layout">
          <div>
            <h2>{t("coverage.map")}</h2>
            <CoverageMap
              placeholder={<div className="coverage-map map-placeholder">{t("coverage.mapLoading")}</div>}
              shapesUrl={`/coverage/${significantCode(report.region.code)}/shapes.geojson${report.region.level === "province" && report.childrenLevel === "county" ? "?level=county" : ""}`}
              shading={shading}
              tilesUnavailableMessage={t("coverage.mapUnavailable")}
              query={query.toString()}
            />
            <Legend />
          </div>
          <div>
            <h2>{t("coverage.childrenOf", { name: report.region.name })}</h2>
            <ChildrenTable report={report} childHref={childHref} />
          </div>
        </section>
      ) : null}
      <TrendChart report={report} />
    </>
  );
}

export function Legend() {
  const { t } = useTranslation();
  const items: [ChildShading, string][] = [
    ["achieved", t("coverage.legendAchieved")],
    ["p75", t("coverage.legend75")],
    ["p50", t("coverage.legend50")],
    ["below", t("coverage.legendBelow")],
    ["none", t("coverage.legendNoTarget")],
  ];
  return (
    <div className="legend" role="group" aria-label={t("coverage.legend")}>
      <span className="small">{t("coverage.legend")}</span>
      <ul>
        {items.map(([key, label]) => (
          <li key={key}>
            <span className={`swatch shade-${key}`} aria-hidden="true" /> {label}
          </li>
        ))}
      </ul>
    </div>
  );
}
