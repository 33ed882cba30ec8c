// The answers the app server gives by itself, before or instead of Remix: JSON `{error, fields?}`
// on /api/ (the API's one error shape), a small page in both languages elsewhere. Remix's own
// errors render the routes' error boundaries; these are for when Remix cannot be asked.
import type express from "express";
import type http from "node:http";

import { createI18n } from "../i18n";

const zh = createI18n("zh-CN");
const en = createI18n("en");

/** /api/docs is a page (the API's readable description), not the API */
const isApiDocsPage = (path: string) => /^\/api\/docs(?:[/?#]|$)/.test(path);

export const isApiPath = (path: string) => (path === "/api" || path.startsWith("/api/")) && !isApiDocsPage(path);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

type Message = { key: string; params?: Record<string, string | number> };

function page(status: number, messages: Message[]) {
  const title = status === 503 ? "errors.unavailableTitle" : "errors.title";
  const section = (i18n: typeof zh, lang: string) =>
    `<section lang="${lang}"><h1>${escapeHtml(i18n.t(title))}</h1>${messages
      .map((m) => `<p>${escapeHtml(i18n.t(m.key, m.params))}</p>`)
      .join("")}<p><a href="/">${escapeHtml(i18n.t("errors.backHome"))}</a></p></section>`;
  return (
    `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(zh.t(title))} · ${escapeHtml(zh.t("app.name"))}</title></head>` +
    `<body>${section(zh, "zh-CN")}<hr>${section(en, "en")}</body></html>`
  );
}

export type ServerError = {
  status: number;
  /** the API's English reason */
  error: string;
  /** the page's message from the catalogue */
  message: Message;
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
  /** close the connection after answering (a body we refuse to read) */
  close?: boolean;
};

/** Answers `problem` as JSON on /api/ and as a page elsewhere, unless an answer has started. */
export function sendServerError(req: express.Request, res: express.Response, problem: ServerError) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(problem.status);
  res.setHeader("Cache-Control", "no-store");
  if (problem.close) res.setHeader("Connection", "close");
  const messages: Message[] = [problem.message];
  if (problem.retryAfterSeconds) {
    res.setHeader("Retry-After", String(problem.retryAfterSeconds));
    messages.push({ key: "errors.retryHint", params: { seconds: problem.retryAfterSeconds } });
  }
  if (isApiPath(req.path)) {
    res.json(problem.fields ? { error: problem.error, fields: problem.fields } : { error: problem.error });
  } else {
    res.type("html").send(page(problem.status, messages));
  }
}

export const unavailable = (retryAfterSeconds = 5): ServerError => ({
  status: 503,
  error: "the service is temporarily unavailable: the database cannot be reached",
  message: { key: "errors.unavailable" },
  retryAfterSeconds,
});

export const overloaded = (retryAfterSeconds = 2): ServerError => ({
  status: 503,
  error: "the server is busy: try again shortly",
  message: { key: "errors.busy" },
  retryAfterSeconds,
});

export const internalError = (): ServerError => ({
  status: 500,
  error: "internal server error",
  message: { key: "errors.unexpected" },
});

export const outcomeUnknown = (deadlineMs: number): ServerError => ({
  status: 503,
  error: `no answer within ${deadlineMs} ms: the change may or may not have been saved; check before sending it again`,
  message: { key: "errors.outcomeUnknown" },
  retryAfterSeconds: 5,
});

// Refusals under overload are made once: building them per request would cost the CPU that the
// accepted requests need.
const OVERLOADED = overloaded();
const overloadedBodies = {
  api: JSON.stringify({ error: OVERLOADED.error }),
  page: page(503, [
    OVERLOADED.message,
    { key: "errors.retryHint", params: { seconds: OVERLOADED.retryAfterSeconds! } },
  ]),
};

/** 503 with Retry-After, straight from the HTTP server (no express, no body read). */
export function sendOverloaded(res: http.ServerResponse, api: boolean) {
  const body = api ? overloadedBodies.api : overloadedBodies.page;
  res.writeHead(503, {
    "Content-Type": api ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Retry-After": String(OVERLOADED.retryAfterSeconds),
    "Cache-Control": "no-store",
  });
  res.end(body);
}
