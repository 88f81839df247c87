/**
 * 购物车结算: the checkout process across cart, addresses, catalog, orders and payments.
 *
 *   lines (selected cart lines, or one buy-now SKU) → address → server prices per store (拆单)
 *   → store conditions → one statement: order group + orders + payment + cart lines removed
 *   + stock reserved (all or nothing, and hot SKU rows are locked only while it runs)
 *   → the provider opens the trade → the shopper is sent to the pay URL.
 *
 * `Idempotency-Key` is required: the first successful checkout with a key is the answer to every
 * repeat (a repeat with a different request is 422). A failed checkout stores nothing.
 *
 * Checkouts pass an admission gate (platform/admission.ts): in a burst, the first arrivals are
 * placed before later ones start, so those later ones find a sold-out SKU at their first read.
 */
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { createGate } from '../platform/admission.js';
import type { Clock } from '../platform/clock.js';
import { type Db, type Executor, isUniqueViolation } from '../platform/db.js';
import { AppError, conflict, notFound, unprocessable } from '../platform/errors.js';
import { type Actor, writeWithEvents } from '../platform/events.js';
import type { AddressesService } from '../modules/addresses/index.js';
import type { CartService } from '../modules/cart/index.js';
import type { Shortage, SkuSnapshot, StockLine } from '../modules/catalog/index.js';
import type { ItemProblem, OrdersModule } from '../modules/orders/index.js';
import type { PaymentRow, PaymentsService } from '../modules/payments/index.js';

export type CheckoutInput = {
  cartLineIds?: string[];
  buyNow?: { skuId: string; quantity: number };
  addressId?: string;
  /** Per store: merchantId → note to the store (买家留言). */
  notes?: Record<string, string>;
};

export type CheckoutDeps = {
  db: Db;
  clock: Clock;
  cart: Pick<CartService, 'linesForCheckout' | 'checkedOutSql'>;
  addresses: Pick<AddressesService, 'snapshot'>;
  catalog: {
    skuSnapshots(db: Db, skuIds: readonly string[]): Promise<Map<string, SkuSnapshot>>;
    reserveStockSql(lines: readonly StockLine[], at: Date): SQL;
    stockShortage(exec: Executor, err: unknown, lines: readonly StockLine[]): Promise<Shortage[] | undefined>;
  };
  /** Which of these stores sell right now; asked afresh at every checkout. */
  activeStores(merchantIds: readonly string[]): Promise<Set<string>>;
  storeNames(ids: readonly string[]): Promise<Map<string, string>>;
  orders: Pick<OrdersModule, 'rules' | 'placement' | 'quote' | 'groups' | 'queries'>;
  payments: Pick<PaymentsService, 'opening' | 'open' | 'start' | 'pendingOfGroup' | 'paymentsOfGroup'>;
  /** Unpaid orders close after this long (default 30 min). */
  payTimeoutMs: number;
  /** Checkouts placed at once in this process; more wait their turn (CHECKOUT_CONCURRENCY). */
  checkoutConcurrency: number;
  /** How long a checkout waits for its turn before 503 busy (CHECKOUT_MAX_WAIT_SECONDS). */
  checkoutMaxWaitMs: number;
  log?: { error(obj: object, msg: string): void };
};

/**
 * The refusal of items that cannot be bought, in one shape whichever check found them (the
 * sold-out check, the quote, the reservation): 409 insufficient_stock when stock is all that is
 * short, else items_unavailable.
 */
function unavailable(problems: readonly ItemProblem[]) {
  const stockOnly = problems.every((p) => p.code === 'insufficient_stock');
  return conflict(stockOnly ? 'insufficient_stock' : 'items_unavailable', stockOnly ? 'Not enough stock for every line' : 'Some items cannot be bought now', { problems });
}
const soldOut = (shortages: readonly Shortage[]) => unavailable(shortages.map((s) => ({ skuId: s.skuId, code: 'insufficient_stock', requested: s.requested, available: s.available })));

const hashRequest = (input: CheckoutInput) => createHash('sha256').update(JSON.stringify(sortKeys(input))).digest('hex');
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}

