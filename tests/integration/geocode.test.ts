import { delay, http, HttpResponse } from "msw";

import { clearGeocodeCache, geocodeAddress, type GeocodeOptions } from "~/utils/geocode.server";

import { gazetteer, NOMINATIM_URL, TIANDITU_GEOCODER_URL } from "../mocks/handlers/geocoding";
import { server } from "../mocks/server";

const NOMINATIM_SEARCH = `${NOMINATIM_URL}/search`;
const nominatim: GeocodeOptions = { provider: "nominatim" };
const tianditu: GeocodeOptions = { provider: "tianditu", tiandituKey: "test-key" };

/** Counts the requests to `url`, then lets the default handlers answer them. */
function countRequests(url: string) {
  const seen: URL[] = [];
  server.use(
    http.get(url, ({ request }) => {
      seen.push(new URL(request.url));
    }),
  );
  return seen;
}

beforeEach(() => clearGeocodeCache());

describe("geocodeAddress", () => {
  it("finds a Jinan address with Nominatim, asking for one Chinese result with our User-Agent", async () => {
    let userAgent: string | null = null;
    const seen = countRequests(NOMINATIM_SEARCH);
    server.use(
      http.get(NOMINATIM_SEARCH, ({ request }) => {
        userAgent = request.headers.get("User-Agent");
      }),
    );
    const result = await geocodeAddress("  山东省济南市历下区解放路   123号 ", nominatim);
    expect(result).toEqual({
      ok: true,
      lat: gazetteer["山东省济南市历下区解放路"].lat,
      lng: gazetteer["山东省济南市历下区解放路"].lng,
      label: gazetteer["山东省济南市历下区解放路"].label,
      provider: "nominatim",
    });
    expect(seen).toHaveLength(1);
    expect(Object.fromEntries(seen[0].searchParams)).toEqual({
      q: "山东省济南市历下区解放路 123号",
      format: "jsonv2",
      limit: "1",
      countrycodes: "cn",
      "accept-language": "zh-CN",
    });
    expect(userAgent).toBe("shequ/0.1 (smart-community services map)");
  });

  it("finds an address with Tianditu, sending the keyword as JSON with the key", async () => {
    const seen = countRequests(TIANDITU_GEOCODER_URL);
    const result = await geocodeAddress("济南市历下区泉城路", tianditu);
    expect(result).toMatchObject({
      ok: true,
      lat: 36.665,
      lng: 117.022,
      provider: "tianditu",
      label: "济南市历下区泉城路",
    });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0].searchParams.get("ds")!)).toEqual({ keyWord: "济南市历下区泉城路" });
    expect(seen[0].searchParams.get("tk")).toBe("test-key");
  });

  it("gives the same place from both providers, and caches them apart", async () => {
    const a = await geocodeAddress("青岛市市南区香港中路", nominatim);
    const b = await geocodeAddress("青岛市市南区香港中路", tianditu);
    expect(a).toMatchObject({ ok: true, provider: "nominatim", lat: 36.063, lng: 120.385 });
    expect(b).toMatchObject({ ok: true, provider: "tianditu", lat: 36.063, lng: 120.385 });
  });

  it("answers not_found for an unknown address, from either provider", async () => {
    for (const options of [nominatim, tianditu]) {
      const result = await geocodeAddress("火星市不存在区无名路", options);
      expect(result).toMatchObject({ ok: false, reason: "not_found" });
      if (!result.ok) expect(result.message).toMatch(/no location/);
    }
  });

  it("treats a Tianditu answer without a location as not found", async () => {
    server.use(http.get(TIANDITU_GEOCODER_URL, () => HttpResponse.json({ status: "0", msg: "ok" })));
    expect(await geocodeAddress("济南市历下区泉城路", tianditu)).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("answers not_found for blank and overlong addresses without a request", async () => {
    const seen = countRequests(NOMINATIM_SEARCH);
    for (const address of ["", "   \n\t "]) {
      expect(await geocodeAddress(address, nominatim)).toEqual({
        ok: false,
        reason: "not_found",
        message: "the address is empty",
      });
    }
    const long = await geocodeAddress("济".repeat(201), nominatim);
    expect(long).toMatchObject({ ok: false, reason: "not_found", message: expect.stringMatching(/200 characters/) });
    expect(seen).toHaveLength(0);
  });

  it("times out when the geocoder is too slow", async () => {
    server.use(
      http.get(NOMINATIM_SEARCH, async () => {
        await delay(2000);
        return HttpResponse.json([]);
      }),
    );
    const started = Date.now();
    const result = await geocodeAddress("济南市历下区泉城路", { ...nominatim, timeoutMs: 50 });
    expect(result).toEqual({
      ok: false,
      reason: "timeout",
      message: "the Nominatim geocoder did not answer within 50 ms",
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("answers unavailable on HTTP 500", async () => {
    server.use(http.get(TIANDITU_GEOCODER_URL, () => new HttpResponse("oops", { status: 500 })));
    expect(await geocodeAddress("济南市历下区泉城路", tianditu)).toEqual({
      ok: false,
      reason: "unavailable",
      message: "the Tianditu geocoder answered HTTP 500",
    });
  });

  it("answers unavailable on a network error", async () => {
    server.use(http.get(NOMINATIM_SEARCH, () => HttpResponse.error()));
    const result = await geocodeAddress("济南市历下区泉城路", nominatim);
    expect(result).toMatchObject({
      ok: false,
      reason: "unavailable",
      message: expect.stringMatching(/could not be reached/),
    });
  });

  it("answers unavailable when the caller cancels", async () => {
    const result = await geocodeAddress("济南市历下区泉城路", { ...nominatim, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, reason: "unavailable", message: expect.stringMatching(/cancelled/) });
  });

  it("caches found and not-found answers: the second call makes no request", async () => {
    const seen = countRequests(NOMINATIM_SEARCH);
    const first = await geocodeAddress("济南市历下区泉城路", nominatim);
    const second = await geocodeAddress(" 济南市历下区泉城路 ", nominatim);
    expect(second).toEqual(first);
    await geocodeAddress("火星市不存在区无名路", nominatim);
    await geocodeAddress("火星市不存在区无名路", nominatim);
    expect(seen).toHaveLength(2);
  });

  it("keeps found answers a day and not-found answers ten minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const seen = countRequests(NOMINATIM_SEARCH);
      await geocodeAddress("济南市历下区泉城路", nominatim);
      await geocodeAddress("火星市不存在区无名路", nominatim);
      vi.setSystemTime(Date.now() + 11 * 60 * 1000);
      await geocodeAddress("济南市历下区泉城路", nominatim);
      await geocodeAddress("火星市不存在区无名路", nominatim);
      expect(seen.map((u) => u.searchParams.get("q"))).toEqual([
        "济南市历下区泉城路",
        "火星市不存在区无名路",
        "火星市不存在区无名路",
      ]);
      vi.setSystemTime(Date.now() + 24 * 60 * 60 * 1000);
      await geocodeAddress("济南市历下区泉城路", nominatim);
      expect(seen).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it("holds at most 1,000 addresses, dropping the least recently used", async () => {
    const seen = countRequests(NOMINATIM_SEARCH);
    await geocodeAddress("地址 0", nominatim);
    await geocodeAddress("地址 1", nominatim);
    for (let i = 2; i < 1000; i++) await geocodeAddress(`地址 ${i}`, nominatim);
    await geocodeAddress("地址 0", nominatim); // used again: now the most recent
    await geocodeAddress("地址 1000", nominatim); // evicts 地址 1
    expect(seen).toHaveLength(1001);
    await geocodeAddress("地址 0", nominatim);
    expect(seen).toHaveLength(1001);
    await geocodeAddress("地址 1", nominatim);
    expect(seen).toHaveLength(1002);
  });

  it("does not cache failures", async () => {
    server.use(http.get(NOMINATIM_SEARCH, () => new HttpResponse(null, { status: 503 }), { once: true }));
    const seen = countRequests(NOMINATIM_SEARCH);
    expect(await geocodeAddress("济南市历下区泉城路", nominatim)).toMatchObject({ ok: false, reason: "unavailable" });
    expect(await geocodeAddress("济南市历下区泉城路", nominatim)).toMatchObject({ ok: true, lat: 36.665 });
    expect(seen).toHaveLength(2);
  });

  it("says Tianditu is not configured without a key, and makes no request", async () => {
    const seen = countRequests(TIANDITU_GEOCODER_URL);
    const result = await geocodeAddress("济南市历下区泉城路", { provider: "tianditu", tiandituKey: "" });
    expect(result).toEqual({
      ok: false,
      reason: "not_configured",
      message: "the Tianditu geocoder needs TIANDITU_KEY",
    });
    expect(await geocodeAddress("济南市历下区泉城路", { provider: "none" })).toMatchObject({
      reason: "not_configured",
    });
    expect(seen).toHaveLength(0);
  });

  it("finds places outside Shandong too: refusing them is the caller's job", async () => {
    expect(await geocodeAddress("北京市东城区天安门", nominatim)).toMatchObject({
      ok: true,
      lat: 39.9087,
      lng: 116.3975,
    });
  });
});
