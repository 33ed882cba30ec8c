CREATE TABLE "access_thresholds" (
	"measure" text PRIMARY KEY NOT NULL,
	"metres" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "community_access" (
	"community_code" varchar(12) NOT NULL,
	"measure" text NOT NULL,
	"facility_id" text NOT NULL,
	"distance_m" real NOT NULL,
	CONSTRAINT "community_access_community_code_measure_pk" PRIMARY KEY("community_code","measure")
);
--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "is_demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "community_access" ADD CONSTRAINT "community_access_community_code_regions_code_fk" FOREIGN KEY ("community_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_access_facility_idx" ON "community_access" USING btree ("facility_id");--> statement-breakpoint
CREATE INDEX "community_access_prefix_idx" ON "community_access" USING btree ("community_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "facilities_point_geog_gist" ON "facilities" USING gist (("point"::geography));--> statement-breakpoint
CREATE INDEX "regions_point_geog_gist" ON "regions" USING gist (("point"::geography));