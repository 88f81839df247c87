ALTER TABLE "search_consumers" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "search_consumers" ADD COLUMN "lease_until" timestamp with time zone;