import { safeRedirect } from "~/utils/safe-redirect";

import { mulberry32 } from "../../db/seed/random";

const SITE = "https://shequ.example";
const FALLBACK = "/account";

/** Where a browser on our site goes with this Location; the header itself must be valid. */
function landing(location: string) {
  new Headers({ Location: location });
  return new URL(location, `${SITE}/login?redirectTo=x`);
}

// Known open-redirect payloads, as the value arrives in the action or loader (decoded once from the
// form or the query). Each must give the fallback.
const OFF_SITE: [string, string][] = [
  ["protocol-relative", "//evil.example"],
  ["three slashes", "///evil.example"],
  ["four slashes", "////evil.example"],
  ["slash backslash", "/\\evil.example"],
  ["backslash slash", "\\/evil.example"],
  ["two backslashes", "\\\\evil.example"],
  ["slash backslash slash", "/\\/evil.example"],
  ["backslash later in the path", "/a\\..\\..\\/evil.example"],
  ["tab between the slashes (the finding)", "/\t/evil.example"],
  ["newline between the slashes", "/\n/evil.example"],
  ["CR between the slashes", "/\r/evil.example"],
  ["CRLF header injection (the 500)", "/\r\nSet-Cookie: shequ_session=x"],
  ["leading tab", "\t//evil.example"],
  ["leading space", " //evil.example"],
  ["leading NUL", "\u0000//evil.example"],
  ["NUL inside", "/\u0000/evil.example"],
  ["DEL", "/\u007f/evil.example"],
  ["C1 next-line", "/\u0085/evil.example"],
  ["C1 control", "/\u009b/evil.example"],
  ["line separator", "/\u2028/evil.example"],
  ["paragraph separator", "/\u2029/evil.example"],
  ["byte-order mark", "/\ufeff/evil.example"],
  ["zero-width space", "/\u200b/evil.example"],
  ["right-to-left override", "/\u202e/evil.example"],
  ["escaped tab, raw", "/%09/evil.example"],
  ["escaped CRLF, raw", "/%0d%0aSet-Cookie:x=1"],
  ["escaped backslash, raw", "/%5cevil.example"],
  ["escaped backslash upper-case, raw", "/%5Cevil.example"],
  ["escaped slashes, raw", "/%2F%2Fevil.example"],
  ["one escaped slash, raw", "/%2f/evil.example"],
  ["escaped slashes without the leading one", "%2F%2Fevil.example"],
  ["dot segment to //", "/..//evil.example"],
  ["dot segment to // (single dot)", "/.//evil.example"],
  ["escaped dot segment to //", "/%2e%2e//evil.example"],
  ["escaped dots and slashes", "/%2e%2e/%2f%2fevil.example"],
  ["absolute https", "https://evil.example"],
  ["absolute upper-case", "HTTPS://evil.example/"],
  ["scheme without slashes", "https:evil.example"],
  ["scheme with one slash and a backslash", "https:/\\evil.example"],
  ["javascript", "javascript:alert(1)"],
  ["javascript mixed case", "JaVaScRiPt:alert(document.domain)"],
  ["javascript after a tab", "java\tscript:alert(1)"],
  ["data URL", "data:text/html,<script>alert(1)</script>"],
  ["vbscript", "vbscript:msgbox(1)"],
  ["full-width solidus", "／／evil.example"],
  ["userinfo", "//user@evil.example"],
  ["query only", "?redirectTo=//evil.example"],
  ["fragment only", "#//evil.example"],
  ["relative path", "evil.example"],
  ["lone surrogate", "/\ud800"],
  ["malformed escape in the path", "/%zz"],
  ["very long", `/${"a".repeat(3000)}`],
  ["empty", ""],
];

describe("safeRedirect", () => {
  it.each(OFF_SITE)("refuses %s", (_name, payload) => {
    expect(safeRedirect(payload, FALLBACK)).toBe(FALLBACK);
  });

  it.each(OFF_SITE)("keeps %s on the site when typed unescaped into the address bar", (_name, payload) => {
    // the browser's URL parser drops tabs and newlines and escapes the rest; the query parser decodes once
    const received = new URL(`${SITE}/login?redirectTo=${payload}`).searchParams.get("redirectTo");
    const url = landing(safeRedirect(received, FALLBACK));
    expect(url.origin).toBe(SITE);
    expect(url.pathname.startsWith("//")).toBe(false);
  });

  it("refuses the finding as typed in the address bar (decoded once by the query parser)", () => {
    const received = new URL(`${SITE}/login?redirectTo=/%09/evil.example`).searchParams.get("redirectTo");
    expect(received).toBe("/\t/evil.example");
    expect(safeRedirect(received, FALLBACK)).toBe(FALLBACK);
  });

  it("refuses what is not a string", () => {
    for (const value of [null, undefined, 42, ["/account"], { toString: () => "/account" }, new Blob(["/account"])]) {
      expect(safeRedirect(value, FALLBACK)).toBe(FALLBACK);
    }
    expect(safeRedirect(undefined)).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/account", "/account"],
    ["/admin/users?q=li&page=2", "/admin/users?q=li&page=2"],
    ["/search?q=%E7%A4%BE%E5%8C%BA", "/search?q=%E7%A4%BE%E5%8C%BA"],
    ["/regions/370102#map", "/regions/370102#map"],
    ["/workspace?next=//not-a-host", "/workspace?next=//not-a-host"],
    ["/search?q=a%5Cb", "/search?q=a%5Cb"],
    ["/a%2F%2Fb", "/a%2F%2Fb"],
    ["/../account", "/../account"],
    ["/社区", "/%E7%A4%BE%E5%8C%BA"],
    ["/search?q=社区 服务", "/search?q=%E7%A4%BE%E5%8C%BA %E6%9C%8D%E5%8A%A1"],
    ["/／evil.example", "/%EF%BC%8Fevil.example"],
  ])("keeps the path %j on the site as %j", (path, expected) => {
    expect(safeRedirect(path, FALLBACK)).toBe(expected);
    expect(landing(expected).origin).toBe(SITE);
  });

  it("never leads off the site nor gives an invalid header, whatever the characters (20,000 random strings)", () => {
    const random = mulberry32(11);
    const alphabet = [
      "/",
      "/",
      "\\",
      ".",
      "%",
      "2",
      "f",
      "F",
      "5",
      "c",
      "0",
      "9",
      "a",
      "d",
      ":",
      "@",
      "?",
      "#",
      "\t",
      "\n",
      "\r",
      " ",
      "\u0000",
      "\u0085",
      "\u2028",
      "／",
      "社",
      "\ud800",
      "evil.example",
      "http",
    ];
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 8);
      let payload = "";
      for (let j = 0; j < length; j++) payload += alphabet[Math.floor(random() * alphabet.length)];
      const result = safeRedirect(payload, FALLBACK);
      const url = landing(result);
      expect(url.origin, JSON.stringify(payload)).toBe(SITE);
      expect(url.pathname.startsWith("//"), JSON.stringify(payload)).toBe(false);
    }
  });
});
