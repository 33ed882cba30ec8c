// The one way to answer GeoJSON: RFC 7946's media type (UTF-8 by definition, no charset
// parameter), a download name for exports, and no caching unless the caller says so.
export function geoJsonResponse(
  body: { type: "Feature" | "FeatureCollection" | (string & {}) },
  options: { filename?: string; cacheControl?: string } = {},
) {
  const headers = new Headers({
    "Content-Type": "application/geo+json",
    "Cache-Control": options.cacheControl ?? "no-store",
  });
  if (options.filename) headers.set("Content-Disposition", `attachment; filename="${options.filename}"`);
  return new Response(JSON.stringify(body), { headers });
}

/** True when the request's If-None-Match names this entity tag (or is `*`); weak tags match too. */
function matchesEtag(request: Request, etag: string) {
  const header = request.headers.get("If-None-Match");
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}

/**
 * A GeoJSON file made once and served many times: with its entity tag, and 304 Not Modified
 * without the body when the browser already holds that version.
 */
export function geoJsonFileResponse(request: Request, file: { body: string; etag: string }, cacheControl: string) {
  const headers = new Headers({
    "Content-Type": "application/geo+json",
    "Cache-Control": cacheControl,
    ETag: file.etag,
  });
  if (matchesEtag(request, file.etag)) return new Response(null, { status: 304, headers });
  return new Response(file.body, { headers });
}
