// The OpenAPI document (GET /api/v1/openapi.json, made from the routes' zod schemas) is a valid
// OpenAPI 3.1 document; it has every api.v1 route of Remix's manifest with the methods the route
// answers, and nothing else; and every documented operation, called against the test database,
// answers a success and an error whose bodies the documented schemas accept (ajv, draft 2020-12).
// Unknown /api/ addresses answer the API's JSON 404, and documented paths 405 for other methods.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";

import { generateApiToken } from "~/domains/accounts/auth.server";
import { documentedMethods, OPENAPI_PATH } from "~/domains/api-docs/openapi.server";
import { CATALOGUES } from "~/i18n";
import { loader as unknownApiLoader, action as unknownApiAction } from "~/routes/api.$";
import { loader as docsPage } from "~/routes/api.docs";
import { loader as coverageLoader } from "~/routes/api.v1.coverage.$code";
import { action as createFacilityAction, loader as listFacilities } from "~/routes/api.v1.facilities";
import { action as patchFacility, loader as getFacility } from "~/routes/api.v1.facilities.$id";
import { action as createServiceAction } from "~/routes/api.v1.facilities.$id.services";
import { loader as sitesLoader } from "~/routes/api.v1.living-circle.$code.sites";
import { loader as openApiLoader } from "~/routes/api.v1.openapi[.json]";
import { loader as regionLoader } from "~/routes/api.v1.regions.$code";
import { loader as boundaryLoader } from "~/routes/api.v1.regions.$code.boundary";
import { loader as regionSearchLoader } from "~/routes/api.v1.regions._index";
import { loader as searchLoader } from "~/routes/api.v1.services";
import { action as patchService, loader as getService } from "~/routes/api.v1.services.$id";
import { action as giveFeedback } from "~/routes/api.v1.services.$id.feedback";
import { createApp, type AppHooks } from "~/server/app";

import { createApiToken } from "../../db/queries/users.server";
import { server as outsideServices } from "../mocks/server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { manifestRoutes } from "../utils/route-manifest";
import { callAction, callLoaderAs } from "../utils/routes";

type Json = Record<string, unknown>;
type Schema = Json;
type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
type Document = {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Json> };
};

const COMMUNITY = "370102001002";
const IN_LIXIA = { lat: 36.6651, lng: 117.0403 };

let doc: Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/** a documented schema, its component references turned into the validator's own $defs */
function validatorFor(schema: Schema) {
  const text = JSON.stringify({ ...schema, $defs: doc.components.schemas }).replaceAll(
    "#/components/schemas/",
    "#/$defs/",
  );
  return ajv.compile(JSON.parse(text) as Schema);
}

/** every "<METHOD> <path> <status>" the calls below checked against the document */
const checked = new Set<string>();

/** The response's status and body must be documented for the operation, and match its schema. */
async function expectDocumented(method: string, path: string, response: Response) {
  const operation = doc.paths[path]?.[method];
  expect(operation, `${method} ${path} is documented`).toBeDefined();
  const documented = operation.responses[String(response.status)];
  expect(documented, `${method} ${path} documents ${response.status}`).toBeDefined();
  const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim();
  const media = documented.content?.[type];
  expect(media, `${method} ${path} ${response.status} documents ${type}`).toBeDefined();
  const body: unknown = type === "text/csv" ? await response.text() : await response.json();
  const validate = validatorFor(media!.schema);
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `${method} ${path} ${response.status} matches its schema`).toEqual([]);
  checked.add(`${method} ${path} ${response.status}`);
  return body as Json;
}

