import { serviceInputSchema } from "~/domains/listings/listing-schema";
import { isCalendarDate } from "~/utils/calendar-date";

describe("calendar dates", () => {
  it("accepts real days and refuses the rest, including days past the month's end", () => {
    expect(isCalendarDate("2022-12-31")).toBe(true);
    expect(isCalendarDate("2024-02-29")).toBe(true);
    for (const bad of ["2026-02-30", "2025-02-29", "2026-13-01", "2026-04-31", "31-12-2022", "2022-1-5", ""]) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
  });

  it("keeps a service's validity dates to real days (the database would refuse 30 February)", () => {
    const base = { name: "创业补贴咨询", category: "entrepreneurship", validFrom: "2026-02-30" };
    const parsed = serviceInputSchema.safeParse(base);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["validFrom"], message: "listing.dateFormat" });
  });
});
