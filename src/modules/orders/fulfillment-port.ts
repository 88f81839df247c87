/**
 * The orders module's face towards fulfillment: ship / deliver / confirm_receipt / auto_confirm
 * belong to fulfillment (see states.ts), which drives them through these functions inside its own
 * transactions. Each is one move of `orderMachine` via `transition()` on orders' own repo, so the
 * order row and its flow event change together.
 *
 * Lock order: callers lock the order row (`lockOrder`) first in every transaction that touches an
 * order's fulfillment, so the flow events of one order commit in `seq` order (SSE resumption relies
 * on it), and then lock their own rows.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db.js';
import type { Actor } from '../../platform/events.js';
import { transition } from '../../platform/states.js';
import * as repo from './repo.js';
import { orders } from './schema.js';
import { type OrderEvent, orderMachine } from './states.js';

export type FulfillmentOrder = repo.OrderRow;
export type FulfillmentOrderItem = repo.OrderItemRow;

async function move(tx: Executor, order: repo.OrderRow, event: OrderEvent, actor: Actor, at: Date, data?: Record<string, unknown>): Promise<repo.OrderRow> {
  const to = await transition(tx, orderMachine, {
    objectId: order.id,
    from: order.state,
    event,
    actor,
    at,
    related: [
      { type: 'order_group', id: order.groupId, qualifier: 'group' },
      { type: 'merchant', id: order.merchantId, qualifier: 'store' },
      { type: 'user', id: order.buyerId, qualifier: 'buyer' },
    ],
    data,
    update: (next) => repo.moveOrder(tx, order.id, order.state, next, { updatedAt: at }),
  });
  return { ...order, state: to, updatedAt: at };
}

/** The order, unlocked; undefined when there is none. */
export const findOrder = (exec: Executor, id: string) => repo.findOrder(exec, id);

/** The orders with these ids (id order). */
export const ordersByIds = (exec: Executor, ids: readonly string[]) => repo.ordersByIds(exec, ids);

/** Locks the order row for the rest of the transaction; undefined when there is none. */
export async function lockOrder(tx: Executor, id: string): Promise<repo.OrderRow | undefined> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
  return row;
}

/** Locks these order rows in id order (so that concurrent batches cannot deadlock); the rows found. */
export async function lockOrders(tx: Executor, ids: readonly string[]): Promise<repo.OrderRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(orders)
    .where(inArray(orders.id, [...ids]))
    .orderBy(asc(orders.id))
    .for('update');
}

/** The lines of an order, in id order. */
export const itemsOfOrder = (exec: Executor, orderId: string) => repo.itemsOf(exec, [orderId]);

/** 发货: everything of a `to_ship` order has left in parcels. */
export const markShipped = (tx: Executor, order: repo.OrderRow, actor: Actor, at: Date, data?: Record<string, unknown>) => move(tx, order, 'ship', actor, at, data);

/** 已签收: every parcel of a `shipped` order was signed for. */
export const markDelivered = (tx: Executor, order: repo.OrderRow, actor: Actor, at: Date, data?: Record<string, unknown>) => move(tx, order, 'deliver', actor, at, data);

/** 确认收货 by the buyer (from shipped or delivered). */
export const confirmReceipt = (tx: Executor, order: repo.OrderRow, actor: Actor, at: Date) => move(tx, order, 'confirm_receipt', actor, at);

/** The receipt deadline passed: completed by the system. */
export const autoConfirm = (tx: Executor, order: repo.OrderRow, at: Date, data?: Record<string, unknown>) => move(tx, order, 'auto_confirm', { kind: 'system', id: 'auto_confirm' }, at, data);
