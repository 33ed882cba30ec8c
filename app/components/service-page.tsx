import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { usePublicCalendar } from "~/components/open-state";
import { addChinaDays, chinaDate, exceptionOn, hoursOn, weekdayOf } from "~/domains/listings/open-now";
import { directionsLinks } from "~/domains/regions/coordinates";
import { dialString, formatCalendarDate, formatClauses } from "~/utils/format";

import { PROBLEM_KINDS } from "../../db/identifiers";
import type { Eligibility, OpeningHours } from "../../db/schema";

// The parts of a service's public page: its facts, its hours, the ways to get there and the
// problem report.

type ServiceFactsProps = {
  service: {
    phone: string | null;
    contact: string | null;
    fee: string | null;
    capacity: number | null;
    validFrom: string | null;
    validTo: string | null;
    eligibility: Eligibility | null;
    facility: { name: string; address: string };
  };
};

export function ServiceFacts({ service }: ServiceFactsProps) {
  const { t, i18n } = useTranslation();
  const e = service.eligibility;
  const ages =
    e?.minAge !== undefined && e?.maxAge !== undefined
      ? t("service.ageRange", { min: e.minAge, max: e.maxAge })
      : e?.minAge !== undefined
        ? t("service.ageFrom", { min: e.minAge })
        : e?.maxAge !== undefined
          ? t("service.ageTo", { max: e.maxAge })
          : null;
  return (
    <dl className="grid-2">
      <div>
        <dt>{t("service.facility")}</dt>
        <dd>{service.facility.name}</dd>
        <dt>{t("service.address")}</dt>
        <dd>{service.facility.address || "—"}</dd>
        <dt>{t("service.phone")}</dt>
        <dd>
          {service.phone ? (
            <a href={`tel:${dialString(service.phone)}`} data-primary-action>
              {service.phone}
            </a>
          ) : (
            "—"
          )}
        </dd>
        {service.contact && service.contact !== service.phone ? (
          <>
            <dt>{t("service.contact")}</dt>
            <dd>{service.contact}</dd>
          </>
        ) : null}
      </div>
      <div>
        <dt>{t("service.eligibility")}</dt>
        <dd>
          {formatClauses([ages, e?.residentsOnly ? t("service.residentsOnly") : null, e?.text], i18n.language) || "—"}
        </dd>
        <dt>{t("service.fee")}</dt>
        <dd>{service.fee ?? "—"}</dd>
        {service.capacity !== null ? (
          <>
            <dt>{t("service.capacity")}</dt>
            <dd>{service.capacity}</dd>
          </>
        ) : null}
        {service.validFrom || service.validTo ? (
          <>
            <dt>{t("service.valid")}</dt>
            <dd>
              {service.validFrom ?? "…"} – {service.validTo ?? "…"}
            </dd>
          </>
        ) : null}
      </div>
    </dl>
  );
}

export function HoursTable({ hours }: { hours: OpeningHours | null }) {
  const { t } = useTranslation();
  if (!hours) return <p className="muted">{t("resident.hoursUnknown")}</p>;
  return (
    <>
      <table className="hours-table">
        <tbody>
          {(["1", "2", "3", "4", "5", "6", "7"] as const).map((day) => (
            <tr key={day}>
              <th scope="row">{t(`weekdays.${day}`)}</th>
              <td>{hours.week[day]?.length ? hours.week[day]!.join(", ") : t("service.closedDay")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hours.holidayNote ? <p>{t("service.holiday", { note: hours.holidayNote })}</p> : null}
    </>
  );
}

/** Each of the next 7 days with its hours after China's calendar: holidays, make-up working days. */
export function NextSevenDays({ hours, at }: { hours: OpeningHours | null; at: string }) {
  const { t, i18n } = useTranslation();
  const calendar = usePublicCalendar();
  if (!hours) return null;
  const today = chinaDate(new Date(at));
  const days = Array.from({ length: 7 }, (_, i) => addChinaDays(today, i));
  return (
    <>
      <h3>{t("resident.nextSevenDays")}</h3>
      <table className="hours-table" data-testid="next-seven-days">
        <tbody>
          {days.map((date) => {
            const intervals = hoursOn(hours, date, calendar);
            // the place's own special date first, as in hoursOn
            const special = exceptionOn(hours, date) ? "own" : calendar[date];
            return (
              <tr key={date}>
                <th scope="row">
                  {t(`weekdays.${weekdayOf(date)}`)} {formatCalendarDate(date, i18n.language)}
                </th>
                <td>
                  {intervals.length ? intervals.join(", ") : t("resident.closedDay")}
                  {special ? (
                    <span className="muted small">
                      {" "}
                      ·{" "}
                      {special === "own"
                        ? t("resident.specialDate")
                        : special.kind === "holiday"
                          ? t("resident.publicHoliday", {
                              name: i18n.language === "en" ? special.name.en : special.name.zh,
                            })
                          : t("resident.makeUpWorkday")}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

type Place = { lat: number; lng: number; name: string };

export function DirectionsLinks({ facility }: { facility: Place }) {
  const { t } = useTranslation();
  const links = directionsLinks({ lat: facility.lat, lng: facility.lng, name: facility.name });
  return (
    <ul className="inline-fields" style={{ listStyle: "none", padding: 0 }}>
      <li>
        <a href={links.osm} rel="noreferrer" target="_blank">
          {t("service.directionsOsm")}
        </a>
      </li>
      <li>
        <a href={links.amap} rel="noreferrer" target="_blank">
          {t("service.directionsAmap")}
        </a>
      </li>
      <li>
        <a href={links.baidu} rel="noreferrer" target="_blank">
          {t("service.directionsBaidu")}
        </a>
      </li>
    </ul>
  );
}

type ReportResult =
  { reported: boolean; limitedMinutes: number | null; invalid: boolean; kind?: string; text?: string } | undefined;

export function ProblemReportPanel({ result }: { result: ReportResult }) {
  const { t } = useTranslation();
  return (
    <details className="panel" open={Boolean(result)}>
      <summary>{t("service.report")}</summary>
      {result?.reported ? (
        <p role="status" className="toast">
          {t("service.reportThanks")}
        </p>
      ) : (
        <Form method="post" className="stack">
          {result?.limitedMinutes ? (
            <p role="alert" className="notice">
              {t("service.reportLimited", { minutes: result.limitedMinutes })}
            </p>
          ) : null}
          {result?.invalid ? (
            <p role="alert" className="notice">
              {t("service.reportKindMissing")}
            </p>
          ) : null}
          <fieldset className="chips">
            <legend>{t("service.reportKind")}</legend>
            {/* nothing is chosen for the resident: a preselected kind would be sent unread */}
            {PROBLEM_KINDS.map((kind) => (
              <label key={kind} className="chip-toggle">
                <input type="radio" name="kind" value={kind} required defaultChecked={result?.kind === kind} />
                {t(`problems.${kind}`)}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="report-text">{t("service.reportText")}</label>
            <textarea id="report-text" name="text" maxLength={500} rows={3} defaultValue={result?.text ?? ""} />
          </div>
          <button type="submit">{t("service.reportSubmit")}</button>
        </Form>
      )}
    </details>
  );
}
