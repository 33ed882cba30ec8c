import { createI18n } from "~/i18n";

import {
  SERVICE_CATEGORIES,
  SERVICE_SUB_TYPES,
  type SERVICE_STATUSES,
  type ServiceCategory,
} from "../../../db/identifiers";
import type { HsdsCommunityRow, HsdsFacilityRow, HsdsServiceRow } from "../../../db/queries/hsds.server";
import type { OpeningHours } from "../../../db/schema";
import { derivedId, HSDS_NAMESPACE, uuidv5 } from "./ids.server";

// Shequ's rows as HSDS 3.0 objects (docs/decisions/015): a community's committee is an
// organization, a facility a location, a service at its facility a service with one
// service_at_location. Published text is Chinese (the catalogue's zh-CN); the taxonomy's terms
// carry the English label as their description.

export const HSDS_VERSION = "3.0";
/** We publish HSDS 3.0 as it is (a subset of its fields, no changes): its own schema is our profile. */
export const HSDS_PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0/schema";
/** China Standard Time, as HSDS's schedule.timezone wants it: hours from UTC */
export const CHINA_UTC_OFFSET = 8;

const zh = createI18n("zh-CN");
const en = createI18n("en");

// --- taxonomy -------------------------------------------------------------------------------

export const TAXONOMY_ID = uuidv5("shequ/taxonomy/service-categories", HSDS_NAMESPACE);
const TAXONOMY_VERSION = "1";

export type TaxonomyTerm = {
  id: string;
  code: string;
  name: string;
  description: string;
  parent_id?: string;
  taxonomy: string;
  taxonomy_id: string;
  language: string;
};

const termId = (code: string) => derivedId(TAXONOMY_ID, "term", code);

export function taxonomy() {
  return {
    id: TAXONOMY_ID,
    name: zh.t("hsds.taxonomyName"),
    description: zh.t("hsds.taxonomyDescription"),
    version: TAXONOMY_VERSION,
  };
}

/** The categories, then each category's listed sub-types (their parent the category), as terms. */
export const TAXONOMY_TERMS: readonly TaxonomyTerm[] = (() => {
  const common = { taxonomy: zh.t("hsds.taxonomyName"), taxonomy_id: TAXONOMY_ID, language: "zh" };
  const categories = SERVICE_CATEGORIES.map((category) => ({
    id: termId(category),
    code: category,
    name: zh.t(`categories.${category}`),
    description: en.t(`categories.${category}`),
    ...common,
  }));
  const subTypes = SERVICE_CATEGORIES.flatMap((category) =>
    (SERVICE_SUB_TYPES[category] ?? []).map((subType) => ({
      id: termId(`${category}/${subType}`),
      code: `${category}/${subType}`,
      name: zh.t(`subTypes.${subType}`),
      description: en.t(`subTypes.${subType}`),
      parent_id: termId(category),
      ...common,
    })),
  );
  return [...categories, ...subTypes];
})();

const TERMS_BY_ID = new Map(TAXONOMY_TERMS.map((term) => [term.id, term]));
const TERMS_BY_CODE = new Map(TAXONOMY_TERMS.map((term) => [term.code, term]));

/** A term's category and sub-type (for the services filter); undefined for an id not ours. */
export function termFilterOf(id: string): { category: ServiceCategory; subType?: string } | undefined {
  const term = TERMS_BY_ID.get(id.toLowerCase());
  if (!term) return undefined;
  const [category, subType] = term.code.split("/") as [ServiceCategory, string | undefined];
  return subType ? { category, subType } : { category };
}

export const getTaxonomyTerm = (id: string) => TERMS_BY_ID.get(id.toLowerCase()) ?? null;

/** The terms a service is classed under: its category, and its sub-type when the taxonomy lists it. */
export function termsOf(category: ServiceCategory, subType: string | null) {
  const terms = [TERMS_BY_CODE.get(category)!];
  const sub = subType ? TERMS_BY_CODE.get(`${category}/${subType}`) : undefined;
  if (sub) terms.push(sub);
  return terms;
}

