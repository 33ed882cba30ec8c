import { isRouteErrorResponse, Link, useParams, useRouteError, type ErrorResponse } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { getErrorMessage } from "~/utils/misc";

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
  if (typeof document !== "undefined") console.error(error);

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
