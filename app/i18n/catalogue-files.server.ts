import { versionedFile, type VersionedFile } from "~/utils/responses.server";

import type { Locale } from "./i18n";
import { CATALOGUES } from "./index";

// Each language's catalogue as a JSON file for the browser (routes/locales.$locale[.json].ts): a
// page fetches its own language's while its scripts load (root.tsx preloads it), as UTF-8 data
// rather than a script chunk, where the bundler escapes every Chinese character as \uXXXX.

const files = new Map<Locale, VersionedFile>();

export function getCatalogueFile(locale: Locale): VersionedFile {
  let file = files.get(locale);
  if (!file) {
    file = versionedFile(JSON.stringify(CATALOGUES[locale]));
    files.set(locale, file);
  }
  return file;
}

/** the address of a language's catalogue, versioned so that browsers keep it for good */
export const catalogueUrl = (locale: Locale) => `/locales/${locale}.json?v=${getCatalogueFile(locale).version}`;
