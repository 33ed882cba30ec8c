import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  geometry,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgMaterializedView,
  pgTable,
  primaryKey,
  serial,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

import {
  ASSESSMENT_STATES,
  ASSESSMENT_TIERS,
  COMMUNITY_KINDS,
  FACILITY_STATUSES,
  FACILITY_TYPES,
  NOTIFICATION_KINDS,
  PROBLEM_KINDS,
  PROBLEM_STATUSES,
  REGION_LEVELS,
  ROLES,
  SERVICE_CATEGORIES,
  SERVICE_STATUSES,
  TOWNSHIP_TYPES,
} from "./identifiers";

/** Boundaries are always stored as MultiPolygon in WGS84; read them with ST_AsGeoJSON. */
const multiPolygon = customType<{ data: string; driverData: string }>({
  dataType() {
    return "geometry(MultiPolygon,4326)";
  },
});

const lineString = customType<{ data: string; driverData: string }>({
  dataType() {
    return "geometry(LineString,4326)";
  },
});
const polygon = customType<{ data: string; driverData: string }>({
  dataType() {
    return "geometry(Polygon,4326)";
  },
});

const point = (name: string) => geometry(name, { type: "point", mode: "xy", srid: 4326 });

export const regionLevel = pgEnum("region_level", REGION_LEVELS);
export const communityKind = pgEnum("community_kind", COMMUNITY_KINDS);
export const townshipType = pgEnum("township_type", TOWNSHIP_TYPES);
export const facilityType = pgEnum("facility_type", FACILITY_TYPES);
export const facilityStatus = pgEnum("facility_status", FACILITY_STATUSES);
export const serviceCategory = pgEnum("service_category", SERVICE_CATEGORIES);
export const serviceStatus = pgEnum("service_status", SERVICE_STATUSES);
export const assessmentState = pgEnum("assessment_state", ASSESSMENT_STATES);
export const assessmentTier = pgEnum("assessment_tier", ASSESSMENT_TIERS);
export const role = pgEnum("role", ROLES);
export const problemKind = pgEnum("problem_kind", PROBLEM_KINDS);
export const problemStatus = pgEnum("problem_status", PROBLEM_STATUSES);
export const notificationKind = pgEnum("notification_kind", NOTIFICATION_KINDS);

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/**
 * Every administrative division, province to village-level unit, keyed by its 12-digit NBS
 * statistical code. Scope checks are `code LIKE prefix || '%'`, served by the pattern index.
 */
export const regions = pgTable(
  "regions",
  {
    code: varchar("code", { length: 12 }).primaryKey(),
    level: regionLevel("level").notNull(),
    parentCode: varchar("parent_code", { length: 12 }),
    name: text("name").notNull(),
    /** community level only: urban residents' committee or villagers' committee (NBS code rule) */
    kind: communityKind("kind"),
    /** township level only: NBS code-range type */
    townshipType: townshipType("township_type"),
    /** county level: false for the 15 NBS-only functional zones, which have no GB/T 2260 code */
    gbt2260: boolean("gbt2260"),
    boundary: multiPolygon("boundary"),
    point: point("point"),
    households: integer("households"),
    population: integer("population"),
    population60: integer("population_60"),
    /** point and population figures are generated demo values, not real data */
    isDemo: boolean("is_demo").notNull().default(false),
    /** the published id of the community's committee as an HSDS organization (kept across reloads) */
    publicId: uuid("public_id").notNull().defaultRandom(),
  },
  (t) => [
    uniqueIndex("regions_public_id_idx").on(t.publicId),
    index("regions_code_prefix_idx").using("btree", sql`${t.code} text_pattern_ops`),
    index("regions_parent_idx").on(t.parentCode),
    index("regions_level_idx").on(t.level),
    index("regions_boundary_gist").using("gist", t.boundary),
    index("regions_point_gist").using("gist", t.point),
    index("regions_point_geog_gist").using("gist", sql`(${t.point}::geography)`),
  ],
);

export type OpeningHours = {
  /** ISO weekday 1 (Monday) to 7 (Sunday) → intervals "HH:MM-HH:MM"; missing day = closed */
  week: Partial<Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", string[]>>;
  holidayNote?: string;
  /**
   * Dates that differ from the week, before China's calendar: from–to inclusive (China dates),
   * `hours` [] = closed those days, else the intervals of each of them.
   */
  exceptions?: HoursException[];
};

