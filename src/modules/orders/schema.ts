import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
