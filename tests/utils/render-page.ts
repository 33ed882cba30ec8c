import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server.js";

import { createI18n, type Locale } from "~/i18n";

type DataArgs = { request: Request; params: Record<string, string | undefined> };

type RouteModule = {
  loader: (args: LoaderFunctionArgs) => Promise<Response> | Response;
  action?: (args: ActionFunctionArgs) => Promise<Response> | Response;
  default: ComponentType;
  ErrorBoundary?: ComponentType;
};

/**
 * A page as the server renders it: the route's loader (and action, for a POST), its component and
 * its error boundary, without the layout. `path` is the route's pattern (`/manage/facilities/:id`).
 */
export async function renderPage(
  route: RouteModule,
  path: string,
  url: string,
  {
    cookie,
    locale = "zh-CN",
    form,
  }: { cookie?: string; locale?: Locale; form?: Record<string, string> | URLSearchParams } = {},
) {
  const context = { clientIp: "127.0.0.1" };
  const routes = [
    {
      path,
      loader: ({ request, params }: DataArgs) => route.loader({ request, params, context }),
      action: route.action ? ({ request, params }: DataArgs) => route.action!({ request, params, context }) : undefined,
      element: createElement(route.default),
      errorElement: route.ErrorBoundary ? createElement(route.ErrorBoundary) : undefined,
    },
  ];
  const handler = createStaticHandler(routes);
  const request = new Request(new URL(url, "http://localhost"), {
    method: form ? "POST" : "GET",
    headers: cookie ? { Cookie: cookie } : {},
    body: form ? new URLSearchParams(form) : undefined,
  });
  const result = await handler.query(request);
  if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), html: "" };
  const router = createStaticRouter(handler.dataRoutes, result);
  const html = renderToString(
    createElement(
      I18nextProvider,
      { i18n: createI18n(locale) },
      createElement(StaticRouterProvider, { router, context: result }),
    ),
  );
  return { status: result.statusCode, location: null, html };
}

/** The text of rendered HTML, tags dropped and spaces collapsed. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
