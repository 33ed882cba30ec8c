import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

import { DEFAULT_LOCALE, isLocale, loadCatalogue } from "~/i18n/i18n";

// the page's language only (root.tsx sets <html lang>): the other catalogue stays on the server
const lang = document.documentElement.lang;

void loadCatalogue(isLocale(lang) ? lang : DEFAULT_LOCALE).then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
