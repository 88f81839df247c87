import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Actor } from '../../platform/events.js';
import type { ExceptionKind, ShipmentState } from './states.js';

/** Each store's shipping promise: ship within this many hours of 接单 (default 48). */
export const storeShippingSettings = pgTable(
  'store_shipping_settings',
  {
    merchantId: text('merchant_id').primaryKey(),
    shipDeadlineHours: integer('ship_deadline_hours').notNull().default(48),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [check('store_shipping_settings_hours_ck', sql`${t.shipDeadlineHours} between 1 and 720`)],
);

/**
 * Fulfillment's facts about one accepted order, and its two deadline columns:
 * `ship_deadline_at` while it waits to ship (发货时限), `confirm_deadline_at` while the buyer may
 * still confirm receipt (自动确认收货). A row appears when the order is accepted (from the flow log).
 */
export const orderFulfillment = pgTable(
  'order_fulfillment',
  {
    orderId: text('order_id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    shipDeadlineAt: timestamp('ship_deadline_at', { withTimezone: true }),
    /** When the shipping deadline passed with goods still unshipped; kept as a record. */
    lateAt: timestamp('late_at', { withTimezone: true }),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    confirmDeadlineAt: timestamp('confirm_deadline_at', { withTimezone: true }),
    /** Open after-sales requests; while above 0 the receipt clock stands still. */
    confirmPauses: integer('confirm_pauses').notNull().default(0),
    /** What was left of the receipt clock when it was paused, ms. */
    confirmRemainingMs: bigint('confirm_remaining_ms', { mode: 'number' }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('order_fulfillment_ship_deadline_idx').on(t.shipDeadlineAt).where(sql`${t.shipDeadlineAt} is not null`),
    index('order_fulfillment_confirm_deadline_idx').on(t.confirmDeadlineAt).where(sql`${t.confirmDeadlineAt} is not null`),
    index('order_fulfillment_late_idx').on(t.merchantId, t.lateAt).where(sql`${t.lateAt} is not null`),
    check('order_fulfillment_pauses_ck', sql`${t.confirmPauses} >= 0`),
  ],
);

export type SubscriptionState = 'pending' | 'subscribed' | 'failed';

/** 包裹: one parcel of an order, with a carrier and a tracking number. */
export const shipments = pgTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    /** Kuaidi100 company code. */
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    state: text('state').$type<ShipmentState>().notNull(),
    /** The Kuaidi100 state code of the latest event (0 在途, 1 揽收, 3 签收 …). */
    trackingCode: integer('tracking_code'),
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
    lastEventText: text('last_event_text'),
    lastEventArea: text('last_event_area'),
    exceptionKind: text('exception_kind').$type<ExceptionKind>(),
    exceptionAt: timestamp('exception_at', { withTimezone: true }),
    /** The carrier feed's own status: polling, shutdown (finished), abort (given up). */
    feedStatus: text('feed_status'),
    subscription: text('subscription').$type<SubscriptionState>().notNull().default('pending'),
    subscribeAttempts: integer('subscribe_attempts').notNull().default(0),
    /** Deadline column: the next subscription attempt while pending. */
    subscribeNextAt: timestamp('subscribe_next_at', { withTimezone: true }),
    subscribeError: text('subscribe_error'),
    shippedBy: jsonb('shipped_by').$type<Actor>().notNull(),
    shippedAt: timestamp('shipped_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('shipments_tracking_uq').on(t.carrier, t.trackingNumber),
    index('shipments_order_idx').on(t.orderId, t.id),
    index('shipments_merchant_state_idx').on(t.merchantId, t.state),
    index('shipments_subscribe_idx').on(t.subscribeNextAt).where(sql`${t.subscribeNextAt} is not null`),
  ],
);

/** What a parcel holds: quantities of order lines. */
export const shipmentItems = pgTable(
  'shipment_items',
  {
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    orderId: text('order_id').notNull(),
    orderItemId: text('order_item_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.orderItemId] }), index('shipment_items_order_idx').on(t.orderId), check('shipment_items_quantity_ck', sql`${t.quantity} > 0`)],
);

/** 物流轨迹: the carrier's events of a parcel; one row per (time, text), whatever the pushes. */
export const trackingEvents = pgTable(
  'tracking_events',
  {
    id: text('id').primaryKey(),
    shipmentId: text('shipment_id')
      .notNull()
      .references(() => shipments.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Position from the oldest in the carrier's list, to order events of the same second. */
    ordinal: integer('ordinal').notNull(),
    context: text('context').notNull(),
    /** The carrier's words for the state (在途, 签收 …) and its code. */
    status: text('status'),
    code: integer('code'),
    areaName: text('area_name'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('tracking_events_uq').on(t.shipmentId, t.occurredAt, t.context), index('tracking_events_timeline_idx').on(t.shipmentId, t.occurredAt, t.ordinal)],
);

/** Where the order.accept consumer has read the flow log up to (by event time, re-read with overlap). */
export const fulfillmentCursors = pgTable('fulfillment_cursors', {
  name: text('name').primaryKey(),
  watermark: timestamp('watermark', { withTimezone: true }).notNull(),
});

export type SandboxScriptEvent = { at: string; context: string; status: string; code: number; areaName: string };

/**
 * The sandbox carrier's side (a Kuaidi100 fake keeps its subscriptions where a real one would: on
 * its own side). `next_push_at` is its deadline column; a push is leased by moving it forward.
 */
export const sandboxCarrierParcels = pgTable(
  'sandbox_carrier_parcels',
  {
    com: text('com').notNull(),
    nu: text('nu').notNull(),
    callbackUrl: text('callback_url').notNull(),
    salt: text('salt').notNull(),
    /** The whole event sequence with the time each event happens; empty for carriers it does not play. */
    script: jsonb('script').$type<SandboxScriptEvent[]>().notNull(),
    pushedCount: integer('pushed_count').notNull().default(0),
    nextPushAt: timestamp('next_push_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.com, t.nu] }), index('sandbox_carrier_parcels_due_idx').on(t.nextPushAt).where(sql`${t.nextPushAt} is not null`)],
);
