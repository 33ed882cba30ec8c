import type { SerializeFrom } from "@remix-run/node";
import { useTranslation } from "react-i18next";

import { ChildFigureCells, Legend, SatisfactionHeaders, SatisfactionNote, shadingOf } from "~/components/coverage-view";
import { DistanceModelNote } from "~/components/living-circle-tables";
import type { RegionReport } from "~/domains/coverage/report.server";
import { measureLabelKey } from "~/domains/living-circle/living-circle";
import { significantCode } from "~/domains/regions/regions";
import { formatDistance, formatNumber, formatPercent } from "~/utils/format";

// The printed region report's parts (routes/dashboard.$code.report.tsx): the children's map as
// inline SVG, their table, the living circle's gaps and the sources. No links or buttons: paper.

type Report = SerializeFrom<RegionReport>;

export function ReportMap({ data }: { data: Report }) {
  const { t, i18n } = useTranslation();
  const { map, report } = data;
  if (report.children.length === 0) return null;
  const rows = new Map(report.children.map((c) => [c.code, c]));
  return (
    <figure className="report-figure">
      <figcaption>
        <h2>{t("report.map")}</h2>
      </figcaption>
      {map ? (
        <svg
          viewBox={`0 0 ${map.width} ${map.height}`}
          role="img"
          aria-label={t("report.mapLabel", { name: report.region.name })}
          className="report-map"
          data-testid="report-map"
        >
          {map.outline ? <path d={map.outline} className="report-outline" /> : null}
          {map.shapes.map((s) => {
            const row = rows.get(s.code);
            const shade = `shade shade-${row ? shadingOf(row) : "none"}`;
            const title = row ? `${row.name} ${formatPercent(row.rate, i18n.language)}` : s.name;
            return s.kind === "area" ? (
              <path key={s.code} d={s.d} className={shade} data-code={significantCode(s.code)}>
                <title>{title}</title>
              </path>
            ) : (
              <circle key={s.code} cx={s.cx} cy={s.cy} r={7} className={shade} data-code={significantCode(s.code)}>
                <title>{title}</title>
              </circle>
            );
          })}
        </svg>
      ) : (
        <p className="muted">{t("report.mapNone")}</p>
      )}
      {map?.shapes.some((s) => s.kind === "dot") ? <p className="small muted">{t("report.mapDots")}</p> : null}
      <Legend />
    </figure>
  );
}

export function ReportChildrenTable({ report }: { report: Report["report"] }) {
  const { t } = useTranslation();
  if (report.children.length === 0) return null;
  return (
    <section className="report-section">
      <h2>{t("coverage.childrenOf", { name: report.region.name })}</h2>
      <table className="table report-table" data-testid="report-children">
        <thead>
          <tr>
            <th>{t("coverage.code")}</th>
            <th>{t("coverage.name")}</th>
            <th>{t("coverage.communities")}</th>
            <th>{t("coverage.certified")}</th>
            <th>{t("coverage.rate")}</th>
            <th>{t("coverage.target")}</th>
            <th>{t("coverage.gap")}</th>
            <th>{t("coverage.status")}</th>
            <SatisfactionHeaders sortable={false} />
          </tr>
        </thead>
        <tbody>
          {report.children.map((row) => (
            <tr key={row.code} data-code={significantCode(row.code)}>
              <td className="small">{significantCode(row.code)}</td>
              <td>{row.name}</td>
              <ChildFigureCells row={row} testIdPrefix="report-" />
            </tr>
          ))}
        </tbody>
      </table>
      <SatisfactionNote minResponses={report.satisfactionMinResponses} />
    </section>
  );
}

export function ReportGaps({ livingCircle }: { livingCircle: Report["livingCircle"] }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatNumber(n, i18n.language);
  if (!livingCircle) return <p className="muted">{t("report.noLivingCircle")}</p>;
  const { measures, perChild, lists } = livingCircle;
  return (
    <section className="report-section">
      <h2>{t("report.gaps")}</h2>
      <p className="small">{t("report.gapsIntro")}</p>
      <table className="table report-table" data-testid="report-gaps">
        <caption>{t("report.gapsByMeasure")}</caption>
        <thead>
          <tr>
            <th>{t("livingCircle.measure")}</th>
            <th>{t("livingCircle.threshold")}</th>
            <th>{t("report.uncovered")}</th>
            <th>{t("coverage.communities")}</th>
          </tr>
        </thead>
        <tbody>
          {measures.map((m) => (
            <tr key={m.measure} data-measure={m.measure}>
              <td>{t(measureLabelKey(m.measure))}</td>
              <td>{formatDistance(m.thresholdM, i18n.language)}</td>
              <td data-testid="report-gap-count">{count(m.gaps)}</td>
              <td>{count(m.communities)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {perChild && perChild.length > 0 ? (
        <table className="table report-table report-matrix" data-testid="report-gaps-per-child">
          <caption>{t("report.gapsPerChild")}</caption>
          <thead>
            <tr>
              <th>{t("coverage.name")}</th>
              {measures.map((m) => (
                <th key={m.measure}>{t(measureLabelKey(m.measure))}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {perChild.map((c) => (
              <tr key={c.code} data-code={significantCode(c.code)}>
                <td>{c.name}</td>
                {measures.map((m) => (
                  <td key={m.measure}>{count((c.gaps as Record<string, number>)[m.measure] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {lists.map((l) => (
        <GapList key={l.measure} list={l} />
      ))}
    </section>
  );
}

function GapList({ list }: { list: NonNullable<Report["livingCircle"]>["lists"][number] }) {
  const { t, i18n } = useTranslation();
  const name = t(measureLabelKey(list.measure));
  return (
    <div className="report-gap-list" data-measure={list.measure}>
      <h3>{t("report.gapsListOf", { measure: name })}</h3>
      {list.total === 0 ? (
        <p className="small">{t("report.gapsNone")}</p>
      ) : (
        <table className="table report-table" data-testid="report-gap-list">
          <thead>
            <tr>
              <th>{t("coverage.code")}</th>
              <th>{t("coverage.name")}</th>
              <th>{t("report.township")}</th>
              <th>{t("report.population60")}</th>
            </tr>
          </thead>
          <tbody>
            {list.gaps.map((g) => (
              <tr key={g.code}>
                <td className="small">{g.code}</td>
                <td>{g.name}</td>
                <td>{g.township ?? "—"}</td>
                <td>{g.population60 === null ? "—" : formatNumber(g.population60, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.total > list.gaps.length ? (
        <p className="small" data-testid="report-gaps-more">
          {t("report.gapsMore", { count: list.total - list.gaps.length })}
        </p>
      ) : null}
    </div>
  );
}

export function ReportSources({ data }: { data: Report }) {
  const { t } = useTranslation();
  const distance = data.livingCircle?.distance;
  return (
    <section className="report-section report-sources">
      <h2>{t("report.sources")}</h2>
      <ul className="small">
        <li>{t("report.sourceDivisions")}</li>
        <li>{t("report.sourceBoundaries")}</li>
        {data.demo ? (
          <li data-testid="report-demo">
            <span className="badge-demo">{t("app.demoBadge")}</span> {t("report.sourceDemo")}
          </li>
        ) : null}
        {distance ? (
          <li data-testid="report-distance">
            <DistanceModelNote distance={distance} />
          </li>
        ) : null}
        <li>{t("report.sourceFigures")}</li>
        <li>
          {t("report.pageUrl")}: <span className="report-url">{data.url}</span>
        </li>
      </ul>
    </section>
  );
}
