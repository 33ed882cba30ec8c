import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// Our own JSON Schemas (draft 2020-12, as HSDS 3.0's OpenAPI 3.1 document uses) of the HSDS 3.0
// objects Shequ publishes, written from the specification at openreferral/specification, branch
// 3.0 (commit 279fd2e, May 2024), schema/*.json and schema/compiled/*.json. Each one says which
// file it mirrors. They encode what the spec requires: required fields, types, formats (uuid,
// date-time, uri, email), enums and nesting; like the spec, they leave additionalProperties
// open. Fields the spec has without a format (assured_date, valid_from, opens_at) get the pattern
// its description asks for, which is stricter than the spec. Only the fields we could publish are
// listed beyond the required ones: what is not listed is not checked, as in the spec.

const uuid = { type: "string", format: "uuid" } as const;
const text = { type: "string" } as const;
const number = { type: "number" } as const;
const uri = { type: "string", format: "uri" } as const;
const email = { type: "string", format: "email" } as const;
/** the spec's datapackage_type "date": YYYY-MM-DD */
const date = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } as const;
/** the spec's opens_at/closes_at: HH:MM, with Z or an offset from UTC */
const time = { type: "string", pattern: "^\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})$" } as const;
const arrayOf = (ref: string) => ({ type: "array", items: { $ref: ref } }) as const;
const ID = "https://shequ.example/hsds/3.0/";

/** schema/phone.json */
const phone = {
  $id: `${ID}phone`,
  type: "object",
  required: ["id", "number"],
  properties: {
    id: uuid,
    location_id: uuid,
    service_id: uuid,
    organization_id: uuid,
    contact_id: uuid,
    service_at_location_id: uuid,
    number: text,
    extension: number,
    type: text,
    description: text,
    languages: arrayOf("language"),
  },
};

/** schema/schedule.json */
const schedule = {
  $id: `${ID}schedule`,
  type: "object",
  required: ["id"],
  properties: {
    id: uuid,
    service_id: uuid,
    location_id: uuid,
    service_at_location_id: uuid,
    valid_from: date,
    valid_to: date,
    dtstart: date,
    timezone: number,
    until: date,
    count: number,
    wkst: { type: "string", enum: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] },
    freq: { type: "string", enum: ["WEEKLY", "MONTHLY"] },
    interval: number,
    byday: { type: "string", pattern: "^(-?\\d?(MO|TU|WE|TH|FR|SA|SU))(,-?\\d?(MO|TU|WE|TH|FR|SA|SU))*$" },
    description: text,
    opens_at: time,
    closes_at: time,
    schedule_link: uri,
    attending_type: text,
    notes: text,
  },
};

/** schema/address.json */
const address = {
  $id: `${ID}address`,
  type: "object",
  required: ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
  properties: {
    id: uuid,
    location_id: uuid,
    attention: text,
    address_1: text,
    address_2: text,
    city: text,
    region: text,
    state_province: text,
    postal_code: text,
    country: text,
    address_type: { type: "string", enum: ["physical", "postal", "virtual"] },
  },
};

/** schema/language.json */
const language = {
  $id: `${ID}language`,
  type: "object",
  required: ["id"],
  properties: { id: uuid, service_id: uuid, location_id: uuid, phone_id: uuid, name: text, code: text, note: text },
};

/** schema/taxonomy.json */
const taxonomy = {
  $id: `${ID}taxonomy`,
  type: "object",
  required: ["id", "name", "description"],
  properties: { id: uuid, name: text, description: text, uri, version: text },
};

/** schema/taxonomy_term.json */
const taxonomyTerm = {
  $id: `${ID}taxonomy_term`,
  type: "object",
  required: ["id", "name", "description"],
  properties: {
    id: uuid,
    code: text,
    name: text,
    description: text,
    parent_id: uuid,
    taxonomy: text,
    taxonomy_detail: { $ref: "taxonomy" },
    language: text,
    taxonomy_id: uuid,
    term_uri: uri,
  },
};

/** schema/attribute.json */
const attribute = {
  $id: `${ID}attribute`,
  type: "object",
  required: ["id"],
  properties: {
    id: uuid,
    link_id: uuid,
    taxonomy_term_id: uuid,
    link_type: text,
    link_entity: text,
    value: text,
    taxonomy_term: { $ref: "taxonomy_term" },
  },
};

/** schema/organization.json's own fields (schema/compiled/organization_list.json) */
const organizationFields = {
  id: uuid,
  name: text,
  alternate_name: text,
  description: text,
  email,
  website: uri,
  tax_status: text,
  tax_id: text,
  year_incorporated: number,
  legal_status: text,
  logo: text,
  uri,
  parent_organization_id: uuid,
};

/** schema/compiled/organization_list.json */
const organizationList = {
  $id: `${ID}organization_list`,
  type: "object",
  required: ["id", "name", "description"],
  properties: organizationFields,
};

/** schema/location.json's own fields (as nested in schema/compiled/service_at_location_list.json) */
const locationFields = {
  id: uuid,
  location_type: { type: "string", enum: ["physical", "postal", "virtual"] },
  url: uri,
  organization_id: uuid,
  name: text,
  alternate_name: text,
  description: text,
  transportation: text,
  latitude: number,
  longitude: number,
  external_identifier: text,
  external_identifier_type: text,
};

