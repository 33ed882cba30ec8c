// The browser gets its page's message catalogue as a JSON file of its own (versioned, cached for a
// year), not as a script: only the page's language, and Chinese as UTF-8 rather than \uXXXX escapes.
import { CATALOGUES } from "~/i18n";
import { loader as rootLoader } from "~/root";
import { loader as catalogue } from "~/routes/locales.$locale[.json]";

import { callLoader, callLoaderAs } from "../utils/routes";

const pageCatalogue = async (cookie?: string) =>
  ((await (await callLoaderAs(rootLoader, "/", cookie)).json()) as { catalogueUrl: string }).catalogueUrl;

describe("catalogue files", () => {
  it("each page names its own language's catalogue at a versioned address", async () => {
    expect(await pageCatalogue()).toMatch(/^\/locales\/zh-CN\.json\?v=[\w-]{16}$/);
    const english = await pageCatalogue(`lng=${btoa(JSON.stringify("en"))}`);
    expect(english).toMatch(/^\/locales\/en\.json\?v=[\w-]{16}$/);
  });

  it("are the catalogues themselves, as UTF-8 JSON, cached for a year at their version, with 304 for a browser that has it", async () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const url = await pageCatalogue(`lng=${btoa(JSON.stringify(locale))}`);
      const response = await callLoader(catalogue, url, { locale });
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      const body = await response.text();
      expect(JSON.parse(body)).toEqual(CATALOGUES[locale]);
      expect(body).not.toContain("\\u");
      const again = await catalogue({
        request: new Request(new URL(url, "http://localhost"), {
          headers: { "If-None-Match": response.headers.get("ETag")! },
        }),
        params: { locale },
        context: { clientIp: "127.0.0.1" },
      });
      expect(again.status).toBe(304);
    }
    const plain = await callLoader(catalogue, "/locales/en.json", { locale: "en" });
    expect(plain.headers.get("Cache-Control")).toBe("public, max-age=3600");
  });

  it("answer 404 for a language the app does not have", async () => {
    expect((await callLoader(catalogue, "/locales/fr.json", { locale: "fr" })).status).toBe(404);
  });
});
