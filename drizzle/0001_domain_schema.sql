CREATE TYPE "public"."assessment_state" AS ENUM('draft', 'submitted', 'notice', 'approved', 'rejected', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."assessment_tier" AS ENUM('basic', 'growth', 'benchmark');--> statement-breakpoint
CREATE TYPE "public"."community_kind" AS ENUM('community', 'village');--> statement-breakpoint
CREATE TYPE "public"."facility_status" AS ENUM('active', 'suspended', 'closed');--> statement-breakpoint
CREATE TYPE "public"."facility_type" AS ENUM('elderly_day_care', 'elderly_canteen', 'elderly_service_station', 'home_care_point', 'incubator', 'employment_service_station', 'party_service_center', 'culture_room', 'health_station', 'other');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('province', 'city', 'county', 'township', 'community');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('community_staff', 'district_official', 'city_official', 'province_admin');--> statement-breakpoint
CREATE TYPE "public"."service_category" AS ENUM('elderly_care', 'entrepreneurship', 'culture_education', 'industry', 'green_low_carbon', 'party_building', 'health', 'other');--> statement-breakpoint
CREATE TYPE "public"."service_status" AS ENUM('active', 'suspended', 'closed');--> statement-breakpoint
CREATE TYPE "public"."township_type" AS ENUM('subdistrict', 'town', 'township', 'other');--> statement-breakpoint
CREATE TABLE "assessment_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"assessment_id" text NOT NULL,
	"from_state" "assessment_state",
	"to_state" "assessment_state" NOT NULL,
	"actor_user_id" text,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" text PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"standard_version" integer NOT NULL,
	"state" "assessment_state" DEFAULT 'draft' NOT NULL,
	"tier" "assessment_tier",
	"score" numeric,
	"indicators" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"effective_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" text,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"region_code" varchar(12),
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "evaluation_standards" (
	"version" integer PRIMARY KEY NOT NULL,
	"indicators" jsonb NOT NULL,
	"pass_score" numeric NOT NULL,
	"tier_scores" jsonb NOT NULL,
	"notice_days" integer DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" text PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"name" text NOT NULL,
	"type" "facility_type" NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"point" geometry(Point,4326),
	"opening_hours" jsonb,
	"phone" text,
	"status" "facility_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_verified_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" varchar(12) PRIMARY KEY NOT NULL,
	"level" "region_level" NOT NULL,
	"parent_code" varchar(12),
	"name" text NOT NULL,
	"kind" "community_kind",
	"township_type" "township_type",
	"gbt2260" boolean,
	"boundary" geometry(MultiPolygon,4326),
	"point" geometry(Point,4326),
	"households" integer,
	"population" integer,
	"population_60" integer,
	"is_demo" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"user_id" text NOT NULL,
	"role" "role" NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_assignments_user_id_role_region_code_pk" PRIMARY KEY("user_id","role","region_code")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" text PRIMARY KEY NOT NULL,
	"facility_id" text NOT NULL,
	"name" text NOT NULL,
	"category" "service_category" NOT NULL,
	"sub_type" text,
	"description" text DEFAULT '' NOT NULL,
	"eligibility" jsonb,
	"fee" text,
	"capacity" integer,
	"schedule" jsonb,
	"contact" text,
	"valid_from" date,
	"valid_to" date,
	"status" "service_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_verified_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" text PRIMARY KEY NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"year" integer NOT NULL,
	"rate" numeric,
	"count" integer,
	"deadline" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"large_text" boolean DEFAULT false NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "assessment_transitions" ADD CONSTRAINT "assessment_transitions_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_transitions" ADD CONSTRAINT "assessment_transitions_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_standard_version_evaluation_standards_version_fk" FOREIGN KEY ("standard_version") REFERENCES "public"."evaluation_standards"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_transitions_assessment_idx" ON "assessment_transitions" USING btree ("assessment_id");--> statement-breakpoint
CREATE INDEX "assessments_community_prefix_idx" ON "assessments" USING btree ("community_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "assessments_state_idx" ON "assessments" USING btree ("state");--> statement-breakpoint
CREATE INDEX "audit_entries_region_prefix_idx" ON "audit_entries" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "audit_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "facilities_community_prefix_idx" ON "facilities" USING btree ("community_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "facilities_point_gist" ON "facilities" USING gist ("point");--> statement-breakpoint
CREATE INDEX "regions_code_prefix_idx" ON "regions" USING btree ("code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "regions_level_idx" ON "regions" USING btree ("level");--> statement-breakpoint
CREATE INDEX "regions_boundary_gist" ON "regions" USING gist ("boundary");--> statement-breakpoint
CREATE INDEX "regions_point_gist" ON "regions" USING gist ("point");--> statement-breakpoint
CREATE INDEX "services_facility_idx" ON "services" USING btree ("facility_id");--> statement-breakpoint
CREATE INDEX "services_category_idx" ON "services" USING btree ("category");--> statement-breakpoint
CREATE UNIQUE INDEX "targets_region_year_idx" ON "targets" USING btree ("region_code","year");