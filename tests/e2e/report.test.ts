import type { Browser, Page } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A4 at 96 dpi: the sheet (210 mm) and its content box between the report's 15 mm margins (180 mm) */
const A4_WIDTHS = { sheet: 794, content: 680 };

const pdfPages = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

/** What print media at a width shows: app chrome, tables wider than their frame, elements clipped by overflow, the print CSS. */
async function printLayout(page: Page, width: number) {
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width, height: 1123 });
  return page.evaluate(() => {
    const report = document.querySelector('[data-testid="region-report"]')!;
    const shown = (el: Element) => getComputedStyle(el).display !== "none";
    const tables = [...report.querySelectorAll("table")];
    const clipped = [...report.querySelectorAll("*")].filter((el) => {
      const style = getComputedStyle(el);
      return (
        shown(el) &&
        ["hidden", "clip", "auto", "scroll"].includes(style.overflowX) &&
        el.scrollWidth > el.clientWidth + 1
      );
    });
    const root = document.documentElement;
    return {
      header: getComputedStyle(document.querySelector(".site-header")!).display,
      buttons: [...document.querySelectorAll("button")].filter(shown).length,
      pageOverflow: root.scrollWidth - root.clientWidth,
      tooWide: tables
        .filter(
          (t) => t.scrollWidth > t.parentElement!.clientWidth || t.getBoundingClientRect().right > root.clientWidth,
        )
        .map((t) => `${t.dataset.testid}: ${t.scrollWidth} > ${t.parentElement!.clientWidth}`),
      clipped: clipped.map((el) => `${el.tagName} ${el.className}`),
      tables: tables.length,
      css: tables.map((t) => ({
        table: getComputedStyle(t).breakInside,
        thead: t.tHead ? getComputedStyle(t.tHead).display : null,
        rows: [...t.rows].map((r) => getComputedStyle(r).breakInside),
      })),
      headings: [...report.querySelectorAll("h2")].map((h) => getComputedStyle(h).breakAfter),
    };
  });
}

async function checkPrintable(page: Page, { minPages }: { minPages: number }) {
  for (const width of [A4_WIDTHS.sheet, A4_WIDTHS.content]) {
    const layout = await printLayout(page, width);
    expect(layout.header, `${width}px`).toBe("none");
    expect(layout.buttons).toBe(0);
    expect(layout.pageOverflow, `${width}px`).toBeLessThanOrEqual(0);
    expect(layout.tooWide, `${width}px`).toEqual([]);
    expect(layout.clipped, `${width}px`).toEqual([]);
    expect(layout.tables).toBeGreaterThanOrEqual(3);
    for (const table of layout.css) {
      expect(table.table).toBe("auto");
      expect(table.thead).toBe("table-header-group");
      expect(new Set(table.rows)).toEqual(new Set(["avoid"]));
    }
    expect(new Set(layout.headings)).toEqual(new Set(["avoid"]));
  }
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const pages = pdfPages(pdf);
  expect(pages).toBeGreaterThanOrEqual(minPages);
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 1280, height: 720 });
  return pages;
}

const number = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

