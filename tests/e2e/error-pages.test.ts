import type { Browser, ConsoleMessage, Page } from "playwright-core";

import { baseUrl, launchBrowser, openPage, signIn } from "./browser";

// Issue 16, part 6: an error page (404, 403) hydrates quietly: a thrown Response is the page's
// answer, not an error to log (it was logged six times), and the boundary renders the same
// markup in the browser as on the server (React reports a mismatch as an error).

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Every console error and warning of the page, but the two the network causes: the browser's own
 * line for the error page's status (the document's URL) and map tiles that cannot be resolved.
 */
function consoleOf(page: Page) {
  const messages: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    const text = m.text();
    if (text.includes("ERR_NAME_NOT_RESOLVED")) return;
    if (text.startsWith("Failed to load resource") && m.location().url === page.url()) return;
    messages.push(`${m.type()}: ${text}`);
  });
  page.on("pageerror", (error) => messages.push(`pageerror: ${error.message}`));
  return messages;
}

/** Opens an error page and waits for it to hydrate (Remix's router is on window once it has). */
async function openErrorPage(page: Page, path: string, status: number) {
  const response = await page.goto(baseUrl() + path);
  expect(response?.status()).toBe(status);
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  await page.waitForLoadState("networkidle");
}

describe("error pages", () => {
  it("a missing facility (404), an unknown address (404) and a district out of scope (403): no console error or warning", async () => {
    const staff = await openPage(browser);
    const staffConsole = consoleOf(staff.page);
    await signIn(staff.page, "jiefangqiao");
    staffConsole.length = 0;
    await openErrorPage(staff.page, "/manage/facilities/nope", 404);
    expect(await staff.page.locator(".error-panel").textContent()).toContain("404");
    await openErrorPage(staff.page, "/no-such-page", 404);
    expect(staffConsole).toEqual([]);

    const official = await openPage(browser);
    const officialConsole = consoleOf(official.page);
    await signIn(official.page, "lixia");
    officialConsole.length = 0;
    await openErrorPage(official.page, "/dashboard/370103", 403);
    expect(await official.page.locator(".error-panel").textContent()).toContain("403");
    expect(officialConsole).toEqual([]);

    const visitor = await openPage(browser);
    const visitorConsole = consoleOf(visitor.page);
    await openErrorPage(visitor.page, "/services/nope", 404);
    expect(visitorConsole).toEqual([]);
  });
});

describe("the living-circle page's map", () => {
  it("draws the district's outline", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, "lixia");
    await page.goto(baseUrl() + "/dashboard/370102/living-circle");
    await page.locator('[data-testid="living-circle-map"] path.region-outline').first().waitFor();
    expect(await page.locator('[data-testid="living-circle-map"] path.region-outline').count()).toBeGreaterThan(0);
    expect(problems.consoleErrors).toEqual([]);
  });
});
