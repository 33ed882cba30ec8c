import type { Role } from "../../../db/identifiers";
import { createTestUser } from "../accounts";
import { feedbackAnswersLoaderCases } from "./feedback-answers";
import { facilityIn } from "./shared";

/**
 * How a GET to a guarded route is refused. `signed_in`: any account may read it (its own data, or
 * a redirect into its own scope), so only the anonymous reader is refused. Otherwise `outsider`
 * is a role, at its home region (HOME[role].in), that must get a 403 or 404 for what `prepare`
 * asks: a region, listing or account outside its scope, or a page its role does not hold.
 */
export type LoaderCase =
  | { reader: "signed_in"; url: string }
  | { reader: "scoped"; outsider: Role; prepare: () => Promise<{ url: string; params?: Record<string, string> }> };

const OUT_DISTRICT = "370103";
const OUT_COMMUNITY = "370103002001";

const page = (url: string, outsider: Role = "community_staff"): LoaderCase => ({
  reader: "scoped",
  outsider,
  prepare: async () => ({ url }),
});
const region = (url: (code: string) => string, code: string): LoaderCase => ({
  reader: "scoped",
  outsider: "district_official",
  prepare: async () => ({ url: url(code), params: { code } }),
});
const facility = (url: (id: string) => string): LoaderCase => ({
  reader: "scoped",
  outsider: "district_official",
  prepare: async () => {
    const { id } = await facilityIn("district_official", "out");
    return { url: url(id), params: { id } };
  },
});

/** the loader cases of every route that is not marked public (see authorization-matrix.test.ts) */
export const loaderCases: Record<string, LoaderCase> = {
  ...feedbackAnswersLoaderCases,
  "routes/account._index": { reader: "signed_in", url: "/account" },
  "routes/account.password": { reader: "signed_in", url: "/account/password" },
  "routes/dashboard._index": { reader: "signed_in", url: "/dashboard" },
  "routes/manage._index": { reader: "signed_in", url: "/manage" },
  "routes/manage.import": { reader: "signed_in", url: "/manage/import" },
  "routes/notifications": { reader: "signed_in", url: "/notifications" },
  "routes/admin.living-circle": page("/admin/living-circle"),
  "routes/admin.standard": page("/admin/standard"),
  "routes/admin.targets": page("/admin/targets"),
  "routes/admin.audit": page("/admin/audit"),
  "routes/admin.audit[.csv]": page("/admin/audit.csv"),
  "routes/admin.audit[.xlsx]": page("/admin/audit.xlsx"),
  "routes/admin.users._index": page("/admin/users"),
  "routes/review._index": page("/review"),
  "routes/review[.csv]": page("/review.csv"),
  "routes/review[.xlsx]": page("/review.xlsx"),
  "routes/review.$id": {
    reader: "scoped",
    outsider: "community_staff",
    prepare: async () => ({ url: "/review/x", params: { id: "x" } }),
  },
  "routes/admin.users.$userId": {
    reader: "scoped",
    outsider: "district_official",
    prepare: async () => {
      const target = await createTestUser({ role: "community_staff", regionCode: OUT_COMMUNITY });
      return { url: `/admin/users/${target.id}`, params: { userId: target.id } };
    },
  },
  "routes/api.v1.regions._index": page("/api/v1/regions?search=370103", "community_staff"),
  "routes/api.v1.facilities": page(`/api/v1/facilities?scope=${OUT_DISTRICT}`, "district_official"),
  "routes/api.v1.facilities.$id": facility((id) => `/api/v1/facilities/${id}`),
  "routes/manage.facilities.$id._index": facility((id) => `/manage/facilities/${id}`),
  "routes/manage.facilities.$id.services.new": facility((id) => `/manage/facilities/${id}/services/new`),
  "routes/manage.services.$id": {
    reader: "scoped",
    outsider: "district_official",
    prepare: async () => {
      const { serviceId } = await facilityIn("district_official", "out");
      return { url: `/manage/services/${serviceId}`, params: { id: serviceId } };
    },
  },
  "routes/dashboard.$code._index": region((c) => `/dashboard/${c}`, OUT_DISTRICT),
  "routes/dashboard.$code.living-circle": region((c) => `/dashboard/${c}/living-circle`, OUT_DISTRICT),
  "routes/dashboard.$code.living-circle[.csv]": region((c) => `/dashboard/${c}/living-circle.csv`, OUT_DISTRICT),
  "routes/dashboard.$code.living-circle[.xlsx]": region((c) => `/dashboard/${c}/living-circle.xlsx`, OUT_DISTRICT),
  "routes/dashboard.$code.living-circle[.geojson]": region(
    (c) => `/dashboard/${c}/living-circle.geojson`,
    OUT_DISTRICT,
  ),
  "routes/api.v1.living-circle.$code.sites": region((c) => `/api/v1/living-circle/${c}/sites`, OUT_DISTRICT),
  "routes/dashboard.$code.roads": region((c) => `/dashboard/${c}/roads`, OUT_DISTRICT),
  "routes/dashboard.$code.plan": region((c) => `/dashboard/${c}/plan`, OUT_DISTRICT),
  "routes/dashboard.$code.plan_.compare": region((c) => `/dashboard/${c}/plan/compare?a=x&b=y`, OUT_DISTRICT),
  "routes/dashboard.$code.plan[.csv]": region((c) => `/dashboard/${c}/plan.csv?s=36.66,117.09`, OUT_DISTRICT),
  "routes/dashboard.$code.plan[.xlsx]": region((c) => `/dashboard/${c}/plan.xlsx?s=36.66,117.09`, OUT_DISTRICT),
  "routes/dashboard.$code.plan[.geojson]": region((c) => `/dashboard/${c}/plan.geojson?s=36.66,117.09`, OUT_DISTRICT),
  "routes/dashboard.$code.table[.csv]": region((c) => `/dashboard/${c}/table.csv`, OUT_DISTRICT),
  "routes/dashboard.$code.table[.xlsx]": region((c) => `/dashboard/${c}/table.xlsx`, OUT_DISTRICT),
  "routes/dashboard.$code.table[.geojson]": region((c) => `/dashboard/${c}/table.geojson`, OUT_DISTRICT),
  "routes/dashboard.$code.report": region((c) => `/dashboard/${c}/report`, OUT_DISTRICT),
  "routes/manage.$code._index": region((c) => `/manage/${c}`, OUT_COMMUNITY),
  "routes/manage.$code.assessment": region((c) => `/manage/${c}/assessment`, OUT_COMMUNITY),
  "routes/manage.$code.facilities.new": region((c) => `/manage/${c}/facilities/new`, OUT_COMMUNITY),
  "routes/admin.settings": page("/admin/settings"),
  "routes/dashboard.$code.freshness": region((c) => `/dashboard/${c}/freshness`, OUT_DISTRICT),
};

