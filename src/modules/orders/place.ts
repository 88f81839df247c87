/**
 * 拆单: pricing a checkout per store (pure), and writing the order group with one order per store.
 * Prices always come from the catalog's current SKUs, never from the request.
 */
import { type Actor, type PlannedWrites } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import type { SkuSnapshot } from '../catalog/index.js';
import * as repo from './repo.js';
import type { ShippingAddress } from './schema.js';
import { orderMachine } from './states.js';
import { evaluateStoreRules, type StoreRules, type UnmetCondition } from './store-rules.js';

export type QuoteLine = { sku: SkuSnapshot; quantity: number };

export type ItemProblem = {
  skuId: string;
  code: 'not_found' | 'off_shelf' | 'store_closed' | 'insufficient_stock';
  requested: number;
  available: number;
};

export type StoreQuote = {
  merchantId: string;
  rules: StoreRules;
  lines: QuoteLine[];
  itemsTotal: number;
  shippingFee: number;
  total: number;
  unmet: UnmetCondition[];
};

export type Quote = {
  stores: StoreQuote[];
  itemsTotal: number;
  shippingTotal: number;
  total: number;
  /** Items that cannot be bought at all right now. */
  problems: ItemProblem[];
};

/**
 * Prices the lines per store: items total, shipping fee by the store's rule, and the store's unmet
 * conditions (for the region when `provinceCode` is known). Pure.
 */
export function quoteCheckout(input: {
  lines: readonly { skuId: string; quantity: number }[];
  skus: ReadonlyMap<string, SkuSnapshot>;
  activeStores: ReadonlySet<string>;
  rules: ReadonlyMap<string, StoreRules>;
  provinceCode?: string;
}): Quote {
  const problems: ItemProblem[] = [];
  const byStore = new Map<string, QuoteLine[]>();
  const requested = new Map<string, number>();
  for (const line of input.lines) requested.set(line.skuId, (requested.get(line.skuId) ?? 0) + line.quantity);
  for (const line of input.lines) {
    const sku = input.skus.get(line.skuId);
    const problem = (code: ItemProblem['code']) => problems.push({ skuId: line.skuId, code, requested: line.quantity, available: sku?.available ?? 0 });
    if (!sku) problem('not_found');
    else if (!input.activeStores.has(sku.merchantId)) problem('store_closed');
    else if (!sku.onSale) problem('off_shelf');
    else if (sku.available < requested.get(line.skuId)!) problem('insufficient_stock');
    if (!sku) continue;
    const group = byStore.get(sku.merchantId) ?? [];
    group.push({ sku, quantity: line.quantity });
    byStore.set(sku.merchantId, group);
  }
  const stores = [...byStore].map(([merchantId, lines]): StoreQuote => {
    const rules = input.rules.get(merchantId)!;
    const itemsTotal = lines.reduce((sum, l) => sum + l.sku.price * l.quantity, 0);
    const { shippingFee, unmet } = evaluateStoreRules(rules, {
      itemsTotal,
      lines: lines.map((l) => ({ skuId: l.sku.skuId, quantity: l.quantity })),
      provinceCode: input.provinceCode,
    });
    return { merchantId, rules, lines, itemsTotal, shippingFee, total: itemsTotal + shippingFee, unmet };
  });
  const itemsTotal = stores.reduce((sum, s) => sum + s.itemsTotal, 0);
  const shippingTotal = stores.reduce((sum, s) => sum + s.shippingFee, 0);
  return { stores, itemsTotal, shippingTotal, total: itemsTotal + shippingTotal, problems };
}

/**
 * The group, its orders (state pending_payment) and their items, with each order's placement
 * event, as writes for the caller's statement (checkout sends them with the payment and the stock
 * reservation), and the rows as they will be stored.
 */
export function orderPlacement(input: {
  buyerId: string;
  idempotencyKey: string;
  requestHash: string;
  address: ShippingAddress;
  quote: Quote;
  notes: Readonly<Record<string, string>>;
  payDeadlineAt: Date;
  at: Date;
}): PlannedWrites & { group: repo.OrderGroupRow; orders: repo.OrderRow[]; items: repo.OrderItemRow[] } {
  const { quote, at } = input;
  const group: repo.OrderGroupRow = {
    id: newId('orderGroup'),
    buyerId: input.buyerId,
    currency: 'CNY',
    itemsTotal: quote.itemsTotal,
    shippingTotal: quote.shippingTotal,
    total: quote.total,
    address: input.address,
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
    payDeadlineAt: input.payDeadlineAt,
    createdAt: at,
  };
  const orderRows: repo.OrderRow[] = [];
  const itemRows: repo.OrderItemRow[] = [];
  for (const store of quote.stores) {
    const orderId = newId('order');
    orderRows.push({
      id: orderId,
      groupId: group.id,
      buyerId: input.buyerId,
      merchantId: store.merchantId,
      state: orderMachine.initial,
      currency: 'CNY',
      itemsTotal: store.itemsTotal,
      shippingFee: store.shippingFee,
      total: store.total,
      note: input.notes[store.merchantId] ?? '',
      address: input.address,
      acceptMode: store.rules.acceptMode,
      acceptDeadlineHours: store.rules.acceptDeadlineHours,
      acceptDeadlineAt: null,
      paymentId: null,
      cancelRequest: null,
      cancelReason: null,
      createdAt: at,
      paidAt: null,
      acceptedAt: null,
      cancelledAt: null,
      updatedAt: at,
    });
    for (const line of store.lines) {
      itemRows.push({
        id: newId('orderItem'),
        orderId,
        skuId: line.sku.skuId,
        productId: line.sku.productId,
        title: line.sku.title,
        specs: line.sku.specs,
        imageUrl: line.sku.imageUrl,
        unitPrice: line.sku.price,
        quantity: line.quantity,
        lineTotal: line.sku.price * line.quantity,
      });
    }
  }
  const actor: Actor = { kind: 'user', id: input.buyerId };
  return {
    group,
    orders: orderRows,
    items: itemRows,
    writes: repo.insertGroupSql(group, orderRows, itemRows),
    events: orderRows.map((order) => ({
      type: 'order.place',
      objectType: 'order',
      objectId: order.id,
      actor,
      occurredAt: at,
      related: [
        { type: 'order_group', id: group.id, qualifier: 'group' },
        { type: 'merchant', id: order.merchantId, qualifier: 'store' },
        { type: 'user', id: input.buyerId, qualifier: 'buyer' },
        ...itemRows.filter((i) => i.orderId === order.id).map((i) => ({ type: 'sku', id: i.skuId, qualifier: 'item' })),
      ],
      data: { to: order.state, total: order.total, shippingFee: order.shippingFee },
    })),
  };
}
