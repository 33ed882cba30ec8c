ALTER TYPE "public"."notification_kind" ADD VALUE 'site_proposed';--> statement-breakpoint
CREATE TABLE "facility_drafts" (
	"id" text PRIMARY KEY NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"scenario_id" text,
	"scenario_name" text NOT NULL,
	"measures" jsonb NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"note" text,
	"state" text DEFAULT 'open' NOT NULL,
	"facility_id" text,
	"sent_by" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "living_circle_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"detour_factor" double precision DEFAULT 1.3 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planning_scenarios" (
	"id" text PRIMARY KEY NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"name" text NOT NULL,
	"measures" jsonb NOT NULL,
	"sites" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "road_edges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"network_id" integer NOT NULL,
	"source" bigint NOT NULL,
	"target" bigint NOT NULL,
	"length_m" double precision NOT NULL,
	"geom" geometry(LineString,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "road_networks" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source_file" text NOT NULL,
	"bounds" geometry(Polygon,4326) NOT NULL,
	"vertices" integer NOT NULL,
	"edges" integer NOT NULL,
	"length_m" double precision NOT NULL,
	"region_code" varchar(12),
	"loaded_by" text,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "road_networks_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "road_vertices" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"network_id" integer NOT NULL,
	"osm_id" bigint NOT NULL,
	"point" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "facility_drafts" ADD CONSTRAINT "facility_drafts_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_drafts" ADD CONSTRAINT "facility_drafts_scenario_id_planning_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."planning_scenarios"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_drafts" ADD CONSTRAINT "facility_drafts_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_scenarios" ADD CONSTRAINT "planning_scenarios_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planning_scenarios" ADD CONSTRAINT "planning_scenarios_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "road_edges" ADD CONSTRAINT "road_edges_network_id_road_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."road_networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "road_networks" ADD CONSTRAINT "road_networks_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "road_networks" ADD CONSTRAINT "road_networks_loaded_by_users_id_fk" FOREIGN KEY ("loaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "road_vertices" ADD CONSTRAINT "road_vertices_network_id_road_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."road_networks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "facility_drafts_community_idx" ON "facility_drafts" USING btree ("community_code","state");--> statement-breakpoint
CREATE UNIQUE INDEX "planning_scenarios_region_name_idx" ON "planning_scenarios" USING btree ("region_code","name");--> statement-breakpoint
CREATE INDEX "road_edges_geom_idx" ON "road_edges" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "road_edges_network_idx" ON "road_edges" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "road_vertices_point_idx" ON "road_vertices" USING gist ("point");--> statement-breakpoint
CREATE INDEX "road_vertices_network_idx" ON "road_vertices" USING btree ("network_id");--> statement-breakpoint
ALTER TABLE "living_circle_settings" ADD CONSTRAINT "living_circle_settings_one_row" CHECK ("id" = 1);--> statement-breakpoint
ALTER TABLE "living_circle_settings" ADD CONSTRAINT "living_circle_settings_detour_factor" CHECK ("detour_factor" >= 1 AND "detour_factor" <= 3);--> statement-breakpoint
INSERT INTO "living_circle_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
