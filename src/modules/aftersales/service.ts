/**
 * 售后: a buyer's request about one item of a shipped, delivered or completed order — refund only,
 * return and refund, or exchange — the store's answer, the platform's ruling when the buyer asks for
 * it (平台介入), the return and replacement parcels, and the refund through the order's payment.
 *
 * Lock order, as elsewhere: the order row first (it also guards the receipt clock), then the request.
 * While a request is open, the order's receipt clock stands still (fulfillment's seam); it goes on
 * when the request ends (refunded, completed, closed, cancelled).
 */
import type { Clock } from '../../platform/clock.js';
import { type Db, type Executor, isUniqueViolation } from '../../platform/db.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { type Actor, writeWithEvents } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { transition } from '../../platform/states.js';
import { newEffects, type PaymentEffects, type PaymentsService } from '../payments/index.js';
import type { aftersalesReasons } from './contract.js';
import * as repo from './repo.js';
import type { ParcelRef } from './schema.js';
import { aftersalesRequests } from './schema.js';
import { type AftersalesEvent, type AftersalesKind, aftersalesMachine, type AftersalesState, openAftersalesStates } from './states.js';

/** What after-sales needs of an order and its items (the orders module's rows). */
export type OrderFacts = { id: string; buyerId: string; merchantId: string; state: string; paymentId: string | null; itemsTotal: number };
export type OrderItemFacts = { id: string; orderId: string; skuId: string; productId: string; title: string; specs: Record<string, string>; imageUrl: string | null; unitPrice: number; quantity: number };

export type AftersalesDeps = {
  db: Db;
  clock: Clock;
  orders: {
    lockOrder(tx: Executor, id: string): Promise<OrderFacts | undefined>;
    itemsOfOrder(exec: Executor, orderId: string): Promise<OrderItemFacts[]>;
    /** Returned units no longer count as sold. */
    takeBackSold(tx: Executor, order: { merchantId: string }, lines: readonly { skuId: string; productId: string; quantity: number }[]): Promise<void>;
  };
  /** Returned units go back on the shelf (the catalog's restock, SKUs in id order). */
  restock(tx: Executor, lines: readonly { skuId: string; quantity: number }[], at: Date): Promise<void>;
  payments: Pick<PaymentsService, 'refundOrder' | 'flush' | 'refundsOfOrders'>;
  /** Fulfillment's seam: an open request stops the order's receipt clock. */
  receiptClock: { pause(tx: Executor, orderId: string, at: Date): Promise<void>; resume(tx: Executor, orderId: string, at: Date): Promise<void> };
  /** A carrier's code and a tracking number, checked as shipping checks them; throws a 4xx when wrong. */
  checkParcel(carrier: string, trackingNumber: string): { carrier: string; trackingNumber: string };
  /** Hours the store has to answer a new request before it is approved (default 48). */
  respondHours: number;
};

/** Order states after-sales accepts requests in: the goods are on their way or arrived. */
const ELIGIBLE_ORDER_STATES = new Set(['shipped', 'delivered', 'completed']);
const ENDED: ReadonlySet<AftersalesState> = new Set(['refunded', 'completed', 'closed', 'cancelled']);
const DEADLINE: Actor = { kind: 'system', id: 'aftersales_deadline' };
const ESCALATE_WITHIN_MS = 7 * 24 * 3600_000;

export type NewRequest = { orderItemId: string; kind: AftersalesKind; quantity: number; reason: (typeof aftersalesReasons)[number]; description: string };
type Party = { buyerId: string } | { merchantId: string } | { admin: true };

