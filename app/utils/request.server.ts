const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request sent from another site (CSRF). Browsers send Sec-Fetch-Site and Origin
 * on such requests; a client that sends neither (curl, an API client with a token) is no browser
 * being tricked, so it passes.
 */
export function isCrossSiteMutation(method: string, url: string, headers: Headers) {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const fetchSite = headers.get("Sec-Fetch-Site");
  if (fetchSite) return fetchSite !== "same-origin" && fetchSite !== "none";
  const origin = headers.get("Origin");
  if (!origin) return false;
  return origin === "null" || origin !== new URL(url).origin;
}
