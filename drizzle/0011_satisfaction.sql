CREATE TABLE "service_feedback" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"service_id" text NOT NULL,
	"community_code" varchar(12) NOT NULL,
	"satisfied" boolean NOT NULL,
	"comment" text,
	"rater_key" text,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"answered_by" text
);
--> statement-breakpoint
ALTER TABLE "province_settings" ADD COLUMN "satisfaction_min_responses" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "service_feedback" ADD CONSTRAINT "service_feedback_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_feedback" ADD CONSTRAINT "service_feedback_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "service_feedback_rater_idx" ON "service_feedback" USING btree ("rater_key");--> statement-breakpoint
CREATE INDEX "service_feedback_service_idx" ON "service_feedback" USING btree ("service_id","given_at");--> statement-breakpoint
CREATE INDEX "service_feedback_community_prefix_idx" ON "service_feedback" USING btree ("community_code" text_pattern_ops,"given_at");--> statement-breakpoint
CREATE INDEX "service_feedback_given_idx" ON "service_feedback" USING btree ("given_at");