/** the minimal OpenAPI 3.1 checks: the top level, operations with responses, unique operation ids */
const documentShape = {
  type: "object",
  required: ["openapi", "info", "paths", "components"],
  properties: {
    openapi: { type: "string", pattern: "^3\\.1\\.\\d+$" },
    info: {
      type: "object",
      required: ["title", "version"],
      properties: { title: { type: "string", minLength: 1 }, version: { type: "string", minLength: 1 } },
    },
    paths: {
      type: "object",
      minProperties: 1,
      propertyNames: { pattern: "^/" },
      additionalProperties: {
        type: "object",
        propertyNames: { enum: ["get", "put", "post", "delete", "options", "head", "patch", "trace", "parameters"] },
        additionalProperties: {
          type: "object",
          required: ["operationId", "summary", "responses"],
          properties: {
            operationId: { type: "string", minLength: 1 },
            responses: { type: "object", minProperties: 1, propertyNames: { pattern: "^[1-5]\\d\\d$" } },
            parameters: {
              type: "array",
              items: {
                type: "object",
                required: ["name", "in", "schema"],
                properties: { in: { enum: ["query", "path", "header", "cookie"] } },
              },
            },
          },
        },
      },
    },
    components: {
      type: "object",
      required: ["schemas", "securitySchemes"],
      properties: { schemas: { type: "object", additionalProperties: { type: "object" } } },
    },
  },
};

function references(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, found));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string") found.push(inner);
      else references(inner, found);
    }
  }
  return found;
}

const pointer = (root: unknown, ref: string) =>
  ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((at, part) => (at && typeof at === "object" ? (at as Json)[part] : undefined), root);

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;
type Action = (args: ActionFunctionArgs) => Promise<Response> | Response;

let ipCounter = 0;
const call = (loader: Loader, url: string, params: Record<string, string> = {}, cookie?: string) =>
  callLoaderAs(loader, url, cookie, params);
const send = (
  action: Action,
  url: string,
  method: string,
  json: unknown,
  { cookie, headers, params }: { cookie?: string; headers?: Record<string, string>; params?: Record<string, string> },
) => callAction(action, url, { method, json, cookie, headers, params, clientIp: `192.0.2.${(ipCounter++ % 250) + 1}` });

beforeAll(async () => {
  const response = await callLoaderAs(openApiLoader, OPENAPI_PATH);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/json");
  doc = (await response.json()) as Document;
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 in shape, every $ref resolves and every schema compiles", () => {
    const validate = ajv.compile(documentShape);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const refs = references(doc);
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((ref) => !ref.startsWith("#/") || pointer(doc, ref) === undefined)).toEqual([]);
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const schema of Object.values(doc.components.schemas)) expect(() => validatorFor(schema)).not.toThrow();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearerToken", "sessionCookie"]);
    expect(doc.info.description).toContain("/api/hsds/v3");
    // a broken reference is caught (the check itself works)
    expect(pointer(doc, "#/components/schemas/NoSuchThing")).toBeUndefined();
  });

  it("documents every api.v1 route with the methods it answers, and nothing else", async () => {
    const routes = (await manifestRoutes()).filter((r) => r.id.startsWith("routes/api.v1."));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const fromRoutes = new Set<string>();
    for (const route of routes) {
      const source = readFileSync(route.file, "utf8");
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      if (/export\s+async\s+function\s+loader\b/.test(source)) fromRoutes.add(`get ${path}`);
      if (/export\s+async\s+function\s+action\b/.test(source)) {
        const methods = [...source.matchAll(/requireMethod\(request,\s*([^)]*)\)/g)].flatMap((m) =>
          [...m[1].matchAll(/"(\w+)"/g)].map((n) => n[1].toLowerCase()),
        );
        expect(methods.length, `${route.id}: its action names its methods (requireMethod)`).toBeGreaterThan(0);
        for (const method of methods) fromRoutes.add(`${method} ${path}`);
      }
    }
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)),
    );
    expect([...documented].sort()).toEqual([...fromRoutes].sort());
  });

  it("serves one version with an entity tag, and 304 to a reader that has it", async () => {
    const first = await callLoaderAs(openApiLoader, OPENAPI_PATH);
    const etag = first.headers.get("ETag");
    expect(etag).toBeTruthy();
    await expectDocumented("get", OPENAPI_PATH, first);
    const again = await openApiLoader({
      request: new Request(`http://localhost${OPENAPI_PATH}`, { headers: { "If-None-Match": etag! } }),
      params: {},
      context: { clientIp: "127.0.0.1" },
    });
    expect(again.status).toBe(304);
  });
});

