import type { MetaDescriptor } from "@remix-run/node";
import type { i18n } from "i18next";

import { createI18n, DEFAULT_LOCALE, isLocale, type Locale } from "~/i18n/i18n";

// A page's <meta name="description">, in the reader's language (the root loader's locale).

const instances = new Map<Locale, i18n>();

type Match = { id: string; data: unknown };

/** the reader's i18next instance for a `meta` function, from the root route's data */
export function metaI18n(matches: readonly Match[]): i18n {
  const data = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const locale = isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
  let instance = instances.get(locale);
  if (!instance) {
    instance = createI18n(locale);
    instances.set(locale, instance);
  }
  return instance;
}

export const description = (content: string): MetaDescriptor => ({ name: "description", content });
