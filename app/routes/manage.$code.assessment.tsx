// A community's self-assessment: start, fill in the manual indicators with evidence, submit.
// Over 200 lines because the draft form stays beside the action whose reply (conflicts, field
// errors) it shows; the indicator tables and history are in components/assessment-*.tsx.
import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { AssessmentHistory } from "~/components/assessment-history";
import { AutomaticHint, IndicatorTable, labelOf, MetBadge, ScoreLine } from "~/components/assessment-indicators";
import { AssessmentStatePanel } from "~/components/assessment-state";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { reasonOf } from "~/domains/assessments/assessments";
import {
  selfAssessmentSchema,
  ASSESSMENT_LIMITS,
  getSelfAssessment,
  listCommunityAssessments,
  saveDraft,
  startAssessment,
  submitAssessment,
} from "~/domains/assessments/assessments.server";
import { requireCommunity } from "~/domains/listings/listings.server";
import { formatDate } from "~/utils/format";
import { toastHeaders } from "~/utils/toast.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community } = await requireCommunity(request, params.code ?? "", "edit");
  const self = await getSelfAssessment(community.code);
  return json({
    community: { code: community.code, name: community.name, isDemo: community.isDemo },
    ...self,
    limits: ASSESSMENT_LIMITS,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, community } = await requireCommunity(request, params.code ?? "", "edit");
  const actor = { userId: account.id };
  const formData = await request.formData();
  const back = `/manage/${community.code}/assessment`;

  if (formData.get("intent") === "start") {
    const started = await startAssessment(actor, community.code);
    if (!started.ok) return json({ result: null, error: "assessment.errors.alreadyOpen" }, { status: 409 });
    return redirect(back, { headers: await toastHeaders({ key: "assessment.toasts.started" }) });
  }

  const submission = parseWithZod(formData, { schema: selfAssessmentSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), error: null }, { status: 400 });
  const { intent, version, manual } = submission.value;
  // the draft must be this community's open one: an id never comes from the form
  const [draft] = await listCommunityAssessments(community.code);
  if (!draft || draft.state !== "draft")
    return json({ result: null, error: "assessment.errors.invalidState" }, { status: 409 });

  const saved = await saveDraft(
    actor,
    draft.id,
    version,
    manual.map((m) => ({ key: m.key, met: m.met ?? false, text: m.text, links: m.links })),
  );
  let result = saved;
  if (saved.ok && intent === "submit") result = await submitAssessment(actor, draft.id, saved.assessment.version);
  if (!result.ok) {
    if (result.reason === "invalid")
      return json(
        {
          result: submission.reply({
            fieldErrors: Object.fromEntries(Object.entries(result.fields).map(([k, v]) => [k, [v]])),
          }),
          error: null,
        },
        { status: 400 },
      );
    if (result.reason === "conflict")
      return json({ result: null, error: "assessment.errors.conflict" }, { status: 409 });
    return json({ result: null, error: "assessment.errors.invalidState" }, { status: 409 });
  }
  return redirect(back, {
    headers: await toastHeaders({
      key: intent === "submit" ? "assessment.toasts.submitted" : "assessment.toasts.saved",
    }),
  });
}

export default function SelfAssessment() {
  const data = useLoaderData<typeof loader>();
  const { community, standard, latest, live, asSubmitted, canStart, history, limits } = data;
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const isDraft = latest?.state === "draft";
  const latestTransitions = history[0]?.transitions ?? [];
  const decidedTier = latest && ["notice", "approved", "revoked"].includes(latest.state) ? latest.tier : null;
  const reason = latest ? reasonOf(latestTransitions, latest.state) : null;

  return (
    <section className="stack">
      <p>
        <Link to={`/manage/${community.code}`}>← {community.name}</Link>
      </p>
      <h1>
        {t("assessment.selfTitle")} · {community.name}
      </h1>
      <p className="muted">
        {t("assessment.standardVersion", { version: standard.version })} · {t("assessment.intro")}
      </p>
      {actionData?.error ? <ErrorList errors={[actionData.error]} /> : null}

      {latest ? (
        <AssessmentStatePanel assessment={{ ...latest, reason }} />
      ) : (
        <p className="muted">{t("assessment.none")}</p>
      )}

      {canStart ? (
        <Form method="post">
          <button type="submit" name="intent" value="start" className="primary">
            {latest ? t("assessment.startNew") : t("assessment.start")}
          </button>
        </Form>
      ) : null}

      {isDraft && latest ? <DraftForm latest={latest} live={live} standard={standard} limits={limits} /> : null}

      {latest && !isDraft && asSubmitted ? (
        <>
          <p className="muted">{t("assessment.readOnly")}</p>
          <ScoreLine score={latest.score} tier={decidedTier ?? asSubmitted.tier} passScore={standard.passScore} />
          <IndicatorTable rows={asSubmitted.rows} />
        </>
      ) : null}

      {canStart ? (
        <>
          <h2>{t("assessment.liveScore")}</h2>
          <ScoreLine score={live.score} tier={live.tier} passScore={standard.passScore} />
          <IndicatorTable rows={live.rows} />
        </>
      ) : null}

      <HistoryList history={history} latestId={latest?.id} />
    </section>
  );
}

