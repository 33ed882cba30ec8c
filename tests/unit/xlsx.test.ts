import ExcelJS from "exceljs";

import { tableCsv } from "~/utils/csv.server";
import { defineExportTable, exportLocale, filterMessages, villagesFilter, xlsxHref } from "~/utils/export-table";
import { attachmentDisposition } from "~/utils/responses.server";
import { displayWidth, toXlsx, xlsxCell, xlsxTitle } from "~/utils/xlsx.server";

type Row = {
  name: string;
  count: number | null;
  rate: number | null;
  day: string | null;
  at: string | null;
  villages: boolean;
  extra: object | null;
};

const table = (rows: Row[]) =>
  defineExportTable({
    id: "coverage",
    region: "历下区",
    asOf: "2026-12-04",
    filters: [villagesFilter(true), ...filterMessages({ year: 2026 })],
    columns: [
      { key: "name", type: "text", value: (r: Row) => r.name },
      { key: "communities", type: "integer", value: (r: Row) => r.count },
      { key: "rate", type: "percent", value: (r: Row) => r.rate },
      { key: "as_of", type: "date", value: (r: Row) => r.day },
      { key: "target_deadline", type: "datetime", value: (r: Row) => r.at },
      { key: "include_villages", type: "boolean", value: (r: Row) => r.villages },
      { key: "status", type: "json", value: (r: Row) => r.extra },
    ],
    rows,
  });

const ROWS: Row[] = [
  {
    name: '=HYPERLINK("http://evil.example","x")',
    count: 139,
    rate: 0.2158,
    day: "2022-12-31",
    at: "2026-10-01T02:00:00.000Z",
    villages: true,
    extra: { a: 1 },
  },
  { name: "+1+2", count: null, rate: null, day: null, at: null, villages: false, extra: null },
  {
    name: "解放桥社区居民委员会解放桥社区",
    count: 0,
    rate: 1,
    day: "2026-12-04",
    at: null,
    villages: false,
    extra: null,
  },
];

async function sheetOf(bytes: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  return workbook.worksheets[0];
}

