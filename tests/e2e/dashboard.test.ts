import type { Browser } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const number = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

describe("coverage dashboards in the browser", () => {
  it("the province admin sees 16 cities, drills down to Jinan and comes back, then all 151 county-level units at once, every level adding up", async () => {
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
    const rates = (await page.getByTestId("children-table").locator("tbody tr td:nth-child(5)").allTextContents()).map(
      (t) => parseFloat(t),
    );
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    await page.getByRole("navigation", { name: "所在层级" }).getByRole("link", { name: "山东省" }).click();
    await page.getByRole("heading", { level: 1, name: /山东省/ }).waitFor();
    expect(await rows.count()).toBe(16);

    // all county-level units at once: 151 rows and shapes (136 outlines, the 15 NBS-only zones as
    // dots at their communities' centre), still adding up to the province
    await page.getByLabel("下级显示到").selectOption("county");
    await page.getByRole("button", { name: "更新" }).click();
    await page.waitForURL(/children=county/);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(151);
    await expect.poll(() => page.locator(".leaflet-overlay-pane path.shade").count(), { timeout: 15_000 }).toBe(151);
    const allCounties = (await page.getByTestId("child-certified").allTextContents()).reduce(
      (s, t) => s + number(t),
      0,
    );
    expect(allCounties).toBe(provinceCertified);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });
});

describe("certification in the browser", () => {
  it("jiefangqiao submits the self-assessment, lixia approves it, and the district's certified count rises by one", async () => {
    const official = await openPage(browser);
    await signIn(official.page, "lixia");
    await official.page.goto(baseUrl() + "/dashboard/370102");
    const before = number(await official.page.getByTestId("certified-count").textContent());
    const gapBefore = number(await official.page.getByTestId("gap").textContent());

    const staff = await openPage(browser);
    await signIn(staff.page, "jiefangqiao");
    // the community has no elderly-care service yet: the staffer adds one at an existing facility
    await staff.page.goto(baseUrl() + "/manage/370102001002");
    await staff.page.getByTestId("facility-list").locator("li a").first().click();
    await staff.page.waitForURL(/\/manage\/facilities\/[\w-]+$/);
    await staff.page.getByRole("link", { name: "添加服务" }).click();
    await staff.page.getByLabel("服务名称").fill("上门探访");
    await staff.page.getByLabel("类别").selectOption("elderly_care");
    await staff.page.getByRole("button", { name: "添加服务" }).click();
    await staff.page.waitForURL(/\/manage\/facilities\/[\w-]+$/);

    await staff.page.goto(baseUrl() + "/manage/370102001002/assessment");
    await staff.page.getByRole("button", { name: "开始自评" }).click();
    await staff.page.getByRole("button", { name: "保存草稿" }).waitFor();
    // the three manual indicators: claimed, with evidence
    const claims = staff.page.getByTestId("indicators").getByLabel("本社区达到此项");
    const manual = await claims.count();
    expect(manual).toBe(3);
    const evidence = [
      "全部 1,230 户已通千兆光纤（2026 年 10 月运营商报表）",
      "小区出入口、电梯和消防通道 46 路视频",
      "“泉城办”社区服务小程序上线",
    ];
    for (let i = 0; i < manual; i++) {
      await claims.nth(i).check();
      await staff.page.getByTestId("indicators").getByLabel("证明材料说明").nth(i).fill(evidence[i]);
    }
    await staff.page.getByLabel("我确认以上内容真实，提交后不能再修改").check();
    await staff.page.getByRole("button", { name: "提交审核" }).click();
    await staff.page.getByTestId("assessment-state").getByText("已提交，待审核").waitFor();

    await official.page.goto(baseUrl() + "/review");
    await official.page
      .getByTestId("review-queue")
      .getByRole("link", { name: /解放桥社区/ })
      .click();
    await official.page.waitForURL(/\/review\/[^/]+$/);
    for (const text of evidence) await official.page.getByText(text).first().waitFor();
    await official.page.getByRole("button", { name: "通过", exact: true }).click();
    await official.page.getByTestId("assessment-state").getByText("已通过").waitFor();

    await official.page.goto(baseUrl() + "/dashboard/370102");
    expect(number(await official.page.getByTestId("certified-count").textContent())).toBe(before + 1);
    expect(number(await official.page.getByTestId("gap").textContent())).toBe(Math.max(0, gapBefore - 1));
    // and the community's staff see the outcome in their workspace
    await staff.page.goto(baseUrl() + "/manage/370102001002");
    await staff.page.getByText("已通过").first().waitFor();

    expect(official.problems).toEqual(noProblems);
    expect(staff.problems).toEqual(noProblems);
    await official.page.context().close();
    await staff.page.context().close();
  });
});