describe("every documented operation answers as documented", () => {
  let cookie: string;
  let bearer: Record<string, string>;
  let facilityId: string;
  let serviceId: string;

  beforeAll(async () => {
    const staff = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
    cookie = (await sessionCookieFor(staff.id)).cookie;
    const { token, tokenHash } = generateApiToken();
    await createApiToken({ userId: staff.id, name: "openapi test", tokenHash });
    bearer = { Authorization: `Bearer ${token}` };
  });

  it("facilities and services: create, read, list and change (session and token)", async () => {
    const facility = await expectDocumented(
      "post",
      "/api/v1/facilities",
      await send(
        createFacilityAction,
        "/api/v1/facilities",
        "POST",
        {
          communityCode: COMMUNITY,
          name: "文档测试日间照料中心",
          type: "elderly_day_care",
          ...IN_LIXIA,
          phone: "0531-86000000",
          openingHours: { week: { "1": ["08:00-11:30"] } },
        },
        { headers: bearer },
      ),
    );
    facilityId = facility.id as string;
    expect(facility).toMatchObject({ version: 1, communityCode: COMMUNITY });
    const invalid = await send(
      createFacilityAction,
      "/api/v1/facilities",
      "POST",
      { communityCode: COMMUNITY, type: "no_such_type" },
      { cookie },
    );
    expect(invalid.status).toBe(422);
    await expectDocumented("post", "/api/v1/facilities", invalid);

    const servicePath = "/api/v1/facilities/{id}/services";
    const service = await expectDocumented(
      "post",
      servicePath,
      await send(
        createServiceAction,
        `/api/v1/facilities/${facilityId}/services`,
        "POST",
        { name: "助餐", category: "elderly_care", eligibility: { minAge: 60, residentsOnly: true }, capacity: 40 },
        { cookie, params: { id: facilityId } },
      ),
    );
    serviceId = service.id as string;
    const unknownFacility = await send(
      createServiceAction,
      "/api/v1/facilities/nope/services",
      "POST",
      { name: "助餐", category: "elderly_care" },
      { cookie, params: { id: "nope" } },
    );
    expect(unknownFacility.status).toBe(404);
    await expectDocumented("post", servicePath, unknownFacility);

    await expectDocumented(
      "get",
      "/api/v1/facilities/{id}",
      await call(getFacility, `/api/v1/facilities/${facilityId}`, { id: facilityId }, cookie),
    );
    const anonymous = await call(getFacility, `/api/v1/facilities/${facilityId}`, { id: facilityId });
    expect(anonymous.status).toBe(401);
    await expectDocumented("get", "/api/v1/facilities/{id}", anonymous);

    for (const format of ["json", "csv", "geojson"]) {
      const list = await call(listFacilities, `/api/v1/facilities?scope=${COMMUNITY}&format=${format}`, {}, cookie);
      expect(list.status).toBe(200);
      const body = await expectDocumented("get", "/api/v1/facilities", list);
      if (format === "csv") expect(String(body)).toContain("文档测试日间照料中心");
    }
    await expectDocumented(
      "get",
      "/api/v1/facilities",
      await call(listFacilities, "/api/v1/facilities?scope=12345", {}, cookie),
    );

    const facilityItem = "/api/v1/facilities/{id}";
    const changedFacility = await expectDocumented(
      "patch",
      facilityItem,
      await send(
        patchFacility,
        `/api/v1/facilities/${facilityId}`,
        "PATCH",
        { version: 1, phone: "0531-12345678" },
        { cookie, params: { id: facilityId } },
      ),
    );
    expect(changedFacility.version).toBe(2);
    const stale = await send(
      patchFacility,
      `/api/v1/facilities/${facilityId}`,
      "PATCH",
      { version: 1, phone: "0531-87654321" },
      { headers: bearer, params: { id: facilityId } },
    );
    expect(stale.status).toBe(409);
    expect(await expectDocumented("patch", facilityItem, stale)).toHaveProperty("current.version", 2);
    const noVersion = await send(
      patchFacility,
      `/api/v1/facilities/${facilityId}`,
      "PATCH",
      { phone: "0531-87654321" },
      { cookie, params: { id: facilityId } },
    );
    expect(noVersion.status).toBe(400);
    await expectDocumented("patch", facilityItem, noVersion);

    const serviceItem = "/api/v1/services/{id}";
    await expectDocumented(
      "patch",
      serviceItem,
      await send(
        patchService,
        `/api/v1/services/${serviceId}`,
        "PATCH",
        { version: 1, fee: "免费" },
        { headers: bearer, params: { id: serviceId } },
      ),
    );
    const badService = await send(
      patchService,
      `/api/v1/services/${serviceId}`,
      "PATCH",
      { version: 2, capacity: -1 },
      { cookie, params: { id: serviceId } },
    );
    expect(badService.status).toBe(422);
    await expectDocumented("patch", serviceItem, badService);
  });

  it("residents' search and one service", async () => {
    const page = await expectDocumented(
      "get",
      "/api/v1/services",
      await call(searchLoader, `/api/v1/services?lat=${IN_LIXIA.lat}&lng=${IN_LIXIA.lng}&category=elderly_care`),
    );
    expect((page.services as Json[]).map((s) => s.id)).toContain(serviceId);
    const outside = await call(searchLoader, "/api/v1/services?lat=10&lng=117");
    expect(outside.status).toBe(400);
    await expectDocumented("get", "/api/v1/services", outside);

    const one = "/api/v1/services/{id}";
    await expectDocumented(
      "get",
      one,
      await call(getService, `/api/v1/services/${serviceId}?lat=${IN_LIXIA.lat}&lng=${IN_LIXIA.lng}`, {
        id: serviceId,
      }),
    );
    await expectDocumented("get", one, await call(getService, `/api/v1/services/${serviceId}`, { id: serviceId }));
    const missing = await call(getService, "/api/v1/services/nope", { id: "nope" });
    expect(missing.status).toBe(404);
    await expectDocumented("get", one, missing);

    const feedback = "/api/v1/services/{id}/feedback";
    const given = await send(
      giveFeedback,
      `/api/v1/services/${serviceId}/feedback`,
      "POST",
      { satisfied: true },
      {
        params: { id: serviceId },
      },
    );
    expect(given.status).toBe(201);
    const browser = given.headers.get("Set-Cookie")!.split(";")[0];
    await expectDocumented("post", feedback, given);
    const replaced = await send(
      giveFeedback,
      `/api/v1/services/${serviceId}/feedback`,
      "POST",
      { satisfied: false, comment: "排队太久" },
      { params: { id: serviceId }, cookie: browser },
    );
    expect(replaced.status).toBe(200);
    await expectDocumented("post", feedback, replaced);
    const unknown = await send(
      giveFeedback,
      "/api/v1/services/nope/feedback",
      "POST",
      { satisfied: true },
      {
        params: { id: "nope" },
      },
    );
    expect(unknown.status).toBe(404);
    await expectDocumented("post", feedback, unknown);
    const invalid = await send(
      giveFeedback,
      `/api/v1/services/${serviceId}/feedback`,
      "POST",
      { satisfied: "yes" },
      {
        params: { id: serviceId },
      },
    );
    expect(invalid.status).toBe(400);
    await expectDocumented("post", feedback, invalid);
  });

  it("regions, boundaries and coverage", async () => {
    const admin = await createTestUser({ role: "province_admin", regionCode: "37" });
    const adminCookie = (await sessionCookieFor(admin.id)).cookie;
    const found = await expectDocumented(
      "get",
      "/api/v1/regions",
      await call(regionSearchLoader, "/api/v1/regions?search=%E5%8E%86%E4%B8%8B", {}, adminCookie),
    );
    expect(JSON.stringify(found)).toContain("370102");
    await expectDocumented(
      "get",
      "/api/v1/regions",
      await call(regionSearchLoader, "/api/v1/regions", {}, adminCookie),
    );
    await expectDocumented(
      "get",
      "/api/v1/regions",
      await call(regionSearchLoader, "/api/v1/regions?search=1", {}, cookie),
    );
    await expectDocumented(
      "get",
      "/api/v1/regions/{code}",
      await call(regionLoader, "/api/v1/regions/370102", { code: "370102" }),
    );
    await expectDocumented(
      "get",
      "/api/v1/regions/{code}",
      await call(regionLoader, "/api/v1/regions/37a", { code: "37a" }),
    );
    await expectDocumented(
      "get",
      "/api/v1/regions/{code}",
      await call(regionLoader, "/api/v1/regions/99", { code: "99" }),
    );
    const boundary = await call(boundaryLoader, "/api/v1/regions/370102/boundary", { code: "370102" });
    expect(boundary.headers.get("Content-Type")).toContain("application/geo+json");
    await expectDocumented("get", "/api/v1/regions/{code}/boundary", boundary);
    await expectDocumented(
      "get",
      "/api/v1/regions/{code}/boundary",
      await call(boundaryLoader, "/api/v1/regions/370102001/boundary", { code: "370102001" }),
    );
    await expectDocumented(
      "get",
      "/api/v1/coverage/{code}",
      await call(coverageLoader, "/api/v1/coverage/37", { code: "37" }),
    );
    await expectDocumented(
      "get",
      "/api/v1/coverage/{code}",
      await call(coverageLoader, "/api/v1/coverage/370102?year=1999", { code: "370102" }),
    );
  });

  it("living-circle sites", async () => {
    const official = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { cookie: officialCookie } = await sessionCookieFor(official.id);
    const path = "/api/v1/living-circle/{code}/sites";
    await expectDocumented(
      "get",
      path,
      await call(
        sitesLoader,
        "/api/v1/living-circle/370102/sites?measure=elderly_care&k=1",
        { code: "370102" },
        officialCookie,
      ),
    );
    const city = await call(sitesLoader, "/api/v1/living-circle/3701/sites", { code: "3701" }, officialCookie);
    expect(city.status).toBe(403);
    await expectDocumented("get", path, city);
    await expectDocumented(
      "get",
      path,
      await call(sitesLoader, "/api/v1/living-circle/370102/sites?k=11", { code: "370102" }, officialCookie),
    );
  });

  it("each operation had a success and an error checked (the document's own: a success only)", () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        const statuses = [...checked].filter((c) => c.startsWith(`${method} ${path} `)).map((c) => c.split(" ")[2]);
        if (!statuses.some((s) => s.startsWith("2"))) missing.push(`${method} ${path}: no success`);
        if (path !== OPENAPI_PATH && !statuses.some((s) => s.startsWith("4")))
          missing.push(`${method} ${path}: no error`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("a response the document does not describe fails the check", () => {
  it("a body of the wrong shape is refused by the documented schema", () => {
    const schema = doc.paths["/api/v1/regions/{code}"].get.responses["200"].content!["application/json"].schema;
    const validate = validatorFor(schema);
    expect(validate({ code: "370102", name: "历下区", level: "county", parentCode: "3701", children: [] })).toBe(true);
    expect(validate({ code: "370102", name: "历下区", level: "nowhere", children: [] })).toBe(false);
  });
});

describe("/api/ addresses no route answers, and methods a route lacks", () => {
  it("unknown paths answer the API's JSON 404, for any method", async () => {
    for (const url of ["/api/v1/nope", "/api/whatever", "/api/v2/services"]) {
      const response = await call(unknownApiLoader, url, { "*": url.slice(5) });
      expect(response.status).toBe(404);
      expect(response.headers.get("Content-Type")).toContain("application/json");
      const body = await response.json();
      expect(body.error).toContain(url);
      expect(validatorFor(doc.components.schemas.ApiError)(body)).toBe(true);
    }
    const posted = await send(unknownApiAction, "/api/v1/nope", "POST", { a: 1 }, {});
    expect(posted.status).toBe(404);
    expect(await posted.json()).toHaveProperty("error");
  });

  it("through the app server: 404 JSON for an unknown API path, 405 JSON with Allow for a documented one, HTML 404 elsewhere", async () => {
    const handleRequest: AppHooks["handleRequest"] = async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/api/") && pathname !== "/api/docs")
        return unknownApiLoader({ request, params: {}, context: { clientIp: "127.0.0.1" } });
      return new Response("<!DOCTYPE html><p>not found</p>", { status: 404, headers: { "Content-Type": "text/html" } });
    };
    const app = createApp(
      {
        handleRequest,
        checkDatabase: async () => ({ ok: true, db: "test", migrations: 0 }),
        isDatabaseUnavailable: () => false,
        isCrossSiteMutation: () => false,
        refreshSessionCookie: async () => null,
        apiMethods: documentedMethods,
      },
      { maxInFlight: 8, maxInFlightPages: 8, deadlineMs: 5000, staticFiles: false },
    );
    const server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // these requests go to our own server on loopback: msw stays out of them
    outsideServices.close();
    try {
      const unknown = await fetch(`${base}/api/v1/nope`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toHaveProperty("error");

      const wrong = await fetch(`${base}/api/v1/regions/37`, { method: "DELETE" });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get("Allow")).toBe("GET, HEAD");
      expect(await wrong.json()).toEqual({ error: "method DELETE not allowed" });

      const post = await fetch(`${base}/api/v1/facilities/x`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      expect(post.status).toBe(405);
      expect(post.headers.get("Allow")).toBe("GET, PATCH, HEAD");
      const search = await fetch(`${base}/api/v1/services`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      expect(search.status).toBe(405);

      const page = await fetch(`${base}/no-such-page`);
      expect(page.status).toBe(404);
      expect(page.headers.get("Content-Type")).toContain("text/html");
    } finally {
      outsideServices.listen({ onUnhandledRequest: "error" });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("documentedMethods knows the documented paths only", () => {
    expect(documentedMethods("/api/v1/services")).toEqual(["GET", "HEAD"]);
    expect(documentedMethods("/api/v1/facilities/abc/services")).toEqual(["POST"]);
    expect(documentedMethods("/api/v1/openapi.json")).toEqual(["GET", "HEAD"]);
    expect(documentedMethods("/api/hsds/v3/services")).toBeNull();
  });
});

describe("/api/docs", () => {
  it("lists every operation of the document with its parameters, answers and a curl line", async () => {
    const response = await call(docsPage, "/api/docs");
    expect(response.status).toBe(200);
    const data = (await response.json()) as {
      operations: {
        id: string;
        method: string;
        path: string;
        curl: string;
        responses: unknown[];
        parameters: unknown[];
      }[];
    };
    const documented = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    expect(data.operations.map((o) => o.id).sort()).toEqual(documented.sort());
    const search = data.operations.find((o) => o.id === "searchServices")!;
    expect(search.curl).toContain("http://localhost/api/v1/services?lat=36.6512&lng=117.1201");
    expect(search.parameters.length).toBeGreaterThanOrEqual(8);
    const create = data.operations.find((o) => o.id === "createFacility")!;
    expect(create.curl).toContain("Authorization: Bearer");
    expect(create.curl).toContain('"communityCode":"370102001002"');
  });

  it("has each operation's summary in both catalogues", () => {
    for (const catalogue of [CATALOGUES["zh-CN"], CATALOGUES.en]) {
      const summaries = catalogue.apiDocs.operations as Record<string, string>;
      const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
      expect(ids.filter((id) => !summaries[id])).toEqual([]);
    }
  });
});
