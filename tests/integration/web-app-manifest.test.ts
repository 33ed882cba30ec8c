import { existsSync } from "node:fs";

import { loader as manifestLoader } from "~/routes/manifest[.webmanifest]";
import { serializeLargeText, serializeLocale } from "~/utils/preferences.server";

import { callLoader } from "../utils/routes";

// A resident can add Shequ to the home screen: the manifest names it in the page's language, its
// icons exist, and its colour follows large text like the pages' theme colour.

async function manifestWith(cookies: string[]) {
  const request = new Request("http://localhost/manifest.webmanifest", {
    headers: cookies.length ? { Cookie: cookies.join("; ") } : {},
  });
  const response = await manifestLoader({ request, params: {}, context: { clientIp: "127.0.0.1" } });
  return {
    response,
    body: (await response.json()) as Record<string, unknown> & { icons: { src: string; sizes: string }[] },
  };
}

const cookieOf = (setCookie: string) => setCookie.split(";")[0];

describe("the web app manifest", () => {
  it("is installable: a name, start URL, standalone display and 192 and 512 px icons that exist", async () => {
    const { response, body } = await manifestWith([]);
    expect(response.headers.get("Content-Type")).toContain("application/manifest+json");
    expect(body).toMatchObject({
      name: "社区通 · 山东智慧社区服务地图",
      short_name: "社区通",
      lang: "zh-CN",
      start_url: "/",
      display: "standalone",
      theme_color: "#b3261e",
    });
    expect(body.icons.map((i) => i.sizes)).toEqual(["192x192", "512x512", "512x512"]);
    for (const icon of body.icons) expect(existsSync(`public${icon.src}`), icon.src).toBe(true);
    expect(await callLoader(manifestLoader, "/manifest.webmanifest")).toBeInstanceOf(Response);
  });

  it("speaks English and takes the large-text colour from the reader's preferences", async () => {
    const { body } = await manifestWith([
      cookieOf(await serializeLocale("en")),
      cookieOf(await serializeLargeText(true)),
    ]);
    expect(body).toMatchObject({ short_name: "Shequ", lang: "en", theme_color: "#8a1c15" });
  });
});
