/** Reading orders: lists with tabs and counts, one order with its timeline. Access checks are the caller's. */
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../platform/db.js';
import { flowEvents } from '../../platform/schema.js';
import type { RefundRow } from '../payments/index.js';
import type { orderDetailSchema, orderSummarySchema } from './contract.js';
import * as repo from './repo.js';
import { type BuyerTab, buyerTabs, type OrderState, orderStates } from './states.js';

export type OrderSummary = z.infer<typeof orderSummarySchema>;
export type OrderDetail = z.infer<typeof orderDetailSchema>;
export type Viewer = 'buyer' | 'merchant' | 'admin';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function actionsFor(order: repo.OrderRow, viewer: Viewer): string[] {
  if (viewer === 'buyer') {
    if (order.state === 'pending_payment') return ['pay', 'cancel'];
    if ((order.state === 'paid' || order.state === 'to_ship') && !order.cancelRequest) return ['request_cancellation'];
    if (order.state === 'shipped' || order.state === 'delivered') return ['confirm_receipt'];
    if (order.state === 'completed' || order.state === 'cancelled') return ['reorder'];
    return [];
  }
  if (viewer === 'merchant') {
    const actions: string[] = order.state === 'paid' ? ['accept', 'refuse'] : [];
    if (order.cancelRequest?.state === 'pending' && (order.state === 'paid' || order.state === 'to_ship')) actions.push('approve_cancellation', 'decline_cancellation');
    return actions;
  }
  return [];
}

export function createOrderQueries(deps: { db: Db; storeNames: (ids: readonly string[]) => Promise<Map<string, string>>; refunds: (orderIds: readonly string[]) => Promise<RefundRow[]> }) {
  const { db } = deps;

  /** `known`: groups, or every item of these orders, that the caller holds already (not read again). */
  async function summaries(rows: repo.OrderRow[], viewer: Viewer, known: { groups?: repo.OrderGroupRow[]; items?: repo.OrderItemRow[] } = {}): Promise<OrderSummary[]> {
    if (rows.length === 0) return [];
    const groupIds = [...new Set(rows.map((r) => r.groupId))];
    const [items, names, groups] = await Promise.all([
      known.items ?? repo.itemsOf(db, rows.map((r) => r.id)),
      deps.storeNames([...new Set(rows.map((r) => r.merchantId))]),
      Promise.all(groupIds.map((id) => known.groups?.find((g) => g.id === id) ?? repo.findGroup(db, id))),
    ]);
    const deadlines = new Map(groups.map((g) => [g!.id, g!.payDeadlineAt]));
    return rows.map((o) => ({
      id: o.id,
      groupId: o.groupId,
      merchantId: o.merchantId,
      storeName: names.get(o.merchantId) ?? '',
      buyerId: o.buyerId,
      state: o.state,
      itemsTotal: o.itemsTotal,
      shippingFee: o.shippingFee,
      total: o.total,
      currency: o.currency,
      note: o.note,
      acceptMode: o.acceptMode,
      items: items
        .filter((i) => i.orderId === o.id)
        .map((i) => ({ id: i.id, skuId: i.skuId, productId: i.productId, title: i.title, specs: i.specs, imageUrl: i.imageUrl, unitPrice: i.unitPrice, quantity: i.quantity, lineTotal: i.lineTotal })),
      cancelRequest: o.cancelRequest,
      cancelReason: o.cancelReason,
      createdAt: o.createdAt.toISOString(),
      paidAt: iso(o.paidAt),
      acceptedAt: iso(o.acceptedAt),
      cancelledAt: iso(o.cancelledAt),
      acceptDeadlineAt: iso(o.acceptDeadlineAt),
      payDeadlineAt: o.state === 'pending_payment' ? iso(deadlines.get(o.groupId)) : null,
      actions: actionsFor(o, viewer),
    }));
  }

  async function page(filter: repo.OrderFilter, viewer: Viewer) {
    const rows = await repo.listOrders(db, { ...filter, limit: filter.limit + 1 });
    const pageRows = rows.slice(0, filter.limit);
    return { items: await summaries(pageRows, viewer), nextCursor: rows.length > filter.limit ? pageRows[pageRows.length - 1]!.id : null };
  }

  return {
    summaries,

    /** 我的订单 with its tabs: 待付款 / 待接单 / 待发货 / 待收货 / 已完成 / 已取消, and a count per tab. */
    async forBuyer(buyerId: string, query: { tab?: BuyerTab; cursor?: string; limit: number }) {
      const [result, byState] = await Promise.all([
        page({ buyerId, states: query.tab ? buyerTabs[query.tab] : undefined, cursor: query.cursor, limit: query.limit }, 'buyer'),
        repo.countByState(db, { buyerId }),
      ]);
      const counts = Object.fromEntries(
        Object.entries(buyerTabs).map(([tab, states]) => [tab, (states as readonly OrderState[]).reduce((n, s) => n + (byState.get(s) ?? 0), 0)]),
      ) as Record<BuyerTab, number>;
      return { ...result, counts };
    },

    async forMerchant(merchantId: string, query: { state?: OrderState; cursor?: string; limit: number }) {
      const [result, byState] = await Promise.all([page({ merchantId, states: query.state ? [query.state] : undefined, cursor: query.cursor, limit: query.limit }, 'merchant'), repo.countByState(db, { merchantId })]);
      return { ...result, counts: Object.fromEntries(orderStates.map((s) => [s, byState.get(s) ?? 0])) as Record<OrderState, number> };
    },

    forAdmin: (query: { state?: OrderState; merchantId?: string; buyerId?: string; cursor?: string; limit: number }) =>
      page({ merchantId: query.merchantId, buyerId: query.buyerId, states: query.state ? [query.state] : undefined, cursor: query.cursor, limit: query.limit }, 'admin'),

    /** One order with its address, refunds and timeline (every state change from the flow log). */
    async detail(order: repo.OrderRow, viewer: Viewer): Promise<OrderDetail> {
      const [summary] = await summaries([order], viewer);
      const refunds = await deps.refunds([order.id]);
      const events = await db
        .select()
        .from(flowEvents)
        .where(
          or(
            and(eq(flowEvents.objectType, 'order'), eq(flowEvents.objectId, order.id)),
            refunds.length ? and(eq(flowEvents.objectType, 'refund'), inArray(flowEvents.objectId, refunds.map((r) => r.id))) : undefined,
          ),
        )
        .orderBy(asc(flowEvents.seq));
      return {
        ...summary!,
        address: order.address,
        refunds: refunds.map((r) => ({ id: r.id, paymentId: r.paymentId, state: r.state, amount: r.amount, currency: r.currency, reason: r.reason, createdAt: r.createdAt.toISOString(), completedAt: iso(r.completedAt) })),
        timeline: events.map((e) => ({
          type: e.type,
          at: e.occurredAt.toISOString(),
          actor: { kind: e.actor.kind, id: e.actor.id },
          from: typeof e.data.from === 'string' ? e.data.from : null,
          to: typeof e.data.to === 'string' ? e.data.to : null,
          data: e.data,
        })),
      };
    },

    /** The orders of a group, for the buyer's payment result page. */
    async group(buyerId: string, groupId: string) {
      const group = await repo.findGroup(db, groupId);
      if (!group || group.buyerId !== buyerId) return undefined;
      return { group, orders: await summaries(await repo.ordersOfGroup(db, groupId), 'buyer', { groups: [group] }) };
    },
  };
}

export type OrderQueries = ReturnType<typeof createOrderQueries>;
