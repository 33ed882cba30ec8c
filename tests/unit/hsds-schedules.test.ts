import { derivedId } from "~/domains/hsds/ids.server";
import { HSDS_STATUS, schedulesOf, TAXONOMY_TERMS, termFilterOf, termsOf } from "~/domains/hsds/objects.server";

import { SERVICE_CATEGORIES, SERVICE_STATUSES } from "../../db/identifiers";
import { schemaErrors } from "../hsds/schemas";

const OWNER = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

describe("HSDS schedules from opening hours", () => {
  it("makes one weekly schedule per interval per day, MO..SU, with China's offset", () => {
    const schedules = schedulesOf({ week: { "1": ["08:00-11:30", "14:00-17:00"], "7": ["09:00-12:00"] } }, OWNER, {
      service_id: OWNER,
    });
    expect(schedules.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ["MO", "08:00+08:00", "11:30+08:00"],
      ["MO", "14:00+08:00", "17:00+08:00"],
      ["SU", "09:00+08:00", "12:00+08:00"],
    ]);
    for (const s of schedules) {
      expect(s).toMatchObject({ freq: "WEEKLY", timezone: 8, service_id: OWNER });
      expect(schemaErrors("service", { id: OWNER, name: "x", status: "active", schedules: [s] })).toEqual([]);
    }
    expect(new Set(schedules.map((s) => s.id)).size).toBe(3);
    expect(schedules[0].id).toBe(derivedId(OWNER, "schedule", "week/1/0"));
  });

  it("maps a closed exception to a dated schedule without hours, special hours to one per interval", () => {
    const schedules = schedulesOf(
      {
        week: { "3": ["08:00-17:00"] },
        holidayNote: "法定节假日闭馆",
        exceptions: [
          { from: "2026-10-01", to: "2026-10-07", hours: [] },
          { from: "2026-12-31", to: "2026-12-31", hours: ["09:00-12:00", "13:00-15:00"] },
        ],
      },
      OWNER,
      { location_id: OWNER },
    );
    expect(schedules).toHaveLength(4);
    expect(schedules[0]).toMatchObject({ byday: "WE", notes: "法定节假日闭馆", location_id: OWNER });
    expect(schedules[1]).toMatchObject({ valid_from: "2026-10-01", valid_to: "2026-10-07", description: "不开放" });
    expect(schedules[1].opens_at).toBeUndefined();
    expect(schedules[1].freq).toBeUndefined();
    expect(schedules.slice(2).map((s) => [s.valid_from, s.valid_to, s.opens_at, s.closes_at])).toEqual([
      ["2026-12-31", "2026-12-31", "09:00+08:00", "12:00+08:00"],
      ["2026-12-31", "2026-12-31", "13:00+08:00", "15:00+08:00"],
    ]);
    expect(schemaErrors("service", { id: OWNER, name: "x", status: "active", schedules })).toEqual([]);
  });

  it("has no schedule without hours, and a day without intervals has none", () => {
    expect(schedulesOf(null, OWNER, { service_id: OWNER })).toEqual([]);
    expect(schedulesOf({ week: { "2": [] } }, OWNER, { service_id: OWNER })).toEqual([]);
  });
});

describe("HSDS status and taxonomy", () => {
  it("maps every service status to HSDS's enum", () => {
    for (const status of SERVICE_STATUSES) {
      expect(["active", "inactive", "defunct", "temporarily closed"]).toContain(HSDS_STATUS[status]);
    }
  });

  it("publishes every category as a top term and every listed sub-type under its category", () => {
    for (const category of SERVICE_CATEGORIES) {
      const [term] = termsOf(category, null);
      expect(term.parent_id).toBeUndefined();
      expect(termFilterOf(term.id)).toEqual({ category });
    }
    const mealAssistance = termsOf("elderly_care", "meal_assistance");
    expect(mealAssistance.map((t) => t.name)).toEqual(["养老服务", "助餐"]);
    expect(mealAssistance[1].parent_id).toBe(mealAssistance[0].id);
    expect(termFilterOf(mealAssistance[1].id)).toEqual({ category: "elderly_care", subType: "meal_assistance" });
    // a free-text sub-type is not a term
    expect(termsOf("elderly_care", "自定义")).toHaveLength(1);
    expect(new Set(TAXONOMY_TERMS.map((t) => t.id)).size).toBe(TAXONOMY_TERMS.length);
    for (const term of TAXONOMY_TERMS) expect(schemaErrors("taxonomyTerm", term)).toEqual([]);
  });
});
