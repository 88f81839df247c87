/**
 * The time-based rules of fulfillment, as deadline columns on `order_fulfillment` swept by the
 * scheduler: the shipping deadline (发货时限, per store, from 接单) and the receipt deadline
 * (自动确认收货). Also the buyer's 确认收货 and the after-sales seam that pauses the receipt clock.
 *
 * Rows appear from the flow log: a consumer reads `order.accept` events by event time, re-reading a
 * window behind its watermark so a transaction that committed late is still seen (inserts are
 * idempotent). Sweeps lock the order row before the fulfillment row, like every fulfillment write.
 */
import { appendFlowEvent } from '../../platform/events.js';
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { Core } from './ports.js';
import { related } from './ports.js';
import * as repo from './repo.js';

const HOUR_MS = 3600_000;
const CONSUMER = 'order_events';
/** How far behind its watermark the consumer re-reads, for transactions that commit late. */
const OVERLAP_MS = 10 * 60_000;
const PAGE = 500;
const CLOSING_EVENTS = ['order.approve_cancellation'];

export function createDeadlines(core: Core) {
  const { db, clock, orders } = core;

  /** Due rows of a deadline column, unlocked: each is then handled in its own transaction. */
  async function due(column: 'ship_deadline_at' | 'confirm_deadline_at', now: Date, limit: number): Promise<string[]> {
    const extra = column === 'confirm_deadline_at' ? sql`and confirm_pauses = 0` : sql``;
    const rows = await queryRows<{ order_id: string }>(db, sql`select order_id from order_fulfillment where ${sql.raw(column)} <= ${now} ${extra} order by ${sql.raw(column)} limit ${limit}`);
    return rows.map((r) => r.order_id);
  }

  return {
    /** Creates the fulfillment rows of newly accepted orders, closes those of cancelled ones. */
    async syncFromFlowLog(now: Date): Promise<number> {
      const watermark = (await repo.cursor(db, CONSUMER)) ?? new Date(0);
      let since = new Date(watermark.getTime() - OVERLAP_MS);
      let newest = watermark;
      let created = 0;
      for (;;) {
        const page = await repo.acceptedSince(db, since, PAGE, CLOSING_EVENTS);
        const accepted = page.filter((e) => e.type === 'order.accept');
        const hours = await repo.shipDeadlineHours(db, [...new Set(accepted.map((e) => e.merchantId))]);
        created += await repo.insertFulfillments(
          db,
          accepted.map((e) => ({ orderId: e.orderId, merchantId: e.merchantId, buyerId: e.buyerId, acceptedAt: e.at, shipDeadlineAt: new Date(e.at.getTime() + hours.get(e.merchantId)! * HOUR_MS), updatedAt: now })),
        );
        for (const e of page.filter((x) => x.type !== 'order.accept')) await repo.closeFulfillment(db, e.orderId, e.at);
        if (page.length > 0) newest = new Date(Math.max(newest.getTime(), page[page.length - 1]!.at.getTime()));
        if (page.length < PAGE) break;
        // Same-instant events beyond a page boundary are re-read: inserts are idempotent.
        const last = page[page.length - 1]!.at;
        since = last.getTime() > since.getTime() ? last : new Date(since.getTime() + 1);
      }
      if (newest.getTime() !== watermark.getTime()) await repo.setCursor(db, CONSUMER, newest);
      return created;
    },

    /** 发货超时: orders still unshipped at their deadline are flagged late (and logged). */
    async sweepShipDeadlines(now: Date): Promise<number> {
      let handled = 0;
      for (const orderId of await due('ship_deadline_at', now, 50)) {
        await db.transaction(async (tx) => {
          const order = await orders.lockOrder(tx, orderId);
          const f = await repo.lockFulfillment(tx, orderId);
          if (!f?.shipDeadlineAt || f.shipDeadlineAt > now) return;
          if (order?.state === 'to_ship') {
            await repo.updateFulfillment(tx, orderId, { lateAt: f.shipDeadlineAt, shipDeadlineAt: null, updatedAt: now });
            await appendFlowEvent(tx, {
              type: 'order.miss_ship_deadline',
              objectType: 'order',
              objectId: orderId,
              actor: { kind: 'system', id: 'ship_deadline' },
              occurredAt: now,
              related: related(order).filter((r) => r.type !== 'order'),
              data: { deadline: f.shipDeadlineAt.toISOString() },
            });
          } else {
            await repo.updateFulfillment(tx, orderId, { shipDeadlineAt: null, ...(order?.state === 'cancelled' ? { closedAt: order.cancelledAt ?? now } : {}), updatedAt: now });
          }
          handled += 1;
        });
      }
      return handled;
    },

    /** 自动确认收货: the receipt deadline passed with the clock running. */
    async sweepAutoConfirm(now: Date): Promise<number> {
      let handled = 0;
      for (const orderId of await due('confirm_deadline_at', now, 50)) {
        await db.transaction(async (tx) => {
          const order = await orders.lockOrder(tx, orderId);
          const f = await repo.lockFulfillment(tx, orderId);
          if (!f?.confirmDeadlineAt || f.confirmDeadlineAt > now || f.confirmPauses > 0) return;
          if (order && (order.state === 'shipped' || order.state === 'delivered')) {
            await orders.autoConfirm(tx, order, now, { deadline: f.confirmDeadlineAt.toISOString() });
            await repo.updateFulfillment(tx, orderId, { confirmDeadlineAt: null, completedAt: now, updatedAt: now });
          } else {
            await repo.updateFulfillment(tx, orderId, { confirmDeadlineAt: null, updatedAt: now });
          }
          handled += 1;
        });
      }
      return handled;
    },

    /** 确认收货 by the buyer. */
    async confirmReceipt(buyerId: string, orderId: string) {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const order = await orders.lockOrder(tx, orderId);
        if (!order || order.buyerId !== buyerId) throw notFound('Order');
        if (order.state !== 'shipped' && order.state !== 'delivered') {
          throw conflict('invalid_transition', `A ${order.state} order cannot be confirmed as received`, { state: order.state, event: 'confirm_receipt' });
        }
        await orders.confirmReceipt(tx, order, { kind: 'user', id: buyerId }, now);
        if (await repo.lockFulfillment(tx, orderId)) await repo.updateFulfillment(tx, orderId, { confirmDeadlineAt: null, completedAt: now, updatedAt: now });
      });
      return orderId;
    },

    /**
     * The after-sales seam: an open after-sales request on the order stops the receipt clock; when the
     * last one closes, the clock goes on with what was left. Call inside the transaction that opens
     * (or closes) the request, after locking the order row.
     */
    async pauseReceiptClock(tx: Executor, orderId: string, at: Date): Promise<void> {
      const f = await repo.lockFulfillment(tx, orderId);
      if (!f) return;
      const remaining = f.confirmPauses === 0 && f.confirmDeadlineAt ? Math.max(0, f.confirmDeadlineAt.getTime() - at.getTime()) : f.confirmRemainingMs;
      await repo.updateFulfillment(tx, orderId, { confirmPauses: f.confirmPauses + 1, confirmRemainingMs: remaining, confirmDeadlineAt: null, updatedAt: at });
    },

    async resumeReceiptClock(tx: Executor, orderId: string, at: Date): Promise<void> {
      const f = await repo.lockFulfillment(tx, orderId);
      if (!f || f.confirmPauses === 0) return;
      const pauses = f.confirmPauses - 1;
      const resume = pauses === 0 && f.confirmRemainingMs !== null && f.completedAt === null;
      await repo.updateFulfillment(tx, orderId, {
        confirmPauses: pauses,
        ...(resume ? { confirmDeadlineAt: new Date(at.getTime() + f.confirmRemainingMs!), confirmRemainingMs: null } : {}),
        updatedAt: at,
      });
    },
  };
}

export type Deadlines = ReturnType<typeof createDeadlines>;
