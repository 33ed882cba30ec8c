import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { measureLabelKey } from "~/domains/living-circle/living-circle";
import { pointMapLinks } from "~/domains/regions/coordinates";
import { formatDateTime } from "~/utils/format";

import { LIVING_CIRCLE_MEASURES, type LivingCircleMeasure } from "../../db/identifiers";

/** measures stored as identifiers, named in the page's language */
export function useMeasureNames() {
  const { t } = useTranslation();
  return (measures: readonly string[]) =>
    measures
      .filter((m): m is LivingCircleMeasure => (LIVING_CIRCLE_MEASURES as readonly string[]).includes(m))
      .map((m) => t(measureLabelKey(m)))
      .join(t("livingCircle.listSeparator"));
}

/** The community's open facility drafts (sites an official's plan proposes): register one, or dismiss it. */
export function FacilityDrafts({
  communityCode,
  drafts,
}: {
  communityCode: string;
  drafts: Array<{
    id: string;
    scenarioName: string;
    measures: string[];
    lat: number;
    lng: number;
    note: string | null;
    sentBy: string | null;
    sentAt: string;
  }>;
}) {
  const { t, i18n } = useTranslation();
  const names = useMeasureNames();
  if (drafts.length === 0) return null;
  return (
    <section className="stack" data-testid="facility-drafts">
      <h2 id="drafts">{t("livingCircle.planDraftsTitle")}</h2>
      <ul className="stack">
        {drafts.map((d) => (
          <li key={d.id} className="panel">
            {t("livingCircle.planDraftLine", {
              scenario: d.scenarioName,
              measures: names(d.measures),
              by: d.sentBy ?? "—",
              at: formatDateTime(d.sentAt, i18n.language),
            })}
            {d.note ? <div className="small">{d.note}</div> : null}
            <div className="inline-fields">
              <a href={pointMapLinks(d).amap} target="_blank" rel="noreferrer">
                {t("livingCircle.planDraftMap")}
              </a>
              <Link to={`/manage/${communityCode}/facilities/new?draft=${d.id}`} className="button-link">
                {t("livingCircle.planDraftRegister")}
              </Link>
              <Form method="post">
                <input type="hidden" name="intent" value="dismiss_draft" />
                <input type="hidden" name="draftId" value={d.id} />
                <button type="submit">{t("livingCircle.planDraftDismiss")}</button>
              </Form>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
