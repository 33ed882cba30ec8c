import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server.js";

import { SEARCH_AREA } from "~/domains/regions/coordinates";
import { createI18n, type Locale } from "~/i18n";
import ResidentHome, {
  ErrorBoundary as ResidentErrorBoundary,
  headers as residentHeaders,
  loader as residentPage,
} from "~/routes/_resident._index";
import { loader as servicePageLoader } from "~/routes/_resident.services.$id";
import { loader as getFacilityApi, action as patchFacility } from "~/routes/api.v1.facilities.$id";
import { action as createServiceAction } from "~/routes/api.v1.facilities.$id.services";
import { loader as search } from "~/routes/api.v1.services";
import { loader as getPublicServiceApi, action as patchService } from "~/routes/api.v1.services.$id";
import { action as selfAssessmentPage } from "~/routes/manage.$code.assessment";
import { action as facilityPage } from "~/routes/manage.facilities.$id._index";
import { action as servicePage } from "~/routes/manage.services.$id";
import { PUBLIC_API_PER_MINUTE } from "~/utils/api-rate-limit.server";
import { RESIDENT_PAGE_PER_MINUTE } from "~/utils/public-budget.server";

import { queryRows } from "../../db/client.server";
import { createFacility, createService } from "../../db/queries/listings.server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";
import { callAction, callLoaderAs } from "../utils/routes";

// Issue 11, parts 5 and 10: integers the columns cannot hold are refused with 400 naming the field
// (never a 500 from PostgreSQL's int4); residents search only from Shandong or near it; the
// residents' page has a per-address budget.

const COMMUNITY = "370102001002";
const IN_LIXIA = { lat: 36.6651, lng: 117.0403 };
/** 2^53 + 1: JSON.parse reads it as 2^53, a "safe-looking" integer far past int4 */
const UNSAFE = "9007199254740993";
const INT4_MAX = 2_147_483_647;

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;

let ipCounter = 0;
/** addresses no other test file uses: the limiters live as long as the worker, across files */
const nextIp = () => `100.64.11.${(ipCounter++ % 250) + 1}`;

