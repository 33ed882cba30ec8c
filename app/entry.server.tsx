import {
  createReadableStreamFromReadable,
  type ActionFunctionArgs,
  type AppLoadContext,
  type EntryContext,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";

import { CATALOGUES } from "~/i18n";
import { addCatalogue } from "~/i18n/i18n";
import { NonceProvider } from "~/utils/nonce-provider";

import { isDatabaseUnavailable } from "../db/errors.server";

const ABORT_DELAY = 5_000;

// the pages render in either language on the server (root.tsx's i18n reads these)
addCatalogue("zh-CN", CATALOGUES["zh-CN"]);
addCatalogue("en", CATALOGUES.en);

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // the app server's Content-Security-Policy nonce (app/server/security-headers.ts): on every
  // inline script, Remix's and React's streaming ones
  const nonce = loadContext.cspNonce || undefined;
  // bots get the whole document at once; browsers get the shell first and the rest streamed
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      // A page is never kept by a shared cache: it carries this answer's CSP nonce, and its
      // language, text size and sign-in state come from cookies and Accept-Language (Vary for the
      // browser's own cache). The public data behind it is cached instead (http-cache.server.ts).
      keepFromSharedCaches(responseHeaders);
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // errors while streaming after the shell are logged here; before it, onShellError rejects
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** A page's data, fetched on navigation (`?_data=`), is kept like its page. */
export function handleDataRequest(response: Response) {
  keepFromSharedCaches(response.headers);
  return response;
}

function keepFromSharedCaches(headers: Headers) {
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-cache");
  headers.append("Vary", "Cookie, Accept-Language");
}

/**
 * Every error a loader or action throws (not a thrown Response) passes here. A database that
 * cannot be reached is no bug: the app server answers such a request with 503 and Retry-After.
 */
export function handleError(error: unknown, { context, request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  if (isDatabaseUnavailable(error)) {
    if (context.requestState) context.requestState.databaseUnavailable = true;
    return;
  }
  // a refusal (an unknown URL, a page out of scope, a bad request) is the page's answer, not a fault of ours
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (error instanceof Response && error.status < 500) return;
  console.error(error);
}

// The app server (app/server.ts) runs these before Remix, from this build, so there is one
// lucia instance, one origin rule and one database client.
export { refreshSessionCookie } from "~/domains/accounts/auth.server";
export { isCrossSiteMutation } from "~/utils/request.server";
export { primaryReadsCookie } from "~/utils/read-database.server";
export { answerServiceSearch } from "~/domains/search/services-api.server";
export { documentedMethods } from "~/domains/api-docs/openapi.server";
export { checkDatabase } from "../db/health.server";
export { startReplicaChecks } from "../db/client.server";
export { isDatabaseUnavailable } from "../db/errors.server";
export { startBackgroundJobs } from "~/domains/jobs/jobs.server";
export { stopJobQueue } from "~/domains/jobs/job-queue.server";
export { calendarWarning } from "~/domains/listings/public-holidays.server";
