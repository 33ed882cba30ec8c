// The headers every answer of the app server carries: a Content-Security-Policy with a nonce per
// request (res.locals.cspNonce, which app.ts passes to Remix as context.cspNonce so that its inline
// scripts carry it), helmet's other headers, a Permissions-Policy, and `Cache-Control: private,
// no-store` on whatever is personal, decided when the headers are written, so no route can undo it.
import type express from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

import { isSignedInRequest, PRIVATE_NO_STORE, SESSION_COOKIE_NAME } from "../utils/http-cache.server";

export type SecurityHeadersOptions = {
  mode: "production" | "development";
  /** the map's tile template (MAP_TILE_URL), e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png */
  tileUrl: string;
};

export { SESSION_COOKIE_NAME };

/** Paths that show a secret (a new API token, a temporary password): never stored, signed in or not. */
const SECRET_PATHS = [/^\/account(\/|$)/, /^\/admin\/users(\/|$)/];

/** Files that are the same for everyone (hashed build output, the icon, the residents' map's county
 * outlines): cacheable even when signed in. */
const PUBLIC_ASSETS = [/^\/build\//, /^\/favicon\.ico$/, /^\/regions\/counties\.geojson$/];

/** Powerful features: geolocation for the residents' "near me" on this origin only, the rest off. */
export const PERMISSIONS_POLICY = [
  "geolocation=(self)",
  "camera=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "hid=()",
  "midi=()",
  "accelerometer=()",
  "gyroscope=()",
  "magnetometer=()",
  "display-capture=()",
  "screen-wake-lock=()",
  "idle-detection=()",
  "publickey-credentials-get=()",
  "xr-spatial-tracking=()",
  "encrypted-media=()",
  "autoplay=()",
  "picture-in-picture=()",
  "fullscreen=()",
].join(", ");

/**
 * The CSP source for the tile images of a Leaflet URL template: its origin, with a `{s}`
 * (subdomain) label and everything left of it as `*.` (`https://{s}.tile.osm.org/…` →
 * `https://*.tile.osm.org`, `https://t{s}.tianditu.gov.cn/…` → `https://*.tianditu.gov.cn`).
 * A path on this server (`/tiles/{z}/{x}/{y}.png`) is `'self'`.
 */
export function tileImageSource(template: string): string {
  const trimmed = template.trim();
  if (trimmed.startsWith("/") && !trimmed.startsWith("//")) return "'self'";
  const match = /^(?:(https?):)?\/\/([^/?#]+)/i.exec(trimmed);
  if (!match)
    throw new Error(
      `MAP_TILE_URL must be an http(s) URL template or a path on this server, not ${JSON.stringify(template)}`,
    );
  const scheme = match[1] ? `${match[1].toLowerCase()}://` : "";
  const authority = match[2].replace(/^[^@]*@/, "");
  const portMatch = /:(\d+)$/.exec(authority);
  const host = portMatch ? authority.slice(0, -portMatch[0].length) : authority;
  const port = portMatch ? portMatch[0] : "";
  const labels = host.toLowerCase().split(".");
  const templated = labels.map((label) => label.includes("{")).lastIndexOf(true);
  if (templated === -1) return `${scheme}${host.toLowerCase()}${port}`;
  const parent = labels.slice(templated + 1);
  if (parent.length < 2 || parent.some((label) => !/^[a-z0-9-]+$/.test(label))) {
    throw new Error(
      `MAP_TILE_URL: cannot derive the tile host from ${JSON.stringify(template)} (a {placeholder} must be in a subdomain)`,
    );
  }
  return `${scheme}*.${parent.join(".")}${port}`;
}

type Directives = Record<string, Array<string | ((req: IncomingMessage, res: ServerResponse) => string)>>;

export function contentSecurityPolicyDirectives({ mode, tileUrl }: SecurityHeadersOptions): Directives {
  const nonce = (_req: IncomingMessage, res: ServerResponse) =>
    `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`;
  return {
    "default-src": ["'self'"],
    // Remix's inline scripts (context, route modules, scroll restoration) carry the nonce; the
    // bundles are files on this origin. No 'unsafe-inline', no inline event handlers.
    "script-src": ["'self'", nonce],
    "script-src-attr": ["'none'"],
    // Style attributes: React renders `style={…}` props as attributes in the server's HTML (map
    // heights, pre-wrap text); Leaflet itself styles through the CSSOM, which CSP does not govern.
    // So attributes need 'unsafe-inline', and nothing else does: browsers with CSP 3 take
    // style-src-elem for <style> and <link> (files on this origin only) and fall back to
    // style-src only for attributes. (A nonce here would switch 'unsafe-inline' off.)
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'"],
    // Tiles from the configured tile host; data: is Leaflet's blank image when it cancels a tile.
    "img-src": ["'self'", "data:", tileImageSource(tileUrl)],
    // The browser talks to this server only (geocoding is done by the server, the map's shapes
    // come from here); in development, the live-reload socket of `remix dev`.
    "connect-src": mode === "development" ? ["'self'", "ws:", "wss:"] : ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "frame-src": ["'none'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
  };
}

/** Runs `listener` just before the response's headers are written, whoever writes them. */
function beforeHeadersWritten(res: ServerResponse, listener: () => void) {
  const writeHead = res.writeHead;
  let fired = false;
  res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    if (fired) return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
    fired = true;
    const reason = typeof rest[0] === "string" ? rest[0] : undefined;
    const headers = (typeof rest[0] === "string" ? rest[1] : rest[0]) as OutgoingHttpHeaders | string[] | undefined;
    // headers handed to writeHead itself would win over the listener's: make them ordinary first
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.setHeader(name, value);
    }
    this.statusCode = statusCode;
    listener();
    return (writeHead as (...args: unknown[]) => ServerResponse).call(
      this,
      this.statusCode,
      ...(reason === undefined ? [] : [reason]),
    );
  } as ServerResponse["writeHead"];
}

export function securityHeaders(options: SecurityHeadersOptions): express.RequestHandler[] {
  const nonce: express.RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicyDirectives(options) },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
  });
  const permissions: express.RequestHandler = (_req, res, next) => {
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    next();
  };
  // Signed in (the session cookie, or a token in Authorization), a page showing a secret, or an
  // answer that sets a cookie: no cache keeps it, whatever Cache-Control the route chose.
  const noStore: express.RequestHandler = (req, res, next) => {
    const path = req.path;
    const signedIn = isSignedInRequest(req.headers);
    const secret = SECRET_PATHS.some((p) => p.test(path));
    beforeHeadersWritten(res, () => {
      const sameForEveryone = PUBLIC_ASSETS.some((p) => p.test(path)) && res.statusCode < 400;
      if (secret || res.hasHeader("Set-Cookie") || (signedIn && !sameForEveryone)) {
        res.setHeader("Cache-Control", PRIVATE_NO_STORE);
        res.removeHeader("Expires");
      }
    });
    next();
  };
  return [nonce, headers, permissions, noStore];
}
