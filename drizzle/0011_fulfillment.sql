CREATE TABLE "fulfillment_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"watermark" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_fulfillment" (
	"order_id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"buyer_id" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"ship_deadline_at" timestamp with time zone,
	"late_at" timestamp with time zone,
	"shipped_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"confirm_deadline_at" timestamp with time zone,
	"confirm_pauses" integer DEFAULT 0 NOT NULL,
	"confirm_remaining_ms" bigint,
	"completed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_fulfillment_pauses_ck" CHECK ("order_fulfillment"."confirm_pauses" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sandbox_carrier_parcels" (
	"com" text NOT NULL,
	"nu" text NOT NULL,
	"callback_url" text NOT NULL,
	"salt" text NOT NULL,
	"script" jsonb NOT NULL,
	"pushed_count" integer DEFAULT 0 NOT NULL,
	"next_push_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_carrier_parcels_com_nu_pk" PRIMARY KEY("com","nu")
);
--> statement-breakpoint
CREATE TABLE "shipment_items" (
	"shipment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_item_id" text NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "shipment_items_shipment_id_order_item_id_pk" PRIMARY KEY("shipment_id","order_item_id"),
	CONSTRAINT "shipment_items_quantity_ck" CHECK ("shipment_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"buyer_id" text NOT NULL,
	"carrier" text NOT NULL,
	"tracking_number" text NOT NULL,
	"state" text NOT NULL,
	"tracking_code" integer,
	"last_event_at" timestamp with time zone,
	"last_event_text" text,
	"last_event_area" text,
	"exception_kind" text,
	"exception_at" timestamp with time zone,
	"feed_status" text,
	"subscription" text DEFAULT 'pending' NOT NULL,
	"subscribe_attempts" integer DEFAULT 0 NOT NULL,
	"subscribe_next_at" timestamp with time zone,
	"subscribe_error" text,
	"shipped_by" jsonb NOT NULL,
	"shipped_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_shipping_settings" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"ship_deadline_hours" integer DEFAULT 48 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "store_shipping_settings_hours_ck" CHECK ("store_shipping_settings"."ship_deadline_hours" between 1 and 720)
);
--> statement-breakpoint
CREATE TABLE "tracking_events" (
	"id" text PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"ordinal" integer NOT NULL,
	"context" text NOT NULL,
	"status" text,
	"code" integer,
	"area_name" text,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shipment_items" ADD CONSTRAINT "shipment_items_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_events" ADD CONSTRAINT "tracking_events_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_fulfillment_ship_deadline_idx" ON "order_fulfillment" USING btree ("ship_deadline_at") WHERE "order_fulfillment"."ship_deadline_at" is not null;--> statement-breakpoint
CREATE INDEX "order_fulfillment_confirm_deadline_idx" ON "order_fulfillment" USING btree ("confirm_deadline_at") WHERE "order_fulfillment"."confirm_deadline_at" is not null;--> statement-breakpoint
CREATE INDEX "order_fulfillment_late_idx" ON "order_fulfillment" USING btree ("merchant_id","late_at") WHERE "order_fulfillment"."late_at" is not null;--> statement-breakpoint
CREATE INDEX "sandbox_carrier_parcels_due_idx" ON "sandbox_carrier_parcels" USING btree ("next_push_at") WHERE "sandbox_carrier_parcels"."next_push_at" is not null;--> statement-breakpoint
CREATE INDEX "shipment_items_order_idx" ON "shipment_items" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_tracking_uq" ON "shipments" USING btree ("carrier","tracking_number");--> statement-breakpoint
CREATE INDEX "shipments_order_idx" ON "shipments" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "shipments_merchant_state_idx" ON "shipments" USING btree ("merchant_id","state");--> statement-breakpoint
CREATE INDEX "shipments_subscribe_idx" ON "shipments" USING btree ("subscribe_next_at") WHERE "shipments"."subscribe_next_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_events_uq" ON "tracking_events" USING btree ("shipment_id","occurred_at","context");--> statement-breakpoint
CREATE INDEX "tracking_events_timeline_idx" ON "tracking_events" USING btree ("shipment_id","occurred_at","ordinal");