describe("the Excel writer", () => {
  it("writes a title row, a frozen header row with an autofilter, and the catalogue's headers", async () => {
    const sheet = await sheetOf(await toXlsx(table(ROWS), "zh-CN"));
    expect(sheet.name).toBe("智慧社区覆盖率");
    expect(sheet.getCell("A1").value).toBe(
      "智慧社区覆盖率 · 历下区 · 口径：含农村社区；目标年份：2026；截至 2026-12-04",
    );
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      "名称",
      "社区数",
      "覆盖率",
      "截至日期",
      "目标截止日期",
      "含农村社区",
      "进度状态",
    ]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    expect(sheet.autoFilter).toBe("A2:G2");
    expect(sheet.rowCount).toBe(2 + ROWS.length);
  });

  it("writes numbers, percentages, days and instants as typed cells, booleans as words, empty as empty", async () => {
    const sheet = await sheetOf(await toXlsx(table(ROWS), "zh-CN"));
    const row = sheet.getRow(3);
    expect(row.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(2).value).toBe(139);
    expect(row.getCell(3).value).toBe(0.2158);
    expect(row.getCell(3).numFmt).toBe("0.0%");
    expect(row.getCell(4).type).toBe(ExcelJS.ValueType.Date);
    expect(row.getCell(4).value).toEqual(new Date("2022-12-31T00:00:00Z"));
    expect(row.getCell(4).numFmt).toBe("yyyy-mm-dd");
    // 02:00 UTC is 10:00 in China, and the sheet shows China's clock
    expect(row.getCell(5).value).toEqual(new Date("2026-10-01T10:00:00Z"));
    expect(row.getCell(5).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    expect(row.getCell(6).value).toBe("是");
    expect(row.getCell(7).value).toBe('{"a":1}');
    const empty = sheet.getRow(4);
    expect(empty.getCell(2).type).toBe(ExcelJS.ValueType.Null);
    expect(empty.getCell(3).type).toBe(ExcelJS.ValueType.Null);
    expect(empty.getCell(4).type).toBe(ExcelJS.ValueType.Null);
    expect(empty.getCell(6).value).toBe("否");
    // the header keeps no number format
    expect(sheet.getRow(2).getCell(3).numFmt).toBeUndefined();
  });

  it("writes text that starts like a formula as a string cell, never as a formula", async () => {
    const sheet = await sheetOf(await toXlsx(table(ROWS), "zh-CN"));
    for (const [r, text] of [
      [3, '=HYPERLINK("http://evil.example","x")'],
      [4, "+1+2"],
    ] as const) {
      const cell = sheet.getCell(r, 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(text);
      expect(cell.formula).toBeUndefined();
    }
    for (const value of ["=1+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
      expect(xlsxCell("text", value, YES_NO)).toBe(value);
  });

  it("fits the columns to their content, CJK characters counting double", async () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("解放桥")).toBe(6);
    expect(displayWidth("社区（A）")).toBe(9);
    const sheet = await sheetOf(await toXlsx(table(ROWS), "zh-CN"));
    // the longest name: the 37 characters of =HYPERLINK(…), plus 2
    expect(sheet.getColumn(1).width).toBe(37 + 2);
    // 15 CJK characters are 30 wide, plus 2
    expect((await sheetOf(await toXlsx(table(ROWS.slice(2)), "zh-CN"))).getColumn(1).width).toBe(2 * 15 + 2);
    // "2022-12-31" and the header 截至日期 (8): 10 + 2
    expect(sheet.getColumn(4).width).toBe(12);
    // the header 社区数 (6) is wider than its figures: 6 + 2
    expect(sheet.getColumn(2).width).toBe(8);
  });

  it("writes English headers, title and words when asked", async () => {
    const sheet = await sheetOf(await toXlsx(table(ROWS), "en"));
    expect(sheet.getCell("A1").value).toBe(
      "Smart-community coverage · 历下区 · counting urban communities and villages; target year: 2026; as of 2026-12-04",
    );
    expect(sheet.getCell("B2").value).toBe("Communities");
    expect(sheet.getCell("F3").value).toBe("yes");
    expect(sheet.getCell("F4").value).toBe("no");
  });

  it("takes the same columns and rows as the CSV", () => {
    const csv = tableCsv(table(ROWS))
      .replace(/^\uFEFF/, "")
      .split("\n");
    expect(csv[0]).toBe("name,communities,rate,as_of,target_deadline,include_villages,status");
    expect(csv[1]).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")",139,0.2158,2022-12-31,2026-10-01T02:00:00.000Z,true,"{""a"":1}"`,
    );
    expect(csv[2]).toBe("'+1+2,,,,,false,");
  });

  it("names filters with translated values, and never runs nesting from a value", () => {
    const t = defineExportTable({
      id: "listings",
      region: null,
      asOf: "2026-12-04",
      filters: filterMessages({ category: { key: "categories.elderly_care" }, q: "$t(nav.signIn)", status: undefined }),
      columns: [],
      rows: [],
    });
    expect(xlsxTitle(t, "zh-CN")).toBe("设施与服务 · 服务类别：养老服务；关键词：$t(nav.signIn)；截至 2026-12-04");
  });

  it("reads the language from ?lang=, Chinese unless English is asked, and refuses others", () => {
    expect(exportLocale(new URL("http://x/a.xlsx"))).toBe("zh-CN");
    expect(exportLocale(new URL("http://x/a.xlsx?lang=zh"))).toBe("zh-CN");
    expect(exportLocale(new URL("http://x/a.xlsx?lang=en"))).toBe("en");
    expect(exportLocale(new URL("http://x/a.xlsx?lang=fr"))).toBeNull();
    expect(xlsxHref("/a.xlsx", "?x=1", "en")).toBe("/a.xlsx?x=1&lang=en");
    expect(xlsxHref("/a.xlsx", "", "zh-CN")).toBe("/a.xlsx");
  });

  it("names the download in ASCII and in UTF-8", () => {
    expect(attachmentDisposition("shequ-audit.xlsx")).toBe(
      `attachment; filename="shequ-audit.xlsx"; filename*=UTF-8''shequ-audit.xlsx`,
    );
    expect(attachmentDisposition("覆盖率.xlsx")).toBe(
      `attachment; filename="___.xlsx"; filename*=UTF-8''%E8%A6%86%E7%9B%96%E7%8E%87.xlsx`,
    );
  });
});

const YES_NO = { yes: "是", no: "否" };
