import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";

import { ErrorList, Field, TextareaField, WEEK_DAYS, WeekHoursFields } from "~/components/forms";
import { PointPicker } from "~/components/point-picker.client";
import { facilityInputSchema, formatHoursExceptions } from "~/domains/listings/listing-schema";

import { FACILITY_TYPES } from "../../db/identifiers";
import type { HoursException } from "../../db/schema";

export type FacilityFormValues = {
  name?: string;
  type?: string;
  address?: string;
  phone?: string;
  lat?: number | string;
  lng?: number | string;
  openingHours?: {
    week?: Partial<Record<string, string | string[]>>;
    holidayNote?: string;
    exceptions?: HoursException[];
  };
};

/** The facility form: works without JavaScript (lat/lng fields); with it, tap the map to set them. */
export function FacilityForm({
  id,
  lastResult,
  defaultValue,
  centre,
  communityPoint,
  version,
  needsConfirmation,
  geocodeMessage,
  submitLabel,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue: FacilityFormValues;
  centre: { lat: number; lng: number };
  /** the community's own point, drawn on the map for reference */
  communityPoint: { lat: number; lng: number } | null;
  version?: number;
  needsConfirmation?: boolean;
  geocodeMessage?: string | null;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const week = defaultValue.openingHours?.week ?? {};
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: {
      ...defaultValue,
      lat: defaultValue.lat === undefined ? undefined : String(defaultValue.lat),
      lng: defaultValue.lng === undefined ? undefined : String(defaultValue.lng),
      openingHours: {
        holidayNote: defaultValue.openingHours?.holidayNote ?? "",
        exceptions: formatHoursExceptions(defaultValue.openingHours?.exceptions, { closed: t("manage.closedDate") }),
        week: Object.fromEntries(
          WEEK_DAYS.map((d) => [d, Array.isArray(week[d]) ? (week[d] as string[]).join(", ") : (week[d] ?? "")]),
        ),
      },
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: facilityInputSchema }),
    shouldRevalidate: "onInput",
  });
  const hours = fields.openingHours.getFieldset();
  const weekFields = hours.week.getFieldset();
  const initialLat = fields.lat.initialValue ?? "";
  const initialLng = fields.lng.initialValue ?? "";
  const [lat, setLat] = useState(String(initialLat));
  const [lng, setLng] = useState(String(initialLng));
  useEffect(() => setLat(String(initialLat)), [initialLat]);
  useEffect(() => setLng(String(initialLng)), [initialLng]);
  const point =
    lat !== "" && lng !== "" && !Number.isNaN(Number(lat)) && !Number.isNaN(Number(lng))
      ? { lat: Number(lat), lng: Number(lng) }
      : null;

  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <Field
        label={t("manage.facilityName")}
        inputProps={getInputProps(fields.name, { type: "text" })}
        errors={fields.name.errors}
      />
      <div className="field">
        <label htmlFor={fields.type.id}>{t("manage.facilityType")}</label>
        <select {...getSelectProps(fields.type)}>
          <option value="">—</option>
          {FACILITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`facilityTypes.${type}`)}
            </option>
          ))}
        </select>
        <ErrorList errors={fields.type.errors} />
      </div>
      <div className="inline-fields">
        <Field
          label={t("manage.address")}
          inputProps={{ ...getInputProps(fields.address, { type: "text" }), size: 40 }}
          errors={fields.address.errors}
        />
        <button type="submit" name="intent" value="geocode" formNoValidate>
          {t("manage.locateAddress")}
        </button>
      </div>
      {geocodeMessage ? (
        <p className="notice" role="status">
          {geocodeMessage}
        </p>
      ) : null}
      <fieldset className="panel stack">
        <legend>{t("manage.point")}</legend>
        <p className="hint">{t("manage.pointHelp")}</p>
        <ClientOnly fallback={null}>
          {() => (
            <PointPicker
              point={point}
              centre={centre}
              onPick={(p) => {
                setLat(String(p.lat));
                setLng(String(p.lng));
              }}
              tilesUnavailableMessage={t("manage.tilesUnavailable")}
              community={communityPoint}
              communityLabel={t("manage.communityPoint")}
            />
          )}
        </ClientOnly>
        <div className="inline-fields">
          <Field
            label={t("manage.lat")}
            inputProps={{
              ...getInputProps(fields.lat, { type: "text" }),
              defaultValue: undefined,
              value: lat,
              onChange: (e) => setLat(e.target.value),
              inputMode: "decimal",
            }}
            errors={fields.lat.errors}
          />
          <Field
            label={t("manage.lng")}
            inputProps={{
              ...getInputProps(fields.lng, { type: "text" }),
              defaultValue: undefined,
              value: lng,
              onChange: (e) => setLng(e.target.value),
              inputMode: "decimal",
            }}
            errors={fields.lng.errors}
          />
        </div>
        {needsConfirmation ? (
          <label className="field checkbox">
            <input type="checkbox" name="confirmOutsideCounty" /> {t("manage.confirmPoint")}
          </label>
        ) : null}
      </fieldset>
      <fieldset className="panel">
        <legend>{t("manage.hours")}</legend>
        <p className="hint" id={`${id}-hours-help`}>
          {t("manage.hoursHelp")}
        </p>
        <WeekHoursFields
          inputProps={(day) => getInputProps(weekFields[day], { type: "text" })}
          errors={(day) => weekFields[day].errors}
          emptyLabel={t("manage.hoursClosedPlaceholder")}
          hintId={`${id}-hours-help`}
        />
        <Field
          label={t("manage.holidayNote")}
          inputProps={getInputProps(hours.holidayNote, { type: "text" })}
          errors={hours.holidayNote.errors}
        />
        <TextareaField
          label={t("manage.hoursExceptions")}
          textareaProps={{ ...getTextareaProps(hours.exceptions), rows: 3, placeholder: "2026-10-01~2026-10-07 休息" }}
          errors={hours.exceptions.errors}
          hint={t("manage.hoursExceptionsHint")}
        />
      </fieldset>
      <Field
        label={t("manage.phone")}
        inputProps={{ ...getInputProps(fields.phone, { type: "tel" }) }}
        errors={fields.phone.errors}
      />
      <ErrorList id={form.errorId} errors={form.errors} />
      <button type="submit" name="intent" value="save" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
