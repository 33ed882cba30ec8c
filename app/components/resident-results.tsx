import { Link, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, type ComponentProps } from "react";
import { useTranslation } from "react-i18next";

import { OpenStateText } from "~/components/open-state";
import { ReadAloudButton } from "~/components/read-aloud";
import { ResultFeedback } from "~/components/service-feedback";
import { dialString, formatDistance, formatWalkingMinutes } from "~/utils/format";

/** a community name that matched several: each choice replaces `c` in the query by its code */
export function CommunityChoices({ choices }: { choices: { code: string; name: string; area: string }[] }) {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  if (choices.length === 0) return null;
  return (
    <div className="panel">
      <p>{t("resident.chooseCommunity")}</p>
      <ul>
        {choices.map((choice) => {
          const next = new URLSearchParams(searchParams);
          next.delete("c");
          next.set("community", choice.code);
          return (
            <li key={choice.code}>
              <Link to={`?${next}`}>
                {choice.name} <span className="muted small">{choice.area}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

type ResultService = {
  id: string;
  name: string;
  category: string;
  demo?: true;
  facility: { name: string; address: string | null };
  distanceM: number;
  walkMinutes: number;
  phone: string | null;
  hours: ComponentProps<typeof OpenStateText>["hours"];
};

/** the services near the origin, nearest first; the selected one (from the map) scrolls into view */
export function ServiceResults({
  origin,
  services,
  now,
  selectedId,
  onSelect,
  readAloud,
}: {
  origin: { lat: number; lng: number };
  services: ResultService[];
  now: string;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** in large text, each result can be read aloud */
  readAloud: boolean;
}) {
  const { t, i18n } = useTranslation();
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!selectedId) return;
    listRef.current
      ?.querySelector(`[data-service-id="${selectedId}"]`)
      ?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [selectedId]);

  return (
    <ol className="stack" ref={listRef} data-testid="results" style={{ paddingLeft: "1.2rem" }}>
      {services.map((s) => (
        // the link inside is the keyboard's way in; a click anywhere on the row selects its marker
        // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions
        <li
          key={s.id}
          data-service-id={s.id}
          className="result"
          aria-current={s.id === selectedId ? "true" : undefined}
          onClick={() => onSelect(s.id)}
        >
          <Link to={`/services/${s.id}?from=${origin.lat.toFixed(6)},${origin.lng.toFixed(6)}`} data-key-fact>
            <strong>{s.name}</strong>
          </Link>{" "}
          <span className="muted small">{t(`categories.${s.category}`)}</span>{" "}
          {s.demo ? <span className="badge-demo">{t("resident.demo")}</span> : null}
          {/* what a resident decides by comes first, the facility and its address after */}
          <div className="result-meta" data-key-fact>
            <span data-testid="distance" data-metres={s.distanceM}>
              {formatDistance(s.distanceM, i18n.language)}
            </span>
            <span>{formatWalkingMinutes(s.walkMinutes, i18n.language)}</span>
            <OpenStateText hours={s.hours} at={now} />
            {s.phone ? (
              <a href={`tel:${dialString(s.phone)}`} data-primary-action>
                {t("resident.call", { phone: s.phone })}
              </a>
            ) : null}
            {readAloud ? (
              <ReadAloudButton name={s.name} distanceM={s.distanceM} hours={s.hours} phone={s.phone} at={now} />
            ) : null}
          </div>
          <div>
            {s.facility.name} · <span className="muted">{s.facility.address}</span>
          </div>
          <ResultFeedback serviceId={s.id} />
        </li>
      ))}
    </ol>
  );
}
