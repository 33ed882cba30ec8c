import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";

import { baseUrl, countBoundaries, launchBrowser, noProblems, openPage } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("home page", () => {
  it("draws the 136 county boundaries with no errors from the app", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(baseUrl() + "/");
    expect(await page.locator("h1").textContent()).toBe("找身边的社区服务");
    await page.locator(".leaflet-overlay-pane path.county-outline").first().waitFor();
    expect(await countBoundaries(page)).toBe(136);
    mkdirSync("tests/e2e/screenshots", { recursive: true });
    await page.screenshot({ path: "tests/e2e/screenshots/home.png", fullPage: true });
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("sends no outlines and no Leaflet with the page: the map fetches them once shown", async () => {
    const html = await (await fetch(baseUrl() + "/")).text();
    expect(html).not.toContain("MultiPolygon");
    expect(html).not.toMatch(/<link[^>]+leaflet[^>]*>/);
    expect(html).not.toMatch(/<link[^>]+MarkerCluster[^>]*>/);
    const { page, problems } = await openPage(browser);
    const outlines = page.waitForResponse((r) => r.url().includes("/regions/counties.geojson?v="));
    await page.goto(baseUrl() + "/");
    const response = await outlines;
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    await page.locator(".leaflet-overlay-pane path.county-outline").first().waitFor();
    expect(await countBoundaries(page)).toBe(136);
    // Leaflet's styles came with the map
    expect(await page.locator('link[rel="stylesheet"][href*="leaflet"]').count()).toBe(1);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("still draws the boundaries and says so when tiles cannot load", async () => {
    const { page, problems } = await openPage(browser, { tiles: "fail" });
    await page.goto(baseUrl() + "/");
    await page.locator(".map-notice").waitFor();
    // the outlines arrive after the map (their own file)
    await page.locator(".leaflet-overlay-pane path.county-outline").first().waitFor();
    expect(await countBoundaries(page)).toBe(136);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("switches to English and back", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(baseUrl() + "/");
    await page.getByRole("button", { name: "English" }).click();
    await page.locator("h1", { hasText: "Find community services near you" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    // the English catalogue came after the change (the page had Chinese only): the header too
    await page.getByRole("button", { name: "中文" }).waitFor();
    await page.getByRole("button", { name: "中文" }).click();
    await page.locator("h1", { hasText: "找身边的社区服务" }).waitFor();
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });
});
