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
