// The community workspace: facilities, services, stale entries, problem reports, residents'
// satisfaction (components/feedback-staff.tsx; answers post to manage.feedback.$id) and the profile.
// Over 200 lines because one page carries two actions (resolve a report, save the profile) and
// the profile form stays beside its schema; the lists are in components/community-listings.tsx.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type SerializeFrom,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import leafletCss from "leaflet/dist/leaflet.css";
import { useTranslation } from "react-i18next";
import { ClientOnly } from "remix-utils/client-only";
import { z } from "zod";

import { AssessmentStatePanel } from "~/components/assessment-state";
import { FacilityList, ProblemReports, ServicesByCategory } from "~/components/community-listings";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FacilitiesMap } from "~/components/facilities-map.client";
import { FacilityDrafts } from "~/components/facility-drafts";
import { FacilityFilters } from "~/components/facility-filters";
import { CommunitySatisfaction } from "~/components/feedback-staff";
import { ErrorList, Field } from "~/components/forms";
import { StaleListings } from "~/components/freshness";
import { hasPermission } from "~/domains/accounts/accounts";
import { getAssessmentSummary } from "~/domains/assessments/assessments.server";
import { loadCommunitySatisfaction } from "~/domains/feedback/feedback-answers.server";
import { loadStaleListings } from "~/domains/listings/freshness.server";
import {
  getProblemReport,
  listFacilitiesWithServices,
  listProblemReports,
  resolveProblemReport,
  updateCommunityProfile,
  requireCommunity,
} from "~/domains/listings/listings.server";
import {
  dismissFacilityDraft,
  getFacilityDraft,
  listOpenFacilityDrafts,
} from "~/domains/living-circle/scenarios.server";
import { xlsxHref } from "~/utils/export-table";
import { errorResponse, notFound } from "~/utils/responses.server";
import { toastHeaders } from "~/utils/toast.server";

import { FACILITY_STATUSES, FACILITY_TYPES, SERVICE_CATEGORIES } from "../../db/identifiers";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: leafletCss }];

const filterSchema = z.object({
  status: z.enum(FACILITY_STATUSES).optional().catch(undefined),
  type: z.enum(FACILITY_TYPES).optional().catch(undefined),
  category: z.enum(SERVICE_CATEGORIES).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});

const count = (max: number) =>
  z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z
      .number({ invalid_type_error: "manage.countFormat" })
      .int("manage.countFormat")
      .min(0, "manage.countFormat")
      .max(max, "manage.countFormat")
      .optional(),
  );

const profileSchema = z
  .object({
    intent: z.literal("update_profile"),
    lat: z.preprocess(
      (v) => (v === "" || v === undefined ? undefined : Number(v)),
      z
        .number({ invalid_type_error: "listing.latFormat" })
        .min(34, "listing.outsideShandong")
        .max(38.6, "listing.outsideShandong")
        .optional(),
    ),
    lng: z.preprocess(
      (v) => (v === "" || v === undefined ? undefined : Number(v)),
      z
        .number({ invalid_type_error: "listing.lngFormat" })
        .min(114.7, "listing.outsideShandong")
        .max(122.8, "listing.outsideShandong")
        .optional(),
    ),
    households: count(1_000_000),
    population: count(5_000_000),
    population60: count(5_000_000),
  })
  .superRefine((v, ctx) => {
    if ((v.lat === undefined) !== (v.lng === undefined))
      ctx.addIssue({ code: "custom", path: ["lat"], message: "listing.pointIncomplete" });
    if (v.population60 !== undefined && v.population !== undefined && v.population60 > v.population) {
      ctx.addIssue({ code: "custom", path: ["population60"], message: "manage.population60TooLarge" });
    }
  });

const dismissDraftSchema = z.object({ intent: z.literal("dismiss_draft"), draftId: z.string().min(1) });