// --- status ---------------------------------------------------------------------------------

type HsdsStatus = "active" | "inactive" | "defunct" | "temporarily closed";
/** Only active services are published today; the mapping says what the others would be. */
export const HSDS_STATUS = {
  active: "active",
  suspended: "temporarily closed",
  closed: "defunct",
} as const satisfies Record<(typeof SERVICE_STATUSES)[number], HsdsStatus>;

// --- schedules ------------------------------------------------------------------------------

const BYDAY = { "1": "MO", "2": "TU", "3": "WE", "4": "TH", "5": "FR", "6": "SA", "7": "SU" } as const;
const WEEKDAYS = Object.keys(BYDAY) as (keyof typeof BYDAY)[];

/** "08:00" → "08:00+08:00": HSDS asks for the offset with each time */
const atChinaTime = (time: string) => `${time}+08:00`;

export type ScheduleOwner = { service_id: string } | { location_id: string };

export type HsdsSchedule = {
  id: string;
  service_id?: string;
  location_id?: string;
  freq?: "WEEKLY";
  byday?: string;
  opens_at?: string;
  closes_at?: string;
  valid_from?: string;
  valid_to?: string;
  timezone: number;
  description?: string;
  notes?: string;
};

/**
 * Opening hours as HSDS schedules: one weekly schedule per interval per day (byday MO..SU), then
 * each dated exception as schedules valid from–to: closed those days (no hours), or one per
 * interval. The holiday note goes with every weekly schedule as its notes. Ids are derived from
 * the owner's id and the schedule's place (day and interval, or exception), so that they stay put
 * while the hours do.
 */
export function schedulesOf(hours: OpeningHours | null, ownerId: string, owner: ScheduleOwner): HsdsSchedule[] {
  if (!hours) return [];
  const schedules: HsdsSchedule[] = [];
  const notes = hours.holidayNote?.trim() ? { notes: hours.holidayNote.trim() } : {};
  for (const day of WEEKDAYS) {
    (hours.week?.[day] ?? []).forEach((interval, i) => {
      const [opens, closes] = interval.split("-");
      schedules.push({
        id: derivedId(ownerId, "schedule", `week/${day}/${i}`),
        ...owner,
        freq: "WEEKLY",
        byday: BYDAY[day],
        opens_at: atChinaTime(opens),
        closes_at: atChinaTime(closes),
        timezone: CHINA_UTC_OFFSET,
        ...notes,
      });
    });
  }
  for (const exception of hours.exceptions ?? []) {
    const dated = { valid_from: exception.from, valid_to: exception.to, timezone: CHINA_UTC_OFFSET };
    const place = `exception/${exception.from}/${exception.to}`;
    if (exception.hours.length === 0) {
      schedules.push({
        id: derivedId(ownerId, "schedule", place),
        ...owner,
        ...dated,
        description: zh.t("hsds.closed"),
      });
      continue;
    }
    exception.hours.forEach((interval, i) => {
      const [opens, closes] = interval.split("-");
      schedules.push({
        id: derivedId(ownerId, "schedule", `${place}/${i}`),
        ...owner,
        ...dated,
        opens_at: atChinaTime(opens),
        closes_at: atChinaTime(closes),
        description: zh.t("hsds.specialHours"),
      });
    });
  }
  return schedules;
}

// --- objects --------------------------------------------------------------------------------

/** jsonb arrives parsed from postgres.js and as text from some drivers */
const parsed = <T>(value: T | string | null): T | null =>
  typeof value === "string" ? (JSON.parse(value) as T) : value;

// the facility form's phone rule (listing-schema.ts): a contact like this can be dialled
const PHONE = /^[0-9+\-() ]{3,40}$/;

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export function organizationOf(row: HsdsCommunityRow) {
  const place = [row.city_name, row.county_name, row.township_name].filter(Boolean).join("");
  return {
    id: row.community_public_id,
    name: row.community_name,
    description: zh.t("hsds.organizationDescription", { place, name: row.community_name, code: row.community_code }),
  };
}