/** schema/location.json, with its addresses, phones, schedules and languages */
const location = {
  $id: `${ID}location`,
  type: "object",
  required: ["id", "location_type"],
  properties: {
    ...locationFields,
    languages: arrayOf("language"),
    addresses: arrayOf("address"),
    phones: arrayOf("phone"),
    schedules: arrayOf("schedule"),
    attributes: arrayOf("attribute"),
  },
};

/** schema/service.json's own fields, with the organization (schema/compiled/service_list.json) */
const serviceFields = {
  id: uuid,
  organization_id: uuid,
  program_id: uuid,
  name: text,
  alternate_name: text,
  description: text,
  url: uri,
  email,
  status: { type: "string", enum: ["active", "inactive", "defunct", "temporarily closed"] },
  interpretation_services: text,
  application_process: text,
  fees_description: text,
  wait_time: text,
  fees: text,
  accreditations: text,
  eligibility_description: text,
  minimum_age: number,
  maximum_age: number,
  assured_date: date,
  assurer_email: email,
  licenses: text,
  alert: text,
  last_modified: { type: "string", format: "date-time" },
  organization: { $ref: "organization_list" },
};

/** schema/compiled/service_list.json */
const serviceList = {
  $id: `${ID}service_list`,
  type: "object",
  required: ["id", "name", "status"],
  properties: serviceFields,
};

/** schema/service_at_location.json (as nested in schema/compiled/service.json) */
const serviceAtLocation = {
  $id: `${ID}service_at_location`,
  type: "object",
  required: ["id"],
  properties: {
    id: uuid,
    service_id: uuid,
    location_id: uuid,
    description: text,
    phones: arrayOf("phone"),
    schedules: arrayOf("schedule"),
    location: { $ref: "location" },
    attributes: arrayOf("attribute"),
  },
};

/** schema/compiled/service.json: the full service */
const service = {
  $id: `${ID}service`,
  type: "object",
  required: ["id", "name", "status"],
  properties: {
    ...serviceFields,
    phones: arrayOf("phone"),
    schedules: arrayOf("schedule"),
    service_at_locations: arrayOf("service_at_location"),
    languages: arrayOf("language"),
    attributes: arrayOf("attribute"),
  },
};

/** schema/compiled/service_at_location_list.json */
const serviceAtLocationList = {
  $id: `${ID}service_at_location_list`,
  type: "object",
  required: ["id"],
  properties: {
    id: uuid,
    service_id: uuid,
    location_id: uuid,
    description: text,
    location: { type: "object", required: ["id", "location_type"], properties: locationFields },
    service: { $ref: "service_list" },
  },
};

/** schema/compiled/organization.json */
const organization = {
  $id: `${ID}organization`,
  type: "object",
  required: ["id", "name", "description"],
  properties: {
    ...organizationFields,
    phones: arrayOf("phone"),
    locations: arrayOf("location"),
    services: {
      type: "array",
      items: { type: "object", required: ["id", "name", "status"], properties: serviceFields },
    },
  },
};

/** schema/openapi.json: components/schemas/Page, with `contents` of the endpoint's objects */
const page = (item: string) => ({
  type: "object",
  required: ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
  properties: {
    total_items: { type: "integer", minimum: 0 },
    total_pages: { type: "integer", minimum: 0 },
    page_number: { type: "integer", minimum: 1 },
    size: { type: "integer", minimum: 0 },
    first_page: { type: "boolean" },
    last_page: { type: "boolean" },
    empty: { type: "boolean" },
    contents: arrayOf(item),
  },
});

/** schema/openapi.json: the 200 answer of `/` */
const root = {
  type: "object",
  required: ["version", "profile"],
  properties: { version: { const: "3.0" }, profile: uri, openapi_url: uri },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
for (const schema of [
  phone,
  schedule,
  address,
  language,
  taxonomy,
  taxonomyTerm,
  attribute,
  organizationList,
  location,
  serviceList,
  serviceAtLocation,
  service,
  serviceAtLocationList,
  organization,
]) {
  ajv.addSchema(schema);
}

const compile = (schema: object) => ajv.compile(schema);
const ref = (name: string) => ajv.getSchema(`${ID}${name}`)!;

/** One validator per endpoint's answer. */
export const validators = {
  root: compile(root),
  service: ref("service"),
  serviceList: ref("service_list"),
  servicePage: compile({ $id: `${ID}page-services`, ...page("service_list") }),
  fullServicePage: compile({ $id: `${ID}page-services-full`, ...page("service") }),
  serviceAtLocationPage: compile({ $id: `${ID}page-service_at_locations`, ...page("service_at_location_list") }),
  serviceAtLocationList: ref("service_at_location_list"),
  location: ref("location"),
  organizationList: ref("organization_list"),
  organization: ref("organization"),
  organizationPage: compile({ $id: `${ID}page-organizations`, ...page("organization_list") }),
  locationPage: compile({ $id: `${ID}page-locations`, ...page("location") }),
  taxonomy: ref("taxonomy"),
  taxonomyPage: compile({ $id: `${ID}page-taxonomies`, ...page("taxonomy") }),
  taxonomyTerm: ref("taxonomy_term"),
  taxonomyTermPage: compile({ $id: `${ID}page-taxonomy_terms`, ...page("taxonomy_term") }),
} satisfies Record<string, ValidateFunction>;

export type ValidatorName = keyof typeof validators;

/** The errors of one answer against its schema, readable; [] when it validates. */
export function schemaErrors(name: ValidatorName, data: unknown): string[] {
  const validate = validators[name];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
