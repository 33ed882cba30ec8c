// Every page of the app, as each role sees it, in both languages on a phone and on a desktop:
// in large text, the text size, tap-target and 7:1 contrast promises hold; in normal mode, axe's
// WCAG 2.1 AA rules find nothing. A failure lists each element that falls short, page by page.
import type { Browser, BrowserContextOptions, Page } from "playwright-core";

import { measureLargeText, runAxe } from "./accessibility";
import {
  baseUrl,
  launchBrowser,
  openPage,
  publicServiceOf,
  recordSpeech,
  signIn,
  spokenTexts,
  type DEVICES,
} from "./browser";

type Role = "public" | "staff" | "official";
type Language = "zh-CN" | "en";
type Device = keyof typeof DEVICES;

const community = "370102001002";
const origin = "lat=36.6610&lng=117.0215";

/** the pages, by who sees them; `:service` and the like are found on the pages before */
const PAGES: Record<Role, string[]> = {
  public: [
    "/",
    `/?${origin}&category=elderly_care&radius=1000`,
    `/services/:service?from=36.661000,117.021500`,
    "/login",
    "/coverage",
    "/coverage/37",
    "/coverage/370102",
    "/showcase",
    "/showcase?city=3701",
    "/showcase/:showcase",
    "/no-such-page",
    "/api/docs",
  ],
  staff: [
    `/manage/${community}`,
    `/manage/${community}/assessment`,
    `/manage/${community}/facilities/new`,
    "/manage/facilities/:facility",
    "/manage/facilities/:facility/services/new",
    "/manage/services/:staffService",
    "/manage/feedback/:opinion",
    "/manage/import",
    "/account",
    "/account/password",
    "/notifications",
  ],
  official: [
    "/dashboard/37",
    "/dashboard/370102",
    "/dashboard/370102/living-circle",
    "/dashboard/370102/plan?m=elderly_care&s=36.66,117.09",
    "/dashboard/370102/roads",
    "/dashboard/370102/freshness",
    "/dashboard/370102/report",
    "/review",
    "/review/:assessment",
    "/admin/users",
    "/admin/users/:user",
    "/admin/audit",
    "/admin/targets",
    "/admin/standard",
    "/admin/living-circle",
    "/admin/settings",
  ],
};
/** a sweep opens every page above in one test: more than the suite's 60 s per test */
const SWEEP_TIMEOUT = 240_000;
const RESIDENTS_PAGE = /^\/(\?|services\/|$)/;

let browser: Browser;
/** the ids the page list needs, found once from the demo data's own pages */
const ids: Record<string, string> = {};
/** each role's session, signed in once: every run reuses it (sign-ins count against a limit) */
const sessions: Partial<Record<Role, BrowserContextOptions["storageState"]>> = {};

async function firstLink(page: Page, path: string, pattern: RegExp) {
  const html = await (await page.request.get(baseUrl() + path)).text();
  const found = html.match(pattern)?.[1];
  if (!found) throw new Error(`no link matching ${pattern} on ${path}`);
  return found;
}

beforeAll(async () => {
  browser = await launchBrowser();
  const visitor = await openPage(browser);
  ids.service = await firstLink(
    visitor.page,
    `/?${origin}&category=elderly_care&radius=1000`,
    /href="\/services\/([\w-]+)/,
  );
  ids.showcase = await firstLink(visitor.page, "/showcase", /href="\/showcase\/(\d{12})"/);
  await visitor.page.context().close();
  const staff = await openPage(browser);
  await signIn(staff.page, "jiefangqiao");
  ids.facility = await firstLink(staff.page, `/manage/${community}`, /href="\/manage\/facilities\/([\w-]+)"/);
  ids.staffService = await firstLink(
    staff.page,
    `/manage/facilities/${ids.facility}`,
    /href="\/manage\/services\/([\w-]+)"/,
  );
  // a resident's problem report, so that the staffer's notifications page has one to show
  const reported = await staff.page.request.post(
    `${baseUrl()}/services/${await publicServiceOf(staff.page, community)}`,
    {
      form: { kind: "wrong_address", text: "门牌号不对" },
      headers: { Origin: baseUrl() },
    },
  );
  expect(reported.status()).toBe(200);
  // a resident's comment on the community's services, answered on its own page
  ids.opinion = await firstLink(staff.page, `/manage/${community}`, /action="\/manage\/feedback\/(\d+)"/);
  sessions.staff = await staff.page.context().storageState();
  await staff.page.context().close();
  const official = await openPage(browser);
  await signIn(official.page, "province");
  ids.assessment = await firstLink(official.page, "/review", /href="\/review\/([\w-]+)"/);
  ids.user = await firstLink(official.page, "/admin/users", /href="\/admin\/users\/([\w-]+)"/);
  sessions.official = await official.page.context().storageState();
  await official.page.context().close();
});
afterAll(async () => {
  await browser?.close();
});

