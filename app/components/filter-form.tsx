import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

/** A GET form of filters: its fields in a row and one submit button; the query lives in the URL. */
export function FilterForm({ submitLabel, children }: { submitLabel: ReactNode; children: ReactNode }) {
  return (
    <Form method="get" className="inline-fields">
      {children}
      <button type="submit">{submitLabel}</button>
    </Form>
  );
}

/** One labelled filter; the control (input or select) is the child and carries the same id. */
export function FilterField({ id, label, children }: { id: string; label: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}
