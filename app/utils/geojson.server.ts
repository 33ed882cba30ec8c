import { PRIVATE_NO_STORE, publicReadResponse, type PublicCacheKind } from "./http-cache.server";
import { attachmentDisposition, versionedFileResponse, type VersionedFile } from "./responses.server";

// The one way to answer GeoJSON: RFC 7946's media type (UTF-8 by definition, no charset
// parameter), a download name for exports, and no caching unless the caller says so.
const GEOJSON = "application/geo+json";
export function geoJsonResponse(
  body: { type: "Feature" | "FeatureCollection" | (string & {}) },
  options: { filename?: string; cacheControl?: string } = {},
) {
  const headers = new Headers({
    "Content-Type": GEOJSON,
    "Cache-Control": options.cacheControl ?? PRIVATE_NO_STORE,
  });
  if (options.filename) headers.set("Content-Disposition", attachmentDisposition(options.filename));
  return new Response(JSON.stringify(body), { headers });
}

/**
 * A GeoJSON file made once and served many times: with its entity tag, and 304 Not Modified
 * without the body when the browser already holds that version.
 */
export function geoJsonFileResponse(request: Request, file: VersionedFile, cacheControl?: string) {
  return versionedFileResponse(request, file, { contentType: GEOJSON, cacheControl });
}

/** Public geography: its entity tag, 304, and how long caches may keep it (http-cache.server.ts). */
export function publicGeoJson(request: Request, body: { type: string }, kind: PublicCacheKind) {
  return publicReadResponse(request, JSON.stringify(body), { contentType: GEOJSON, kind });
}