/**
 * The routes whose loader is marked public (anyone may GET them), and the root layout's; marking
 * a loader public is a change to this list, so it is read in review.
 */
export const publicLoaders = [
  "root",
  "routes/$",
  "routes/locales.$locale[.json]",
  "routes/_resident",
  "routes/_resident._index",
  "routes/_resident.services.$id",
  "routes/api.hsds.v3._index",
  "routes/api.hsds.v3.locations",
  "routes/api.hsds.v3.organizations",
  "routes/api.hsds.v3.organizations.$id",
  "routes/api.hsds.v3.service_at_locations",
  "routes/api.hsds.v3.services",
  "routes/api.hsds.v3.services.$id",
  "routes/api.hsds.v3.taxonomies",
  "routes/api.hsds.v3.taxonomies.$id",
  "routes/api.hsds.v3.taxonomy_terms",
  "routes/api.hsds.v3.taxonomy_terms.$id",
  "routes/api.$",
  "routes/api.docs",
  "routes/api.v1.coverage.$code",
  "routes/api.v1.openapi[.json]",
  "routes/api.v1.regions.$code",
  "routes/api.v1.regions.$code.boundary",
  "routes/api.v1.services",
  "routes/api.v1.services.$id",
  "routes/coverage.$code._index",
  "routes/coverage.$code.shapes[.geojson]",
  "routes/coverage._index",
  "routes/login",
  "routes/logout",
  "routes/manage.template[.csv]",
  "routes/manifest[.webmanifest]",
  "routes/preferences.display",
  "routes/preferences.locale",
  "routes/regions.counties[.geojson]",
  "routes/showcase._index",
  "routes/showcase.$code",
];