export type HoursException = { from: string; to: string; hours: string[] };

/** HSDS location: a place with a point where services are offered. */
export const facilities = pgTable(
  "facilities",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    communityCode: varchar("community_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    name: text("name").notNull(),
    type: facilityType("type").notNull(),
    address: text("address").notNull().default(""),
    point: point("point"),
    openingHours: jsonb("opening_hours").$type<OpeningHours>(),
    phone: text("phone"),
    status: facilityStatus("status").notNull().default("active"),
    version: integer("version").notNull().default(1),
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
    isDemo: boolean("is_demo").notNull().default(false),
    /** the published id (HSDS location), a UUID kept across edits and imports */
    publicId: uuid("public_id").notNull().defaultRandom(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("facilities_public_id_idx").on(t.publicId),
    index("facilities_community_prefix_idx").using("btree", sql`${t.communityCode} text_pattern_ops`),
    index("facilities_point_gist").using("gist", t.point),
    index("facilities_point_geog_gist").using("gist", sql`(${t.point}::geography)`),
  ],
);

export type Eligibility = {
  minAge?: number;
  maxAge?: number;
  residentsOnly?: boolean;
  text?: string;
};

/** HSDS service + service_at_location: one service offered at one facility. */
export const services = pgTable(
  "services",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    category: serviceCategory("category").notNull(),
    subType: text("sub_type"),
    description: text("description").notNull().default(""),
    eligibility: jsonb("eligibility").$type<Eligibility>(),
    fee: text("fee"),
    capacity: integer("capacity"),
    /** null = the facility's opening hours */
    schedule: jsonb("schedule").$type<OpeningHours>(),
    contact: text("contact"),
    validFrom: date("valid_from"),
    validTo: date("valid_to"),
    status: serviceStatus("status").notNull().default("active"),
    version: integer("version").notNull().default(1),
    lastVerifiedAt: timestamp("last_verified_at", { withTimezone: true }),
    isDemo: boolean("is_demo").notNull().default(false),
    /** the published id (HSDS service), a UUID kept across edits and imports */
    publicId: uuid("public_id").notNull().defaultRandom(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("services_public_id_idx").on(t.publicId),
    index("services_facility_idx").on(t.facilityId),
    index("services_category_idx").on(t.category),
  ],
);

export type StandardIndicator = {
  key: string;
  kind: "automatic" | "manual";
  weight: number;
  label: { "zh-CN": string; en: string };
  /** resident_satisfaction only: met at a share satisfied ≥ minRate % over at least minResponses opinions */
  threshold?: { minRate: number; minResponses: number };
};

/** The evaluation standard, versioned; an assessment is always scored against one version. */
export const evaluationStandards = pgTable("evaluation_standards", {
  version: integer("version").primaryKey(),
  indicators: jsonb("indicators").$type<StandardIndicator[]>().notNull(),
  passScore: numeric("pass_score", { mode: "number" }).notNull(),
  /** minimum score for each tier */
  tierScores: jsonb("tier_scores").$type<Record<"basic" | "growth" | "benchmark", number>>().notNull(),
  noticeDays: integer("notice_days").notNull().default(0),
  publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
});

export type AssessmentIndicatorValue = {
  key: string;
  met: boolean;
  evidence?: { text?: string; links?: string[] };
};

/**
 * A community's evaluation. Coverage on date D counts an assessment when
 * effective_at <= D and (revoked_at is null or revoked_at > D).
 */
export const assessments = pgTable(
  "assessments",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    communityCode: varchar("community_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    standardVersion: integer("standard_version")
      .notNull()
      .references(() => evaluationStandards.version),
    state: assessmentState("state").notNull().default("draft"),
    tier: assessmentTier("tier"),
    score: numeric("score", { mode: "number" }),
    indicators: jsonb("indicators").$type<AssessmentIndicatorValue[]>().notNull().default([]),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    /** approval stands from here (after the public-notice period, if any) */
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    isDemo: boolean("is_demo").notNull().default(false),
    ...timestamps,
  },
  (t) => [
    index("assessments_community_prefix_idx").using("btree", sql`${t.communityCode} text_pattern_ops`),
    index("assessments_state_idx").on(t.state),
  ],
);

/** Who moved an assessment from one state to another, when and why. */
export const assessmentTransitions = pgTable(
  "assessment_transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    assessmentId: text("assessment_id")
      .notNull()
      .references(() => assessments.id, { onDelete: "cascade" }),
    fromState: assessmentState("from_state"),
    toState: assessmentState("to_state").notNull(),
    actorUserId: text("actor_user_id").references(() => users.id),
    reason: text("reason"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("assessment_transitions_assessment_idx").on(t.assessmentId)],
);

export const targets = pgTable(
  "targets",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    regionCode: varchar("region_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    year: integer("year").notNull(),
    /** share of communities, 0..1 */
    rate: numeric("rate", { mode: "number" }),
    count: integer("count"),
    deadline: date("deadline").notNull(),
    /** set by the demo data generator (e.g. a current-year goal), not a published target */
    isDemo: boolean("is_demo").notNull().default(false),
    ...timestamps,
  },
  (t) => [uniqueIndex("targets_region_year_idx").on(t.regionCode, t.year)],
);

export const users = pgTable("users", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  displayName: text("display_name").notNull().default(""),
  locale: text("locale").notNull().default("zh-CN"),
  largeText: boolean("large_text").notNull().default(false),
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  isDemo: boolean("is_demo").notNull().default(false),
  ...timestamps,
});

