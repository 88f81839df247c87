/**
 * Every state change of an order after checkout: payment, 接单, refusal, cancellations and the two
 * deadlines. Lock order, everywhere: order group → payment → orders → SKUs (in id order), so the
 * sweeps, the payment notification and the shoppers' and merchants' actions never deadlock.
 */
import type { SQL } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { conflict, notFound } from '../../platform/errors.js';
import { type Actor, appendFlowEvent } from '../../platform/events.js';
import { claimDue } from '../../platform/scheduler.js';
import { type PlannedMoves, planMoves, sendMoves, transitionAll } from '../../platform/states.js';
import type { StockLine } from '../catalog/index.js';
import type { PaymentEffects, PaymentRow, PaymentsService } from '../payments/index.js';
import { newEffects } from '../payments/index.js';
import * as repo from './repo.js';
import type { CancelRequest } from './schema.js';
import { type OrderEvent, type OrderState, orderMachine } from './states.js';

export type StockPort = {
  releaseStock(tx: Executor, lines: readonly StockLine[], at: Date): Promise<void>;
  commitStockSql(lines: readonly StockLine[], at: Date): SQL;
  restockStock(tx: Executor, lines: readonly StockLine[], at: Date): Promise<void>;
};

export type PaymentsPort = Pick<PaymentsService, 'pendingOfGroup' | 'close' | 'refundOrder' | 'flush'>;

export type LifecycleDeps = { db: Db; clock: Clock; stock: StockPort; payments: PaymentsPort };

const system = (id: string): Actor => ({ kind: 'system', id });

