// The one rule for a `redirectTo` taken from a form or a query: a path on this site, or the
// fallback. Browsers drop tabs and newlines from a Location and read `\` as `/`, so `/\t/evil`
// or `/\evil` would leave the site; a CR/LF or a character past U+00FF makes the header invalid
// (a 500). Pure, so it runs anywhere.

const BASE = "http://shequ.invalid";
const MAX_LENGTH = 2048;

// C0 controls, DEL, C1 controls (U+0085 is a newline to some), the Unicode line and paragraph
// separators, and the invisible formatting characters (BOM, zero-width, bidi overrides)
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path part of an address (before `?` or `#`) with its escapes decoded once, or null if malformed. */
function decodedPath(to: string) {
  const path = to.split(/[?#]/, 1)[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** A path with no way off the site: starts with exactly one `/`, no `\`, no control characters. */
function isLocalPath(path: string) {
  return path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") && !FORBIDDEN.test(path);
}

/**
 * `to` if it is a path on this site, else `fallback`. Non-ASCII characters come back
 * percent-encoded, so the result is always a valid Location header.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_LENGTH) return fallback;
  if (!isLocalPath(to) || LONE_SURROGATE.test(to)) return fallback;
  // an escaped `//` or `\` or tab is harmless to a browser, but not to anything that decodes once more
  const decoded = decodedPath(to);
  if (decoded === null || !isLocalPath(decoded)) return fallback;
  const encoded = to.replace(/[^\x20-\x7e]+/g, (s) => encodeURIComponent(s));
  // dot segments: `/..//evil` is `//evil` once resolved
  const resolved = new URL(encoded, BASE);
  const resolvedPath = decodedPath(resolved.pathname);
  if (resolved.origin !== BASE || resolvedPath === null || !isLocalPath(resolvedPath)) return fallback;
  return encoded;
}