/** A user may hold several roles, each on one region; the region code prefix is the scope. */
export const roleAssignments = pgTable(
  "role_assignments",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: role("role").notNull(),
    regionCode: varchar("region_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role, t.regionCode] })],
);

/** lucia v3 session table (drizzle adapter): text id, user id, timestamptz expiry. */
export const sessions = pgTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

export const auditEntries = pgTable(
  "audit_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: text("actor_user_id").references(() => users.id),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    regionCode: varchar("region_code", { length: 12 }),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_entries_region_prefix_idx").using("btree", sql`${t.regionCode} text_pattern_ops`),
    index("audit_entries_at_idx").on(t.at),
  ],
);

/** Personal API tokens: only a SHA-256 hash is stored; the token is shown once. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

/** A resident's report that a listing is wrong; lands in the community's queue on /manage. */
export const problemReports = pgTable(
  "problem_reports",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    facilityId: text("facility_id")
      .notNull()
      .references(() => facilities.id, { onDelete: "cascade" }),
    serviceId: text("service_id").references(() => services.id, { onDelete: "set null" }),
    communityCode: varchar("community_code", { length: 12 }).notNull(),
    kind: problemKind("kind").notNull(),
    text: text("text").notNull().default(""),
    status: problemStatus("status").notNull().default("open"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: text("resolved_by").references(() => users.id),
  },
  (t) => [
    index("problem_reports_community_prefix_idx").using("btree", sql`${t.communityCode} text_pattern_ops`),
    index("problem_reports_status_idx").on(t.status),
  ],
);

export type NotificationParams = Record<string, string | number | null>;

/**
 * In-app notifications, one row per recipient, written in the transaction of what they tell of
 * (db/queries/notifications.server.ts). Nothing is sent outside the app. `dedupe_key` makes a
 * repeated notice (a stale listing's reminder, once per verification) land at most once per
 * recipient, whoever writes it and however often.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: notificationKind("kind").notNull(),
    /** the community (12-digit code) it concerns */
    regionCode: varchar("region_code", { length: 12 }).notNull(),
    /** where in the app it leads: a path */
    link: text("link").notNull(),
    /** the message's values (names, dates, identifiers), as they were when it was written */
    params: jsonb("params").$type<NotificationParams>().notNull().default({}),
    dedupeKey: text("dedupe_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    // the list, newest first, and the bell's count of the unread (a partial index: only those)
    index("notifications_user_idx").on(t.userId, t.id),
    index("notifications_user_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
    uniqueIndex("notifications_user_dedupe_idx").on(t.userId, t.dedupeKey),
  ],
);

/** Walking-distance threshold per living-circle measure (LIVING_CIRCLE_MEASURES); the province admin edits them. */
export const livingCircleThresholds = pgTable("access_thresholds", {
  measure: text("measure").primaryKey(),
  metres: integer("metres").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * For each community point and living-circle measure, the nearest active facility within the
 * measure's threshold. No row means none within it. Kept current incrementally on every listing
 * change; a threshold change recomputes that measure in full.
 */
export const livingCircleReach = pgTable(
  "community_access",
  {
    communityCode: varchar("community_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    measure: text("measure").notNull(),
    /** no foreign key: a facility's removal is itself a living-circle change that rewrites this row */
    facilityId: text("facility_id").notNull(),
    distanceM: real("distance_m").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.communityCode, t.measure] }),
    index("community_access_facility_idx").on(t.facilityId),
    index("community_access_prefix_idx").using("btree", sql`${t.communityCode} text_pattern_ops`),
  ],
);

