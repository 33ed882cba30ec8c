import { formatHoursExceptions, openingHoursSchema } from "~/domains/listings/listing-schema";

// Special dates as staff type them (form and CSV) and as the API sends them.

const parse = (exceptions: unknown) => openingHoursSchema.safeParse({ week: { "1": "08:00-17:00" }, exceptions });
const messages = (result: ReturnType<typeof parse>) =>
  result.success ? [] : result.error.issues.map((i) => i.message);

describe("special dates (exceptions) in opening hours", () => {
  it("reads a range closed and a date with hours, in either language, one per line or by semicolons", () => {
    for (const text of [
      "2026-10-01~2026-10-07 休息\n2026-10-08 09:00-12:00, 14:00-17:00",
      "2026-10-01 至 2026-10-07 closed；2026-10-08 09:00-12:00，14:00-17:00",
    ]) {
      const result = parse(text);
      expect(result.success, text).toBe(true);
      expect(result.data?.exceptions).toEqual([
        { from: "2026-10-01", to: "2026-10-07", hours: [] },
        { from: "2026-10-08", to: "2026-10-08", hours: ["09:00-12:00", "14:00-17:00"] },
      ]);
    }
  });

  it("takes the stored objects from the API, and an empty text means none", () => {
    expect(parse([{ from: "2026-05-01", to: "2026-05-05", hours: [] }]).data?.exceptions).toEqual([
      { from: "2026-05-01", to: "2026-05-05", hours: [] },
    ]);
    expect(parse("").data).toEqual({ week: { "1": ["08:00-17:00"] } });
  });

  it("refuses, with one message for the field, what it cannot read", () => {
    for (const bad of [
      "2026-10-01 sometimes",
      "2026-13-01 closed",
      "2026-10-07~2026-10-01 closed",
      "2026-01-01~2027-06-30 closed",
      "next week closed",
      [{ from: "2026-10-01", to: "2026-10-02", hours: ["25:00-26:00"] }],
    ]) {
      expect(messages(parse(bad)), JSON.stringify(bad)).toEqual(["listing.exceptionsFormat"]);
    }
    const many = Array.from({ length: 51 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, "0")} closed`).join(
      "\n",
    );
    expect(messages(parse(many))).toEqual(["listing.exceptionsTooMany"]);
  });

  it("writes them back as they are read", () => {
    const exceptions = [
      { from: "2026-10-01", to: "2026-10-07", hours: [] },
      { from: "2026-10-08", to: "2026-10-08", hours: ["09:00-12:00"] },
    ];
    const text = formatHoursExceptions(exceptions);
    expect(text).toBe("2026-10-01~2026-10-07 closed\n2026-10-08 09:00-12:00");
    expect(parse(text).data?.exceptions).toEqual(exceptions);
    expect(parse(formatHoursExceptions(exceptions, { separator: "; " })).data?.exceptions).toEqual(exceptions);
  });
});

describe("special dates written back in the page's language", () => {
  it("a closed date in the page's word, which reads back as closed", () => {
    const exceptions = [{ from: "2026-10-01", to: "2026-10-07", hours: [] }];
    expect(formatHoursExceptions(exceptions, { closed: "休息" })).toBe("2026-10-01~2026-10-07 休息");
    expect(formatHoursExceptions(exceptions)).toBe("2026-10-01~2026-10-07 closed");
    const read = openingHoursSchema.safeParse({ week: {}, exceptions: "2026-10-01~2026-10-07 休息" });
    expect(read.data?.exceptions).toEqual(exceptions);
  });
});
