import { isRouteErrorResponse, Link, useParams, useRouteError, type ErrorResponse } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { getErrorMessage } from "~/utils/misc";

const logged = new WeakSet<object>();

/**
 * In the browser, a real error is logged once (not again when the boundary renders again, nor
 * twice under StrictMode); a thrown Response (404, 403: the page says so) is no error of the app.
 */
export function logUnexpected(error: unknown) {
  if (isRouteErrorResponse(error)) return;
  if (typeof error === "object" && error !== null) {
    if (logged.has(error)) return;
    logged.add(error);
  }
  console.error(error);
}

type StatusHandler = (info: { error: ErrorResponse; params: Record<string, string | undefined> }) => JSX.Element | null;

/** The one error boundary: every route's ErrorBoundary renders this, with handlers per status. */
export function GeneralErrorBoundary({
  statusHandlers,
  unexpectedErrorHandler,
}: {
  statusHandlers?: Record<number, StatusHandler>;
  unexpectedErrorHandler?: (error: unknown) => JSX.Element | null;
}) {
  const error = useRouteError();
  const params = useParams();
  const { t } = useTranslation();
  useEffect(() => logUnexpected(error), [error]);

  const defaultStatusMessage = (status: number) => {
    if (status === 404) return t("errors.notFound");
    if (status === 403) return t("errors.forbidden");
    if (status === 401) return t("errors.unauthorized");
    if (status === 400) return t("errors.badRequest");
    if (status === 503) return t("errors.databaseUnavailable");
    return t("errors.unexpected");
  };

  let content: JSX.Element | null;
  if (isRouteErrorResponse(error)) {
    content = statusHandlers?.[error.status]?.({ error, params }) ?? (
      <p>
        <strong>{error.status}</strong> {defaultStatusMessage(error.status)}
      </p>
    );
  } else {
    content = unexpectedErrorHandler?.(error) ?? (
      <p>
        {t("errors.unexpected")}
        {process.env.NODE_ENV === "development" ? <code> {getErrorMessage(error)}</code> : null}
      </p>
    );
  }

  return (
    <section className="error-panel" role="alert">
      <h1>{t("errors.title")}</h1>
      {content}
      <p>
        <Link to="/">{t("errors.backHome")}</Link>
      </p>
    </section>
  );
}
