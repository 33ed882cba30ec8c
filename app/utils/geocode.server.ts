import { z } from "zod";

import { env } from "./env.server";

export type GeocodeProvider = "tianditu" | "nominatim";

export type GeocodeResult =
  | { ok: true; lat: number; lng: number; label: string; provider: GeocodeProvider }
  | { ok: false; reason: "not_found" | "unavailable" | "timeout" | "not_configured"; message: string };

export type GeocodeOptions = {
  signal?: AbortSignal;
  /** defaults to the GEOCODER setting */
  provider?: GeocodeProvider | "none";
  /** defaults to GEOCODER_TIMEOUT_MS */
  timeoutMs?: number;
  /** defaults to TIANDITU_KEY; "" means none */
  tiandituKey?: string;
};

const MAX_ADDRESS_LENGTH = 200;
const CACHE_MAX_ENTRIES = 1000;
const FOUND_TTL_MS = 24 * 60 * 60 * 1000;
const NOT_FOUND_TTL_MS = 10 * 60 * 1000;

type Cached = { result: GeocodeResult; expiresAt: number };
// Map keeps insertion order: a hit is re-inserted, so the first key is the least recently used.
const cache = new Map<string, Cached>();

export function clearGeocodeCache() {
  cache.clear();
}

function cacheGet(key: string) {
  const entry = cache.get(key);
  if (!entry) return undefined;
  cache.delete(key);
  if (entry.expiresAt <= Date.now()) return undefined;
  cache.set(key, entry);
  return entry.result;
}

function cachePut(key: string, result: GeocodeResult) {
  const ttl = result.ok ? FOUND_TTL_MS : result.reason === "not_found" ? NOT_FOUND_TTL_MS : 0;
  if (ttl === 0) return;
  cache.delete(key);
  cache.set(key, { result, expiresAt: Date.now() + ttl });
  while (cache.size > CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

const notFound = (message: string): GeocodeResult => ({ ok: false, reason: "not_found", message });
const unavailable = (message: string): GeocodeResult => ({ ok: false, reason: "unavailable", message });

const latitude = z.coerce.number().min(-90).max(90);
const longitude = z.coerce.number().min(-180).max(180);
const PROVIDER_NAME = { tianditu: "Tianditu", nominatim: "Nominatim" } as const;

const tiandituAnswer = z.object({
  status: z.union([z.string(), z.number()]).transform(String),
  msg: z.string().optional(),
  location: z.object({ lon: longitude, lat: latitude, keyWord: z.string().optional() }).optional().nullable(),
});

const nominatimAnswer = z.array(z.object({ lat: latitude, lon: longitude, display_name: z.string().optional() }));

type Attempt = { address: string; signal: AbortSignal };

type Answer = { body: unknown } | { error: GeocodeResult };

async function fetchJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Answer> {
  const response = await fetch(url, { headers: { Accept: "application/json", ...headers }, signal });
  if (!response.ok) {
    return { error: unavailable(`the ${provider} geocoder answered HTTP ${response.status}`) };
  }
  try {
    return { body: (await response.json()) as unknown };
  } catch (error) {
    if (signal.aborted) throw error;
    return { error: unavailable(`the ${provider} geocoder answered something that is not JSON`) };
  }
}

async function tianditu({ address, signal }: Attempt, key: string): Promise<GeocodeResult> {
  const url = `${env.TIANDITU_GEOCODER_URL}?ds=${encodeURIComponent(JSON.stringify({ keyWord: address }))}&tk=${encodeURIComponent(key)}`;
  const answer = await fetchJson("Tianditu", url, {}, signal);
  if ("error" in answer) return answer.error;
  const parsed = tiandituAnswer.safeParse(answer.body);
  if (!parsed.success) return unavailable("the Tianditu geocoder answered in an unexpected shape");
  const { status, msg, location } = parsed.data;
  if (status !== "0" || !location) {
    return notFound(`Tianditu found no location for this address (status ${status}${msg ? `: ${msg}` : ""})`);
  }
  // CGCS2000, which differs from WGS84 by centimetres: used as is.
  return { ok: true, lat: location.lat, lng: location.lon, label: location.keyWord || address, provider: "tianditu" };
}

async function nominatim({ address, signal }: Attempt): Promise<GeocodeResult> {
  const query = new URLSearchParams({
    q: address,
    format: "jsonv2",
    limit: "1",
    countrycodes: "cn",
    "accept-language": "zh-CN",
  });
  const url = `${env.NOMINATIM_URL.replace(/\/+$/, "")}/search?${query}`;
  const answer = await fetchJson("Nominatim", url, { "User-Agent": env.GEOCODER_USER_AGENT }, signal);
  if ("error" in answer) return answer.error;
  const parsed = nominatimAnswer.safeParse(answer.body);
  if (!parsed.success) return unavailable("Nominatim answered in an unexpected shape");
  const first = parsed.data[0];
  if (!first) return notFound("Nominatim found no location for this address");
  return { ok: true, lat: first.lat, lng: first.lon, label: first.display_name || address, provider: "nominatim" };
}

/** The address's coordinates (WGS84) from the configured geocoder, cached. Never throws. */
export async function geocodeAddress(address: string, options: GeocodeOptions = {}): Promise<GeocodeResult> {
  const provider = options.provider ?? env.GEOCODER;
  if (provider === "none") {
    return { ok: false, reason: "not_configured", message: "geocoding is turned off (GEOCODER=none)" };
  }
  const key = options.tiandituKey ?? env.TIANDITU_KEY ?? "";
  if (provider === "tianditu" && !key) {
    return { ok: false, reason: "not_configured", message: "the Tianditu geocoder needs TIANDITU_KEY" };
  }

  const normalized = String(address ?? "")
    .trim()
    .replace(/\s+/g, " ");
  if (!normalized) return notFound("the address is empty");
  if (normalized.length > MAX_ADDRESS_LENGTH) {
    return notFound(`the address is longer than ${MAX_ADDRESS_LENGTH} characters`);
  }

  const cacheKey = `${provider}\u0000${normalized}`;
  const cached = cacheGet(cacheKey);
  if (cached) return cached;

  const name = PROVIDER_NAME[provider];
  const timeoutMs = options.timeoutMs ?? env.GEOCODER_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let result: GeocodeResult;
  try {
    const attempt = { address: normalized, signal };
    result = provider === "tianditu" ? await tianditu(attempt, key) : await nominatim(attempt);
  } catch (error) {
    if (timeout.aborted) {
      result = { ok: false, reason: "timeout", message: `the ${name} geocoder did not answer within ${timeoutMs} ms` };
    } else if (options.signal?.aborted) {
      result = unavailable(`the ${name} geocoding request was cancelled by the caller`);
    } else {
      const cause =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      result = unavailable(`the ${name} geocoder could not be reached: ${cause}`);
    }
  }
  cachePut(cacheKey, result);
  return result;
}
