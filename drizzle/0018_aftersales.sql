CREATE TABLE "aftersales_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_item_id" text NOT NULL,
	"buyer_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"item" jsonb NOT NULL,
	"quantity" integer NOT NULL,
	"amount" integer NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"reason" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"reject_reason" text,
	"escalation_reason" text,
	"ruling" jsonb,
	"return_parcel" jsonb,
	"replacement_parcel" jsonb,
	"refund_id" text,
	"respond_by" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "aftersales_quantity_ck" CHECK ("aftersales_requests"."quantity" > 0),
	CONSTRAINT "aftersales_amount_ck" CHECK ("aftersales_requests"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX "aftersales_buyer_idx" ON "aftersales_requests" USING btree ("buyer_id","id");--> statement-breakpoint
CREATE INDEX "aftersales_merchant_idx" ON "aftersales_requests" USING btree ("merchant_id","id");--> statement-breakpoint
CREATE INDEX "aftersales_state_idx" ON "aftersales_requests" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "aftersales_order_idx" ON "aftersales_requests" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "aftersales_respond_idx" ON "aftersales_requests" USING btree ("respond_by") WHERE "aftersales_requests"."state" in ('requested', 'rejected');--> statement-breakpoint
CREATE UNIQUE INDEX "aftersales_open_item_uq" ON "aftersales_requests" USING btree ("order_item_id") WHERE "aftersales_requests"."state" in ('requested', 'rejected', 'escalated', 'awaiting_return', 'returned', 'refunding', 'reshipped');