export function addressOf(row: HsdsFacilityRow) {
  return {
    id: derivedId(row.facility_public_id, "address"),
    location_id: row.facility_public_id,
    address_1: row.address.trim() || row.facility_name,
    address_2: [row.township_name, row.community_name].filter(Boolean).join(" "),
    city: row.city_name ?? "",
    region: row.county_name ?? "",
    state_province: row.province_name ?? "",
    postal_code: "",
    country: "CN",
    address_type: "physical" as const,
  };
}

export function locationOf(row: HsdsFacilityRow) {
  const id = row.facility_public_id;
  return {
    id,
    location_type: "physical" as const,
    organization_id: row.community_public_id,
    name: row.facility_name,
    latitude: round6(Number(row.lat)),
    longitude: round6(Number(row.lng)),
    addresses: [addressOf(row)],
    phones: row.phone?.trim() ? [{ id: derivedId(id, "phone"), location_id: id, number: row.phone.trim() }] : [],
    schedules: schedulesOf(parsed<OpeningHours>(row.opening_hours), id, { location_id: id }),
  };
}

/** The service's own fields: what a list item carries (HSDS's service_list), with its organization. */
export function serviceListItemOf(row: HsdsServiceRow, siteOrigin: string) {
  const eligibility = parsed(row.eligibility);
  const eligibilityText = [eligibility?.text?.trim(), eligibility?.residentsOnly ? zh.t("service.residentsOnly") : ""]
    .filter(Boolean)
    .join("；");
  return {
    id: row.public_id,
    organization_id: row.community_public_id,
    name: row.name,
    description: row.description,
    url: `${siteOrigin}/services/${encodeURIComponent(row.id)}`,
    status: HSDS_STATUS.active,
    ...(row.fee?.trim() ? { fees_description: row.fee.trim() } : {}),
    ...(eligibilityText ? { eligibility_description: eligibilityText } : {}),
    ...(typeof eligibility?.minAge === "number" ? { minimum_age: eligibility.minAge } : {}),
    ...(typeof eligibility?.maxAge === "number" ? { maximum_age: eligibility.maxAge } : {}),
    ...(row.assured_date ? { assured_date: row.assured_date } : {}),
    last_modified: row.last_modified,
    organization: organizationOf(row),
  };
}

/** The service with everything nested (HSDS's full service). */
export function fullServiceOf(row: HsdsServiceRow, siteOrigin: string) {
  const id = row.public_id;
  const contact = row.contact?.trim();
  const ownSchedule = parsed<OpeningHours>(row.schedule);
  const facilityHours = parsed<OpeningHours>(row.opening_hours);
  const location = locationOf(row);
  return {
    ...serviceListItemOf(row, siteOrigin),
    phones: contact && PHONE.test(contact) ? [{ id: derivedId(id, "phone"), service_id: id, number: contact }] : [],
    schedules: schedulesOf(ownSchedule ?? facilityHours, id, { service_id: id }),
    service_at_locations: [
      {
        id: derivedId(id, "service_at_location"),
        service_id: id,
        location_id: location.id,
        location,
      },
    ],
    languages: [{ id: derivedId(id, "language", "zh"), service_id: id, name: zh.t("hsds.chinese"), code: "zh" }],
    attributes: termsOf(row.category, row.sub_type).map((term) => ({
      id: derivedId(id, "attribute", term.code),
      link_id: id,
      link_type: "service_category",
      link_entity: "service",
      taxonomy_term_id: term.id,
      taxonomy_term: term,
    })),
  };
}

/** A service_at_location list item (HSDS's service_at_location_list): the pair, its location and service. */
export function serviceAtLocationListItemOf(row: HsdsServiceRow, siteOrigin: string) {
  const { addresses: _addresses, phones: _phones, schedules: _schedules, ...location } = locationOf(row);
  return {
    id: derivedId(row.public_id, "service_at_location"),
    service_id: row.public_id,
    location_id: location.id,
    location,
    service: serviceListItemOf(row, siteOrigin),
  };
}
