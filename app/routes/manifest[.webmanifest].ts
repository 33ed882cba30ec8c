import { type LoaderFunctionArgs } from "@remix-run/node";

import { publicRoute } from "~/domains/accounts/guards.server";
import { createI18n } from "~/i18n";
import { getLargeText, getLocale } from "~/utils/preferences.server";
import { themeColour } from "~/utils/theme";

// The web app manifest: a resident adds Shequ to the home screen. Its name follows the page's
// language and its colours the large-text mode (the same theme colours the pages announce).

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  const locale = await getLocale(request);
  const largeText = await getLargeText(request);
  const t = createI18n(locale).t;
  const manifest = {
    name: `${t("app.name")} · ${t("app.tagline")}`,
    short_name: t("app.name"),
    description: t("app.tagline"),
    lang: locale,
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: themeColour(largeText),
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
  return new Response(JSON.stringify(manifest), {
    headers: {
      "Content-Type": "application/manifest+json; charset=utf-8",
      // the language and the colours come from the reader's cookies
      "Cache-Control": "private, max-age=3600",
      Vary: "Cookie",
    },
  });
}
