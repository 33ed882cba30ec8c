// The app in front of Remix: health answers that never queue behind requests, a cap on
// requests in flight, input limits before anything parses, the cross-site check, the session's
// sliding cookie, a deadline per request, and one way to answer when the database is away.
import { type AppLoadContext, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";
import http from "node:http";

import type { ServiceSearchRequest } from "../domains/search/services-api.server";
import type { PlainAnswer } from "../utils/http-cache.server";
import { COMPRESSION_THRESHOLD, compressBody } from "./compress";
import { movedUrl } from "./legacy-urls";
import { checkUrl, cleanCookieHeader, isBulkImport, readRequestBody } from "./request-input";
import {
  internalError,
  isApiPath,
  outcomeUnknown,
  sendOverloaded,
  sendServerError,
  unavailable,
  type ServerError,
} from "./responses";

export type DatabaseHealth = { replicas?: unknown[] } & (
  { ok: true; db: string; migrations: number } | { ok: false; db: string; cause: string; error: string }
);

/** What the app server needs from the Remix build (its entry module exports these). */
export type AppHooks = {
  handleRequest: (request: Request, context: AppLoadContext) => Promise<Response>;
  checkDatabase: () => Promise<DatabaseHealth>;
  isDatabaseUnavailable: (error: unknown) => boolean;
  isCrossSiteMutation: (method: string, url: string, headers: Headers) => boolean;
  refreshSessionCookie: (cookieHeader: string | undefined) => Promise<string | null>;
  /** with read replicas: the cookie that sends a browser's reads to the primary after a change */
  primaryReadsCookie?: (method: string) => string | null;
  /**
   * The public search API's answer (domains/search/services-api.server.ts), which its route module
   * gives too: with it, `GET /api/v1/services` without a cookie is answered here, without Remix.
   */
  answerServiceSearch?: (input: ServiceSearchRequest) => Promise<PlainAnswer>;
  /**
   * The methods the OpenAPI document lists for an /api/ path, or null for a path it does not
   * document (domains/api-docs/openapi.server.ts): any other method is answered 405 with `Allow`.
   */
  apiMethods?: (pathname: string) => string[] | null;
};

export type AppOptions = {
  /** requests being answered at once by this process; past it, 503 at once */
  maxInFlight: number;
  /** of those, pages (everything outside /api/): they cost the most CPU */
  maxInFlightPages: number;
  /** pages past that cap wait in a queue this long at most, for at most `pageQueueWaitMs` */
  pageQueueLength?: number;
  pageQueueWaitMs?: number;
  /** a request not answered by then gets a 503 (the work behind it is aborted) */
  deadlineMs: number;
  trustProxy?: string;
  /** serve public/ (off in tests that only look at the middleware) */
  staticFiles?: boolean;
  /** security headers and the CSP nonce (res.locals.cspNonce) */
  securityHeaders?: express.RequestHandler[];
};

const clientIpOf = (req: express.Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

const requestUrl = (req: express.Request) => `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;

function headersOf(req: express.Request) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** A request listener for an HTTP server, with express's `listen` for convenience. */
export type AppListener = http.RequestListener & { listen: express.Express["listen"] };

export function createApp(hooks: AppHooks, options: AppOptions): AppListener {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) {
    app.set("trust proxy", /^\d+$/.test(options.trustProxy) ? Number(options.trustProxy) : options.trustProxy);
  }

  // Health first: no cap, no compression, no session, no Remix.
  app.get("/healthz/live", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, uptimeSeconds: Math.round(process.uptime()) });
  });
  const health = async (res: express.Response, shape: "legacy" | "ready") => {
    const result = await hooks.checkDatabase();
    res.setHeader("Cache-Control", "no-store");
    if (result.ok) {
      res.json(result);
      return;
    }
    res.status(503).setHeader("Retry-After", "5");
    res.json(
      shape === "ready"
        ? { ok: false, db: result.db, cause: result.cause, error: result.error, replicas: result.replicas }
        : { ok: false, db: result.db, error: `database unreachable: ${result.error}` },
    );
  };
  app.get("/healthz", (_req, res, next) => void health(res, "legacy").catch(next));
  app.get("/healthz/ready", (_req, res, next) => void health(res, "ready").catch(next));

  for (const handler of options.securityHeaders ?? []) app.use(handler);
  app.use((req, res, next) => {
    const problem = checkUrl(req.originalUrl);
    if (problem) return sendServerError(req, res, problem);
    if (req.headers.cookie !== undefined) req.headers.cookie = cleanCookieHeader(req.headers.cookie);
    next();
  });
  app.use((req, res, next) => {
    const moved = movedUrl(req.originalUrl);
    if (moved === null) return next();
    // 308 keeps a form's method and body; a page or a download is simply moved for good
    res.redirect(req.method === "GET" || req.method === "HEAD" ? 301 : 308, moved);
  });
  app.use(compression({ threshold: COMPRESSION_THRESHOLD }));

  // The public search API, the busiest route, without Remix (docs/decisions/011): the same answer
  // as its route module, with the same deadline and the same errors, but without converting the
  // request, matching ~90 routes and streaming the body back. A request with a cookie goes the long
  // way, where the session's sliding cookie is refreshed.
  const answerServiceSearch = hooks.answerServiceSearch;
  if (answerServiceSearch) {
    app.get("/api/v1/services", (req, res, next) => {
      if (req.method !== "GET" || req.headers.cookie !== undefined) return next();
      const queryAt = req.originalUrl.indexOf("?");
      answerWithin(req, res, async () => {
        const answer = await answerServiceSearch({
          query: new URLSearchParams(queryAt === -1 ? "" : req.originalUrl.slice(queryAt + 1)),
          clientIp: clientIpOf(req),
          headers: { authorization: req.headers.authorization, ifNoneMatch: req.headers["if-none-match"] },
        });
        if (res.headersSent) return;
        res.status(answer.status);
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
        if (answer.body === null) return void res.end();
        const sent = compressBody(req.headers["accept-encoding"], answer.body);
        if (sent.encoding) res.setHeader("Content-Encoding", sent.encoding);
        res.setHeader("Content-Length", Buffer.byteLength(sent.body));
        res.end(sent.body);
      });
    });
  }

  if (options.staticFiles !== false) {
    app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
    app.use(express.static("public", { maxAge: "1h" }));
  }

  app.use((req, res, next) => {
    if (!hooks.isCrossSiteMutation(req.method, requestUrl(req), headersOf(req))) return next();
    sendServerError(req, res, {
      status: 403,
      error: "cross-site request refused",
      message: { key: "errors.forbidden" },
    });
  });

  // A documented API path asked with a method it does not have: JSON 405 naming the ones it has
  // (Remix would answer its own error, without Allow). Unknown paths go on to routes/api.$.ts (404).
  // After the cross-site check: a cross-site write is refused as one, whatever its method.
  const apiMethods = hooks.apiMethods;
  if (apiMethods) {
    app.use((req, res, next) => {
      if (!isApiPath(req.path)) return next();
      const allowed = apiMethods(req.path);
      if (!allowed || allowed.includes(req.method)) return next();
      res.setHeader("Allow", allowed.join(", "));
      sendServerError(req, res, {
        status: 405,
        error: `method ${req.method} not allowed`,
        message: { key: "errors.notFound" },
      });
    });
  }

  app.all("*", (req, res) => answerWithin(req, res, (signal) => answer(req, res, signal)));

  /** Runs `work` with a deadline (then 503, and its signal aborts); a database away is 503, any other error 500. */
  function answerWithin(req: express.Request, res: express.Response, work: (signal: AbortSignal) => Promise<void>) {
    void withDeadline(req, res, work).catch((error: unknown) => {
      // answered already (a refused body, the deadline): what failed after is of no interest
      if (res.headersSent) return;
      const databaseAway = hooks.isDatabaseUnavailable(error);
      if (!databaseAway) console.error("shequ: request failed:", error);
      sendServerError(req, res, databaseAway ? unavailable() : internalError());
    });
  }

  async function withDeadline(
    req: express.Request,
    res: express.Response,
    work: (signal: AbortSignal) => Promise<void>,
  ) {
    const controller = new AbortController();
    // A change may have been saved when its deadline passes: it gets longer, and its answer says
    // the outcome is unknown rather than inviting a second submission.
    const reading = req.method === "GET" || req.method === "HEAD";
    const deadlineMs = options.deadlineMs * (isBulkImport(req.path) ? 6 : reading ? 1 : 3);
    const deadline = setTimeout(() => {
      if (res.headersSent) return;
      controller.abort();
      sendServerError(
        req,
        res,
        reading ? { ...unavailable(), error: `no answer within ${deadlineMs} ms` } : outcomeUnknown(deadlineMs),
      );
    }, deadlineMs);
    res.once("close", () => {
      clearTimeout(deadline);
      if (!res.writableFinished) controller.abort();
    });
    try {
      await work(controller.signal);
    } finally {
      clearTimeout(deadline);
    }
  }

  async function answer(req: express.Request, res: express.Response, signal: AbortSignal) {
    const tooLarge = (problem: ServerError) => {
      sendServerError(req, res, problem);
      // the rest is never read (the request stays paused); the client gets a moment to read the
      // 413 before the connection is cut under its upload
      res.once("finish", () => setTimeout(() => req.socket.destroy(), 1000).unref());
    };
    const body = await readRequestBody(req, tooLarge);
    if (!body.ok) {
      tooLarge(body.problem);
      return;
    }

    const setCookie = await hooks.refreshSessionCookie(req.headers.cookie);
    if (setCookie) res.append("Set-Cookie", setCookie);
    const primaryReads = hooks.primaryReadsCookie?.(req.method);
    if (primaryReads) res.append("Set-Cookie", primaryReads);

    const headers = headersOf(req);
    const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal };
    if (body.body !== undefined) {
      init.body = Buffer.isBuffer(body.body) ? new Uint8Array(body.body) : (body.body as ReadableStream<Uint8Array>);
      init.duplex = "half";
    }
    const request = new Request(requestUrl(req), init);
    const requestState = { databaseUnavailable: false };
    const context: AppLoadContext = {
      clientIp: clientIpOf(req),
      cspNonce: (res.locals.cspNonce as string | undefined) ?? "",
      requestState,
    };
    const response = await hooks.handleRequest(request, context);
    if (res.headersSent) return;

    if (response.status >= 500 && requestState.databaseUnavailable) {
      return sendServerError(req, res, unavailable());
    }
    const json = /^application\/(.+\+)?json/.test(response.headers.get("Content-Type") ?? "");
    if (isApiPath(req.path) && response.status >= 400 && !json) {
      // Remix answers unknown paths and thrown errors as HTML or text; the API speaks JSON only
      const problem: ServerError =
        response.status === 404
          ? { status: 404, error: "not found", message: { key: "errors.notFound" } }
          : response.status >= 500
            ? internalError()
            : {
                status: response.status,
                error: (await response.text()).slice(0, 200) || "request refused",
                message: { key: "errors.badRequest" },
              };
      return sendServerError(req, res, problem);
    }
    await send(res, response, json);
  }

  // Shed load before any work is done for a request, in the HTTP server itself: a queue that grows
  // makes every answer late, and a refusal must cost next to nothing, for clients that ask again
  // at once can send thousands a second. Pages cost ~10 times an API call of the server's CPU, so
  // fewer of them run at once; a short queue lets a burst of pages wait a little rather than fail.
  let inFlight = 0;
  const pages = new Admission(options.maxInFlightPages, options.pageQueueLength ?? 0, options.pageQueueWaitMs ?? 0);
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? "/";
    if (url.startsWith("/healthz") || url.startsWith("/build/")) {
      app(req, res);
      return;
    }
    const api = isApiPath(url);
    if (inFlight >= options.maxInFlight) {
      sendOverloaded(res, api);
      return;
    }
    inFlight++;
    onDone(res, () => inFlight--);
    if (api) app(req, res);
    else
      pages.enter(
        res,
        () => app(req, res),
        () => sendOverloaded(res, false),
      );
  };
  const server = () => http.createServer(listener);
  return Object.assign(listener, {
    listen: ((...args: unknown[]) => server().listen(...(args as []))) as express.Express["listen"],
  });
}

async function send(res: express.Response, response: Response, json: boolean) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  // JSON in one write, with its length: compression then leaves a small one (an error) as it is;
  // pages stream (the shell first)
  if (response.body && json) {
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("Content-Length", body.length);
    res.end(body);
  } else if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** Runs `done` once, when the answer has been sent or the connection is gone. */
function onDone(res: http.ServerResponse, done: () => void) {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    done();
  };
  res.once("finish", once);
  res.once("close", once);
}

/** At most `limit` at once; the next `queueLength` wait up to `maxWaitMs` in turn, the rest are refused. */
export class Admission {
  private running = 0;
  private readonly waiting: Array<{ go: () => void; timer: ReturnType<typeof setTimeout> }> = [];

  constructor(
    private readonly limit: number,
    private readonly queueLength: number,
    private readonly maxWaitMs: number,
  ) {}

  enter(res: http.ServerResponse, go: () => void, refuse: () => void) {
    if (this.running < this.limit) return this.admit(res, go);
    if (this.waiting.length >= this.queueLength) return refuse();
    const waiter = {
      go: () => {
        clearTimeout(waiter.timer);
        this.admit(res, go);
      },
      timer: setTimeout(() => {
        if (this.drop(waiter)) refuse();
      }, this.maxWaitMs),
    };
    this.waiting.push(waiter);
    // a visitor who gave up waiting leaves the queue
    res.once("close", () => {
      if (this.drop(waiter)) clearTimeout(waiter.timer);
    });
  }

  private drop(waiter: (typeof this.waiting)[number]) {
    const index = this.waiting.indexOf(waiter);
    if (index === -1) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  private admit(res: http.ServerResponse, go: () => void) {
    this.running++;
    onDone(res, () => {
      this.running--;
      this.waiting.shift()?.go();
    });
    go();
  }
}
