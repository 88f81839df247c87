import { sql } from 'drizzle-orm';
import { check, index, integer, json, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { AddressSnapshot } from '../addresses/index.js';
import type { OrderState } from './states.js';

export type AcceptMode = 'auto' | 'manual';

/**
 * 订单生成条件: each store's conditions for orders. A store without a row uses the defaults
 * (no minimum, no limit, nationwide, free shipping, automatic acceptance, 24 h deadline).
 */
export const storeOrderRules = pgTable(
  'store_order_rules',
  {
    merchantId: text('merchant_id').primaryKey(),
    /** Minimum of the store's items total in one order, fen. */
    minOrderAmount: integer('min_order_amount').notNull().default(0),
    /** At most this many units of one SKU per order; null: no limit. */
    maxQuantityPerSku: integer('max_quantity_per_sku'),
    /** GB/T 2260 province codes the store delivers to; null: everywhere. */
    deliveryProvinces: text('delivery_provinces').array(),
    shippingFee: integer('shipping_fee').notNull().default(0),
    /** Items total (fen) from which shipping is free; null: never free (unless the fee is 0). */
    freeShippingFrom: integer('free_shipping_from'),
    acceptMode: text('accept_mode').$type<AcceptMode>().notNull().default('auto'),
    /** 接单 deadline after payment for manual stores; a missed deadline cancels and refunds. */
    acceptDeadlineHours: integer('accept_deadline_hours').notNull().default(24),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    check('store_order_rules_amounts_ck', sql`${t.minOrderAmount} >= 0 and ${t.shippingFee} >= 0 and (${t.freeShippingFrom} is null or ${t.freeShippingFrom} >= 0)`),
    check('store_order_rules_accept_ck', sql`${t.acceptMode} in ('auto', 'manual') and ${t.acceptDeadlineHours} between 1 and 168`),
  ],
);

/** The shipping address as it was at checkout: the addresses module's copy. */
export type ShippingAddress = AddressSnapshot;

/**
 * One checkout: the orders of several stores paid with one payment (合并支付). `pay_deadline_at`
 * is the unpaid-timeout deadline column, set while any of its orders awaits payment.
 */
export const orderGroups = pgTable(
  'order_groups',
  {
    id: text('id').primaryKey(),
    buyerId: text('buyer_id').notNull(),
    currency: text('currency').$type<'CNY'>().notNull().default('CNY'),
    itemsTotal: integer('items_total').notNull(),
    shippingTotal: integer('shipping_total').notNull(),
    total: integer('total').notNull(),
    address: jsonb('address').$type<ShippingAddress>().notNull(),
    /** The client's Idempotency-Key and a hash of the request it came with. */
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    payDeadlineAt: timestamp('pay_deadline_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('order_groups_idempotency_uq').on(t.buyerId, t.idempotencyKey),
    index('order_groups_pay_deadline_idx').on(t.payDeadlineAt).where(sql`${t.payDeadlineAt} is not null`),
    check('order_groups_total_ck', sql`${t.total} = ${t.itemsTotal} + ${t.shippingTotal}`),
  ],
);

export type CancelRequest = { state: 'pending' | 'approved' | 'declined'; reason: string; requestedAt: string; answer?: string; answeredAt?: string };

/** 订单: one store's part of a checkout. */
export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => orderGroups.id),
    buyerId: text('buyer_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    state: text('state').$type<OrderState>().notNull(),
    currency: text('currency').$type<'CNY'>().notNull().default('CNY'),
    itemsTotal: integer('items_total').notNull(),
    shippingFee: integer('shipping_fee').notNull(),
    total: integer('total').notNull(),
    note: text('note').notNull().default(''),
    address: jsonb('address').$type<ShippingAddress>().notNull(),
    /** The store's 接单 mode and deadline when the order was placed. */
    acceptMode: text('accept_mode').$type<AcceptMode>().notNull(),
    acceptDeadlineHours: integer('accept_deadline_hours').notNull(),
    /** Deadline column while `paid` in a manual store: 接单 by then or the order is cancelled and refunded. */
    acceptDeadlineAt: timestamp('accept_deadline_at', { withTimezone: true }),
    /** The payment that paid it. */
    paymentId: text('payment_id'),
    cancelRequest: jsonb('cancel_request').$type<CancelRequest>(),
    cancelReason: text('cancel_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('orders_group_idx').on(t.groupId),
    index('orders_buyer_idx').on(t.buyerId, t.id),
    index('orders_buyer_state_idx').on(t.buyerId, t.state, t.id),
    index('orders_merchant_state_idx').on(t.merchantId, t.state, t.id),
    index('orders_merchant_idx').on(t.merchantId, t.id),
    index('orders_accept_deadline_idx').on(t.acceptDeadlineAt).where(sql`${t.acceptDeadlineAt} is not null`),
    check('orders_total_ck', sql`${t.total} = ${t.itemsTotal} + ${t.shippingFee} and ${t.itemsTotal} >= 0 and ${t.shippingFee} >= 0`),
  ],
);

/** A line of an order, with the product as it was sold (title, specs, image, price). */
export const orderItems = pgTable(
  'order_items',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    // json, not jsonb: it keeps the keys in the product's dimension order (颜色 before 尺码).
    specs: json('specs').$type<Record<string, string>>().notNull(),
    imageUrl: text('image_url'),
    unitPrice: integer('unit_price').notNull(),
    quantity: integer('quantity').notNull(),
    lineTotal: integer('line_total').notNull(),
  },
  (t) => [index('order_items_order_idx').on(t.orderId), check('order_items_total_ck', sql`${t.lineTotal} = ${t.unitPrice} * ${t.quantity} and ${t.quantity} > 0`)],
);

/** 销量: units sold per SKU, counted at payment, taken back when a paid order is cancelled. */
export const skuSales = pgTable(
  'sku_sales',
  {
    skuId: text('sku_id').primaryKey(),
    productId: text('product_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    unitsSold: integer('units_sold').notNull().default(0),
  },
  (t) => [index('sku_sales_product_idx').on(t.productId), check('sku_sales_units_ck', sql`${t.unitsSold} >= 0`)],
);
