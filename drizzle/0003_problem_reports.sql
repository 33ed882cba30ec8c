CREATE TYPE "public"."problem_kind" AS ENUM('wrong_address', 'wrong_phone', 'wrong_hours', 'closed', 'other');--> statement-breakpoint
CREATE TYPE "public"."problem_status" AS ENUM('open', 'fixed', 'dismissed');--> statement-breakpoint
CREATE TABLE "problem_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"facility_id" text NOT NULL,
	"service_id" text,
	"community_code" varchar(12) NOT NULL,
	"kind" "problem_kind" NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"status" "problem_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_reports" ADD CONSTRAINT "problem_reports_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "problem_reports_community_prefix_idx" ON "problem_reports" USING btree ("community_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "problem_reports_status_idx" ON "problem_reports" USING btree ("status");