export function createAftersalesService(deps: AftersalesDeps) {
  const { db, clock } = deps;

  // The SKU is named so the search index looks at the product again (a return puts units back in stock).
  const related = (r: { orderId: string; merchantId: string; buyerId: string; orderItemId: string; item: { skuId: string } }) => [
    { type: 'order', id: r.orderId, qualifier: 'order' },
    { type: 'order_item', id: r.orderItemId, qualifier: 'item' },
    { type: 'sku', id: r.item.skuId, qualifier: 'item' },
    { type: 'merchant', id: r.merchantId, qualifier: 'store' },
    { type: 'user', id: r.buyerId, qualifier: 'buyer' },
  ];

  /** Another buyer's or another store's request is simply not there. */
  function visibleTo(row: repo.AftersalesRow | undefined, party: Party): repo.AftersalesRow {
    if (!row) throw notFound('After-sales request');
    if ('buyerId' in party && row.buyerId !== party.buyerId) throw notFound('After-sales request');
    if ('merchantId' in party && row.merchantId !== party.merchantId) throw notFound('After-sales request');
    return row;
  }

  /** Moves a locked request (compare-and-set on its state) and logs it; an ended request lets the receipt clock go on. */
  async function move(tx: Executor, row: repo.AftersalesRow, event: AftersalesEvent, actor: Actor, changes: Partial<typeof aftersalesRequests.$inferInsert> = {}, data?: Record<string, unknown>) {
    const at = clock.now();
    const to = await transition(tx, aftersalesMachine, {
      objectId: row.id,
      from: row.state,
      event,
      actor,
      at,
      related: related(row),
      data,
      update: (next) => repo.moveRequest(tx, row.id, row.state, next, { ...changes, updatedAt: at }),
    });
    if (ENDED.has(to)) await deps.receiptClock.resume(tx, row.orderId, at);
    return { ...row, ...changes, state: to, updatedAt: at } as repo.AftersalesRow;
  }

  /** The money goes back through the order's payment; the provider is asked after the commit. */
  async function startRefund(tx: Executor, row: repo.AftersalesRow, event: 'approve_refund' | 'rule_refund' | 'refund', actor: Actor, effects: PaymentEffects, changes: Partial<typeof aftersalesRequests.$inferInsert> = {}) {
    const refund = await deps.payments.refundOrder(tx, { paymentId: row.paymentId, orderId: row.orderId, amount: row.amount, reason: `aftersales:${row.id}`, actor }, effects);
    return move(tx, row, event, actor, { ...changes, refundId: refund.id, respondBy: null }, { amount: row.amount, refundId: refund.id });
  }

  /** The store (or the platform, or the store's silence) says yes: refund now, or wait for the goods. */
  async function approve(tx: Executor, row: repo.AftersalesRow, how: 'approve' | 'rule', actor: Actor, effects: PaymentEffects, changes: Partial<typeof aftersalesRequests.$inferInsert> = {}) {
    if (row.kind === 'refund_only') return startRefund(tx, row, how === 'approve' ? 'approve_refund' : 'rule_refund', actor, effects, changes);
    return move(tx, row, how === 'approve' ? 'approve_return' : 'rule_return', actor, { ...changes, respondBy: null });
  }

  /** Runs `work` on the locked request (after its order), then what the commit decided at the provider. */
  async function withRequest(id: string, party: Party, work: (tx: Executor, row: repo.AftersalesRow, effects: PaymentEffects) => Promise<repo.AftersalesRow>) {
    const effects = newEffects();
    const seen = visibleTo(await repo.findRequest(db, id), party);
    const result = await db.transaction(async (tx) => {
      await deps.orders.lockOrder(tx, seen.orderId);
      return work(tx, (await repo.lockRequest(tx, id))!, effects);
    });
    if (effects.refunds.length > 0) {
      await deps.payments.flush(effects);
      return (await settleRefunds([result])).at(0) ?? result;
    }
    return result;
  }

  /** Requests whose refund the provider has completed become refunded. */
  async function settleRefunds(rows: readonly repo.AftersalesRow[]): Promise<repo.AftersalesRow[]> {
    const waiting = rows.filter((r) => r.state === 'refunding' && r.refundId);
    if (waiting.length === 0) return [...rows];
    const refunds = await deps.payments.refundsOfOrders([...new Set(waiting.map((r) => r.orderId))]);
    const done = new Set(refunds.filter((r) => r.state === 'succeeded').map((r) => r.id));
    const out: repo.AftersalesRow[] = [];
    for (const row of rows) {
      if (row.state !== 'refunding' || !row.refundId || !done.has(row.refundId)) {
        out.push(row);
        continue;
      }
      out.push(
        await db.transaction(async (tx) => {
          await deps.orders.lockOrder(tx, row.orderId);
          const current = (await repo.lockRequest(tx, row.id))!;
          return current.state === 'refunding' ? move(tx, current, 'refund_succeed', { kind: 'provider', id: 'refund' }) : current;
        }),
      );
    }
    return out;
  }

  return {
    /** 申请售后: one request per item at a time, for units not already covered, money not above what the items cost. */
    async create(buyerId: string, orderId: string, input: NewRequest): Promise<repo.AftersalesRow> {
      const at = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const order = await deps.orders.lockOrder(tx, orderId);
          if (!order || order.buyerId !== buyerId) throw notFound('Order');
          if (!ELIGIBLE_ORDER_STATES.has(order.state) || !order.paymentId) {
            throw unprocessable('order_not_eligible', 'After-sales starts once the order has shipped', { state: order.state });
          }
          const item = (await deps.orders.itemsOfOrder(tx, orderId)).find((i) => i.id === input.orderItemId);
          if (!item) throw notFound('Order item');
          const counting = await repo.countingRequestsOfOrder(tx, orderId);
          if (counting.some((r) => r.orderItemId === item.id && openAftersalesStates.includes(r.state))) {
            throw conflict('aftersales_open', 'This item already has an after-sales request in progress');
          }
          const covered = counting.filter((r) => r.orderItemId === item.id).reduce((n, r) => n + r.quantity, 0);
          if (covered + input.quantity > item.quantity) {
            throw unprocessable('quantity_exceeds_item', 'More units than were bought (or than earlier requests left)', { bought: item.quantity, covered });
          }
          const amount = input.kind === 'exchange' ? 0 : item.unitPrice * input.quantity;
          const row = {
            id: newId('aftersales'),
            orderId,
            orderItemId: item.id,
            buyerId,
            merchantId: order.merchantId,
            paymentId: order.paymentId,
            kind: input.kind,
            state: aftersalesMachine.initial,
            item: { skuId: item.skuId, productId: item.productId, title: item.title, specs: item.specs, imageUrl: item.imageUrl, unitPrice: item.unitPrice, quantity: item.quantity },
            quantity: input.quantity,
            amount,
            reason: input.reason,
            description: input.description,
            respondBy: new Date(at.getTime() + deps.respondHours * 3600_000),
            createdAt: at,
            updatedAt: at,
          };
          await writeWithEvents(tx, [tx.insert(aftersalesRequests).values(row).getSQL()], [
            {
              type: 'aftersales.request',
              objectType: 'aftersales',
              objectId: row.id,
              actor: { kind: 'user', id: buyerId },
              occurredAt: at,
              related: related(row),
              data: { to: row.state, kind: row.kind, quantity: row.quantity, amount, reason: row.reason },
            },
          ]);
          await deps.receiptClock.pause(tx, orderId, at);
          return (await repo.findRequest(tx, row.id))!;
        });
      } catch (err) {
        // Two requests for one item raced: the index let one in.
        if (isUniqueViolation(err, 'aftersales_open_item_uq')) throw conflict('aftersales_open', 'This item already has an after-sales request in progress');
        throw err;
      }
    },

    get: async (id: string, party: Party) => visibleTo(await repo.findRequest(db, id), party),
    list: (filter: repo.ListFilter) => repo.list(db, filter),
    timeline: (id: string) => repo.timeline(db, id),

    approve: (merchantId: string, id: string, actor: Actor) => withRequest(id, { merchantId }, (tx, row, effects) => approve(tx, row, 'approve', actor, effects)),

    /** The buyer then has 7 days to ask the platform; after that the request closes. */
    reject: (merchantId: string, id: string, actor: Actor, reason: string) =>
      withRequest(id, { merchantId }, (tx, row) =>
        move(tx, row, 'reject', actor, { rejectReason: reason, respondBy: new Date(clock.now().getTime() + ESCALATE_WITHIN_MS) }, { reason }),
      ),

    /** 确认收到退货: a return-and-refund is restocked and refunded at once; an exchange waits for the replacement. */
    receiveReturn: (merchantId: string, id: string, actor: Actor) =>
      withRequest(id, { merchantId }, async (tx, row, effects) => {
        if (row.state === 'awaiting_return' && !row.returnParcel) throw conflict('return_not_shipped', 'The buyer has not sent the goods back yet');
        const returned = await move(tx, row, 'receive_return', actor);
        if (returned.kind !== 'return_refund') return returned;
        // The goods are back on the shelf and no longer sold. (An exchange sends a unit out for each one back.)
        await deps.restock(tx, [{ skuId: row.item.skuId, quantity: row.quantity }], clock.now());
        await deps.orders.takeBackSold(tx, row, [{ skuId: row.item.skuId, productId: row.item.productId, quantity: row.quantity }]);
        return startRefund(tx, returned, 'refund', actor, effects);
      }),

    reship: (merchantId: string, id: string, actor: Actor, parcel: { carrier: string; trackingNumber: string }) =>
      withRequest(id, { merchantId }, (tx, row) => {
        if (row.kind !== 'exchange') throw conflict('invalid_transition', 'Only an exchange gets a replacement', { state: row.state, event: 'reship' });
        const replacementParcel: ParcelRef = { ...deps.checkParcel(parcel.carrier, parcel.trackingNumber), at: clock.now().toISOString() };
        return move(tx, row, 'reship', actor, { replacementParcel }, replacementParcel);
      }),

    /** 寄回: the buyer's return parcel (may be corrected until the store confirms receipt). */
    shipBack: (buyerId: string, id: string, parcel: { carrier: string; trackingNumber: string }) =>
      withRequest(id, { buyerId }, (tx, row) => {
        const returnParcel: ParcelRef = { ...deps.checkParcel(parcel.carrier, parcel.trackingNumber), at: clock.now().toISOString() };
        return move(tx, row, 'ship_back', { kind: 'user', id: buyerId }, { returnParcel }, returnParcel);
      }),

    escalate: (buyerId: string, id: string, reason: string) =>
      withRequest(id, { buyerId }, (tx, row) => move(tx, row, 'escalate', { kind: 'user', id: buyerId }, { escalationReason: reason, respondBy: null }, { reason })),

    confirm: (buyerId: string, id: string) => withRequest(id, { buyerId }, (tx, row) => move(tx, row, 'confirm', { kind: 'user', id: buyerId })),

    cancel: (buyerId: string, id: string) => withRequest(id, { buyerId }, (tx, row) => move(tx, row, 'cancel', { kind: 'user', id: buyerId }, { respondBy: null })),

    /** 平台介入: the platform decides for the buyer (as if the store had approved) or for the store (closed). */
    rule: (adminId: string, id: string, ruling: { for: 'buyer' | 'merchant'; note: string }) =>
      withRequest(id, { admin: true }, (tx, row, effects) => {
        const actor: Actor = { kind: 'user', id: adminId };
        const changes = { ruling: { ...ruling, at: clock.now().toISOString(), by: adminId } };
        return ruling.for === 'buyer' ? approve(tx, row, 'rule', actor, effects, changes) : move(tx, row, 'rule_for_merchant', actor, changes, { note: ruling.note });
      }),

    /** Scheduler: the store's silence past its deadline approves; a refusal the buyer did not take further closes. */
    async sweepOverdue(now: Date): Promise<number> {
      let handled = 0;
      for (const id of await repo.overdue(db, now, 20)) {
        await withRequest(id, { admin: true }, (tx, row, effects) => {
          if (!row.respondBy || row.respondBy > now) return Promise.resolve(row);
          if (row.state === 'requested') return approve(tx, row, 'approve', DEADLINE, effects);
          return row.state === 'rejected' ? move(tx, row, 'lapse', DEADLINE, { respondBy: null }) : Promise.resolve(row);
        });
        handled += 1;
      }
      return handled;
    },

    /** Scheduler: refunds the provider completed on a retry. */
    async sweepRefunds(): Promise<number> {
      const settled = await settleRefunds(await repo.inState(db, 'refunding', 50));
      return settled.filter((r) => r.state === 'refunded').length;
    },
  };
}

export type AftersalesService = ReturnType<typeof createAftersalesService>;
