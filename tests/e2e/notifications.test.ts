import type { Browser, BrowserContextOptions, Page } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage, publicServiceOf, signIn } from "./browser";

// A resident reports a problem with a listing; the community's staffer sees the bell's count go
// up, opens the list, marks it read and sees the count go down; "mark all read" works without
// JavaScript.

const community = "370102001002";

let browser: Browser;
/** a service of the staffer's community that residents can open */
let service: string;
/** the staffer's session, signed in once (sign-ins count against the address's limit) */
let staffSession: BrowserContextOptions["storageState"];
beforeAll(async () => {
  browser = await launchBrowser();
  const staff = await openPage(browser);
  await signIn(staff.page, "jiefangqiao");
  service = await publicServiceOf(staff.page, community);
  staffSession = await staff.page.context().storageState();
  await staff.page.context().close();
});
afterAll(async () => {
  await browser?.close();
});

/** the bell's unread count, read from its name ("通知，3 条未读"; "通知" when none) */
async function unreadCount(page: Page) {
  const name = (await page.getByTestId("notification-bell").textContent()) ?? "";
  const match = /(\d+)\s*条未读/.exec(name);
  return match ? Number(match[1]) : 0;
}

describe("notifications in the browser", () => {
  it("a staffer sees the bell count after a resident's problem report, opens the list, marks it read, and the count goes down", async () => {
    const staff = await openPage(browser, { storageState: staffSession });
    await staff.page.goto(`${baseUrl()}/manage/${community}`);
    const before = await unreadCount(staff.page);

    const resident = await openPage(browser);
    await resident.page.goto(`${baseUrl()}/services/${service}`);
    await resident.page.getByText("信息有误？告诉我们").click();
    await resident.page.getByLabel("电话有误").check();
    await resident.page.getByLabel("补充说明（选填）").fill("电话打不通，换号了");
    await resident.page.getByRole("button", { name: "提交", exact: true }).click();
    await resident.page.getByText("谢谢！社区工作人员会核实并修正。").waitFor();
    expect(resident.problems).toEqual(noProblems);
    await resident.page.context().close();

    await staff.page.reload();
    expect(await unreadCount(staff.page)).toBe(before + 1);
    // its accessible name says it in words (the badge's bare number is hidden from it)
    const bell = staff.page.getByRole("link", { name: new RegExp(`^通知\\s*，${before + 1} 条未读$`) });
    await bell.click();
    await staff.page.waitForURL(`${baseUrl()}/notifications`);
    const newest = staff.page.getByTestId("notification-list").locator("li").first();
    expect(await newest.textContent()).toContain("居民反馈");
    expect(await newest.textContent()).toContain("电话有误");
    expect(await newest.getByText("未读", { exact: true }).count()).toBe(1);
    await newest.getByRole("button", { name: "标为已读" }).click();
    await staff.page.getByTestId("notification-list").locator("li").first().getByText("未读", { exact: true }).waitFor({
      state: "detached",
    });
    expect(await unreadCount(staff.page)).toBe(before);

    // the message leads to the community's problem reports
    await staff.page.getByTestId("notification-list").locator("li").first().getByRole("link").click();
    await staff.page.waitForURL(`${baseUrl()}/manage/${community}#reports`);
    expect(staff.problems).toEqual(noProblems);
    await staff.page.context().close();
  });

  it("marks all read without JavaScript", async () => {
    const resident = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const reported = await resident.request.post(`${baseUrl()}/services/${service}`, {
      form: { kind: "wrong_hours", text: "周日不开门" },
      headers: { Origin: baseUrl() },
    });
    expect(reported.status()).toBe(200);
    await resident.close();

    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN", storageState: staffSession });
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/notifications`);
    expect(await unreadCount(page)).toBeGreaterThan(0);
    await page.getByRole("button", { name: "全部标为已读" }).click();
    await page.waitForURL(`${baseUrl()}/notifications`);
    expect(await unreadCount(page)).toBe(0);
    expect(await page.getByRole("button", { name: "全部标为已读" }).count()).toBe(0);
    expect(await page.getByText("未读", { exact: true }).count()).toBe(0);
    await context.close();
  });
});
