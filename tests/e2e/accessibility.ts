// What the accessibility test measures on a page: the large-text promises (text size, tap-target
// size, 7:1 contrast) and axe-core's WCAG 2.1 AA rules. Each finding names the element that falls
// short, so a failure says what to fix.
import type { AxeResults, RunOptions } from "axe-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** large-text mode's promises (issue 13; China's age-friendly web guidance asks for ≥ 18 px) */
export const LARGE_TEXT = {
  /** every visible text */
  minTextPx: 18,
  /** what a resident decides by: a result's name, distance, walking time, open state and phone */
  keyFactPx: 21,
  /** every control and link, both ways */
  minTargetPx: 48,
  /** the primary actions on residents' pages */
  primaryTargetPx: 56,
} as const;

type Measures = typeof LARGE_TEXT;

/**
 * Measures every visible text node's computed font size and every control's box. Runs in the page.
 * Exempt, each for a reason: Leaflet's markers and shapes (the result list beside the map is the
 * same choice at full size, and a marker's shape is a picture, not text), and hidden or
 * screen-reader-only elements (they are not seen).
 */
function measureInPage(limits: Measures & { residentsPage: boolean }) {
  const findings: string[] = [];
  const name = (el: Element) => {
    const testid = el.getAttribute("data-testid");
    const cls =
      typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
    const label = el.getAttribute("aria-label") ?? el.getAttribute("name") ?? "";
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${cls}${testid ? ` [data-testid=${testid}]` : ""}>${
      text ? ` "${text}"` : label ? ` (${label})` : ""
    }`;
  };
  const seen = (el: Element) => {
    if (el.closest(".visually-hidden")) return false;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1;
  };
  const inMapDrawing = (el: Element) =>
    Boolean(el.closest(".leaflet-marker-pane, .leaflet-overlay-pane, .leaflet-shadow-pane, .leaflet-tile-pane"));

  // text: each text node's own box, so a collapsed or clipped one is not counted
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent?.trim()) continue;
    const parent = node.parentElement;
    if (!parent || small.has(parent) || ["SCRIPT", "STYLE", "NOSCRIPT", "TITLE"].includes(parent.tagName)) continue;
    if (inMapDrawing(parent) || !seen(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    // a chart's text is drawn at its picture's scale
    const scale = parent instanceof SVGGraphicsElement ? (parent.getScreenCTM()?.a ?? 1) : 1;
    const size = Math.round(parseFloat(getComputedStyle(parent).fontSize) * scale * 100) / 100;
    const keyFact = parent.closest("[data-key-fact]");
    const needed = keyFact ? limits.keyFactPx : limits.minTextPx;
    if (size + 0.01 < needed) {
      small.add(parent);
      findings.push(`text ${size}px < ${needed}px: ${name(parent)}`);
    }
  }

  // targets: a checkbox or radio is tapped through its label
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [tabindex]:not([tabindex="-1"])',
  );
  for (const control of controls) {
    if (inMapDrawing(control)) continue;
    const input = control instanceof HTMLInputElement && ["checkbox", "radio"].includes(control.type);
    const target = input ? (control.closest("label") ?? control) : control;
    if (!seen(target)) continue;
    const box = target.getBoundingClientRect();
    const primary = limits.residentsPage && target.matches("[data-primary-action]");
    const minHeight = primary ? limits.primaryTargetPx : limits.minTargetPx;
    if (box.width + 0.5 < limits.minTargetPx || box.height + 0.5 < minHeight) {
      findings.push(
        `target ${Math.round(box.width)}×${Math.round(box.height)} < ${limits.minTargetPx}×${minHeight}: ${name(target)}`,
      );
    }
  }
  // the residents' pages say which actions are primary; none would make the 56 px promise empty
  if (limits.residentsPage && !document.querySelector("[data-primary-action]")) {
    findings.push("no primary action marked [data-primary-action]");
  }
  return findings;
}

export async function measureLargeText(page: Page, { residentsPage }: { residentsPage: boolean }) {
  return page.evaluate(measureInPage, { ...LARGE_TEXT, residentsPage });
}

/** axe-core on the page: the rules given by tag or by id; each violation with its elements */
export async function runAxe(page: Page, only: { tags?: string[]; rules?: string[] }) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (only) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: only.rules ? { type: "rule", values: only.rules } : { type: "tag", values: only.tags ?? [] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}${n.any[0]?.message ? `: ${n.any[0].message}` : ""}`),
    }));
  }, only);
  return violations.flatMap((v) => v.nodes.map((node) => `axe ${v.id}: ${node}`));
}