/**
 * Urban communities and villages under every region above community level, so that coverage
 * pages do not count 62,074 rows per request. Defined in drizzle/0005 (drizzle-kit does not
 * write materialized views); refreshed by the reference loader, the only writer of regions' kinds.
 */
export const regionCommunityCounts = pgMaterializedView("region_community_counts", {
  digits: integer("digits").notNull(),
  code: varchar("code", { length: 12 }).notNull(),
  urban: integer("urban").notNull(),
  villages: integer("villages").notNull(),
}).existing();

/**
 * Rate-limit counters shared by every app server on this database: one row per limiter and key
 * (`signin-ip:1.2.3.4`), written by rate-limiter-flexible's RateLimiterDrizzle, whose column names
 * these are. An expired row is reset by the next consume and swept an hour after it expires.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire", { withTimezone: true, mode: "date" }),
});

/**
 * A living-circle recompute the job queue runs in the background (a threshold change, a big
 * import): city by city, each in its own transaction, so the page can show how far it has come.
 */
export const livingCircleRecomputes = pgTable(
  "living_circle_recomputes",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    /** the measures to recompute (LIVING_CIRCLE_MEASURES) */
    measures: jsonb("measures").$type<string[]>().notNull(),
    /** LIVING_CIRCLE_RECOMPUTE_REASONS */
    reason: text("reason", { enum: ["threshold", "import", "detour", "roads"] }).notNull(),
    requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    state: text("state", { enum: ["queued", "running", "done", "failed"] })
      .notNull()
      .default("queued"),
    /** cities recomputed of all of them: the progress shown */
    partsDone: integer("parts_done").notNull().default(0),
    partsTotal: integer("parts_total"),
    /** community–measure pairs written */
    rows: integer("rows").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    error: text("error"),
  },
  (t) => [index("living_circle_recomputes_state_idx").on(t.state, t.requestedAt)],
);

/**
 * Coverage of every region above community level at the end of each month, taken by a monthly
 * job (and for past months at first start): the trend reads these instead of recounting history,
 * and keeps each month's own number of communities.
 */
