CREATE TABLE "review_reason_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_rules" (
	"rule" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"severity" text NOT NULL,
	"params" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_store_settings" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"owner_approval" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"revision_id" text,
	"merchant_id" text NOT NULL,
	"category_id" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"title" text NOT NULL,
	"content" jsonb NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rule_hits" text[] DEFAULT '{}'::text[] NOT NULL,
	"automatic" boolean DEFAULT false NOT NULL,
	"submitted_by" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"queued_at" timestamp with time zone,
	"claimed_by" text,
	"claim_expires_at" timestamp with time zone,
	"decided_by" jsonb,
	"decided_at" timestamp with time zone,
	"reason" text,
	"reason_template_id" text,
	CONSTRAINT "review_tasks_state_ck" CHECK ("review_tasks"."state" in ('store_review', 'queued', 'approved', 'rejected', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "store_qualifications" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"category_id" text NOT NULL,
	"name" text NOT NULL,
	"number" text NOT NULL,
	"image_ids" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"submitted_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "review_tasks_open_product_uq" ON "review_tasks" USING btree ("product_id") WHERE "review_tasks"."state" in ('store_review', 'queued');--> statement-breakpoint
CREATE INDEX "review_tasks_state_queued_idx" ON "review_tasks" USING btree ("state","queued_at","id");--> statement-breakpoint
CREATE INDEX "review_tasks_product_idx" ON "review_tasks" USING btree ("product_id","id");--> statement-breakpoint
CREATE INDEX "review_tasks_merchant_state_idx" ON "review_tasks" USING btree ("merchant_id","state","id");--> statement-breakpoint
CREATE INDEX "review_tasks_submitted_idx" ON "review_tasks" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "store_qualifications_merchant_idx" ON "store_qualifications" USING btree ("merchant_id","state","category_id");--> statement-breakpoint
CREATE INDEX "store_qualifications_state_idx" ON "store_qualifications" USING btree ("state","id");