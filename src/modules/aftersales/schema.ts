import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { AftersalesKind, AftersalesState } from './states.js';

/** A parcel the buyer sends back, or the store's replacement. */
export type ParcelRef = { carrier: string; trackingNumber: string; at: string };
/** The order item as bought, kept with the request (orders are immutable once placed). */
export type ItemSnapshot = { skuId: string; productId: string; title: string; specs: Record<string, string>; imageUrl: string | null; unitPrice: number; quantity: number };
export type Ruling = { for: 'buyer' | 'merchant'; note: string; at: string; by: string };

/** 售后: one request of a buyer about one order item (refund only, return and refund, exchange). */
export const aftersalesRequests = pgTable(
  'aftersales_requests',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    orderItemId: text('order_item_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    /** The order's payment, which refunds go through. */
    paymentId: text('payment_id').notNull(),
    kind: text('kind').$type<AftersalesKind>().notNull(),
    state: text('state').$type<AftersalesState>().notNull(),
    item: jsonb('item').$type<ItemSnapshot>().notNull(),
    quantity: integer('quantity').notNull(),
    /** Fen to give back; 0 for an exchange. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('CNY'),
    reason: text('reason').notNull(),
    description: text('description').notNull().default(''),
    rejectReason: text('reject_reason'),
    escalationReason: text('escalation_reason'),
    ruling: jsonb('ruling').$type<Ruling>(),
    returnParcel: jsonb('return_parcel').$type<ParcelRef>(),
    replacementParcel: jsonb('replacement_parcel').$type<ParcelRef>(),
    refundId: text('refund_id'),
    /** Deadline column: a request the store leaves unanswered until then is approved; a refused one the buyer does not take to the platform until then is closed. */
    respondBy: timestamp('respond_by', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('aftersales_buyer_idx').on(t.buyerId, t.id),
    index('aftersales_merchant_idx').on(t.merchantId, t.id),
    index('aftersales_state_idx').on(t.state, t.id),
    index('aftersales_order_idx').on(t.orderId),
    index('aftersales_respond_idx').on(t.respondBy).where(sql`${t.state} in ('requested', 'rejected')`),
    // One request in progress per item at a time.
    uniqueIndex('aftersales_open_item_uq')
      .on(t.orderItemId)
      .where(sql`${t.state} in ('requested', 'rejected', 'escalated', 'awaiting_return', 'returned', 'refunding', 'reshipped')`),
    check('aftersales_quantity_ck', sql`${t.quantity} > 0`),
    check('aftersales_amount_ck', sql`${t.amount} >= 0`),
  ],
);
