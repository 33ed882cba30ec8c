import type { Browser } from "playwright-core";

import { mutatingRoutes } from "../utils/route-manifest";
import { baseUrl, launchBrowser, noProblems, openPage } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("accounts in the browser", () => {
  it("lixia signs in, opens /admin/users, sees her district's staff, and signs out", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(baseUrl() + "/admin/users");
    await page.waitForURL(/\/login\?redirectTo=%2Fadmin%2Fusers/);
    await page.getByLabel("用户名").fill("lixia");
    await page.getByLabel("密码").fill(process.env.DEMO_PASSWORD ?? "shequ-demo-2022");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(baseUrl() + "/admin/users");
    await page.getByTestId("users-table").waitFor();
    const usernames = await page.getByTestId("users-table").locator("tbody tr td:first-child").allTextContents();
    expect(usernames).toContain("jiefangqiao");
    expect(usernames).not.toContain("jinan");
    expect(await page.getByTestId("account-link").textContent()).toBeTruthy();

    await page.getByRole("button", { name: "退出登录" }).click();
    await page.getByRole("link", { name: "登录" }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "shequ_session")?.value ?? "").toBe("");
    await page.goto(baseUrl() + "/admin/users");
    await page.waitForURL(/\/login/);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("shows a clear message for a wrong password", async () => {
    const { page } = await openPage(browser);
    await page.goto(baseUrl() + "/login");
    await page.getByLabel("用户名").fill("lixia");
    await page.getByLabel("密码").fill("definitely wrong");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByText("用户名或密码错误。").waitFor();
    await page.context().close();
  });
});

describe("cross-site requests to the server", () => {
  it("refuses every mutating route with 403 when Origin or Sec-Fetch-Site names another site", async () => {
    const paths = (await mutatingRoutes()).map((r) => r.path.replace(/:\w+/g, "x"));
    expect(paths.length).toBeGreaterThanOrEqual(7);
    for (const routePath of paths) {
      for (const headers of [{ Origin: "http://evil.example" }, { "Sec-Fetch-Site": "cross-site" }] as Record<
        string,
        string
      >[]) {
        const response = await fetch(baseUrl() + routePath, {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
          body: "username=lixia&password=x",
          redirect: "manual",
        });
        expect(`${routePath} ${JSON.stringify(headers)} → ${response.status}`).toBe(
          `${routePath} ${JSON.stringify(headers)} → 403`,
        );
      }
    }
    const sameOrigin = await fetch(baseUrl() + "/login", {
      method: "POST",
      headers: { Origin: baseUrl(), "Content-Type": "application/x-www-form-urlencoded" },
      body: "username=nobody&password=x",
      redirect: "manual",
    });
    expect(sameOrigin.status).toBe(400);
  });
});