async function get(loader: Loader, url: string, ip = nextIp()) {
  const request = new Request(new URL(url, "http://localhost"));
  try {
    return await loader({ request, params: {}, context: { clientIp: ip } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function fixture() {
  const user = await createTestUser({ role: "community_staff", regionCode: COMMUNITY });
  const { cookie } = await sessionCookieFor(user.id);
  const facility = await createFacility({ userId: user.id }, COMMUNITY, {
    name: "老年食堂",
    type: "elderly_canteen",
    address: "",
    ...IN_LIXIA,
  });
  const service = (await createService({ userId: user.id }, facility.id, {
    name: "助餐",
    category: "elderly_care",
    description: "",
    residentsOnly: false,
  }))!;
  return { cookie, facility, service };
}

/** a JSON PATCH with the raw text, so 2^53 + 1 reaches the server as written */
type Action = (args: ActionFunctionArgs) => Promise<Response>;

async function patchJson(action: Action, path: string, id: string, cookie: string, body: string) {
  const request = new Request(new URL(path, "http://localhost"), {
    method: "PATCH",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/json" },
  });
  try {
    return await action({ request, params: { id }, context: { clientIp: "127.0.0.1" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("integers the database cannot hold", () => {
  it("PATCH /api/v1/facilities/:id and /api/v1/services/:id: a version past int4 is 400 naming version, never 500", async () => {
    const { cookie, facility, service } = await fixture();
    for (const [action, path, id] of [
      [patchFacility, `/api/v1/facilities/${facility.id}`, facility.id],
      [patchService, `/api/v1/services/${service.id}`, service.id],
    ] as const) {
      for (const version of [UNSAFE, String(INT4_MAX + 1), "1e12", "-1", "0", "1.5"]) {
        const response = await patchJson(action, path, id, cookie, `{"version": ${version}, "name": "改名"}`);
        expect(response.status, `${path} version ${version}`).toBe(400);
        const body = await response.json();
        expect(Object.keys(body.fields), version).toEqual(["version"]);
        expect(body.fields.version).toMatch(/2147483647/);
      }
      // the largest version the column holds is a stale one here: 409, not a 500
      expect((await patchJson(action, path, id, cookie, `{"version": ${INT4_MAX}}`)).status).toBe(409);
    }
    const [row] = await queryRows<{ name: string; version: number }>(
      sql`select name, version from facilities where id = ${facility.id}`,
    );
    expect(row).toEqual({ name: "老年食堂", version: 1 });
  });

  it("the workspace forms: a version past int4 is 400, never 500", async () => {
    const { cookie, facility, service } = await fixture();
    const facilityForm = {
      intent: "save",
      name: "老年食堂",
      type: "elderly_canteen",
      lat: String(IN_LIXIA.lat),
      lng: String(IN_LIXIA.lng),
    };
    for (const version of [UNSAFE, String(INT4_MAX + 1)]) {
      const saved = await callAction(facilityPage, `/manage/facilities/${facility.id}`, {
        cookie,
        params: { id: facility.id },
        form: { ...facilityForm, version },
      });
      expect(saved.status, version).toBe(400);
      const verified = await callAction(servicePage, `/manage/services/${service.id}`, {
        cookie,
        params: { id: service.id },
        form: { intent: "verify", version },
      });
      expect(verified.status, version).toBe(400);
    }
  });

  it("the self-assessment form: a version past int4 is 400, never 500", async () => {
    const { cookie } = await fixture();
    for (const version of [UNSAFE, String(INT4_MAX + 1)]) {
      const saved = await callAction(selfAssessmentPage, `/manage/${COMMUNITY}/assessment`, {
        cookie,
        params: { code: COMMUNITY },
        form: { intent: "save", version },
      });
      expect(saved.status, version).toBe(400);
    }
  });

  it("capacity and ages past their bounds are refused naming the field (422, the API's invalid-listing answer), never 500", async () => {
    const { cookie, facility, service } = await fixture();
    for (const capacity of ["1e12", UNSAFE, String(INT4_MAX + 1), "-1", "2.5"]) {
      const created = await callAction(createServiceAction, `/api/v1/facilities/${facility.id}/services`, {
        cookie,
        params: { id: facility.id },
        json: JSON.parse(`{"name": "托管", "category": "elderly_care", "capacity": ${capacity}}`),
      });
      expect(created.status, capacity).toBe(422);
      expect(Object.keys((await created.json()).fields), capacity).toEqual(["capacity"]);
      const patched = await patchJson(
        patchService,
        `/api/v1/services/${service.id}`,
        service.id,
        cookie,
        `{"version": 1, "capacity": ${capacity}}`,
      );
      expect(patched.status, capacity).toBe(422);
    }
    const patchedAge = await patchJson(
      patchService,
      `/api/v1/services/${service.id}`,
      service.id,
      cookie,
      `{"version": 1, "eligibility": {"minAge": ${UNSAFE}}}`,
    );
    expect(patchedAge.status).toBe(422);
    expect(Object.keys((await patchedAge.json()).fields)).toEqual(["minAge"]);
  });
});

/** The page as the server renders it (the route's loader, component and error boundary; no layout). */
async function renderResidentPage(url: string, locale: Locale, ip = nextIp()) {
  const routes = [
    {
      path: "/",
      loader: ({ request }: { request: Request }) => residentPage({ request, params: {}, context: { clientIp: ip } }),
      element: createElement(ResidentHome),
      errorElement: createElement(ResidentErrorBoundary),
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(new URL(url, "http://localhost")));
  if (context instanceof Response) throw new Error(`unexpected redirect ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(
    createElement(
      I18nextProvider,
      { i18n: createI18n(locale) },
      createElement(StaticRouterProvider, { router, context }),
    ),
  );
  return { status: context.statusCode, html };
}

describe("path ids", () => {
  it("a huge, numeric, negative or long id is 404, never 500", async () => {
    const { cookie } = await fixture();
    for (const id of [UNSAFE, "99999999999999999999999999", "-1", "1e308", "x".repeat(5000)]) {
      expect(
        (await callLoaderAs(getPublicServiceApi, `/api/v1/services/${id}`, undefined, { id })).status,
        id.slice(0, 30),
      ).toBe(404);
      expect(
        (await callLoaderAs(getFacilityApi, `/api/v1/facilities/${id}`, cookie, { id })).status,
        id.slice(0, 30),
      ).toBe(404);
      expect(
        (await callLoaderAs(servicePageLoader, `/services/${id}`, undefined, { id })).status,
        id.slice(0, 30),
      ).toBe(404);
      expect(
        (await patchJson(patchFacility, `/api/v1/facilities/${id}`, id, cookie, `{"version": 1}`)).status,
        id.slice(0, 30),
      ).toBe(404);
    }
  });
});

describe("residents search only from Shandong or near it", () => {
  it("GET /api/v1/services: a point outside Shandong (with its margin) is 400 naming lat and/or lng", async () => {
    const far = await get(search, "/api/v1/services?lat=-45&lng=-60&limit=100&openNow=true");
    expect(far.status).toBe(400);
    const body = await far.json();
    expect(body.error).toBe("invalid query");
    expect(Object.keys(body.fields).sort()).toEqual(["lat", "lng"]);
    expect(body.fields.lat).toMatch(/outside Shandong/);
    expect(body.fields.lng).toMatch(/outside Shandong/);

    // Beijing: inside Shandong's longitudes, north of its latitudes
    const beijing = await (await get(search, "/api/v1/services?lat=39.9087&lng=116.3975")).json();
    expect(Object.keys(beijing.fields)).toEqual(["lat"]);
    // Shanghai: south of Shandong only
    expect(Object.keys((await (await get(search, "/api/v1/services?lat=31.23&lng=121.47")).json()).fields)).toEqual([
      "lat",
    ]);
    // Seoul: east of Shandong only
    expect(Object.keys((await (await get(search, "/api/v1/services?lat=37.56&lng=126.98")).json()).fields)).toEqual([
      "lng",
    ]);
  });

  it("takes points in Shandong, on its islands and within the margin past its edge", async () => {
    for (const [lat, lng] of [
      [36.6512, 117.1201], // Jinan
      [38.38, 120.9], // the Changdao islands, the northernmost of the province
      [34.4, 115.0], // the south-western corner
      [SEARCH_AREA.south + 0.01, SEARCH_AREA.west + 0.01], // the margin past the corner
      [SEARCH_AREA.north - 0.01, SEARCH_AREA.east - 0.01],
    ]) {
      const response = await get(search, `/api/v1/services?lat=${lat}&lng=${lng}&limit=1`);
      expect(response.status, `${lat},${lng}`).toBe(200);
    }
    expect((await get(search, `/api/v1/services?lat=${SEARCH_AREA.north + 0.01}&lng=117`)).status).toBe(400);
    expect((await get(search, `/api/v1/services?lat=36&lng=${SEARCH_AREA.west - 0.01}`)).status).toBe(400);
  });

  it("the page `/`: a point or an address outside Shandong shows the message and no results (400, not 500)", async () => {
    const far = await get(residentPage, "/?lat=-45&lng=-60&openNow=1&radius=any");
    expect(far.status).toBe(400);
    expect(await far.json()).toMatchObject({ origin: null, problem: "outsideShandong", services: [], hasMore: false });
    // the geocoder finds Beijing; the page does not search from there
    const address = await get(residentPage, `/?address=${encodeURIComponent("北京市东城区天安门")}`);
    expect(address.status).toBe(400);
    expect(await address.json()).toMatchObject({ origin: null, problem: "outsideShandong", services: [] });
    // the message is in both catalogues
    for (const locale of ["zh-CN", "en"] as const) {
      const { t } = createI18n(locale);
      expect(t("resident.outsideShandong")).not.toBe("resident.outsideShandong");
      expect(t("resident.tooManyRequests", { seconds: 42 })).toMatch(/42/);
    }
    // as the resident sees it, in both languages: the message, no list, the far point not carried on
    for (const locale of ["zh-CN", "en"] as const) {
      const { status, html } = await renderResidentPage("/?lat=-45&lng=-60&limit=100&openNow=1", locale);
      expect(status).toBe(400);
      expect(html).toContain(escapeHtml(createI18n(locale).t("resident.outsideShandong")));
      expect(html).not.toContain('data-testid="results"');
      expect(html).not.toContain('name="lat"');
    }
    // in Shandong: 200 with its point
    const jinan = await get(residentPage, "/?lat=36.6512&lng=117.1201");
    expect(jinan.status).toBe(200);
    expect((await jinan.json()).problem).toBeNull();
  });
});

describe("the residents' page budget", () => {
  it("answers 429 with Retry-After past the per-address budget, apart from the API's", async () => {
    const ip = "100.64.12.77";
    for (let i = 0; i < RESIDENT_PAGE_PER_MINUTE; i++) expect((await get(residentPage, "/", ip)).status).toBe(200);
    const limited = await get(residentPage, "/?lat=36.6512&lng=117.1201", ip);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({ limited: true, retryAfterSeconds: retryAfter });
    // another address is not affected, nor is this address's API allowance
    expect((await get(residentPage, "/")).status).toBe(200);
    expect(PUBLIC_API_PER_MINUTE).toBeGreaterThan(0);
    expect((await get(search, "/api/v1/services?lat=36.6512&lng=117.1201&limit=1", ip)).status).toBe(200);
    // the page a resident sees: the route's error boundary with the wait, in both languages
    for (const locale of ["zh-CN", "en"] as const) {
      const { status, html } = await renderResidentPage("/", locale, ip);
      expect(status).toBe(429);
      expect(html).toMatch(/role="alert"/);
      const [before, after] = createI18n(locale).t("resident.tooManyRequests", { seconds: "SECONDS" }).split("SECONDS");
      expect(html).toMatch(new RegExp(`${escapeRegExp(escapeHtml(before))}\\d{1,2}${escapeRegExp(escapeHtml(after))}`));
    }
    // the document keeps Retry-After (the route's headers())
    const documentHeaders = new Headers(
      residentHeaders({
        parentHeaders: new Headers(),
        loaderHeaders: new Headers(),
        actionHeaders: new Headers(),
        errorHeaders: limited.headers,
      }),
    );
    expect(documentHeaders.get("Retry-After")).toBe(String(retryAfter));
  });
});
