CREATE TABLE "province_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"stale_days" integer DEFAULT 180 NOT NULL,
	"hidden_days" integer DEFAULT 365 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "public_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "public_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "public_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_public_id_idx" ON "facilities" USING btree ("public_id");--> statement-breakpoint
CREATE UNIQUE INDEX "regions_public_id_idx" ON "regions" USING btree ("public_id");--> statement-breakpoint
CREATE UNIQUE INDEX "services_public_id_idx" ON "services" USING btree ("public_id");