import { useEffect, useState, type InputHTMLAttributes, type ReactNode } from "react";

import { Field } from "~/components/forms";

import type { RegionLevel } from "../../db/identifiers";

type Choice = { code: string; label: string };

/**
 * A region code field that suggests regions by name or code as the reader types (GET
 * /api/v1/regions?search=, within their scope): a choice shows "历下区 (370102)" and puts the code
 * in the field. Without JavaScript it is the plain code field; the server checks the code either way.
 */
export function RegionPicker({
  label,
  inputProps,
  errors,
  hint,
  levels,
}: {
  label: ReactNode;
  inputProps: InputHTMLAttributes<HTMLInputElement> & { id: string };
  errors?: string[] | null;
  hint?: ReactNode;
  /** the levels offered (GET /api/v1/regions's `level`) */
  levels: readonly RegionLevel[];
}) {
  const [text, setText] = useState("");
  const [choices, setChoices] = useState<Choice[]>([]);
  const levelQuery = levels.map((l) => `level=${l}`).join("&");
  useEffect(() => {
    const search = text.trim();
    // a code already complete needs no suggestions; one character matches too much
    if (search.length < 2 || /^\d{12}$/.test(search)) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/v1/regions?search=${encodeURIComponent(search)}&${levelQuery}`, { signal: controller.signal })
        .then((r) => (r.ok ? (r.json() as Promise<{ regions: Choice[] }>) : { regions: [] }))
        .then((data) => setChoices(data.regions))
        .catch(() => undefined);
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, levelQuery]);
  const listId = `${inputProps.id}-regions`;
  return (
    <>
      <Field
        label={label}
        inputProps={{
          ...inputProps,
          list: listId,
          autoComplete: "off",
          onInput: (e) => setText(e.currentTarget.value),
        }}
        errors={errors}
        hint={hint}
      />
      <datalist id={listId}>
        {choices.map((c) => (
          <option key={c.code} value={c.code} label={c.label}>
            {c.label}
          </option>
        ))}
      </datalist>
    </>
  );
}