describe("the printable region report", () => {
  it("opens from 历下区's dashboard in one click, asks the browser to print, and fits A4 with every table whole", async () => {
    const { page, problems } = await openPage(browser);
    // the print dialog of ?print=1, recorded instead of opened
    await page.addInitScript(() => {
      Object.assign(window, { printed: 0 });
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await signIn(page, "lixia");
    await page.goto(baseUrl() + "/dashboard/370102");
    const certified = number(await page.getByTestId("certified-count").textContent());
    const gap = number(await page.getByTestId("gap").textContent());
    await page.getByRole("link", { name: "打印报告" }).click();
    await page.waitForURL(/\/dashboard\/370102\/report\?print=1$/);
    await page.getByRole("heading", { level: 1, name: /历下区/ }).waitFor();
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    // the on-screen button prints too
    await page.getByRole("button", { name: "打印" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(2);

    // the dashboard's figures, its 13 townships, a dot or shape for each, the trend, the gaps listed
    expect(number(await page.getByTestId("certified-count").textContent())).toBe(certified);
    expect(number(await page.getByTestId("gap").textContent())).toBe(gap);
    expect(await page.getByTestId("report-children").locator("tbody tr").count()).toBe(13);
    expect(await page.getByTestId("report-map").locator("path.shade, circle.shade").count()).toBe(13);
    await page.getByTestId("trend-chart").waitFor();
    expect(await page.getByTestId("report-gap-list").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("report-demo").count()).toBe(1);
    await page.getByTestId("report-distance").waitFor();
    expect(await page.locator(".report-url").textContent()).toContain("/dashboard/370102/report");

    // the gap lists make it run over several pages
    await checkPrintable(page, { minPages: 2 });
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("prints 济南市 with its 13 county-level units' table, map and gap counts per unit", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, "jinan");
    await page.goto(baseUrl() + "/dashboard/3701/report");
    await page.getByRole("heading", { level: 1, name: /济南市/ }).waitFor();
    expect(await page.getByTestId("report-children").locator("tbody tr").count()).toBe(13);
    expect(await page.getByTestId("report-map").locator("path.shade").count()).toBeGreaterThanOrEqual(10);
    expect(await page.getByTestId("report-gaps-per-child").locator("tbody tr").count()).toBe(13);
    expect(await page.getByTestId("report-gap-list").count()).toBe(0);
    await checkPrintable(page, { minPages: 1 });
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });
});

/** where the table's gap, status and share satisfied headers are, and whether its frame scrolls to them */
async function headerReach(page: Page) {
  return page.evaluate(() => {
    const table = document.querySelector('[data-testid="children-table"]')!;
    const frame = table.parentElement!;
    const cells = [...table.querySelectorAll("thead th")];
    const style = getComputedStyle(frame);
    const at = (i: number) => {
      const box = cells[i].getBoundingClientRect();
      const frameBox = frame.getBoundingClientRect();
      return { right: box.right, left: box.left, inFrame: box.right <= frameBox.right + 0.5 };
    };
    const result = {
      viewport: window.innerWidth,
      pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      scrolls: ["auto", "scroll"].includes(style.overflowX) && frame.scrollWidth > frame.clientWidth,
      frameScroll: frame.scrollWidth - frame.clientWidth,
      firstSticky: getComputedStyle(cells[0]).position,
      gap: at(6),
      status: at(7),
      satisfied: at(9),
      labels: [cells[6].textContent, cells[7].textContent, cells[8].textContent, cells[9].textContent],
      afterScroll: { gap: { right: 0, inFrame: false }, status: { right: 0, inFrame: false }, first: 0 },
    };
    frame.scrollLeft = frame.scrollWidth;
    result.afterScroll = {
      gap: at(6),
      status: at(7),
      // the sticky code column stays at the frame's left edge
      first: cells[0].getBoundingClientRect().left - frame.getBoundingClientRect().left,
    };
    return result;
  });
}

describe("the coverage tables' columns", () => {
  it("at 1280 px jinan sees every column of /dashboard/3701, gap, status and satisfaction included, without scrolling, in Chinese and English", async () => {
    const { page, problems } = await openPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, "jinan");
    await page.goto(baseUrl() + "/dashboard/3701");
    const reach = await headerReach(page);
    expect(reach.labels.map((l) => l?.replace(/[▲▼\s]/g, ""))).toEqual(["差距", "状态", "评价数", "满意率"]);
    expect(reach.pageOverflow).toBeLessThanOrEqual(0);
    expect(reach.frameScroll).toBeLessThanOrEqual(0);
    expect(reach.gap.inFrame && reach.status.inFrame && reach.satisfied.inFrame).toBe(true);
    expect(reach.satisfied.right).toBeLessThanOrEqual(1280);
    // English headers are longer words: still every column in view
    const english = await page.request.post(baseUrl() + "/preferences/locale", {
      form: { locale: "en" },
      headers: { Origin: baseUrl() },
      maxRedirects: 0,
    });
    expect(english.status()).toBe(302);
    await page.goto(baseUrl() + "/dashboard/3701");
    const inEnglish = await headerReach(page);
    expect(inEnglish.labels.map((l) => l?.replace(/[▲▼\s]/g, ""))).toEqual(["Gap", "Status", "Responses", "Satisfied"]);
    expect(inEnglish.frameScroll).toBeLessThanOrEqual(0);
    expect(inEnglish.pageOverflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("on a 390 px phone the public /coverage table scrolls sideways in its frame to gap and status, its first column held", async () => {
    const { page, problems } = await openPage(browser, { device: "phone" });
    await page.goto(baseUrl() + "/coverage");
    await page.getByTestId("children-table").waitFor();
    const reach = await headerReach(page);
    expect(reach.pageOverflow).toBeLessThanOrEqual(0);
    // either all in view, or reachable in a frame that scrolls
    const inView = reach.gap.inFrame && reach.status.inFrame && reach.status.right <= reach.viewport;
    expect(inView || reach.scrolls).toBe(true);
    if (!inView) {
      expect(reach.firstSticky).toBe("sticky");
      expect(reach.afterScroll.status.inFrame).toBe(true);
      expect(reach.afterScroll.status.right).toBeLessThanOrEqual(reach.viewport);
      expect(Math.abs(reach.afterScroll.first)).toBeLessThanOrEqual(1);
    }
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });
});
