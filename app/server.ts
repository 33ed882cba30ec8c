// The app server: express in front of the Remix build. It gives loaders the client's address,
// refuses cross-site mutations before any action runs, slides the session cookie, serves assets.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";

import { env } from "../db/env.server";

installGlobals({ nativeFetch: true });

if (env.MOCKS) {
  // msw patches this process's fetch, which the Remix build loaded below uses too
  const { server } = await import("../tests/mocks/server");
  server.listen({ onUnhandledRequest: "bypass" });
  console.log("shequ: MOCKS=true: outside services the server calls (geocoding) are mocked by tests/mocks");
}

type EntryExports = {
  refreshSessionCookie: (cookieHeader: string | undefined) => Promise<string | null>;
  isCrossSiteMutation: (method: string, url: string, headers: Headers) => boolean;
  settleNoticePeriods: () => Promise<number>;
};

const mode = env.NODE_ENV === "production" ? "production" : "development";
const buildPath = path.resolve("build/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
const entry = build.entry.module as unknown as EntryExports;

const app = express();
app.disable("x-powered-by");
const trustProxy = env.TRUST_PROXY;
if (trustProxy) app.set("trust proxy", /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);

app.use(compression());
app.use(
  helmet({
    // CSP needs a nonce on Remix's inline scripts: not yet (see README)
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
  }),
);
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

const requestUrl = (req: express.Request) => `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
const headersOf = (req: express.Request) => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
};

app.use((req, res, next) => {
  if (!entry.isCrossSiteMutation(req.method, requestUrl(req), headersOf(req))) return next();
  const body = { error: "cross-site request refused" };
  if (req.path.startsWith("/api/")) res.status(403).json(body);
  else res.status(403).type("text/plain").send(body.error);
});

app.use((req, res, next) => {
  entry
    .refreshSessionCookie(req.headers.cookie)
    .then((setCookie) => {
      if (setCookie) res.append("Set-Cookie", setCookie);
      next();
    })
    .catch(next);
});

app.all(
  "*",
  createRequestHandler({
    build,
    mode,
    getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
  }),
);

// A public-notice period ends on the clock, not on a request: the workflow settles on every read,
// this keeps the stored states current between reads.
setInterval(() => {
  entry.settleNoticePeriods().catch((error: unknown) => console.error("shequ: settling notice periods failed:", error));
}, 60_000).unref();

app.listen(env.PORT, () => {
  console.log(`shequ: http://localhost:${env.PORT} (${mode})`);
  if (mode === "development") broadcastDevReady(build);
});