async function post(page: Page, path: string, form: Record<string, string>) {
  const response = await page.request.post(baseUrl() + path, { form, headers: { Origin: baseUrl() }, maxRedirects: 0 });
  expect(response.status(), `POST ${path}`).toBe(302);
}

/** opens each role's pages with the given display and gathers what `check` finds on each */
async function tryEveryPage(
  { language, device, largeText }: { language: Language; device: Device; largeText: boolean },
  check: (page: Page, path: string) => Promise<string[]>,
) {
  const report: string[] = [];
  let pagesTried = 0;
  for (const role of Object.keys(PAGES) as Role[]) {
    const { page, problems } = await openPage(browser, { device, storageState: sessions[role] });
    await post(page, "/preferences/locale", { locale: language });
    await post(page, "/preferences/display", { largeText: largeText ? "on" : "off" });
    for (const pattern of PAGES[role]) {
      const path = pattern.replace(/:(\w+)/g, (_, key: string) => ids[key]);
      await page.goto(baseUrl() + path, { waitUntil: "networkidle" });
      expect(await page.locator("html").getAttribute("lang"), path).toBe(language);
      expect(await page.locator("html").getAttribute("class"), path).toBe(largeText ? "large-text" : null);
      report.push(...(await check(page, path)).map((finding) => `${path} ${finding}`));
      pagesTried++;
    }
    expect(problems.pageErrors).toEqual([]);
    await page.context().close();
  }
  expect(pagesTried).toBe(Object.values(PAGES).flat().length);
  return report;
}

