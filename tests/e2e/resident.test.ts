import type { Browser } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage, recordSpeech, spokenTexts } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const distances = (texts: (string | null)[]) => texts.map((m) => Number(m));

describe("residents in the browser", () => {
  it("a resident in Jinan picks elderly care, gets the nearest services in order, opens one, and switches to large text", async () => {
    const { page, problems } = await openPage(browser);
    // a resident standing by Quancheng Square, Jinan
    await page.goto(baseUrl() + "/?lat=36.6610&lng=117.0215");
    // there are results already (every category), so the search is folded into its summary line
    await page.getByTestId("search-summary").locator("summary").click();
    await page.locator("label.chip-toggle", { hasText: "养老服务" }).click();
    await page.getByRole("button", { name: "查找" }).click();
    await page.waitForURL(/category=elderly_care/);
    const results = page.getByTestId("results").locator("li");
    await results.first().waitFor();
    expect(await results.count()).toBeGreaterThan(3);
    const metres = distances(
      await page.getByTestId("distance").evaluateAll((els) => els.map((e) => e.getAttribute("data-metres"))),
    );
    expect(metres).toEqual([...metres].sort((a, b) => a - b));
    expect(metres[0]).toBeLessThan(3000);
    expect(await results.first().textContent()).toMatch(/养老服务/);
    await page.locator(".leaflet-marker-icon, .marker-cluster").first().waitFor();

    await results.first().locator("a").first().click();
    await page.waitForURL(/\/services\//);
    const body = page.locator("main p").first();
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await page.getByTestId("large-text-switch").click();
    await page.locator("html.large-text").waitFor();
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(before).toBe(16);
    expect(after).toBeGreaterThanOrEqual(20);
    expect(await body.isVisible()).toBe(true);
    const tapTarget = await page.getByTestId("large-text-switch").boundingBox();
    expect(tapTarget!.height).toBeGreaterThanOrEqual(48);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it.each([
    ["zh-CN", false, /^养老服务 · 1\.0 公里 · .+ — 修改$/],
    ["zh-CN", true, /^养老服务 · 1\.0 公里 · .+ — 修改$/],
    ["en", true, /^Elderly care · 1\.0 km · .+ — change$/],
  ])(
    "on a 390 × 844 phone (%s, large text %s), the first result's name and distance are in the first screen, under the search folded into one line",
    async (locale, largeText, folded) => {
      const { page, problems } = await openPage(browser, { device: "phone" });
      await page.request.post(baseUrl() + "/preferences/locale", { form: { locale }, headers: { Origin: baseUrl() } });
      await page.request.post(baseUrl() + "/preferences/display", {
        form: { largeText: largeText ? "on" : "off" },
        headers: { Origin: baseUrl() },
      });
      await page.goto(baseUrl() + "/?lat=36.6610&lng=117.0215&category=elderly_care&radius=1000");
      const first = page.getByTestId("results").locator("li").first();
      await first.waitFor();
      expect(await page.locator("html").getAttribute("class")).toBe(largeText ? "large-text" : null);
      const summary = page.getByTestId("search-summary").locator("summary");
      expect(await summary.textContent()).toMatch(folded);
      for (const fact of [first.locator("a").first(), first.getByTestId("distance")]) {
        const box = (await fact.boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(844);
      }
      // the form is one tap away, with the query as it was
      await summary.click();
      expect(await page.locator("label.chip-toggle input[value=elderly_care]").isChecked()).toBe(true);
      expect(problems).toEqual(noProblems);
      await page.context().close();
    },
  );

  it("on a phone the results are a list or a map, switched; a desktop shows both and no switch", async () => {
    const url = baseUrl() + "/?lat=36.6610&lng=117.0215&category=elderly_care&radius=1000";
    const phone = await openPage(browser, { device: "phone" });
    await phone.page.goto(url);
    const results = phone.page.getByTestId("results");
    const map = phone.page.locator(".services-map.leaflet-container");
    const asMap = phone.page.getByRole("button", { name: "地图", exact: true });
    await asMap.waitFor();
    expect(await asMap.getAttribute("aria-pressed")).toBe("false");
    expect(await results.isVisible()).toBe(true);
    expect(await map.count()).toBe(0);
    await asMap.click();
    await map.locator(".leaflet-marker-icon").first().waitFor();
    expect(await results.isVisible()).toBe(false);
    // the map fills the screen's width and has its full height (it was mounted while shown)
    const box = (await map.boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThan(300);
    await phone.page.getByRole("button", { name: "列表", exact: true }).click();
    expect(await results.isVisible()).toBe(true);
    expect(await map.count()).toBe(0);
    expect(phone.problems).toEqual(noProblems);
    await phone.page.context().close();

    const desktop = await openPage(browser);
    await desktop.page.goto(url);
    await desktop.page.locator(".services-map.leaflet-container .leaflet-marker-icon").first().waitFor();
    expect(await desktop.page.getByTestId("results").isVisible()).toBe(true);
    expect(await desktop.page.getByTestId("view-switch").count()).toBe(0);
    expect(desktop.problems).toEqual(noProblems);
    await desktop.page.context().close();
  });

  it("on a phone before a search, the map (and Leaflet) comes when asked for, and a tap on it searches from there", async () => {
    const { page, problems } = await openPage(browser, { device: "phone" });
    const leaflet: string[] = [];
    page.on("request", (request) => {
      if (/leaflet|map\.client|counties/i.test(request.url())) leaflet.push(request.url());
    });
    await page.goto(baseUrl() + "/", { waitUntil: "networkidle" });
    expect(await page.locator(".leaflet-container").count()).toBe(0);
    expect(leaflet).toEqual([]);
    await page.getByRole("button", { name: "在地图上选位置" }).click();
    const map = page.locator(".services-map.leaflet-container");
    await map.locator("path.county-outline").first().waitFor();
    const size = (await map.boundingBox())!;
    await map.click({ position: { x: size.width / 2, y: size.height / 2 } });
    await page.waitForURL(/lat=/);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("in large text, a result is read aloud in the page's language: name, distance, open state, phone", async () => {
    const { page, problems } = await openPage(browser);
    await recordSpeech(page);
    await page.goto(baseUrl() + "/?lat=36.6610&lng=117.0215&category=elderly_care");
    const results = page.getByTestId("results").locator("li");
    await results.first().waitFor();
    // standard text: no button on the results
    expect(await results.first().getByRole("button", { name: /^朗读/ }).count()).toBe(0);
    await page.getByTestId("large-text-switch").click();
    await page.locator("html.large-text").waitFor();
    const first = page.getByTestId("results").locator("li").first();
    const name = (await first.locator("strong").first().textContent())!;
    await first.getByRole("button", { name: `朗读 ${name}` }).click();
    const spoken = await spokenTexts(page);
    expect(spoken).toHaveLength(1);
    expect(spoken[0].lang).toBe("zh-CN");
    expect(spoken[0].text.startsWith(`${name}，`)).toBe(true);
    expect(spoken[0].text).toMatch(/\d+ 米|[\d.]+ 公里/);
    expect(spoken[0].text).toMatch(/正在开放|已关闭|关闭|未登记|开放时间/);
    expect(spoken[0].text).toMatch(/电话 [\d+]( [\d+])+|没有登记电话/);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("shows no read-aloud button where the browser has no speech synthesis", async () => {
    const { page, problems } = await openPage(browser);
    await page.addInitScript(() => {
      Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
    });
    await page.goto(baseUrl() + "/?lat=36.6610&lng=117.0215&category=elderly_care");
    await page.getByTestId("results").locator("li").first().waitFor();
    await page.getByTestId("results").locator("li").first().locator("a").first().click();
    await page.waitForURL(/\/services\//);
    // the map mounts after hydration, when the button would have appeared
    await page.locator(".leaflet-container").first().waitFor();
    expect(await page.getByRole("button", { name: /^朗读/ }).count()).toBe(0);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("works without JavaScript: the list form by community name, then by coordinates", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(baseUrl() + "/");
    await page.getByLabel("社区名称").fill("解放桥");
    await page.locator("label.chip-toggle", { hasText: "养老服务" }).click();
    await page.getByRole("button", { name: "查找" }).click();
    // several communities share the name: the resident chooses theirs from the list
    await page.getByText("找到这些社区，请选择：").waitFor();
    // 解放桥 is in Jinan and in Jining: each choice names its city and county
    const jinan = page.getByRole("link", { name: /解放桥社区居民委员会\s+济南市 历下区/ });
    expect(await jinan.count()).toBeGreaterThan(0);
    await page
      .getByRole("link", { name: /解放桥社区居民委员会/ })
      .first()
      .click();
    await page.getByTestId("results").locator("li").first().waitFor();
    expect(await page.locator("h1").textContent()).toContain("解放桥");
    // how many, and how far, in words (a live region, so a screen reader hears it)
    const summary = page.getByTestId("results-summary");
    expect(await summary.getAttribute("role")).toBe("status");
    expect(await summary.textContent()).toMatch(/(找到|先列出最近的) \d+ 个服务，都在 3\.0 公里 以内/);
    const metres = distances(
      await page.getByTestId("distance").evaluateAll((els) => els.map((e) => e.getAttribute("data-metres"))),
    );
    expect(metres).toEqual([...metres].sort((a, b) => a - b));

    await page.goto(baseUrl() + "/?lat=36.0630&lng=120.3850&category=elderly_care&radius=any");
    await page.getByTestId("results").locator("li").first().waitFor();
    expect(await page.getByTestId("results").locator("li").count()).toBeGreaterThan(0);
    await context.close();
  });
});
