import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { significantCode } from "~/domains/regions/regions";
import { formatNumber, formatPercent } from "~/utils/format";

// The published coverage targets on the province admin's page, each with its delete button.

type PublishedTarget = {
  id: string;
  year: number;
  regionCode: string;
  regionName: string;
  isDemo: boolean;
  rate: number | null;
  count: number | null;
  deadline: string;
};

export function TargetsTable({ targets }: { targets: readonly PublishedTarget[] }) {
  const { t, i18n } = useTranslation();
  return (
    <table className="table" data-testid="targets-table">
      <thead>
        <tr>
          <th>{t("coverage.targetYear")}</th>
          <th>{t("coverage.name")}</th>
          <th>{t("coverage.targetRatePercent")}</th>
          <th>{t("coverage.targetCountLabel")}</th>
          <th>{t("coverage.targetDeadlineLabel")}</th>
          <th>
            <span className="visually-hidden">{t("form.actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {targets.map((target) => (
          <tr key={target.id}>
            <td>{target.year}</td>
            <td>
              <Link to={`/dashboard/${significantCode(target.regionCode)}?year=${target.year}`}>
                {target.regionName}
              </Link>{" "}
              <span className="small muted">{significantCode(target.regionCode)}</span>
              {target.isDemo ? <span className="badge-demo">{t("coverage.demoTarget")}</span> : null}
            </td>
            <td>{target.rate !== null ? formatPercent(target.rate, i18n.language) : "—"}</td>
            <td>{target.count !== null ? formatNumber(target.count, i18n.language) : "—"}</td>
            <td>{target.deadline}</td>
            <td>
              <Form
                method="post"
                className="inline-form"
                onSubmit={(event) => {
                  if (
                    !window.confirm(t("coverage.targetDeleteConfirm", { region: target.regionName, year: target.year }))
                  )
                    event.preventDefault();
                }}
              >
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={target.id} />
                <button type="submit">{t("coverage.targetDelete")}</button>
              </Form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