describe.each([
  ["zh-CN", "phone"],
  ["zh-CN", "desktop"],
  ["en", "phone"],
  ["en", "desktop"],
] as [Language, Device][])("every page in %s on a %s", (language, device) => {
  it(
    "keeps large text's promises: text ≥ 18 px (a result's facts ≥ 21 px), targets ≥ 48 px, contrast ≥ 7:1",
    async () => {
      const report = await tryEveryPage({ language, device, largeText: true }, async (page, path) => [
        ...(await measureLargeText(page, { residentsPage: RESIDENTS_PAGE.test(path) })),
        ...(await runAxe(page, { rules: ["color-contrast-enhanced"] })),
      ]);
      expect(report).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );

  it(
    "in normal text, axe finds no WCAG 2.1 A or AA failure",
    async () => {
      const report = await tryEveryPage({ language, device, largeText: false }, (page) =>
        runAxe(page, { tags: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }),
      );
      expect(report).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );
});

describe("the accessibility measures themselves", () => {
  it("name a small text, a small target, a low contrast and an AA failure when a page has them", async () => {
    const { page } = await openPage(browser, { device: "phone" });
    await page.setContent(
      `<html lang="en" class="large-text"><head><title>measures</title></head><body><main>
        <p style="font-size: 16px">fine print</p>
        <p data-key-fact style="font-size: 19px">800 m</p>
        <a href="/x" style="font-size: 21px">tiny link</a>
        <p style="font-size: 21px; color: #0b57d0">6.4 to 1</p>
        <img src="/icons/icon-192.png">
      </main></body></html>`,
    );
    const large = await measureLargeText(page, { residentsPage: true });
    expect(large).toEqual([
      expect.stringMatching(/^text 16px < 18px: <p> "fine print"/),
      expect.stringMatching(/^text 19px < 21px: <p> "800 m"/),
      expect.stringMatching(/^target \d+×\d+ < 48×56?: <a> "tiny link"|^target \d+×\d+ < 48×48: <a> "tiny link"/),
      "no primary action marked [data-primary-action]",
    ]);
    expect(await runAxe(page, { rules: ["color-contrast-enhanced"] })).toEqual([
      expect.stringMatching(/^axe color-contrast-enhanced: .*6\.38/),
    ]);
    expect(await runAxe(page, { tags: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).toEqual([
      expect.stringMatching(/^axe image-alt: img/),
    ]);
    await page.context().close();
  });
});

describe("a 75-year-old's flow on a 390 × 844 phone in large text", () => {
  // a place open round the clock, so that "open now" has an answer whatever the hour of the run
  const place = `解放桥全天助老服务站 ${Date.now()}`;
  beforeAll(async () => {
    const { page } = await openPage(browser);
    await signIn(page, "jiefangqiao");
    await page.goto(baseUrl() + `/manage/${community}/facilities/new`);
    await page.getByLabel("设施名称").fill(place);
    await page.getByLabel("设施类型").selectOption("home_care_point");
    await page.getByLabel("电话").fill("0531-86123456");
    // on the community's own point: the search from the community starts there, so this is the nearest
    const { point } = (await (await page.request.get(baseUrl() + `/api/v1/regions/${community}`)).json()) as {
      point: { lat: number; lng: number };
    };
    await page.getByLabel("纬度").fill(String(point.lat));
    await page.getByLabel("经度").fill(String(point.lng));
    for (const day of ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]) {
      await page.getByLabel(day).first().fill("00:00-24:00");
    }
    await page.getByRole("button", { name: "登记设施" }).click();
    await page.waitForURL(/\/manage\/facilities\/[\w-]+$/);
    await page.getByRole("link", { name: "添加服务" }).click();
    await page.getByLabel("服务名称").fill("全天上门助老");
    await page.getByRole("button", { name: "添加服务" }).click();
    await page.waitForURL(/\/manage\/facilities\/[\w-]+$/);
    await page.context().close();
  });

  it.each([
    ["zh-CN", "解放桥", /解放桥社区居民委员会\s+济南市 历下区/, /^全天上门助老，/, /电话 0 5 3 1/],
    ["en", "解放桥", /解放桥社区居民委员会\s+济南市 历下区/, /^全天上门助老, /, /phone 0 5 3 1/],
  ])(
    "(%s) finds the nearest open elderly-care service, hears it read aloud and can call it; each step keeps large text's promises",
    async (language, communityName, jinan, spokenStart, spokenPhone) => {
      const { page, problems } = await openPage(browser, { device: "phone" });
      await recordSpeech(page);
      await post(page, "/preferences/locale", { locale: language });
      await post(page, "/preferences/display", { largeText: "on" });
      const audit = async (step: string) => {
        await page.waitForLoadState("networkidle");
        const findings = [
          ...(await measureLargeText(page, { residentsPage: true })),
          ...(await runAxe(page, { rules: ["color-contrast-enhanced"] })),
        ];
        expect(findings, step).toEqual([]);
      };

      await page.goto(baseUrl() + "/", { waitUntil: "networkidle" });
      await audit("the search");
      await page.locator("input[name=c]").fill(communityName);
      await page.locator("label.chip-toggle", { has: page.locator("input[value=elderly_care]") }).click();
      await page.locator("input[name=openNow]").check();
      await page.locator("button[data-primary-action]").click();
      // the name is in Jinan and in Jining: the choices say which city and county
      await page.getByRole("link", { name: jinan }).first().waitFor();
      await audit("the community choices");
      await page.getByRole("link", { name: jinan }).first().click();

      const first = page.getByTestId("results").locator("li").first();
      await first.waitFor();
      await audit("the results");
      expect(await first.locator("[data-open]").getAttribute("data-open")).toBe("true");
      for (const fact of [first.locator("a").first(), first.getByTestId("distance")]) {
        const box = (await fact.boundingBox())!;
        expect(box.y + box.height, "in the first screen").toBeLessThanOrEqual(844);
      }
      await first.locator("button.read-aloud").click();
      const spoken = await spokenTexts(page);
      expect(spoken).toHaveLength(1);
      expect(spoken[0].lang).toBe(language === "en" ? "en-GB" : "zh-CN");
      expect(spoken[0].text).toMatch(spokenStart);
      expect(spoken[0].text).toMatch(spokenPhone);
      const call = first.locator("a[href^='tel:']");
      expect(await call.getAttribute("href")).toBe("tel:053186123456");
      expect((await call.boundingBox())!.height).toBeGreaterThanOrEqual(56);
      expect(problems.pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});
