// The nginx configuration the fault suite runs (tests/fault/nginx-cache.test.ts) is the README's.
import { readFileSync } from "node:fs";

describe("the sample nginx configuration", () => {
  it("is in the README as it is in docs/nginx/shequ.conf", () => {
    const sample = readFileSync("docs/nginx/shequ.conf", "utf8");
    expect(readFileSync("README.md", "utf8")).toContain("```nginx\n" + sample + "```\n");
  });
});
