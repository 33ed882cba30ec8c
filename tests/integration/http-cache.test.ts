// Issue 14, part 7: public reads say how long a browser and a shared cache may keep them, carry an
// entity tag and answer 304 to a matching If-None-Match; anything read signed in (a session or an
// API token) is `private, no-store` with no entity tag; pages are never shared-cached.
import { json, type LoaderFunctionArgs } from "@remix-run/node";

import { generateApiToken } from "~/domains/accounts/auth.server";
import { handleDataRequest } from "~/entry.server";
import { loader as coverageApi } from "~/routes/api.v1.coverage.$code";
import { loader as listFacilities } from "~/routes/api.v1.facilities";
import { loader as getFacility } from "~/routes/api.v1.facilities.$id";
import { loader as regionApi } from "~/routes/api.v1.regions.$code";
import { loader as boundaryApi } from "~/routes/api.v1.regions.$code.boundary";
import { loader as searchApi } from "~/routes/api.v1.services";
import { loader as serviceApi } from "~/routes/api.v1.services.$id";
import { loader as coverageShapes } from "~/routes/coverage.$code.shapes[.geojson]";
import { PUBLIC_CACHE, publicCacheControl } from "~/utils/http-cache.server";

import { createFacility, createService } from "../../db/queries/listings.server";
import { createApiToken } from "../../db/queries/users.server";
import { createTestUser, sessionCookieFor } from "../utils/accounts";

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;

const COMMUNITY = "370102001002";
const P0 = { lat: 36.6512, lng: 117.1201 };

let ipCounter = 0;

