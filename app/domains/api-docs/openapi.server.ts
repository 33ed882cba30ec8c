// The OpenAPI 3.1 document of /api/v1, made from the zod schemas the routes parse their input with
// and the schemas of the JSON they answer (each next to the code that builds it), so that the two
// cannot drift: a route's new field is in the document the moment the route accepts it.
// tests/integration/openapi.test.ts checks that every api.v1 route is here and answers as documented.
import {
  extendZodWithOpenApi,
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import { MAX_JSON_BYTES } from "../../utils/api.server";
import { SESSION_COOKIE_NAME } from "../../utils/http-cache.server";
import { apiErrorSchema } from "../../utils/responses.server";
import { coverageQuerySchema, coverageReportJsonSchema } from "../coverage/coverage.server";
import { FEEDBACK_LIMITS } from "../feedback/feedback";
import { feedbackGivenJsonSchema, feedbackInputSchema } from "../feedback/feedback-schema";
import {
  facilityJsonSchema,
  facilityListJsonSchema,
  facilityWithServicesJsonSchema,
  listingGeoJsonSchema,
  serviceJsonSchema,
  eligibilityJsonSchema,
} from "../listings/listing-json";
import {
  apiCommunityCodeSchema,
  facilityControlSchema,
  facilityInputSchema,
  facilityListQuerySchema,
  serviceControlSchema,
  serviceInputSchema,
} from "../listings/listing-schema";
import { sitesQuerySchema } from "../living-circle/living-circle";
import { sitesAnswerJsonSchema } from "../living-circle/planning.server";
import {
  regionBoundaryJsonSchema,
  regionCodeParamSchema,
  regionJsonSchema,
  regionSearchJsonSchema,
  regionSearchQuerySchema,
} from "../regions/regions.server";
import {
  publicServiceDetailJsonSchema,
  serviceFromPointSchema,
  serviceSearchPageJsonSchema,
} from "../search/search-json";
import { serviceSearchQuerySchema } from "../search/services-api.server";

extendZodWithOpenApi(z);

export const OPENAPI_PATH = "/api/v1/openapi.json";

type Method = RouteConfig["method"];
type Operation = RouteConfig & { operationId: string; summary: string };

const ERROR_REASONS: Record<number, string> = {
  400: "Bad request: the fields named in `fields` are wrong",
  401: "Sign-in required: send the session cookie or `Authorization: Bearer <token>`",
  403: "Outside the caller's scope, or a cross-site request",
  404: "Not found",
  405: "Method not allowed (the `Allow` header lists the methods)",
  409: "Changed by someone else since `version`: nothing was saved; `current` is the record now",
  413: `The body is larger than ${MAX_JSON_BYTES} bytes`,
  415: "The body is not `application/json`",
  422: "The body does not make a valid record: `fields` says why",
  429: "Too many requests from this address: try again after `Retry-After` seconds",
  503: "Busy or the database is away: try again after `Retry-After` seconds",
};

function build() {
  const registry = new OpenAPIRegistry();
  const ApiError = registry.register("ApiError", apiErrorSchema);
  const Facility = registry.register("Facility", facilityJsonSchema);
  const Service = registry.register("Service", serviceJsonSchema);
  const FacilityWithServices = registry.register("FacilityWithServices", facilityWithServicesJsonSchema);
  const PublicServiceDetail = registry.register("PublicServiceDetail", publicServiceDetailJsonSchema);
  const SearchPage = registry.register("ServiceSearchPage", serviceSearchPageJsonSchema);

  const bearer = registry.registerComponent("securitySchemes", "bearerToken", {
    type: "http",
    scheme: "bearer",
    description: "A personal API token, made at /account (shown once; revocable).",
  });
  const cookie = registry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE_NAME,
    description: "The browser's session after signing in at /login (mutations must be same-site).",
  });
  const signedIn = [{ [bearer.name]: [] }, { [cookie.name]: [] }];
  /** public, and a signed-in caller sees more (view scope below a county) */
  const optionallySignedIn = [{}, ...signedIn];

  const retryAfter = z.object({ "Retry-After": z.string().describe("seconds") });
  const error = (status: number, description = ERROR_REASONS[status]): ResponseConfig => ({
    description,
    ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
    ...(status === 405 ? { headers: z.object({ Allow: z.string() }) } : {}),
    content: { "application/json": { schema: ApiError } },
  });
  const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), error(s)]));
  const conflict = (current: typeof Facility | typeof Service): ResponseConfig => ({
    description: ERROR_REASONS[409],
    content: {
      "application/json": {
        schema: apiErrorSchema.extend({ fields: z.record(z.string()), current }),
      },
    },
  });
  const jsonBody = (schema: z.ZodTypeAny, description: string) => ({
    required: true,
    description,
    content: { "application/json": { schema } },
  });
  const ok = (schema: z.ZodTypeAny, description: string, contentType = "application/json"): ResponseConfig => ({
    description,
    content: { [contentType]: { schema } },
  });

  const idParam = z.object({ id: z.string().min(1).describe("the record's id") });
  const codeParam = z.object({ code: regionCodeParamSchema });
  // PATCH takes any subset of the fields; the stored record fills in the rest before the same check
  const facilityFields = facilityInputSchema.innerType();
  const serviceFields = serviceInputSchema.innerType().extend({
    eligibility: eligibilityJsonSchema
      .optional()
      .describe("instead of minAge, maxAge, residentsOnly and eligibilityNote: as the answers show it"),
  });

  const operations: Operation[] = [
    {
      method: "get",
      path: "/api/v1/services",
      operationId: "searchServices",
      summary: "Search public services near a point",
      description:
        "Residents' search: the nearest public services first, with distance, walking time and open-now. Public; " +
        "each address has `API_RATE_LIMIT_PER_MINUTE` (120) requests a minute. Points outside Shandong's extent " +
        "plus 0.5° are refused (400 naming lat and/or lng).",
      tags: ["residents"],
      security: [{}],
      request: { query: serviceSearchQuerySchema },
      responses: { 200: ok(SearchPage, "A page of services, nearest first"), ...errors(400, 429) },
    },
    {
      method: "get",
      path: "/api/v1/services/{id}",
      operationId: "getService",
      summary: "One public service",
      description:
        "A public service with its description, fee, capacity, schedule, contact, validity and its facility's " +
        "hours; with `lat` and `lng` also the distance and walking time from there. Rate-limited as the search.",
      tags: ["residents"],
      security: [{}],
      request: { params: idParam, query: serviceFromPointSchema.partial() },
      responses: {
        200: ok(PublicServiceDetail, "The service"),
        ...errors(400, 429),
        404: error(404, "Unknown, or not public (suspended, closed, outside its dates, or without a point)"),
      },
    },
    {
      method: "post",
      path: "/api/v1/services/{id}/feedback",
      operationId: "giveServiceFeedback",
      summary: "A resident's opinion of a public service",
      description:
        "Satisfied or not, and an optional comment (at most " +
        `${FEEDBACK_LIMITS.commentLength} characters, read by the community's staff only). No account: the answer ` +
        "sets a cookie (`shequ_rater`, 30 days) by which the same browser's next opinion of the same service within " +
        `30 days replaces this one (200) instead of counting again (201). Each address gives at most ` +
        `${FEEDBACK_LIMITS.perAddressPerHour} opinions an hour (429 past it). Nothing else about the resident is kept.`,
      tags: ["residents"],
      security: [{}],
      request: { params: idParam, body: jsonBody(feedbackInputSchema, "The opinion") },
      responses: {
        201: ok(feedbackGivenJsonSchema, "Recorded"),
        200: ok(feedbackGivenJsonSchema, "Recorded, replacing this browser's opinion of the last 30 days"),
        ...errors(400, 413, 415, 429),
        404: error(404, "Unknown, or not public (suspended, closed, outside its dates, or without a point)"),
      },
    },
    {
      method: "patch",
      path: "/api/v1/services/{id}",
      operationId: "updateService",
      summary: "Change a service",
      description:
        "Send `version` (the one you read) and the fields to change; the rest stay. Needs edit scope over the " +
        "service's community; audited.",
      tags: ["listings"],
      security: signedIn,
      request: {
        params: idParam,
        body: jsonBody(serviceControlSchema.merge(serviceFields.partial()), "The version and the changed fields"),
      },
      responses: {
        200: ok(Service, "The service as saved"),
        ...errors(400, 401, 403, 404, 413, 415, 422),
        409: conflict(Service),
      },
    },
    {
      method: "get",
      path: "/api/v1/facilities",
      operationId: "listFacilities",
      summary: "Facilities and their services in a region",
      description:
        "The facilities (any status) and services in a region the caller may view, as JSON, CSV, Excel (xlsx) or GeoJSON.",
      tags: ["listings"],
      security: signedIn,
      request: { query: facilityListQuerySchema },
      responses: {
        200: {
          description: "The facilities, each with its services (`format` chooses the form)",
          content: {
            "application/json": { schema: facilityListJsonSchema },
            "text/csv": {
              schema: z.string().describe("one row per service, in the CSV import's columns (UTF-8 with BOM)"),
            },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
              schema: z
                .string()
                .describe(
                  "the CSV's rows as an Excel sheet: a title row, then the headers in `lang` (Chinese by default)",
                ),
            },
            "application/geo+json": { schema: listingGeoJsonSchema },
          },
        },
        ...errors(400, 401, 403),
      },
    },
    {
      method: "post",
      path: "/api/v1/facilities",
      operationId: "createFacility",
      summary: "Register a facility",
      description:
        "Needs edit scope over `communityCode`; audited. The point must lie in the community's county, or be confirmed.",
      tags: ["listings"],
      security: signedIn,
      request: {
        body: jsonBody(facilityFields.extend({ communityCode: apiCommunityCodeSchema }), "The new facility"),
      },
      responses: {
        201: {
          description: "Created",
          headers: z.object({ Location: z.string().describe("/api/v1/facilities/{id}") }),
          content: { "application/json": { schema: Facility } },
        },
        ...errors(400, 401, 403, 404, 413, 415, 422),
      },
    },
    {
      method: "get",
      path: "/api/v1/facilities/{id}",
      operationId: "getFacility",
      summary: "One facility with its services",
      tags: ["listings"],
      security: signedIn,
      request: { params: idParam },
      responses: { 200: ok(FacilityWithServices, "The facility"), ...errors(401, 403, 404) },
    },
    {
      method: "patch",
      path: "/api/v1/facilities/{id}",
      operationId: "updateFacility",
      summary: "Change a facility",
      description:
        "Send `version` and the fields to change (a facility cannot move to another community). Needs edit scope; audited.",
      tags: ["listings"],
      security: signedIn,
      request: {
        params: idParam,
        body: jsonBody(facilityControlSchema.merge(facilityFields.partial()), "The version and the changed fields"),
      },
      responses: {
        200: ok(Facility, "The facility as saved"),
        ...errors(400, 401, 403, 404, 413, 415, 422),
        409: conflict(Facility),
      },
    },
    {
      method: "post",
      path: "/api/v1/facilities/{id}/services",
      operationId: "createService",
      summary: "Add a service to a facility",
      description: "Needs edit scope over the facility's community; audited.",
      tags: ["listings"],
      security: signedIn,
      request: { params: idParam, body: jsonBody(serviceFields, "The new service") },
      responses: {
        201: {
          description: "Created",
          headers: z.object({ Location: z.string().describe("/api/v1/services/{id}") }),
          content: { "application/json": { schema: Service } },
        },
        ...errors(401, 403, 404, 413, 415, 422),
      },
    },
    {
      method: "get",
      path: "/api/v1/regions",
      operationId: "searchRegions",
      summary: "Regions by name or code, for a region picker",
      description:
        "Regions within the caller's scope of managing accounts whose name contains `search` or whose code starts with it, higher levels first, 20 at most.",
      tags: ["regions"],
      security: signedIn,
      request: { query: regionSearchQuerySchema },
      responses: { 200: ok(regionSearchJsonSchema, "The matching regions"), ...errors(400, 401, 403) },
    },
    {
      method: "get",
      path: "/api/v1/regions/{code}",
      operationId: "getRegion",
      summary: "A region and its children",
      description:
        "A province, city, county, township or community; the 12-digit form of any code is accepted. Public.",
      tags: ["regions"],
      security: [{}],
      request: { params: codeParam },
      responses: { 200: ok(regionJsonSchema, "The region"), ...errors(400, 404) },
    },
    {
      method: "get",
      path: "/api/v1/regions/{code}/boundary",
      operationId: "getRegionBoundary",
      summary: "A city's or county's boundary",
      description: "A GeoJSON Feature (MultiPolygon, WGS84). Public.",
      tags: ["regions"],
      security: [{}],
      request: { params: codeParam },
      responses: {
        200: ok(regionBoundaryJsonSchema, "The boundary", "application/geo+json"),
        ...errors(400),
        404: error(404, "Unknown region, or one without a boundary (only cities and counties have one)"),
      },
    },
    {
      method: "get",
      path: "/api/v1/coverage/{code}",
      operationId: "getCoverage",
      summary: "Smart-community coverage of a region",
      description:
        "Certified communities against the target, with the region's children (docs/figures.md). Public for the " +
        "province, cities and counties; townships and communities need view scope.",
      tags: ["coverage"],
      security: optionallySignedIn,
      request: {
        params: codeParam,
        query: coverageQuerySchema.extend({
          includeVillages: z
            .enum(["true", "1"])
            .optional()
            .describe("count village-level units too (default: urban communities)"),
          children: coverageQuerySchema.shape.children.describe(
            "`county`: the province lists its counties instead of its cities",
          ),
        }),
      },
      responses: { 200: ok(coverageReportJsonSchema, "The figures"), ...errors(400, 401, 403, 404) },
    },
    {
      method: "get",
      path: "/api/v1/living-circle/{code}/sites",
      operationId: "chooseSites",
      summary: "The best new sites for a measure in a county or township",
      description:
        "The k sites (existing communities and facilities, or the caller's proposed points) that would bring the most " +
        "residents aged 60+ within the measure's threshold: exact, with greedy beside it. Needs view scope; a city " +
        "or the province is refused (400).",
      tags: ["living circle"],
      security: signedIn,
      request: {
        params: codeParam,
        query: sitesQuerySchema.omit({ includeVillages: true }).extend({
          proposed: z.string().optional().describe("up to 20 points of your own: `lat,lng;lat,lng`"),
          villages: z.enum(["true", "1"]).optional().describe("count village-level units too"),
        }),
      },
      responses: { 200: ok(sitesAnswerJsonSchema, "The chosen sites"), ...errors(400, 401, 403, 404) },
    },
    {
      method: "get",
      path: OPENAPI_PATH,
      operationId: "getOpenApiDocument",
      summary: "This document",
      description: "The OpenAPI 3.1 document of /api/v1. A readable version: /api/docs.",
      tags: ["meta"],
      security: [{}],
      responses: {
        200: ok(
          z
            .object({ openapi: z.string(), info: z.object({}).passthrough(), paths: z.record(z.unknown()) })
            .passthrough(),
          "The document",
        ),
      },
    },
  ];
  for (const operation of operations) registry.registerPath(operation);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Shequ (社区通) API",
      version: "1",
      description:
        "Shandong's smart-community services: residents' search, facilities and services (read and write), regions " +
        "and boundaries, coverage toward the targets and living-circle planning. Every error is JSON " +
        "`{error, fields?}`. Identifiers (categories, facility types, levels, states) are those of docs/identifiers.md. " +
        "An HSDS 3.0 (Human Services Data Specification) API of the same listings is at /api/hsds/v3.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "residents", description: "Public search, no account needed" },
      { name: "listings", description: "Community staff and officials: facilities and services" },
      { name: "regions", description: "Divisions and boundaries" },
      { name: "coverage", description: "Coverage toward the targets" },
      { name: "living circle", description: "Planning new facilities" },
      { name: "meta", description: "This document" },
    ],
  });
}

export type OpenApiDocument = ReturnType<typeof build>;

let made: OpenApiDocument | null = null;

/** the document, made once per process (about 20 ms) */
export function openApiDocument(): OpenApiDocument {
  made ??= build();
  return made;
}

const METHODS: Method[] = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

/** `/api/v1/facilities/{id}` → a pattern for one path segment per parameter */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}/?$`);

let table: { pattern: RegExp; methods: string[] }[] | null = null;

/**
 * The methods the document lists for a path (`HEAD` with `GET`), or null when it documents no such
 * path: the app server answers 405 with these as `Allow` for any other method.
 */
export function documentedMethods(pathname: string): string[] | null {
  table ??= Object.entries(openApiDocument().paths ?? {}).map(([path, item]) => {
    const methods = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    return { pattern: pathPattern(path), methods: methods.includes("GET") ? [...methods, "HEAD"] : methods };
  });
  return table.find((entry) => entry.pattern.test(pathname))?.methods ?? null;
}
