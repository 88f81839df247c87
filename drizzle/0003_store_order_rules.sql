CREATE TABLE "store_order_rules" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"min_order_amount" integer DEFAULT 0 NOT NULL,
	"max_quantity_per_sku" integer,
	"delivery_provinces" text[],
	"shipping_fee" integer DEFAULT 0 NOT NULL,
	"free_shipping_from" integer,
	"accept_mode" text DEFAULT 'auto' NOT NULL,
	"accept_deadline_hours" integer DEFAULT 24 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "store_order_rules_amounts_ck" CHECK ("store_order_rules"."min_order_amount" >= 0 and "store_order_rules"."shipping_fee" >= 0 and ("store_order_rules"."free_shipping_from" is null or "store_order_rules"."free_shipping_from" >= 0)),
	CONSTRAINT "store_order_rules_accept_ck" CHECK ("store_order_rules"."accept_mode" in ('auto', 'manual') and "store_order_rules"."accept_deadline_hours" between 1 and 168)
);
