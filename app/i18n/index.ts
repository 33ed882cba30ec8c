import { en } from "./en";
import { createI18n as createInstance, type Locale } from "./i18n";
import { zhCN } from "./zh-CN";

// Both catalogues, for the server and the tests. The browser's code imports ./i18n instead, so
// that a page carries only its own language (./i18n.ts, loadCatalogue).

export const CATALOGUES = { "zh-CN": zhCN, en } as const;

export const createI18n = (locale: Locale) => createInstance(locale, CATALOGUES);

export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from "./i18n";