async function get(loader: Loader, url: string, params: Record<string, string> = {}, headers: HeadersInit = {}) {
  const request = new Request(new URL(url, "http://localhost"), { headers });
  // a fresh address per call: the public API's allowance is not what these tests count
  const context = { clientIp: `198.51.100.${(ipCounter++ % 250) + 1}` };
  try {
    return await loader({ request, params, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

let serviceId = "";
let facilityId = "";

beforeAll(async () => {
  const user = await createTestUser({ role: "province_admin", regionCode: "37" });
  const actor = { userId: user.id };
  const facility = await createFacility(actor, COMMUNITY, {
    name: "缓存测试站",
    type: "other",
    address: "历下区泉城路",
    openingHours: null,
    ...P0,
  });
  facilityId = facility.id;
  const service = await createService(actor, facility.id, {
    name: "缓存测试助餐",
    category: "elderly_care",
    description: "说明",
    residentsOnly: false,
  });
  serviceId = service!.id;
});

/** every public read, with the kind of cache it belongs to */
const publicReads = () =>
  [
    { what: "search", loader: searchApi, url: `/api/v1/services?lat=${P0.lat}&lng=${P0.lng}`, kind: "listings" },
    {
      what: "one service",
      loader: serviceApi,
      url: `/api/v1/services/${serviceId}`,
      params: { id: serviceId },
      kind: "listings",
    },
    { what: "a region", loader: regionApi, url: "/api/v1/regions/3701", params: { code: "3701" }, kind: "geography" },
    {
      what: "a boundary",
      loader: boundaryApi,
      url: "/api/v1/regions/370102/boundary",
      params: { code: "370102" },
      kind: "geography",
    },
    {
      what: "coverage figures",
      loader: coverageApi,
      url: "/api/v1/coverage/37",
      params: { code: "37" },
      kind: "coverage",
    },
    {
      what: "coverage shapes",
      loader: coverageShapes,
      url: "/coverage/3701/shapes.geojson",
      params: { code: "3701" },
      kind: "geography",
    },
  ] as const;

describe("a public read", () => {
  it("says how long browsers and shared caches may keep it, with an entity tag", async () => {
    for (const read of publicReads()) {
      const response = await get(read.loader, read.url, "params" in read ? read.params : {});
      expect(response.status, read.what).toBe(200);
      const { maxAge, sMaxAge } = PUBLIC_CACHE[read.kind];
      expect(response.headers.get("Cache-Control"), read.what).toBe(`public, max-age=${maxAge}, s-maxage=${sMaxAge}`);
      expect(response.headers.get("ETag"), read.what).toMatch(/^"[A-Za-z0-9_-]{16}"$/);
      expect(response.headers.get("Vary"), read.what).toBeNull();
    }
  });

  it("answers 304 without a body to a matching If-None-Match, weak or in a list, and 200 otherwise", async () => {
    for (const read of publicReads()) {
      const params = "params" in read ? read.params : {};
      const first = await get(read.loader, read.url, params);
      const body = await first.text();
      const etag = first.headers.get("ETag")!;
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const again = await get(read.loader, read.url, params, { "If-None-Match": ifNoneMatch });
        expect(again.status, `${read.what}: ${ifNoneMatch}`).toBe(304);
        expect(await again.text(), read.what).toBe("");
        expect(again.headers.get("ETag"), read.what).toBe(etag);
        expect(again.headers.get("Cache-Control"), read.what).toBe(publicCacheControl(read.kind));
      }
      const stale = await get(read.loader, read.url, params, { "If-None-Match": '"not-this-one"' });
      expect(stale.status, read.what).toBe(200);
      expect(await stale.text(), read.what).toBe(body);
    }
  });

  it("has another entity tag when the body differs", async () => {
    const tagOf = async (loader: Loader, url: string, params: Record<string, string> = {}) =>
      (await get(loader, url, params)).headers.get("ETag");
    expect(await tagOf(regionApi, "/api/v1/regions/3701", { code: "3701" })).not.toBe(
      await tagOf(regionApi, "/api/v1/regions/3702", { code: "3702" }),
    );
    expect(await tagOf(regionApi, "/api/v1/regions/3701", { code: "3701" })).toBe(
      await tagOf(regionApi, "/api/v1/regions/370100", { code: "370100" }),
    );
    const near = `/api/v1/services?lat=${P0.lat}&lng=${P0.lng}`;
    const far = `/api/v1/services?lat=${P0.lat}&lng=${P0.lng}&q=nothing-is-called-this`;
    expect(await tagOf(searchApi, near)).not.toBe(await tagOf(searchApi, far));
    // a listing changed: the same URL gets a new tag, so a cache's revalidation brings the change
    const before = await tagOf(searchApi, near);
    const user = await createTestUser({ role: "province_admin", regionCode: "37" });
    await createService({ userId: user.id }, facilityId, {
      name: "新登记的服务",
      category: "health",
      description: "说明",
      residentsOnly: false,
    });
    expect(await tagOf(searchApi, near)).not.toBe(before);
  });

  it("is not marked for caching when it is an error", async () => {
    const missing = await get(regionApi, "/api/v1/regions/3799", { code: "3799" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Cache-Control")).toBeNull();
    expect(missing.headers.get("ETag")).toBeNull();
  });
});

describe("a read signed in", () => {
  async function credentials() {
    const user = await createTestUser({ role: "district_official", regionCode: "370102" });
    const { token, tokenHash } = generateApiToken();
    await createApiToken({ userId: user.id, name: "cache test", tokenHash });
    return {
      bearer: { Authorization: `Bearer ${token}` },
      cookie: { Cookie: (await sessionCookieFor(user.id)).cookie },
    };
  }

  it("of the token-authenticated API is private, no-store, without an entity tag", async () => {
    const { bearer, cookie } = await credentials();
    for (const headers of [bearer, cookie]) {
      for (const response of [
        await get(listFacilities, "/api/v1/facilities?scope=370102", {}, headers),
        await get(listFacilities, "/api/v1/facilities?scope=370102&format=csv", {}, headers),
        await get(listFacilities, "/api/v1/facilities?scope=370102&format=geojson", {}, headers),
        await get(getFacility, `/api/v1/facilities/${facilityId}`, { id: facilityId }, headers),
        // figures below a county need scope
        await get(coverageApi, "/api/v1/coverage/370102001", { code: "370102001" }, headers),
      ]) {
        expect(response.status, response.url).toBe(200);
        expect(response.headers.get("Cache-Control")).toBe("private, no-store");
        expect(response.headers.get("ETag")).toBeNull();
      }
    }
  });

  it("of a public route is private, no-store too, and never a 304", async () => {
    const { bearer, cookie } = await credentials();
    for (const read of publicReads()) {
      const params = "params" in read ? read.params : {};
      const etag = (await get(read.loader, read.url, params)).headers.get("ETag")!;
      for (const headers of [bearer, cookie]) {
        const response = await get(read.loader, read.url, params, { ...headers, "If-None-Match": etag });
        expect(response.status, read.what).toBe(200);
        expect(response.headers.get("Cache-Control"), read.what).toBe("private, no-store");
        expect(response.headers.get("ETag"), read.what).toBeNull();
      }
    }
  });
});

describe("a page's data (?_data=)", () => {
  it("is kept from shared caches and varies by the cookies and language it is read with", () => {
    const response = handleDataRequest(json({ any: "data" }));
    expect(response.headers.get("Cache-Control")).toBe("private, no-cache");
    expect(response.headers.get("Vary")).toBe("Cookie, Accept-Language");
    // what a loader chose stands (the app server still makes it private, no-store when signed in)
    const chosen = handleDataRequest(json({}, { headers: { "Cache-Control": "private, no-store" } }));
    expect(chosen.headers.get("Cache-Control")).toBe("private, no-store");
  });
});
