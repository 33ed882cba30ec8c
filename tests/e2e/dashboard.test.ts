import type { Browser } from "playwright-core";

import { baseUrl, launchBrowser, openPage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const number = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

describe("coverage dashboards in the browser", () => {
  it("the province admin sees 16 cities on the map and in the table, drills down to Jinan and comes back, every level adding up", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, "province");
    await page.goto(baseUrl() + "/dashboard");
    await page.waitForURL(/\/dashboard\/37/);
    const rows = page.getByTestId("children-table").locator("tbody tr");
    expect(await rows.count()).toBe(16);
    await page.locator(".leaflet-overlay-pane path.shade").first().waitFor();
    expect(await page.locator(".leaflet-overlay-pane path.shade").count()).toBe(16);
    const provinceCertified = number(await page.getByTestId("certified-count").textContent());
    const citySum = (await page.getByTestId("child-certified").allTextContents()).reduce((s, t) => s + number(t), 0);
    expect(citySum).toBe(provinceCertified);
    await page.getByTestId("trend-chart").waitFor();

    await page.getByTestId("children-table").getByRole("link", { name: "济南市" }).click();
    await page.getByRole("heading", { level: 1, name: /济南市/ }).waitFor();
    expect(await rows.count()).toBe(13);
    const jinan = number(await page.getByTestId("certified-count").textContent());
    const countySum = (await page.getByTestId("child-certified").allTextContents()).reduce((s, t) => s + number(t), 0);
    expect(countySum).toBe(jinan);
    // sorted by coverage, highest first
    const rateHeader = page.getByTestId("children-table").getByRole("link", { name: /^覆盖率/ });
    await rateHeader.click();
    await page.waitForURL(/sort=rate&dir=asc/);
    await page.locator('th[aria-sort="ascending"]').waitFor();
    await rateHeader.click();
    await page.waitForURL(/sort=rate&dir=desc/);
    await page.locator('th[aria-sort="descending"]').waitFor();
    const rates = (await page.getByTestId("children-table").locator("tbody tr td:nth-child(5)").allTextContents()).map((t) => parseFloat(t));
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    await page.getByRole("navigation", { name: "所在层级" }).getByRole("link", { name: "山东省" }).click();
    await page.getByRole("heading", { level: 1, name: /山东省/ }).waitFor();
    expect(await rows.count()).toBe(16);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
    await page.context().close();
  });
});
