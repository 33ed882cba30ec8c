import { neutralizeCell, toCsv } from "~/utils/csv.server";

describe("CSV export", () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["解放桥社区", "解放桥社区"],
    ["a=b", "a=b"],
  ])("neutralises %j", (input, output) => {
    expect(neutralizeCell(input)).toBe(output);
  });

  it("writes a BOM, a header and quoted cells", () => {
    const csv = toCsv(
      [{ name: "=1+1", note: 'say "hi", ok' }],
      [
        { header: "name", value: (r) => r.name },
        { header: "note", value: (r) => r.note },
      ],
    );
    expect(csv).toBe(`\uFEFFname,note\n'=1+1,"say ""hi"", ok"\n`);
  });

  it("writes dates as ISO and objects as JSON, null as empty", () => {
    const csv = toCsv(
      [{ at: new Date("2022-12-31T16:00:00Z"), after: { a: 1 }, none: null }],
      [
        { header: "at", value: (r) => r.at },
        { header: "after", value: (r) => r.after },
        { header: "none", value: (r) => r.none },
      ],
    );
    expect(csv.split("\n")[1]).toBe(`2022-12-31T16:00:00.000Z,"{""a"":1}",`);
  });
});
