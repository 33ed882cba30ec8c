import { useTranslation } from "react-i18next";

import type { PublicAnswer } from "~/domains/feedback/feedback-answers";
import { formatDate } from "~/utils/format";

// The community's public answers on a service's page (listPublicAnswers): each says which kind of
// opinion it answers and when, never the resident's comment, which only staff read.

export function PublicAnswers({ answers }: { answers: readonly PublicAnswer[] }) {
  const { t, i18n } = useTranslation();
  if (answers.length === 0) return null;
  return (
    <section className="panel stack" data-testid="public-answers" aria-labelledby="public-answers-title">
      <h2 id="public-answers-title">{t("feedbackAnswers.publicTitle")}</h2>
      <ul className="stack">
        {answers.map((a) => (
          <li key={`${a.answeredAt}-${a.givenAt}`}>
            <p className="muted small">
              {t(a.satisfied ? "feedbackAnswers.publicAboutSatisfied" : "feedbackAnswers.publicAboutUnsatisfied", {
                date: formatDate(a.givenAt, i18n.language),
              })}
            </p>
            <p>{a.answer}</p>
            <p className="muted small">
              {t("feedbackAnswers.publicAnsweredOn", { date: formatDate(a.answeredAt, i18n.language) })}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
