CREATE TABLE "coverage_snapshots" (
	"month_end" date NOT NULL,
	"digits" integer NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"urban" integer NOT NULL,
	"villages" integer NOT NULL,
	"urban_certified" integer NOT NULL,
	"villages_certified" integer NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coverage_snapshots_digits_region_code_month_end_pk" PRIMARY KEY("digits","region_code","month_end")
);
--> statement-breakpoint
CREATE TABLE "living_circle_recomputes" (
	"id" text PRIMARY KEY NOT NULL,
	"measures" jsonb NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"parts_done" integer DEFAULT 0 NOT NULL,
	"parts_total" integer,
	"rows" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "living_circle_recomputes" ADD CONSTRAINT "living_circle_recomputes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "living_circle_recomputes_state_idx" ON "living_circle_recomputes" USING btree ("state","requested_at");