import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";

import { blankTile } from "../mocks/handlers/tiles";

export const baseUrl = () => {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run through `npm run test:e2e`");
  return url;
};

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** the two screens the pages are tried on: a 390 × 844 phone (touch) and Playwright's default desktop */
export const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  desktop: {},
} as const;

export type PageProblems = { consoleErrors: string[]; pageErrors: string[]; cspViolations: string[] };

/** No problems: what every test expects of the pages it opened. */
export const noProblems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };

// the problems of every page opened, for the e2e setup file's afterEach (takeCspViolations)
const opened: PageProblems[] = [];

/**
 * The Content-Security-Policy violations of the pages opened through openPage since the last
 * call (each reported once). tests/e2e/setup/csp-violations.ts runs it after every test, so a
 * violation fails the test whose page had it, whether or not the test looks at its problems itself.
 */
export function takeCspViolations() {
  return opened.flatMap((problems) => problems.cspViolations.splice(0));
}

// In every document of the page, before any of its scripts: report what the CSP blocked.
const reportCspViolations = () => {
  document.addEventListener(
    "securitypolicyviolation",
    (event) => {
      const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : "";
      const report = (window as unknown as { shequReportCspViolation?: (text: string) => void })
        .shequReportCspViolation;
      report?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} on ${document.location.pathname}${where}` +
          (event.sample ? `: ${event.sample}` : ""),
      );
    },
    true,
  );
};

/**
 * A page whose outside requests (map tiles) are answered locally, and which records the app's
 * console errors, uncaught exceptions and Content-Security-Policy violations. `tiles: "fail"`
 * makes every tile request fail; `storageState` (another context's) starts it signed in as that
 * one was, without another sign-in (they count against the address's limit, 30 per 15 minutes).
 */
export async function openPage(
  browser: Browser,
  {
    tiles = "blank",
    device = "desktop",
    storageState,
  }: {
    tiles?: "blank" | "fail";
    device?: keyof typeof DEVICES;
    storageState?: BrowserContextOptions["storageState"];
  } = {},
) {
  const context = await browser.newContext({ locale: "zh-CN", ...DEVICES[device], storageState });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  opened.push(problems);
  await context.exposeBinding("shequReportCspViolation", (_source, text: string) => {
    problems.cspViolations.push(text);
  });
  await context.addInitScript(reportCspViolations);
  const page = await context.newPage();
  await page.route(/^https?:\/\/(?!localhost)/, (route) =>
    tiles === "fail" || !/\/\d+\/\d+\/\d+\.png/.test(route.request().url())
      ? route.abort("internetdisconnected")
      : route.fulfill({ status: 200, contentType: "image/png", body: Buffer.from(blankTile) }),
  );
  page.on("console", (message) => {
    // a failed outside request is the network's doing, not the app's
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.consoleErrors.push(message.text());
    }
  });
  page.on("pageerror", (error) => problems.pageErrors.push(error.message));
  return { page, problems };
}

export async function countBoundaries(page: Page) {
  return page.locator(".leaflet-overlay-pane path.county-outline").count();
}

/** Signs a demo account in through the login form and waits to leave it. */
export async function signIn(page: Page, username: string) {
  await page.goto(baseUrl() + "/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(process.env.DEMO_PASSWORD ?? "shequ-demo-2022");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** The first service of a community, found through a staffer's pages, that residents can open. */
export async function publicServiceOf(staff: Page, community: string) {
  const html = await (await staff.request.get(`${baseUrl()}/manage/${community}`)).text();
  for (const [, facility] of html.matchAll(/href="\/manage\/facilities\/([\w-]+)"/g)) {
    const page = await (await staff.request.get(`${baseUrl()}/manage/facilities/${facility}`)).text();
    for (const [, service] of page.matchAll(/href="\/manage\/services\/([\w-]+)"/g)) {
      if ((await staff.request.get(`${baseUrl()}/services/${service}`)).ok()) return service;
    }
  }
  throw new Error(`no public service in ${community}`);
}

/** Replaces the browser's speech synthesis by a recorder, before the page's scripts run. */
export async function recordSpeech(page: Page) {
  await page.addInitScript(() => {
    const spoken: { text: string; lang: string; rate: number }[] = [];
    Object.assign(window, { spoken });
    class Utterance {
      lang = "";
      rate = 1;
      constructor(public text: string) {}
    }
    Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true });
    Object.defineProperty(window, "speechSynthesis", {
      value: { speak: (u: Utterance) => spoken.push({ text: u.text, lang: u.lang, rate: u.rate }), cancel() {} },
      configurable: true,
    });
  });
}

/** what the page has said through the recorder of recordSpeech */
export async function spokenTexts(page: Page) {
  return (await page.evaluate(() => (window as unknown as { spoken: unknown[] }).spoken)) as {
    text: string;
    lang: string;
    rate: number;
  }[];
}