export function createOrderLifecycle(deps: LifecycleDeps) {
  const { db, clock, stock, payments } = deps;

  /** Moves one order through the machine (compare-and-set on its state) and logs it. */
  async function move(tx: Executor, order: repo.OrderRow, event: OrderEvent, actor: Actor, changes: Partial<repo.OrderRow> = {}, data?: Record<string, unknown>) {
    const [moved] = await moveAll(tx, [{ order, steps: [{ event, actor, data }], changes }]);
    return moved!;
  }

  type OrderMove = { order: repo.OrderRow; steps: { event: OrderEvent; actor: Actor; data?: Record<string, unknown> }[]; changes: Partial<repo.OrderRow> };

  /** Orders' moves, each through one or more events (paid, then accepted by an auto-accept store), with the changes of all its steps. */
  function orderMoves(moves: readonly OrderMove[]) {
    const at = clock.now();
    return moves.map(({ order, steps, changes }) => ({
      objectId: order.id,
      from: order.state,
      steps: steps.map((step) => ({ ...step, at })),
      related: [
        { type: 'order_group', id: order.groupId, qualifier: 'group' },
        { type: 'merchant', id: order.merchantId, qualifier: 'store' },
        { type: 'user', id: order.buyerId, qualifier: 'buyer' },
      ],
      update: (next: OrderState) => repo.moveOrder(db, order.id, order.state, next, { ...changes, updatedAt: at }),
    }));
  }

  /** Moves several orders in one statement; in the caller's transaction. */
  async function moveAll(tx: Executor, moves: readonly OrderMove[]) {
    const states = await transitionAll(tx, orderMachine, orderMoves(moves));
    return moves.map(({ order, changes }, i) => ({ ...order, ...changes, state: states[i]! }) as repo.OrderRow);
  }

  const linesOf = (items: repo.OrderItemRow[]): StockLine[] => items.map((i) => ({ skuId: i.skuId, quantity: i.quantity }));
  const salesOf = (items: repo.OrderItemRow[], merchantOf: Map<string, string>, sign: 1 | -1) =>
    items.map((i) => ({ skuId: i.skuId, productId: i.productId, merchantId: merchantOf.get(i.orderId)!, quantity: sign * i.quantity }));

  /** Cancels unpaid orders of a locked group: stock released, the pending payment closed. */
  async function cancelUnpaid(tx: Executor, groupId: string, orders: repo.OrderRow[], event: 'cancel' | 'close_unpaid', actor: Actor, reason: string, effects: PaymentEffects) {
    const at = clock.now();
    await moveAll(tx, orders.map((order) => ({ order, steps: [{ event, actor, data: { reason } }], changes: { cancelledAt: at, cancelReason: reason } })));
    await stock.releaseStock(tx, linesOf(await repo.itemsOf(tx, orders.map((o) => o.id))), at);
    // The open payment covered these orders: close it; the buyer pays the rest with a new one.
    const pending = await payments.pendingOfGroup(tx, groupId);
    if (pending) await payments.close(tx, pending, actor, reason, effects);
    await repo.clearPayDeadlineIfPaid(tx, groupId);
  }

  /** Cancels a paid order: units back on the shelf, units sold taken back, the order's money refunded. */
  async function cancelPaid(tx: Executor, order: repo.OrderRow, event: 'refuse' | 'miss_accept_deadline' | 'approve_cancellation', actor: Actor, reason: string, effects: PaymentEffects, cancelRequest?: CancelRequest) {
    const at = clock.now();
    const moved = await move(tx, order, event, actor, { cancelledAt: at, cancelReason: reason, acceptDeadlineAt: null, ...(cancelRequest ? { cancelRequest } : {}) }, { reason });
    const items = await repo.itemsOf(tx, [order.id]);
    await stock.restockStock(tx, linesOf(items), at);
    await repo.countSold(tx, salesOf(items, new Map([[order.id, order.merchantId]]), -1));
    await payments.refundOrder(tx, { paymentId: order.paymentId!, orderId: order.id, amount: order.total, reason, actor }, effects);
    return moved;
  }

  async function ownOrder(exec: Executor, id: string, owner: { buyerId?: string; merchantId?: string }) {
    const order = await repo.findOrder(exec, id);
    // Another buyer's or another store's order is simply not there.
    if (!order || (owner.buyerId && order.buyerId !== owner.buyerId) || (owner.merchantId && order.merchantId !== owner.merchantId)) throw notFound('Order');
    return order;
  }

  async function withEffects<T>(work: (tx: Executor, effects: PaymentEffects) => Promise<T>): Promise<T> {
    const effects = newEffects();
    const result = await db.transaction((tx) => work(tx, effects));
    await payments.flush(effects);
    return result;
  }

  return {
    ownOrder: (id: string, owner: { buyerId?: string; merchantId?: string }) => ownOrder(db, id, owner),

    /**
     * The payment succeeded (called by the settlement flow): each order becomes paid, its stock is
     * committed and its units counted as sold; orders of auto-accept stores are accepted at once,
     * manual stores get their 接单 deadline. `paymentMove`, the payment's own move to succeeded,
     * goes in the same statement, which locks the group first, as every path that changes a
     * group's payment or unpaid orders does. `read`: the group's orders and items. Without a
     * transaction (`exec` the database), every order of the payment must be payable as read; the
     * statement refuses itself (409 state_changed, nothing kept) when one moved on meanwhile.
     */
    async markPaid(exec: Executor, payment: PaymentRow, effects: PaymentEffects, paymentMove: PlannedMoves, read: { orders: repo.OrderRow[]; items: repo.OrderItemRow[] }) {
      const at = clock.now();
      const orders = read.orders.filter((o) => payment.orderIds.includes(o.id));
      const payable = orders.filter((o) => o.state === 'pending_payment');
      // Refunding an unpayable order's share takes more statements, which only a transaction keeps together.
      if (exec === db && payable.length !== orders.length) throw new Error('markPaid outside a transaction needs every order of the payment payable');
      const actor: Actor = { kind: 'provider', id: payment.provider };
      // A manual store's order is paid with its 接单 deadline; an auto-accept store's is paid and accepted at once.
      const orderPlan = planMoves(
        orderMachine,
        orderMoves(
          payable.map((order) => {
            const pay = { event: 'pay' as const, actor, data: { paymentId: payment.id, amount: order.total } };
            const paid = { paidAt: at, paymentId: payment.id };
            return order.acceptMode === 'auto'
              ? { order, steps: [pay, { event: 'accept' as const, actor: system('auto_accept') }], changes: { ...paid, acceptedAt: at, acceptDeadlineAt: null } }
              : { order, steps: [pay], changes: { ...paid, acceptDeadlineAt: new Date(at.getTime() + order.acceptDeadlineHours * 3600_000) } };
          }),
        ),
      );
      // One statement: the group's lock, the payment's and the orders' moves, units sold, the
      // group's pay deadline (gone now that no order awaits payment), and last the SKU rows every
      // payment of a popular product waits for.
      const items = read.items.filter((i) => payable.some((o) => o.id === i.orderId));
      const sold = repo.countSoldSql(salesOf(items, new Map(payable.map((o) => [o.id, o.merchantId])), 1));
      await sendMoves(exec, [paymentMove, orderPlan], {
        lockFirst: repo.lockGroupSql(payment.groupId),
        along: [...(sold ? [sold] : []), repo.clearPayDeadlineIfPaidSql(payment.groupId, payable.map((o) => o.id))],
        last: stock.commitStockSql(linesOf(items), at),
      });
      // Under the group lock every order of an open payment is unpaid; if one is not (never seen),
      // its share goes back, once the payment has succeeded.
      for (const order of orders.filter((o) => o.state !== 'pending_payment')) {
        const share = payment.orderAmounts[payment.orderIds.indexOf(order.id)]!;
        await payments.refundOrder(exec, { paymentId: payment.id, orderId: order.id, amount: share, reason: 'order_not_payable', actor }, effects);
      }
      return payable.length;
    },

    /** 取消订单 before payment, by the buyer. */
    async cancelByBuyer(buyerId: string, orderId: string, reason: string) {
      const order = await ownOrder(db, orderId, { buyerId });
      await withEffects(async (tx, effects) => {
        await repo.lockGroup(tx, order.groupId);
        const current = (await repo.findOrder(tx, orderId))!;
        if (current.state !== 'pending_payment') {
          throw conflict('invalid_transition', `A paid order is cancelled by asking the store (cancellation request)`, { state: current.state, event: 'cancel', allowed: orderMachine.eventsFrom(current.state) });
        }
        await cancelUnpaid(tx, current.groupId, [current], 'cancel', { kind: 'user', id: buyerId }, reason, effects);
      });
      return (await repo.findOrder(db, orderId))!;
    },

    /** Scheduler: unpaid groups past their deadline close, their stock is released. */
    async sweepUnpaid(now: Date): Promise<number> {
      const effects = newEffects();
      const handled = await claimDue(
        db,
        (tx) => repo.claimUnpaidGroups(tx, now, 50),
        async (tx, groups) => {
          for (const group of groups) {
            const unpaid = (await repo.ordersOfGroup(tx, group.id)).filter((o) => o.state === 'pending_payment');
            if (unpaid.length === 0) await repo.setPayDeadline(tx, group.id, null);
            else await cancelUnpaid(tx, group.id, unpaid, 'close_unpaid', system('unpaid_timeout'), 'unpaid_timeout', effects);
          }
        },
      );
      await payments.flush(effects);
      return handled;
    },

    /** 接单: the store accepts a paid order. */
    async accept(merchantId: string, orderId: string, actor: Actor) {
      const order = await ownOrder(db, orderId, { merchantId });
      return db.transaction((tx) => move(tx, order, 'accept', actor, { acceptedAt: clock.now(), acceptDeadlineAt: null }));
    },

    /** The store refuses a paid order: cancelled and fully refunded. */
    async refuse(merchantId: string, orderId: string, actor: Actor, reason: string) {
      const order = await ownOrder(db, orderId, { merchantId });
      return withEffects((tx, effects) => cancelPaid(tx, order, 'refuse', actor, reason, effects));
    },

    /** Scheduler: manual stores that let the 接单 deadline pass lose the order (refunded; counted against them in the flow log). */
    async sweepMissedAcceptances(now: Date): Promise<number> {
      const effects = newEffects();
      const handled = await claimDue(
        db,
        (tx) => repo.claimMissedAcceptances(tx, now, 50),
        async (tx, orders) => {
          for (const order of orders) await cancelPaid(tx, order, 'miss_accept_deadline', system('accept_deadline'), 'accept_deadline_missed', effects);
        },
      );
      await payments.flush(effects);
      return handled;
    },

    /** The buyer asks to cancel a paid order before shipment; the store approves or declines. */
    async requestCancellation(buyerId: string, orderId: string, reason: string) {
      const order = await ownOrder(db, orderId, { buyerId });
      if (order.state !== 'paid' && order.state !== 'to_ship') {
        throw conflict('invalid_transition', `A ${order.state} order cannot be cancelled on request`, { state: order.state, event: 'request_cancellation' });
      }
      if (order.cancelRequest) throw conflict('cancellation_already_requested', `A cancellation was already requested (${order.cancelRequest.state})`, { cancelRequest: order.cancelRequest });
      const at = clock.now();
      const request: CancelRequest = { state: 'pending', reason, requestedAt: at.toISOString() };
      await db.transaction(async (tx) => {
        // Compare-and-set: the state and the absence of a request are what the buyer saw.
        if (!(await repo.setCancelRequest(tx, order.id, order.state, null, request, at))) throw conflict('state_changed', 'The order changed meanwhile; reload and retry');
        await appendFlowEvent(tx, {
          type: 'order.request_cancellation',
          objectType: 'order',
          objectId: order.id,
          actor: { kind: 'user', id: buyerId },
          occurredAt: at,
          related: [{ type: 'merchant', id: order.merchantId, qualifier: 'store' }],
          data: { reason, state: order.state },
        });
      });
      return (await repo.findOrder(db, orderId))!;
    },

    async approveCancellation(merchantId: string, orderId: string, actor: Actor) {
      const order = await ownOrder(db, orderId, { merchantId });
      if (order.cancelRequest?.state !== 'pending') throw conflict('no_cancellation_request', 'There is no pending cancellation request');
      const answered: CancelRequest = { ...order.cancelRequest, state: 'approved', answeredAt: clock.now().toISOString() };
      return withEffects((tx, effects) => cancelPaid(tx, order, 'approve_cancellation', actor, `buyer_request: ${order.cancelRequest!.reason}`, effects, answered));
    },

    async declineCancellation(merchantId: string, orderId: string, actor: Actor, answer: string) {
      const order = await ownOrder(db, orderId, { merchantId });
      if (order.cancelRequest?.state !== 'pending') throw conflict('no_cancellation_request', 'There is no pending cancellation request');
      const at = clock.now();
      await db.transaction(async (tx) => {
        const declined: CancelRequest = { ...order.cancelRequest!, state: 'declined', answer, answeredAt: at.toISOString() };
        if (!(await repo.setCancelRequest(tx, order.id, order.state, 'pending', declined, at))) throw conflict('state_changed', 'The order changed meanwhile; reload and retry');
        await appendFlowEvent(tx, {
          type: 'order.decline_cancellation',
          objectType: 'order',
          objectId: order.id,
          actor,
          occurredAt: at,
          related: [{ type: 'user', id: order.buyerId, qualifier: 'buyer' }],
          data: { answer },
        });
      });
      return (await repo.findOrder(db, orderId))!;
    },
  };
}

export type OrderLifecycle = ReturnType<typeof createOrderLifecycle>;