type SelfData = SerializeFrom<typeof loader>;

/** the open draft: manual indicators with their evidence, saved or submitted to the action */
function DraftForm({
  latest,
  live,
  standard,
  limits,
}: {
  latest: NonNullable<SelfData["latest"]>;
  live: SelfData["live"];
  standard: SelfData["standard"];
  limits: SelfData["limits"];
}) {
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const stored = new Map((latest.indicators ?? []).map((v) => [v.key, v]));
  const manualRows = live.rows.filter((r) => r.indicator.kind === "manual");
  const [form, fields] = useForm({
    id: `self-assessment-${latest.id}`,
    lastResult: actionData?.result,
    defaultValue: {
      confirm: "",
      manual: manualRows.map((r) => {
        const value = stored.get(r.indicator.key);
        return {
          key: r.indicator.key,
          met: value?.met ? "on" : "",
          text: value?.evidence?.text ?? "",
          links: (value?.evidence?.links ?? []).join("\n"),
        };
      }),
    },
    shouldValidate: "onSubmit",
  });
  const manualFields = fields.manual.getFieldList();
  const confirm = fields.confirm;
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="version" value={latest.version} />
      <ScoreLine score={live.score} tier={live.tier} passScore={standard.passScore} />
      {!live.passes ? <p className="notice">{t("assessment.belowPass", { pass: standard.passScore })}</p> : null}
      <table className="table" data-testid="indicators">
        <thead>
          <tr>
            <th>{t("assessment.indicator")}</th>
            <th>{t("assessment.weight")}</th>
            <th>{t("assessment.result")}</th>
          </tr>
        </thead>
        <tbody>
          {live.rows.map((row) => {
            const index = manualRows.indexOf(row);
            const field = index >= 0 ? manualFields[index]?.getFieldset() : undefined;
            return (
              <tr key={row.indicator.key}>
                <td>
                  <strong>{labelOf(row.indicator.label, i18n.language)}</strong>{" "}
                  <span className="chip small">{t(`assessment.kinds.${row.indicator.kind}`)}</span>
                  {row.automatic ? (
                    <AutomaticHint indicatorKey={row.indicator.key} detail={row.automatic.detail} />
                  ) : null}
                  {field ? (
                    <div className="stack">
                      <input type="hidden" name={field.key.name} value={row.indicator.key} />
                      <label>
                        <input {...getInputProps(field.met, { type: "checkbox" })} /> {t("assessment.claim")}
                      </label>
                      <div className="field">
                        <label htmlFor={field.text.id}>{t("assessment.evidenceText")}</label>
                        <textarea {...getTextareaProps(field.text)} rows={3} maxLength={limits.evidenceText} />
                        <ErrorList errors={field.text.errors} />
                      </div>
                      <div className="field">
                        <label htmlFor={field.links.id}>{t("assessment.evidenceLinks")}</label>
                        <textarea {...getTextareaProps(field.links)} rows={2} />
                        <ErrorList errors={field.links.errors} />
                      </div>
                      <ErrorList errors={field.key.errors} />
                      {row.claimed && !row.met ? (
                        <p className="small notice">{t("assessment.evidenceNeeded")}</p>
                      ) : null}
                    </div>
                  ) : null}
                </td>
                <td>{row.indicator.weight}</td>
                <td>
                  <MetBadge met={row.met} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label>
        <input {...getInputProps(confirm, { type: "checkbox" })} /> {t("assessment.confirmSubmit")}
      </label>
      <ErrorList errors={confirm.errors} />
      <ErrorList errors={form.errors} />
      <div className="inline-fields">
        <button type="submit" name="intent" value="save">
          {t("assessment.saveDraft")}
        </button>
        <button type="submit" name="intent" value="submit" className="primary">
          {t("assessment.submit")}
        </button>
      </div>
    </Form>
  );
}

function HistoryList({ history, latestId }: { history: SelfData["history"]; latestId: string | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h2>{t("assessment.history")}</h2>
      {history.length === 0 ? <p className="muted">{t("assessment.historyEmpty")}</p> : null}
      {history.map(({ assessment, transitions }) => (
        <details key={assessment.id} open={assessment.id === latestId}>
          <summary>
            {t("assessment.assessmentOf", { date: formatDate(assessment.createdAt, i18n.language) })} ·{" "}
            {t(`assessment.states.${assessment.state}`)}
          </summary>
          <AssessmentHistory transitions={transitions} />
        </details>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
