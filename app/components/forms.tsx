import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";

/** Errors are catalogue keys (zod messages are keys), translated here; unknown text passes through. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="form-errors" role="alert">
      {errors.map((e) => (
        <li key={e}>{t(e, { defaultValue: e })}</li>
      ))}
    </ul>
  );
}

export function Field({
  label,
  inputProps,
  errors,
  hint,
}: {
  label: ReactNode;
  inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string };
  errors?: string[] | null;
  hint?: ReactNode;
}) {
  const errorId = errors?.length ? `${inputProps.id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputProps.id}>{label}</label>
      <input {...inputProps} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} />
      {hint ? <p className="hint">{hint}</p> : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

/** A multi-line field: its label, hint and errors as Field places them. */
export function TextareaField({
  label,
  textareaProps,
  errors,
  hint,
}: {
  label: ReactNode;
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string };
  errors?: string[] | null;
  hint?: ReactNode;
}) {
  const errorId = errors?.length ? `${textareaProps.id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={textareaProps.id}>{label}</label>
      <textarea {...textareaProps} aria-invalid={errorId ? true : undefined} aria-describedby={errorId} />
      {hint ? <p className="hint">{hint}</p> : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

/**
 * The seven days' hours fields of a week (1 = Monday): each a readable text field whose empty
 * state reads as what empty means (closed, or the facility's hours), never as sample hours.
 */
export function WeekHoursFields({
  inputProps,
  errors,
  emptyLabel,
  hintId,
}: {
  inputProps: (day: (typeof WEEK_DAYS)[number]) => InputHTMLAttributes<HTMLInputElement> & { id: string };
  errors: (day: (typeof WEEK_DAYS)[number]) => string[] | undefined;
  /** the placeholder of an empty day */
  emptyLabel: string;
  /** the hint that says how to write hours, read with each field */
  hintId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="hours-grid">
      {WEEK_DAYS.map((day) => {
        const props = inputProps(day);
        const errorId = errors(day)?.length ? `${props.id}-error` : undefined;
        return (
          <div key={day} style={{ display: "contents" }}>
            <label htmlFor={props.id}>{t(`weekdays.${day}`)}</label>
            <div>
              <input
                {...props}
                className="hours-input"
                placeholder={emptyLabel}
                aria-invalid={errorId ? true : undefined}
                aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}
              />
              <ErrorList id={errorId} errors={errors(day)} />
            </div>
          </div>
        );
      })}
    </div>
  );
}

export const WEEK_DAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
