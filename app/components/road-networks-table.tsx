import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { formatDateTime, formatDistance, formatNumber } from "~/utils/format";

type RoadNetworkRow = {
  name: string;
  sourceFile: string;
  edges: number;
  lengthM: number;
  loadedAt: string;
  /** shown with a remove button (the roads page, for networks loaded inside the reader's scope) */
  removable?: boolean;
};

/** The loaded street networks, on /admin/living-circle and /dashboard/:code/roads. */
export function RoadNetworksTable({ networks }: { networks: RoadNetworkRow[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  if (networks.length === 0) return <p>{t("livingCircle.networksNone")}</p>;
  return (
    <table className="table" data-testid="road-networks">
      <thead>
        <tr>
          <th>{t("livingCircle.networkName")}</th>
          <th>{t("livingCircle.networkFile")}</th>
          <th>{t("livingCircle.networkEdges")}</th>
          <th>{t("livingCircle.networkLength")}</th>
          <th>{t("livingCircle.networkLoaded")}</th>
          <th>
            <span className="visually-hidden">{t("livingCircle.roadsRemove")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {networks.map((n) => (
          <tr key={n.name}>
            <td>{n.name}</td>
            <td>{n.sourceFile}</td>
            <td>{formatNumber(n.edges, locale)}</td>
            <td>{formatDistance(n.lengthM, locale)}</td>
            <td>{formatDateTime(n.loadedAt, locale)}</td>
            <td>
              {n.removable ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="name" value={n.name} />
                  <button type="submit">{t("livingCircle.roadsRemove")}</button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
