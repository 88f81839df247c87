import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PaymentState, RefundState } from './states.js';

/** One payment attempt for an order group; at most one is pending per group. */
export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull(),
    buyerId: text('buyer_id').notNull(),
    provider: text('provider').notNull(),
    state: text('state').$type<PaymentState>().notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').$type<'CNY'>().notNull().default('CNY'),
    /** The orders this payment pays (the group's unpaid orders when it was opened). */
    orderIds: text('order_ids').array().notNull(),
    /** The orders' totals in the same order, so refunds of a late success split exactly. */
    orderAmounts: integer('order_amounts').array().notNull(),
    subject: text('subject').notNull(),
    payUrl: text('pay_url'),
    /** The provider's transaction id of the money received (unique: a replay finds it). */
    providerTxnId: text('provider_txn_id'),
    failureReason: text('failure_reason'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    succeededAt: timestamp('succeeded_at', { withTimezone: true }),
  },
  (t) => [
    index('payments_group_idx').on(t.groupId, t.id),
    uniqueIndex('payments_pending_uq').on(t.groupId).where(sql`${t.state} = 'pending'`),
    uniqueIndex('payments_provider_txn_uq').on(t.provider, t.providerTxnId),
    check('payments_amount_ck', sql`${t.amount} > 0`),
  ],
);

/** Money back to the buyer, per order, through the provider that took it. */
export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    orderId: text('order_id').notNull(),
    state: text('state').$type<RefundState>().notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').$type<'CNY'>().notNull().default('CNY'),
    reason: text('reason').notNull(),
    providerRefundId: text('provider_refund_id'),
    attempts: integer('attempts').notNull().default(0),
    /** Deadline column: the next time the refund is (re)tried while pending. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('refunds_payment_idx').on(t.paymentId),
    index('refunds_order_idx').on(t.orderId),
    index('refunds_next_attempt_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    check('refunds_amount_ck', sql`${t.amount} > 0`),
  ],
);

/** Every provider notification received, verified or not: the audit trail of what providers said. */
export const paymentNotifications = pgTable(
  'payment_notifications',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    paymentId: text('payment_id'),
    providerTxnId: text('provider_txn_id'),
    verified: boolean('verified').notNull(),
    outcome: text('outcome').notNull(),
    body: text('body').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('payment_notifications_payment_idx').on(t.paymentId)],
);

// —— The sandbox provider's own storage. A real provider keeps this on its side; the sandbox keeps
// it here so that every app process plays the same provider. ——

export type SandboxTradeStatus = 'open' | 'paid' | 'declined' | 'closed';

export const sandboxTrades = pgTable('sandbox_pay_trades', {
  paymentId: text('payment_id').primaryKey(),
  amount: integer('amount').notNull(),
  currency: text('currency').notNull(),
  subject: text('subject').notNull(),
  status: text('status').$type<SandboxTradeStatus>().notNull(),
  transactionId: text('transaction_id').unique(),
  refunded: integer('refunded').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  settledAt: timestamp('settled_at', { withTimezone: true }),
});

/** The sandbox's outgoing notifications, retried with backoff until answered with 2xx. */
export const sandboxNotifications = pgTable(
  'sandbox_pay_notifications',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_pay_notifications_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null`)],
);

/** Refunds the sandbox has executed, by our refund id: a retried refund is answered, not repeated. */
export const sandboxRefunds = pgTable('sandbox_pay_refunds', {
  refundId: text('refund_id').primaryKey(),
  paymentId: text('payment_id').notNull(),
  amount: integer('amount').notNull(),
  providerRefundId: text('provider_refund_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
