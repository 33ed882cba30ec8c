import type { Browser } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("community workspace in the browser", () => {
  it("jiefangqiao registers a day-care centre by tapping the map, adds a meal service with hours, and sees both", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(baseUrl() + "/login?redirectTo=%2Fmanage");
    await page.getByLabel("用户名").fill("jiefangqiao");
    await page.getByLabel("密码").fill(process.env.DEMO_PASSWORD ?? "shequ-demo-2022");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(baseUrl() + "/manage/370102001002");
    await page.locator("[data-testid=facilities-map] .leaflet-container").waitFor();
    const markersBefore = await page.locator("[data-testid=facilities-map] .leaflet-marker-icon").count();

    await page.getByRole("link", { name: "登记新设施" }).click();
    await page.waitForURL(/\/facilities\/new$/);
    const name = `解放桥日间照料中心 ${Date.now()}`;
    await page.getByLabel("设施名称").fill(name);
    await page.getByLabel("设施类型").selectOption("elderly_day_care");
    const map = page.getByTestId("point-picker");
    await map.waitFor();
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 30, box.y + box.height / 2 - 20);
    expect(Number(await page.getByLabel("纬度").inputValue())).toBeGreaterThan(36);
    expect(Number(await page.getByLabel("经度").inputValue())).toBeGreaterThan(116);
    await page.getByLabel("周一").first().fill("08:00-11:30, 13:30-17:30");
    await page.getByLabel("周二").first().fill("08:00-17:30");
    await page.getByRole("button", { name: "登记设施" }).click();
    await page.waitForURL(/\/manage\/facilities\/[\w-]+$/);
    expect(await page.getByTestId("toast").textContent()).toContain(name);

    await page.getByRole("link", { name: "添加服务" }).click();
    await page.getByLabel("服务名称").fill("老年助餐");
    expect(await page.getByLabel("类别").inputValue()).toBe("elderly_care");
    // the sub-types follow the category as it changes, by their labels
    await page.getByLabel("类别").selectOption("entrepreneurship");
    expect(await page.getByLabel("子类").locator("option").allTextContents()).toEqual([
      "—",
      "创业孵化",
      "技能培训",
      "创业贷款指导",
      "岗位对接",
      "政策咨询",
    ]);
    await page.getByLabel("类别").selectOption("elderly_care");
    await page.getByLabel("子类").selectOption("meal_assistance");
    expect(await page.getByLabel("子类").locator("option:checked").textContent()).toBe("助餐");
    await page.getByLabel("最低年龄").fill("60");
    await page.getByLabel("周一").fill("11:00-13:00");
    await page.getByLabel("周三").fill("11:00-13:00");
    await page.getByRole("button", { name: "添加服务" }).click();
    await page.waitForURL(/\/manage\/facilities\/[\w-]+$/);
    expect(await page.getByTestId("service-list").textContent()).toContain("老年助餐");

    await page.getByRole("link", { name: /解放桥社区居民委员会/ }).click();
    await page.waitForURL(baseUrl() + "/manage/370102001002");
    const item = page.getByTestId("facility-list").locator("li", { hasText: name });
    expect(await item.textContent()).toContain("老年助餐");
    await page.locator("[data-testid=facilities-map] .leaflet-marker-icon").nth(markersBefore).waitFor();
    expect(await page.locator("[data-testid=facilities-map] .leaflet-marker-icon").count()).toBe(markersBefore + 1);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("the location map says when tiles fail and still shows the community's point, and a tap still places the point", async () => {
    const { page, problems } = await openPage(browser, { tiles: "fail" });
    await page.goto(baseUrl() + "/login?redirectTo=%2Fmanage%2F370102001002%2Ffacilities%2Fnew");
    await page.getByLabel("用户名").fill("jiefangqiao");
    await page.getByLabel("密码").fill(process.env.DEMO_PASSWORD ?? "shequ-demo-2022");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(/\/facilities\/new$/);
    const map = page.getByTestId("point-picker");
    await map.locator(".leaflet-container").waitFor();
    await map.getByRole("status").filter({ hasText: "底图暂时无法加载" }).waitFor();
    expect(await map.locator("path.community-point").count()).toBe(1);
    expect(await map.getByText("社区位置", { exact: true }).isVisible()).toBe(true);
    await map.scrollIntoViewIfNeeded();
    const box = (await map.locator(".leaflet-container").boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 - 60, box.y + box.height / 2 + 40);
    expect(Number(await page.getByLabel("纬度").inputValue())).toBeGreaterThan(36);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("works without JavaScript: a facility from typed coordinates, and errors beside their fields", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(baseUrl() + "/login");
    await page.getByLabel("用户名").fill("jiefangqiao");
    await page.getByLabel("密码").fill(process.env.DEMO_PASSWORD ?? "shequ-demo-2022");
    await page.getByRole("button", { name: "登录" }).click();
    await page.goto(baseUrl() + "/manage/370102001002/facilities/new");
    await page.getByLabel("设施名称").fill("无脚本登记的站点");
    await page.getByLabel("设施类型").selectOption("elderly_service_station");
    await page.getByLabel("纬度").fill("39.9087");
    await page.getByLabel("经度").fill("116.3975");
    await page.getByLabel("周一").first().fill("8点到12点");
    await page.getByRole("button", { name: "登记设施" }).click();
    await page.getByText("时间格式应为 08:00-11:30，多段用逗号分隔").waitFor();
    await page.getByLabel("周一").first().fill("08:00-12:00");
    await page.getByRole("button", { name: "登记设施" }).click();
    await page.getByText("这个位置不在山东省内，不能保存").waitFor();
    await page.getByLabel("纬度").fill("36.6651");
    await page.getByLabel("经度").fill("117.0403");
    await page.getByRole("button", { name: "登记设施" }).click();
    await page.waitForURL(/\/manage\/facilities\/[\w-]+$/);
    expect(await page.locator("h1").textContent()).toContain("无脚本登记的站点");
    await context.close();
  });
});
