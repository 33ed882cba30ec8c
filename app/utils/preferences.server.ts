import { createCookie } from "@remix-run/node";

import { DEFAULT_LOCALE, isLocale, type Locale } from "~/i18n";

import { cookieSecure, env } from "./env.server";

/** a reader's display choice, kept for a year */
const preferenceCookie = (name: string) =>
  createCookie(name, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: cookieSecure(env),
    maxAge: 60 * 60 * 24 * 365,
  });

const localeCookie = preferenceCookie("lng");

/**
 * The cookie's choice, else the signed-in account's, else the browser's Accept-Language if it
 * prefers English, else zh-CN.
 */
export async function getLocale(request: Request, accountLocale?: string): Promise<Locale> {
  const chosen = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  if (isLocale(accountLocale)) return accountLocale;
  const accept = request.headers.get("Accept-Language") ?? "";
  const first = accept.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : DEFAULT_LOCALE;
}

export function serializeLocale(locale: Locale) {
  return localeCookie.serialize(locale);
}

// Large text (elderly-friendly mode): one switch, remembered in a cookie; a signed-in account's
// own preference applies when the cookie has never been set.
const largeTextCookie = preferenceCookie("large_text");

export async function getLargeText(request: Request, accountLargeText?: boolean): Promise<boolean> {
  const chosen = await largeTextCookie.parse(request.headers.get("Cookie"));
  if (chosen === "on" || chosen === "off") return chosen === "on";
  return accountLargeText ?? false;
}

export function serializeLargeText(on: boolean) {
  return largeTextCookie.serialize(on ? "on" : "off");
}
