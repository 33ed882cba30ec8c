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
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ErrorList, Field, TextareaField, WeekHoursFields } from "~/components/forms";
import { serviceInputSchema } from "~/domains/listings/listing-schema";

import { SERVICE_CATEGORIES, SERVICE_SUB_TYPES, type ServiceCategory } from "../../db/identifiers";

const isCategory = (value: string): value is ServiceCategory =>
  (SERVICE_CATEGORIES as readonly string[]).includes(value);

type ScheduleValues = { week?: Partial<Record<string, string>>; holidayNote?: string; exceptions?: string };
export type ServiceFormValues = { [field: string]: string | ScheduleValues | undefined; schedule?: ScheduleValues };

export function ServiceForm({
  id,
  lastResult,
  defaultValue,
  version,
  submitLabel,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue: ServiceFormValues;
  version?: number;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: serviceInputSchema }),
    shouldRevalidate: "onInput",
  });
  // the sub-type list follows the category as it is changed (without JavaScript, as it was rendered)
  const [category, setCategory] = useState(String(fields.category.initialValue ?? ""));
  const schedule = fields.schedule.getFieldset();
  const week = schedule.week.getFieldset();
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <Field
        label={t("manage.serviceName")}
        inputProps={getInputProps(fields.name, { type: "text" })}
        errors={fields.name.errors}
      />
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={fields.category.id}>{t("manage.category")}</label>
          <select {...getSelectProps(fields.category)} onChange={(e) => setCategory(e.target.value)}>
            <option value="">—</option>
            {SERVICE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`categories.${c}`)}
              </option>
            ))}
          </select>
          <ErrorList errors={fields.category.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.subType.id}>{t("manage.subType")}</label>
          {/* the chosen category's sub-types (all, grouped, before one is chosen); the label shown, the identifier sent */}
          <select {...getSelectProps(fields.subType)} key={`${fields.subType.key}-${category}`}>
            <option value="">—</option>
            {isCategory(category)
              ? SERVICE_SUB_TYPES[category].map((s) => (
                  <option key={s} value={s}>
                    {t(`subTypes.${s}`)}
                  </option>
                ))
              : SERVICE_CATEGORIES.filter((c) => SERVICE_SUB_TYPES[c].length > 0).map((c) => (
                  <optgroup key={c} label={t(`categories.${c}`)}>
                    {SERVICE_SUB_TYPES[c].map((s) => (
                      <option key={s} value={s}>
                        {t(`subTypes.${s}`)}
                      </option>
                    ))}
                  </optgroup>
                ))}
          </select>
          <ErrorList errors={fields.subType.errors} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={fields.description.id}>{t("manage.description")}</label>
        <textarea {...getInputProps(fields.description, { type: "text" })} rows={3} />
        <ErrorList errors={fields.description.errors} />
      </div>
      <div className="inline-fields">
        <Field
          label={t("manage.minAge")}
          inputProps={getInputProps(fields.minAge, { type: "number" })}
          errors={fields.minAge.errors}
        />
        <Field
          label={t("manage.maxAge")}
          inputProps={getInputProps(fields.maxAge, { type: "number" })}
          errors={fields.maxAge.errors}
        />
        <label className="field checkbox">
          <input {...getInputProps(fields.residentsOnly, { type: "checkbox" })} /> {t("manage.residentsOnly")}
        </label>
      </div>
      <Field
        label={t("manage.eligibilityNote")}
        inputProps={getInputProps(fields.eligibilityNote, { type: "text" })}
        errors={fields.eligibilityNote.errors}
      />
      <div className="inline-fields">
        <Field
          label={t("manage.fee")}
          inputProps={getInputProps(fields.fee, { type: "text" })}
          errors={fields.fee.errors}
        />
        <Field
          label={t("manage.capacity")}
          inputProps={getInputProps(fields.capacity, { type: "number" })}
          errors={fields.capacity.errors}
        />
        <Field
          label={t("manage.contact")}
          inputProps={getInputProps(fields.contact, { type: "text" })}
          errors={fields.contact.errors}
        />
      </div>
      <div className="inline-fields">
        <Field
          label={t("manage.validFrom")}
          inputProps={getInputProps(fields.validFrom, { type: "date" })}
          errors={fields.validFrom.errors}
        />
        <Field
          label={t("manage.validTo")}
          inputProps={getInputProps(fields.validTo, { type: "date" })}
          errors={fields.validTo.errors}
        />
      </div>
      <fieldset className="panel">
        <legend>{t("manage.schedule")}</legend>
        <p className="hint" id={`${id}-schedule-help`}>
          {t("manage.scheduleHelp")}
        </p>
        <WeekHoursFields
          inputProps={(day) => getInputProps(week[day], { type: "text" })}
          errors={(day) => week[day].errors}
          emptyLabel={t("manage.scheduleEmptyPlaceholder")}
          hintId={`${id}-schedule-help`}
        />
        <TextareaField
          label={t("manage.hoursExceptions")}
          textareaProps={{
            ...getTextareaProps(schedule.exceptions),
            rows: 3,
            placeholder: "2026-10-01~2026-10-07 休息",
          }}
          errors={schedule.exceptions.errors}
          hint={t("manage.hoursExceptionsHint")}
        />
      </fieldset>
      <ErrorList id={form.errorId} errors={form.errors} />
      <button type="submit" name="intent" value="save" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
