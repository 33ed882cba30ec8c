import type { Browser } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage, publicServiceOf, signIn } from "./browser";

// "Smart or not, residents decide": a resident rates a service on a phone in large text, the
// community's staff read the comment and answer it, the district's satisfaction moves, and the
// showcase lists a city's benchmark communities with theirs.

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const COMMUNITY = "370102001002";

describe("residents' satisfaction in the browser", () => {
  it("a resident rates a service in large text on a phone; the staff member reads and answers it; the district's responses move by one", async () => {
    const official = await openPage(browser);
    await signIn(official.page, "lixia");
    await official.page.goto(baseUrl() + "/dashboard/370102");
    const responses = official.page.getByTestId("satisfaction-responses");
    const before = Number(await responses.getAttribute("data-responses"));
    expect(before).toBeGreaterThan(10);

    const staff = await openPage(browser);
    await signIn(staff.page, "jiefangqiao");
    const serviceId = await publicServiceOf(staff.page, COMMUNITY);

    // a new resident: no account, a phone, large text switched on where it is offered
    const resident = await openPage(browser, { device: "phone" });
    await resident.page.goto(`${baseUrl()}/services/${serviceId}`);
    await resident.page.getByTestId("large-text-switch").click();
    await resident.page.locator("html.large-text").waitFor();
    const comment = `饭菜合口味，希望周末也开（${Date.now()}）`;
    await resident.page.getByLabel(/想说的话/).fill(comment);
    const satisfied = resident.page.getByRole("button", { name: "满意", exact: true });
    expect((await satisfied.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    expect(await satisfied.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(20);
    await satisfied.click();
    await resident.page.getByRole("status").filter({ hasText: "谢谢您的评价！" }).waitFor();

    // the staff member sees the comment in the workspace and answers it in public
    await staff.page.goto(`${baseUrl()}/manage/${COMMUNITY}`);
    const item = staff.page.getByTestId("feedback-comment").filter({ hasText: comment });
    await item.waitFor();
    await item.getByLabel("公开回复").fill("谢谢！周六中午也开门了。");
    await item.getByRole("button", { name: "保存回复" }).click();
    await staff.page.getByText("回复已保存，居民可在服务页面上看到").waitFor();

    // the answer is on the service page, the comment is not
    await resident.page.reload();
    await resident.page.getByTestId("public-answers").getByText("谢谢！周六中午也开门了。").waitFor();
    expect(await resident.page.getByText(comment).count()).toBe(0);

    await official.page.reload();
    expect(Number(await responses.getAttribute("data-responses"))).toBe(before + 1);

    for (const { problems } of [official, staff, resident]) expect(problems).toEqual(noProblems);
    for (const { page } of [official, staff, resident]) await page.context().close();
  });

  it("the showcase lists Jinan's benchmark communities first, each with its satisfaction, and leads to its services", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(baseUrl() + "/showcase");
    await page.getByLabel("市", { exact: true }).selectOption("3701");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/city=3701/);
    const items = page.getByTestId("showcase-list").locator("li");
    await items.first().waitFor();
    const tiers = await items.locator("[data-tier]").evaluateAll((els) => els.map((e) => e.getAttribute("data-tier")));
    expect(tiers[0]).toBe("benchmark");
    const order = { benchmark: 0, growth: 1, basic: 2 } as Record<string, number>;
    expect(tiers.map((t) => order[t!])).toEqual([...tiers.map((t) => order[t!])].sort((a, b) => a - b));
    const benchmark = items.filter({ has: page.locator('[data-tier="benchmark"]') });
    const texts = await benchmark.getByTestId("satisfaction").allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.some((t) => /居民满意 \d+(\.\d)?%/.test(t))).toBe(true);
    expect(await benchmark.first().textContent()).toMatch(/济南市/);

    await benchmark.first().getByRole("link").first().click();
    await page.waitForURL(/\/showcase\/37\d{10}$/);
    await page.locator('a[href^="/services/"]').first().click();
    await page.waitForURL(/\/services\//);
    await page.getByRole("heading", { name: "评价这项服务" }).waitFor();
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("the province admin corrects a refused minimum of responses and saves it with one click", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, "province");
    await page.goto(baseUrl() + "/admin/settings");
    const form = page.getByTestId("satisfaction-settings");
    const field = form.getByLabel("满意率最少评价数");
    await field.fill("0");
    await form.getByRole("button", { name: "保存" }).click();
    await form.getByText("应为 1 到 1000 之间的整数").waitFor();
    await field.fill("12");
    await form.getByRole("button", { name: "保存" }).click();
    await page.getByText("满意率最少评价数已保存：12 条").waitFor();
    // back to the default, for the other tests on this database
    await field.fill("10");
    await form.getByRole("button", { name: "保存" }).click();
    await page.getByText("满意率最少评价数已保存：10 条").waitFor();
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });
});
