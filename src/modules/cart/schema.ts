import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * 购物车: one cart per user, and guest carts found by a cookie token (only its SHA-256 is kept).
 * A guest cart is merged into the user's cart at the first cart request after login.
 */
export const carts = pgTable(
  'carts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id'),
    guestTokenHash: text('guest_token_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /** Guest carts only: deleted by the scheduler after this (30 days after the last change). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('carts_user_uq').on(t.userId),
    uniqueIndex('carts_guest_uq').on(t.guestTokenHash),
    index('carts_expires_idx').on(t.expiresAt),
    check('carts_owner_ck', sql`(${t.userId} is null) <> (${t.guestTokenHash} is null)`),
  ],
);

export const cartLines = pgTable(
  'cart_lines',
  {
    id: text('id').primaryKey(),
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    skuId: text('sku_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    quantity: integer('quantity').notNull(),
    selected: boolean('selected').notNull().default(true),
    /** The price the shopper saw when adding (or last changing) the line, for the price-changed warning. */
    priceSeen: integer('price_seen').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('cart_lines_sku_uq').on(t.cartId, t.skuId), check('cart_lines_quantity_ck', sql`${t.quantity} > 0`)],
);
