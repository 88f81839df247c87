CREATE TABLE "order_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"buyer_id" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"items_total" integer NOT NULL,
	"shipping_total" integer NOT NULL,
	"total" integer NOT NULL,
	"address" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"pay_deadline_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_groups_total_ck" CHECK ("order_groups"."total" = "order_groups"."items_total" + "order_groups"."shipping_total")
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"sku_id" text NOT NULL,
	"product_id" text NOT NULL,
	"title" text NOT NULL,
	"specs" jsonb NOT NULL,
	"image_url" text,
	"unit_price" integer NOT NULL,
	"quantity" integer NOT NULL,
	"line_total" integer NOT NULL,
	CONSTRAINT "order_items_total_ck" CHECK ("order_items"."line_total" = "order_items"."unit_price" * "order_items"."quantity" and "order_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"buyer_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"state" text NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"items_total" integer NOT NULL,
	"shipping_fee" integer NOT NULL,
	"total" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"address" jsonb NOT NULL,
	"accept_mode" text NOT NULL,
	"accept_deadline_hours" integer NOT NULL,
	"accept_deadline_at" timestamp with time zone,
	"payment_id" text,
	"cancel_request" jsonb,
	"cancel_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "orders_total_ck" CHECK ("orders"."total" = "orders"."items_total" + "orders"."shipping_fee" and "orders"."items_total" >= 0 and "orders"."shipping_fee" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sku_sales" (
	"sku_id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"units_sold" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sku_sales_units_ck" CHECK ("sku_sales"."units_sold" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payment_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"payment_id" text,
	"provider_txn_id" text,
	"verified" boolean NOT NULL,
	"outcome" text NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"buyer_id" text NOT NULL,
	"provider" text NOT NULL,
	"state" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"order_ids" text[] NOT NULL,
	"order_amounts" integer[] NOT NULL,
	"subject" text NOT NULL,
	"pay_url" text,
	"provider_txn_id" text,
	"failure_reason" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"succeeded_at" timestamp with time zone,
	CONSTRAINT "payments_amount_ck" CHECK ("payments"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"state" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"reason" text NOT NULL,
	"provider_refund_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "refunds_amount_ck" CHECK ("refunds"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "sandbox_pay_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"body" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_pay_trades" (
	"payment_id" text PRIMARY KEY NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"subject" text NOT NULL,
	"status" text NOT NULL,
	"transaction_id" text,
	"refunded" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "sandbox_pay_trades_transaction_id_unique" UNIQUE("transaction_id")
);
--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_group_id_order_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."order_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "order_groups_idempotency_uq" ON "order_groups" USING btree ("buyer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "order_groups_pay_deadline_idx" ON "order_groups" USING btree ("pay_deadline_at") WHERE "order_groups"."pay_deadline_at" is not null;--> statement-breakpoint
CREATE INDEX "order_items_order_idx" ON "order_items" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_group_idx" ON "orders" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "orders_buyer_idx" ON "orders" USING btree ("buyer_id","id");--> statement-breakpoint
CREATE INDEX "orders_buyer_state_idx" ON "orders" USING btree ("buyer_id","state","id");--> statement-breakpoint
CREATE INDEX "orders_merchant_state_idx" ON "orders" USING btree ("merchant_id","state","id");--> statement-breakpoint
CREATE INDEX "orders_merchant_idx" ON "orders" USING btree ("merchant_id","id");--> statement-breakpoint
CREATE INDEX "orders_accept_deadline_idx" ON "orders" USING btree ("accept_deadline_at") WHERE "orders"."accept_deadline_at" is not null;--> statement-breakpoint
CREATE INDEX "sku_sales_product_idx" ON "sku_sales" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "payment_notifications_payment_idx" ON "payment_notifications" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payments_group_idx" ON "payments" USING btree ("group_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_pending_uq" ON "payments" USING btree ("group_id") WHERE "payments"."state" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_txn_uq" ON "payments" USING btree ("provider","provider_txn_id");--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "refunds_order_idx" ON "refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_next_attempt_idx" ON "refunds" USING btree ("next_attempt_at") WHERE "refunds"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "sandbox_pay_notifications_due_idx" ON "sandbox_pay_notifications" USING btree ("next_attempt_at") WHERE "sandbox_pay_notifications"."delivered_at" is null;