// The production build's headers as a browser gets them (app/server/security-headers.ts): a CSP
// whose nonce changes per response and is on every inline script Remix and React render, the
// Permissions-Policy, `Cache-Control: private, no-store` on signed-in answers; and that the suite's own
// CSP listener (browser.ts) does catch a violation.
import type { Browser } from "playwright-core";

import { baseUrl, launchBrowser, noProblems, openPage, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const directives = (response: Response) =>
  new Map(
    (response.headers.get("Content-Security-Policy") ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values] as const),
  );
const nonceOf = (response: Response) =>
  /^'nonce-(.+)'$/.exec(
    directives(response)
      .get("script-src")
      ?.find((v) => v.startsWith("'nonce-")) ?? "",
  )?.[1];
const scriptTags = (html: string) => html.match(/<script\b[^>]*>/g) ?? [];

/** Signs in through the login form's action, as a browser without JavaScript would. */
async function signInWithFetch(username: string) {
  const response = await fetch(baseUrl() + "/login", {
    method: "POST",
    headers: { Origin: baseUrl(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password: process.env.DEMO_PASSWORD ?? "shequ-demo-2022" }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  expect(response.status).toBeGreaterThanOrEqual(300);
  expect(response.status).toBeLessThan(400);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("shequ_session=") && c.length > "shequ_session=".length);
  expect(cookie).toBeTruthy();
  return { response, cookie: cookie! };
}

describe("security headers of the production build", () => {
  it("names a fresh nonce on every page, and every inline script carries it", async () => {
    const nonces: string[] = [];
    for (const path of ["/", "/", "/coverage/37", "/login"]) {
      const response = await fetch(baseUrl() + path);
      expect(response.status).toBe(200);
      const csp = directives(response);
      const nonce = nonceOf(response);
      expect(nonce, path).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(csp.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(csp.get("object-src")).toEqual(["'none'"]);
      expect(csp.get("img-src")).toContain("https://tile.openstreetmap.org");
      const scripts = scriptTags(await response.text());
      // Remix's context, its route modules and the scroll restoration, at least
      expect(scripts.length, path).toBeGreaterThanOrEqual(3);
      expect(
        scripts.filter((tag) => !tag.includes(` nonce="${nonce}"`)),
        path,
      ).toEqual([]);
      nonces.push(nonce!);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("sends a Permissions-Policy: geolocation for this origin, the rest off", async () => {
    const response = await fetch(baseUrl() + "/");
    await response.arrayBuffer();
    const policy = (response.headers.get("Permissions-Policy") ?? "").split(/,\s*/);
    expect(policy).toContain("geolocation=(self)");
    expect(policy).toEqual(expect.arrayContaining(["camera=()", "microphone=()", "payment=()", "usb=()"]));
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
  });

  it("answers a signed-in request with Cache-Control: private, no-store, even where the route says public", async () => {
    const { response: signedInResponse, cookie } = await signInWithFetch("lixia");
    expect(signedInResponse.headers.get("Cache-Control")).toBe("private, no-store");

    // /account shows a new API token once; /admin/users a temporary password
    for (const path of ["/account", "/admin/users", "/dashboard/370102"]) {
      const page = await fetch(baseUrl() + path, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(page.status, path).toBe(200);
      expect(page.headers.get("Cache-Control"), path).toBe("private, no-store");
      const nonce = nonceOf(page);
      expect(
        scriptTags(await page.text()).filter((tag) => !tag.includes(` nonce="${nonce}"`)),
        path,
      ).toEqual([]);
    }
    // a public route that asks for caching keeps it for everyone else only
    const shapes = "/coverage/37/shapes.geojson";
    const anonymous = await fetch(baseUrl() + shapes);
    await anonymous.arrayBuffer();
    expect(anonymous.headers.get("Cache-Control")).toBe("public, max-age=3600, s-maxage=86400");
    const personal = await fetch(baseUrl() + shapes, { headers: { Cookie: cookie } });
    await personal.arrayBuffer();
    expect(personal.status).toBe(200);
    expect(personal.headers.get("Cache-Control")).toBe("private, no-store");
    // the public home page is not marked no-store, nor kept by a shared cache (entry.server.tsx)
    const home = await fetch(baseUrl() + "/");
    await home.arrayBuffer();
    expect(home.headers.get("Cache-Control")).toBe("private, no-cache");
  });

  it("in the browser: signed-in pages run with the policy and break none of it", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, "lixia");
    const account = await page.goto(baseUrl() + "/account");
    expect(account?.headers()["cache-control"]).toBe("private, no-store");
    expect(account?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await page.getByTestId("account-link").waitFor();
    const scriptsWithoutNonce = await page.evaluate(() => [...document.scripts].filter((s) => !s.nonce).length);
    expect(scriptsWithoutNonce).toBe(0);
    // a map: Leaflet's styles, and tiles from the configured host (answered locally)
    await page.goto(baseUrl() + "/dashboard/370102");
    await page.locator(".leaflet-tile-loaded").first().waitFor();
    expect(problems).toEqual(noProblems);
    await page.context().close();
  });

  it("the suite's listener reports a violation (an inline script without the nonce)", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(baseUrl() + "/");
    await page.locator(".leaflet-overlay-pane path").first().waitFor();
    expect(problems).toEqual(noProblems);
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
    });
    await expect.poll(() => problems.cspViolations.length).toBeGreaterThan(0);
    expect(problems.cspViolations[0]).toMatch(/^script-src(-elem)? blocked \(?inline\)? on \//);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    // seen: not this test's failure
    problems.cspViolations.length = 0;
    await page.context().close();
  });
});