const reportSchema = z.object({
  intent: z.literal("resolve_report"),
  reportId: z.string().min(1),
  status: z.enum(["fixed", "dismissed", "open"]),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { account, community } = await requireCommunity(request, params.code ?? "", "view");
  const filter = filterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [facilities, freshness, reports, assessment, drafts, satisfaction] = await Promise.all([
    listFacilitiesWithServices({ prefix: community.code, ...filter }),
    loadStaleListings({ code: community.code, level: "community" }),
    listProblemReports(community.code),
    getAssessmentSummary(community.code),
    listOpenFacilityDrafts(community.code),
    loadCommunitySatisfaction(community.code),
  ]);
  const byCategory = SERVICE_CATEGORIES.map((category) => ({
    category,
    services: facilities.flatMap((f) =>
      f.services.filter((s) => s.category === category).map((s) => ({ ...s, facilityName: f.name })),
    ),
  })).filter((group) => group.services.length > 0);
  const canAssess = hasPermission(account.assignments, community.code, "edit");
  const { stale, counts, settings } = freshness;
  return json({
    community,
    filter,
    facilities,
    byCategory,
    stale,
    freshness: { counts, settings },
    reports,
    assessment,
    canAssess,
    drafts,
    satisfaction,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, community } = await requireCommunity(request, params.code ?? "", "edit");
  const formData = await request.formData();
  if (formData.get("intent") === "dismiss_draft") {
    const parsed = dismissDraftSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw errorResponse(request, 400, "invalid draft action");
    const draft = await getFacilityDraft(parsed.data.draftId);
    if (!draft || draft.communityCode !== community.code) throw notFound(request, "no such draft");
    const dismissed = await dismissFacilityDraft({ userId: account.id }, draft.id);
    return redirect(`/manage/${community.code}`, {
      headers: await toastHeaders({
        key: dismissed ? "livingCircle.planDraftDismissed" : "livingCircle.planDraftGone",
      }),
    });
  }
  if (formData.get("intent") === "resolve_report") {
    const parsed = reportSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw errorResponse(request, 400, "invalid report action");
    const report = await getProblemReport(parsed.data.reportId);
    if (!report || report.communityCode !== community.code) throw notFound(request, "no such report");
    await resolveProblemReport({ userId: account.id }, report.id, parsed.data.status);
    return redirect(`/manage/${community.code}`, { headers: await toastHeaders({ key: "manage.saved" }) });
  }
  const submission = parseWithZod(formData, { schema: profileSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  await updateCommunityProfile({ userId: account.id }, community.code, submission.value);
  return redirect(`/manage/${community.code}`, { headers: await toastHeaders({ key: "manage.profileSaved" }) });
}

export default function ManageCommunity() {
  const {
    community,
    filter,
    facilities,
    byCategory,
    stale,
    freshness,
    reports,
    assessment,
    canAssess,
    drafts,
    satisfaction,
  } = useLoaderData<typeof loader>();
  const location = useLocation();
  const { t, i18n } = useTranslation();
  const centre = { lat: community.lat ?? 36.66, lng: community.lng ?? 117.02 };
  const mapped = facilities
    .filter((f) => f.lat !== null && f.lng !== null)
    .map((f) => ({ id: f.id, name: f.name, lat: f.lat!, lng: f.lng! }));
  const exportQuery = new URLSearchParams(location.search);
  exportQuery.set("scope", community.code);
  exportQuery.delete("index");
  const assessmentLink = canAssess ? (
    <Link to={`/manage/${community.code}/assessment`}>{t("assessment.openAssessment")}</Link>
  ) : null;

  return (
    <section className="stack">
      <h1>
        {community.name} <span className="muted small">{community.code}</span>{" "}
        {community.isDemo ? <span className="badge-demo">{t("manage.demo")}</span> : null}
      </h1>

      {assessment ? (
        <AssessmentStatePanel assessment={assessment}>{assessmentLink}</AssessmentStatePanel>
      ) : (
        <p className="panel">
          {t("assessment.none")} {assessmentLink}
        </p>
      )}

      <FacilityDrafts communityCode={community.code} drafts={drafts} />

      <h2>{t("manage.facilities")}</h2>
      <p className="inline-fields">
        <Link to={`/manage/${community.code}/facilities/new`} className="button-link">
          {t("manage.newFacility")}
        </Link>
        <Link to="/manage/import">{t("manage.import")}</Link>
        <a href={`/api/v1/facilities?${exportQuery}&format=csv`}>{t("manage.exportCsv")}</a>
        <a href={xlsxHref("/api/v1/facilities", `${exportQuery}&format=xlsx`, i18n.language)}>
          {t("exportTables.exportExcel")}
        </a>
        <a href={`/api/v1/facilities?${exportQuery}&format=geojson`}>{t("manage.exportGeojson")}</a>
      </p>
      <FacilityFilters filter={filter} />
      <div className="grid-2">
        <ClientOnly fallback={<div className="picker-map map-placeholder">{t("home.mapLoading")}</div>}>
          {() => <FacilitiesMap facilities={mapped} centre={centre} />}
        </ClientOnly>
        <FacilityList facilities={facilities} />
      </div>

      <ServicesByCategory groups={byCategory} />
      <StaleListings stale={stale} counts={freshness.counts} settings={freshness.settings} />
      <ProblemReports reports={reports} />
      <CommunitySatisfaction
        satisfaction={satisfaction}
        canAnswer={canAssess}
        redirectTo={`/manage/${community.code}#satisfaction`}
      />
      <ProfileForm community={community} />
    </section>
  );
}

/** the community's location and population, the page's second action (intent update_profile) */
function ProfileForm({ community }: { community: SerializeFrom<typeof loader>["community"] }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "profile",
    lastResult: actionData?.result,
    defaultValue: {
      lat: community.lat === null ? "" : String(community.lat),
      lng: community.lng === null ? "" : String(community.lng),
      households: community.households === null ? "" : String(community.households),
      population: community.population === null ? "" : String(community.population),
      population60: community.population60 === null ? "" : String(community.population60),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: profileSchema }),
  });
  return (
    <>
      <h2>{t("manage.profile")}</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="update_profile" />
        <div className="inline-fields">
          <Field
            label={t("manage.lat")}
            inputProps={getInputProps(fields.lat, { type: "text" })}
            errors={fields.lat.errors}
          />
          <Field
            label={t("manage.lng")}
            inputProps={getInputProps(fields.lng, { type: "text" })}
            errors={fields.lng.errors}
          />
        </div>
        <div className="inline-fields">
          <Field
            label={t("manage.households")}
            inputProps={getInputProps(fields.households, { type: "number" })}
            errors={fields.households.errors}
          />
          <Field
            label={t("manage.population")}
            inputProps={getInputProps(fields.population, { type: "number" })}
            errors={fields.population.errors}
          />
          <Field
            label={t("manage.population60")}
            inputProps={getInputProps(fields.population60, { type: "number" })}
            errors={fields.population60.errors}
          />
        </div>
        <ErrorList errors={form.errors} />
        <button type="submit">{t("manage.saveProfile")}</button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
