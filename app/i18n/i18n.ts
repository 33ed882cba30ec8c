import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";

import type { Messages } from "./zh-CN";

// The languages and the i18next instances, without the catalogues themselves: the browser loads
// only the page's language (entry.client.tsx, loadCatalogue), the server holds both
// (entry.server.tsx, and ./index.ts for everything else on the server).

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

export const isLocale = (value: unknown): value is Locale =>
  typeof value === "string" && (LOCALES as readonly string[]).includes(value);

const catalogues: Partial<Record<Locale, Messages>> = {};

export function addCatalogue(locale: Locale, messages: Messages) {
  catalogues[locale] = messages;
}

/**
 * The catalogue of one language, in the browser: the page's own at the versioned address the page
 * names (and preloads), another language's at its plain one (catalogue-files.server.ts).
 */
export async function loadCatalogue(locale: Locale): Promise<Messages> {
  const page = document.documentElement;
  const url = page.lang === locale && page.dataset.catalogue ? page.dataset.catalogue : `/locales/${locale}.json`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the ${locale} catalogue: ${response.status}`);
  const messages = (await response.json()) as Messages;
  addCatalogue(locale, messages);
  return messages;
}

/**
 * A synchronous instance per render from the catalogues at hand. A language whose catalogue is
 * not here yet (the browser, after the language was changed without a new page) is loaded and
 * switched to when it arrives; until then the other language shows.
 */
export function createI18n(locale: Locale, available: Partial<Record<Locale, Messages>> = catalogues): i18n {
  const instance = i18next.createInstance();
  const resources = Object.fromEntries(Object.entries(available).map(([lng, translation]) => [lng, { translation }]));
  const fallback = available[DEFAULT_LOCALE] ? DEFAULT_LOCALE : (Object.keys(available)[0] ?? DEFAULT_LOCALE);
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: fallback,
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  if (!available[locale]) {
    void loadCatalogue(locale).then((messages) => {
      instance.addResourceBundle(locale, "translation", messages);
      return instance.changeLanguage(locale);
    });
  }
  return instance;
}
