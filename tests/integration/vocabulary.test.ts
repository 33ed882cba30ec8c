// Every place a list of db/identifiers.ts reaches, checked against the list itself: adding a
// service category or a facility type is one edit there plus the labels the compiler asks for
// (docs/architecture.md), and this test fails if any place below stopped following the list.
import { sql } from "drizzle-orm";

import { categoryOf, facilityTypeOf } from "~/domains/listings/listing-import.server";
import { facilityInputSchema, serviceInputSchema } from "~/domains/listings/listing-schema";
import { measureLabelKey } from "~/domains/living-circle/living-circle";
import { en } from "~/i18n/en";
import { zhCN } from "~/i18n/zh-CN";

import { queryRows } from "../../db/client.server";
import {
  CATEGORY_RULES,
  CHIP_CATEGORIES,
  DEFAULT_LIVING_CIRCLE_THRESHOLDS,
  FACILITY_TYPE_MEASURES,
  FACILITY_TYPES,
  LIVING_CIRCLE_MEASURES,
  NOTIFICATION_KINDS,
  SCENARIO_AREAS,
  SERVICE_CATEGORIES,
} from "../../db/identifiers";
import { FACILITY_SUFFIX } from "../../db/seed/demo.server";

const sorted = (values: Iterable<string>) => [...values].sort();

/** the labels a key names in one catalogue ("categories.health" → its text) */
function label(messages: unknown, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

async function enumValues(name: string) {
  const rows = await queryRows<{ value: string }>(sql`
    select e.enumlabel as value from pg_enum e join pg_type t on t.oid = e.enumtypid
    where t.typname = ${name} order by e.enumsortorder`);
  return rows.map((r) => r.value);
}

describe("service categories reach every place derived from SERVICE_CATEGORIES", () => {
  it("the database's enum, from the migrations", async () => {
    expect(await enumValues("service_category")).toEqual([...SERVICE_CATEGORIES]);
  });

  it("both catalogues' labels", () => {
    for (const category of SERVICE_CATEGORIES) {
      expect(zhCN.categories[category], category).toBeTruthy();
      expect(en.categories[category], category).toBeTruthy();
    }
  });

  it("the residents' chips: each category once, in the order of its chip rank", () => {
    expect(sorted(CHIP_CATEGORIES)).toEqual(sorted(SERVICE_CATEGORIES));
    const ranks = CHIP_CATEGORIES.map((c) => CATEGORY_RULES[c].chipRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("the scenario areas: the six the rules mark, in the categories' order", () => {
    expect(SCENARIO_AREAS).toEqual(SERVICE_CATEGORIES.filter((c) => CATEGORY_RULES[c].scenarioArea));
    expect(SCENARIO_AREAS).toHaveLength(6);
  });

  it("the CSV import: the identifier and the Chinese label", () => {
    for (const category of SERVICE_CATEGORIES) {
      expect(categoryOf(category)).toBe(category);
      expect(categoryOf(zhCN.categories[category])).toBe(category);
    }
  });

  it("the forms and the API: the service schema accepts each", () => {
    expect(serviceInputSchema.innerType().shape.category.options).toEqual([...SERVICE_CATEGORIES]);
  });

  it("the living circle: each category with a threshold is a measure with that default and a label", () => {
    const measured = SERVICE_CATEGORIES.filter((c) => CATEGORY_RULES[c].livingCircleMetres !== null);
    expect(LIVING_CIRCLE_MEASURES.slice(0, measured.length)).toEqual(measured);
    for (const category of measured) {
      expect(DEFAULT_LIVING_CIRCLE_THRESHOLDS[category]).toBe(CATEGORY_RULES[category].livingCircleMetres);
      expect(label(zhCN, measureLabelKey(category))).toBe(zhCN.categories[category]);
    }
  });
});

describe("facility types reach every place derived from FACILITY_TYPES", () => {
  it("the database's enum, from the migrations", async () => {
    expect(await enumValues("facility_type")).toEqual([...FACILITY_TYPES]);
  });

  it("both catalogues' labels, the demo data's names and the CSV import", () => {
    for (const type of FACILITY_TYPES) {
      expect(zhCN.facilityTypes[type], type).toBeTruthy();
      expect(en.facilityTypes[type], type).toBeTruthy();
      expect(FACILITY_SUFFIX[type], type).toBeTruthy();
      expect(facilityTypeOf(type)).toBe(type);
      expect(facilityTypeOf(zhCN.facilityTypes[type])).toBe(type);
    }
  });

  it("the forms and the API: the facility schema accepts each", () => {
    expect(facilityInputSchema.innerType().shape.type.options).toEqual([...FACILITY_TYPES]);
  });

  it("the living circle: each facility type measured on its own follows the categories, with its default and label", () => {
    const measured = Object.keys(FACILITY_TYPE_MEASURES) as (keyof typeof FACILITY_TYPE_MEASURES)[];
    expect(LIVING_CIRCLE_MEASURES.slice(-measured.length)).toEqual(measured);
    for (const type of measured) {
      expect(DEFAULT_LIVING_CIRCLE_THRESHOLDS[type]).toBe(FACILITY_TYPE_MEASURES[type]);
      expect(label(en, measureLabelKey(type))).toBe(en.facilityTypes[type]);
    }
    // a measure's id names one thing: no facility-type measure shares a category's id
    expect(new Set(LIVING_CIRCLE_MEASURES).size).toBe(LIVING_CIRCLE_MEASURES.length);
  });
});

describe("notification kinds reach every place derived from NOTIFICATION_KINDS", () => {
  it("the database's enum, from the migrations, and a message in both catalogues", async () => {
    expect(await enumValues("notification_kind")).toEqual([...NOTIFICATION_KINDS]);
    for (const kind of NOTIFICATION_KINDS) {
      expect(zhCN.notifications.messages[kind], kind).toBeTruthy();
      expect(en.notifications.messages[kind], kind).toBeTruthy();
    }
  });
});