export function createCheckoutFlow(deps: CheckoutDeps) {
  const { db, clock, orders, payments } = deps;
  const admission = createGate(deps.checkoutConcurrency, { maxWaitMs: deps.checkoutMaxWaitMs });

  async function linesOf(userId: string, input: CheckoutInput): Promise<StockLine[]> {
    if (input.cartLineIds) return (await deps.cart.linesForCheckout(userId, input.cartLineIds)).map(({ skuId, quantity }) => ({ skuId, quantity }));
    if (input.buyNow) return [input.buyNow];
    throw unprocessable('nothing_to_check_out', 'Give cart lines or a buy-now SKU');
  }

  /** Server prices, per store, with shipping and unmet conditions. */
  async function price(lines: StockLine[], provinceCode: string | undefined, read?: Map<string, SkuSnapshot>) {
    const skus = read ?? (await deps.catalog.skuSnapshots(db, lines.map((l) => l.skuId)));
    const merchantIds = [...new Set([...skus.values()].map((s) => s.merchantId))];
    const [activeStores, rules] = await Promise.all([deps.activeStores(merchantIds), orders.rules.rulesOf(merchantIds)]);
    return orders.quote({ lines, skus, activeStores, rules, provinceCode });
  }

  async function resultOf(groupId: string, userId: string) {
    const found = await orders.queries.group(userId, groupId);
    if (!found) throw notFound('Order group');
    const all = await payments.paymentsOfGroup(groupId);
    const payment = all.find((p) => p.state === 'pending') ?? all[all.length - 1] ?? null;
    return { group: found.group, orders: found.orders, payment };
  }

  async function replay(userId: string, key: string, requestHash: string) {
    const group = await orders.groups.findByKey(userId, key);
    if (!group) return undefined;
    if (group.requestHash !== requestHash) {
      throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used for a different checkout');
    }
    return { ...(await resultOf(group.id, userId)), replayed: true };
  }

  async function startPayment(payment: PaymentRow): Promise<PaymentRow> {
    try {
      return await payments.start(payment);
    } catch (err) {
      // The order stands; the pay page starts the trade again when the shopper opens it.
      deps.log?.error({ err, payment: payment.id }, 'opening the trade at the provider failed');
      return payment;
    }
  }

  /**
   * A repeat of a placed checkout answers the first result. Repeats are rare, so the key is looked
   * up only when this attempt is refused (its cart lines are gone, the stock has sold out since,
   * the key's unique index refused the write), not before every checkout.
   */
  async function placeOrReplay(userId: string, idempotencyKey: string, input: CheckoutInput) {
    const requestHash = hashRequest(input);
    try {
      return await place(userId, idempotencyKey, requestHash, input);
    } catch (err) {
      if (err instanceof AppError || isUniqueViolation(err)) {
        const first = await replay(userId, idempotencyKey, requestHash);
        if (first) return first;
      }
      throw err;
    }
  }

  async function place(userId: string, idempotencyKey: string, requestHash: string, input: CheckoutInput) {
    if (!input.addressId) throw unprocessable('address_required', 'Choose a shipping address');
    const lines = await linesOf(userId, input);
    // Sold out? Say so after one query: in a flash sale most shoppers stop here.
    const skus = await deps.catalog.skuSnapshots(db, lines.map((l) => l.skuId));
    const short = lines.filter((l) => skus.get(l.skuId)?.onSale && skus.get(l.skuId)!.available < l.quantity);
    if (short.length > 0) throw soldOut(short.map((l) => ({ skuId: l.skuId, requested: l.quantity, available: skus.get(l.skuId)!.available })));
    const address = await deps.addresses.snapshot(userId, input.addressId);
    const quote = await price(lines, address.provinceCode, skus);
    if (quote.problems.length > 0) throw unavailable(quote.problems);
    const unmet = quote.stores.filter((s) => s.unmet.length > 0).map((s) => ({ merchantId: s.merchantId, unmet: s.unmet }));
    if (unmet.length > 0) throw unprocessable('order_conditions_unmet', 'Some stores’ order conditions are not met', { stores: unmet });

    const at = clock.now();
    const payDeadlineAt = new Date(at.getTime() + deps.payTimeoutMs);
    const actor: Actor = { kind: 'user', id: userId };
    const firstTitle = quote.stores[0]!.lines[0]!.sku.title;
    const units = quote.stores.reduce((n, s) => n + s.lines.reduce((m, l) => m + l.quantity, 0), 0);
    const placed = orders.placement({ buyerId: userId, idempotencyKey, requestHash, address, quote, notes: input.notes ?? {}, payDeadlineAt, at });
    const opened = payments.opening({
      groupId: placed.group.id,
      buyerId: userId,
      orders: placed.orders,
      subject: units > 1 ? `${firstTitle} 等 ${units} 件商品` : firstTitle,
      expiresAt: payDeadlineAt,
      actor,
    });
    const cartRemoval = input.cartLineIds ? await deps.cart.checkedOutSql(userId, input.cartLineIds) : undefined;
    try {
      // One statement, so atomic without a transaction's round trips: the stock reservation that
      // every shopper of a popular SKU waits for is held only while the statement runs, and is
      // tried first, so a shopper who comes too late is refused before anything is written.
      await writeWithEvents(db, [...placed.writes, ...opened.writes, ...(cartRemoval ? [cartRemoval] : [])], [...placed.events, ...opened.events], deps.catalog.reserveStockSql(lines, at));
    } catch (err) {
      const shortages = await deps.catalog.stockShortage(db, err, lines);
      throw shortages ? soldOut(shortages) : err;
    }
    const payment = await startPayment(opened.payment);
    // The answer is built from the rows just written: nothing acts on a new, unpaid group this soon.
    return { group: placed.group, orders: await orders.queries.summaries(placed.orders, 'buyer', { groups: [placed.group], items: placed.items }), payment, replayed: false };
  }

  return {
    /** What checkout would create, without creating anything: per-store totals, unmet conditions, problems. */
    async preview(userId: string, input: CheckoutInput) {
      const lines = await linesOf(userId, input);
      const address = input.addressId ? await deps.addresses.snapshot(userId, input.addressId) : undefined;
      const quote = await price(lines, address?.provinceCode);
      const names = await deps.storeNames(quote.stores.map((s) => s.merchantId));
      return { quote, address: address ?? null, names, canPlace: quote.problems.length === 0 && quote.stores.every((s) => s.unmet.length === 0) && address !== undefined };
    },

    /**
     * Places the order. At most `checkoutConcurrency` run at once in this process; the rest wait
     * their turn, unless `signal` aborts first (the shopper hung up) or the wait grows too long
     * (503 busy). See platform/admission.ts.
     */
    checkout: (userId: string, idempotencyKey: string, input: CheckoutInput, signal?: AbortSignal) => admission.run(() => placeOrReplay(userId, idempotencyKey, input), signal),

    /** 去支付 again: the open payment of the group, or a new one for its unpaid orders (after a decline or a partial cancellation). */
    async payGroup(userId: string, groupId: string) {
      const payment = await db.transaction(async (tx) => {
        const group = await orders.groups.lock(tx, groupId);
        if (!group || group.buyerId !== userId) throw notFound('Order group');
        const pending = await payments.pendingOfGroup(tx, groupId);
        if (pending) return pending;
        const unpaid = (await orders.groups.orders(tx, groupId)).filter((o) => o.state === 'pending_payment');
        if (unpaid.length === 0) throw conflict('nothing_to_pay', 'No order of this group awaits payment');
        if (!group.payDeadlineAt || group.payDeadlineAt <= clock.now()) throw conflict('payment_expired', 'The time to pay has run out');
        const names = await orders.groups.firstItemTitle(tx, unpaid[0]!.id);
        return payments.open(tx, {
          groupId,
          buyerId: userId,
          orders: unpaid.map((o) => ({ id: o.id, total: o.total })),
          subject: names ?? groupId,
          expiresAt: group.payDeadlineAt,
          actor: { kind: 'user', id: userId },
        });
      });
      return startPayment(payment);
    },

    result: resultOf,
  };
}

export type CheckoutFlow = ReturnType<typeof createCheckoutFlow>;
