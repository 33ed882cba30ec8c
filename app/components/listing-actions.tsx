import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

type Status = "active" | "suspended" | "closed";

/** Verify / suspend / close / restore for a facility or service, each carrying the version it saw. */
export function ListingActions({ version, status }: { version: number; status: Status }) {
  const { t } = useTranslation();
  const intents: [string, string][] = [["verify", t("manage.verify")]];
  if (status !== "suspended") intents.push(["suspend", t("manage.suspend")]);
  if (status !== "closed") intents.push(["close", t("manage.close")]);
  if (status !== "active") intents.push(["restore", t("manage.restore")]);
  return (
    <div className="inline-fields">
      {intents.map(([intent, label]) => (
        <Form method="post" key={intent}>
          <input type="hidden" name="version" value={version} />
          <button type="submit" name="intent" value={intent}>
            {label}
          </button>
        </Form>
      ))}
    </div>
  );
}

/** The newer values of a record someone else saved first, shown instead of overwriting them. */
export function ConflictNotice({ rows }: { rows: [label: string, value: ReactNode][] }) {
  const { t } = useTranslation();
  return (
    <div className="panel conflict" role="alert" data-testid="conflict">
      <p>{t("listing.conflict")}</p>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