export const coverageSnapshots = pgTable(
  "coverage_snapshots",
  {
    monthEnd: date("month_end", { mode: "string" }).notNull(),
    /** the region's significant digits (2, 4, 6 or 9), as in region_community_counts */
    digits: integer("digits").notNull(),
    regionCode: varchar("region_code", { length: 12 }).notNull(),
    urban: integer("urban").notNull(),
    villages: integer("villages").notNull(),
    urbanCertified: integer("urban_certified").notNull(),
    villagesCertified: integer("villages_certified").notNull(),
    takenAt: timestamp("taken_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.digits, t.regionCode, t.monthEnd] })],
);

/**
 * The living circle's distance model (docs/figures.md): one row. Where no road network is loaded,
 * walking distance is the straight line times the detour factor.
 */
export const livingCircleSettings = pgTable("living_circle_settings", {
  id: integer("id").primaryKey().default(1),
  detourFactor: doublePrecision("detour_factor").notNull().default(1.3),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Province-wide settings the province admin sets (one row). Freshness (docs/figures.md): a listing
 * not verified for `staleDays` is flagged to staff; for `hiddenDays` it is hidden from residents
 * until verified.
 */
export const provinceSettings = pgTable("province_settings", {
  id: integer("id").primaryKey().default(1),
  staleDays: integer("stale_days").notNull().default(180),
  hiddenDays: integer("hidden_days").notNull().default(365),
  /** residents' satisfaction (docs/figures.md): a region's share satisfied is shown from this many responses */
  satisfactionMinResponses: integer("satisfaction_min_responses").notNull().default(10),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A resident's opinion of a service (docs/figures.md, Satisfaction): satisfied or not, and an
 * optional comment only the community's staff read. No account and nothing else about the
 * resident: `rater_key` is a hash of a random id the browser keeps in a cookie and the service's
 * id, there only so that the same browser's next opinion within 30 days replaces this one; it is
 * cleared after those 30 days. An opinion counts for 12 months and is deleted then.
 */
export const serviceFeedback = pgTable(
  "service_feedback",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    serviceId: text("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    /** the service's community when the opinion was given: regions' figures sum by code prefix */
    communityCode: varchar("community_code", { length: 12 }).notNull(),
    satisfied: boolean("satisfied").notNull(),
    comment: text("comment"),
    raterKey: text("rater_key"),
    /** when it was given, or last replaced by the same browser */
    givenAt: timestamp("given_at", { withTimezone: true }).notNull().defaultNow(),
    /** the staff's public answer, shown on the service page */
    answer: text("answer"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answeredBy: text("answered_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("service_feedback_rater_idx").on(t.raterKey),
    index("service_feedback_service_idx").on(t.serviceId, t.givenAt),
    index("service_feedback_community_prefix_idx").using("btree", sql`${t.communityCode} text_pattern_ops`, t.givenAt),
    index("service_feedback_given_idx").on(t.givenAt),
  ],
);

/**
 * A walkable street network loaded from an OpenStreetMap extract (`npm run db:load-roads`). Where
 * a community and a facility both lie within one network's bounds, their walking distance is the
 * shortest path along it (pgRouting, PostgreSQL only).
 */
export const roadNetworks = pgTable("road_networks", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
  sourceFile: text("source_file").notNull(),
  /** the convex hull of its vertices */
  bounds: polygon("bounds").notNull(),
  vertices: integer("vertices").notNull(),
  edges: integer("edges").notNull(),
  lengthM: doublePrecision("length_m").notNull(),
  /** the region an official loaded it for (its uploads stay inside it); null: loaded from the command line */
  regionCode: varchar("region_code", { length: 12 }).references(() => regions.code),
  loadedBy: text("loaded_by").references(() => users.id, { onDelete: "set null" }),
  loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull().defaultNow(),
});

/** the OpenStreetMap nodes of a network's walkable ways */
export const roadVertices = pgTable(
  "road_vertices",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    networkId: integer("network_id")
      .notNull()
      .references(() => roadNetworks.id, { onDelete: "cascade" }),
    osmId: bigint("osm_id", { mode: "number" }).notNull(),
    point: point("point").notNull(),
  },
  (t) => [index("road_vertices_point_idx").using("gist", t.point), index("road_vertices_network_idx").on(t.networkId)],
);

/** one segment between two consecutive nodes of a walkable way, walkable both ways */
export const roadEdges = pgTable(
  "road_edges",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    networkId: integer("network_id")
      .notNull()
      .references(() => roadNetworks.id, { onDelete: "cascade" }),
    source: bigint("source", { mode: "number" }).notNull(),
    target: bigint("target", { mode: "number" }).notNull(),
    lengthM: doublePrecision("length_m").notNull(),
    geom: lineString("geom").notNull(),
  },
  (t) => [index("road_edges_geom_idx").using("gist", t.geom), index("road_edges_network_idx").on(t.networkId)],
);

/** a proposed site of a scenario: a point, and what it was chosen from */
export type ScenarioSite = {
  id: string;
  lat: number;
  lng: number;
  label: string;
  candidate: { kind: "community" | "facility" | "proposed"; ref: string | null };
};

/**
 * An official's what-if plan for a region: proposed sites and the measures they would offer.
 * Nothing in it is registered; one site can be sent to a community as a facility draft.
 */
export const planningScenarios = pgTable(
  "planning_scenarios",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    regionCode: varchar("region_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    name: text("name").notNull(),
    measures: jsonb("measures").$type<string[]>().notNull(),
    sites: jsonb("sites").$type<ScenarioSite[]>().notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("planning_scenarios_region_name_idx").on(t.regionCode, t.name)],
);

/**
 * A scenario's site sent to a community's staff as a facility registration to make: they open
 * the new-facility form filled with it, or dismiss it.
 */
export const facilityDrafts = pgTable(
  "facility_drafts",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    communityCode: varchar("community_code", { length: 12 })
      .notNull()
      .references(() => regions.code),
    scenarioId: text("scenario_id").references(() => planningScenarios.id, { onDelete: "set null" }),
    scenarioName: text("scenario_name").notNull(),
    measures: jsonb("measures").$type<string[]>().notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    note: text("note"),
    state: text("state", { enum: ["open", "registered", "dismissed"] })
      .notNull()
      .default("open"),
    facilityId: text("facility_id"),
    sentBy: text("sent_by").references(() => users.id, { onDelete: "set null" }),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("facility_drafts_community_idx").on(t.communityCode, t.state)],
);
