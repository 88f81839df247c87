/**
 * Property: any interleaving of checkout, payment (including replayed and late notifications),
 * cancellation, timeout, refusal and cancellation-with-refund keeps the books straight:
 *   - 0 ≤ reserved ≤ on_hand on every SKU;
 *   - reserved = the units of unpaid orders; on_hand = stock received − units sold (nothing oversold);
 *   - units sold = the units of paid, uncancelled orders;
 *   - every order's total = the sum of its lines + shipping, every group's total = the sum of its orders;
 *   - money: refunds never exceed a payment, every paid-then-cancelled order is refunded in full.
 * Commands run two at a time (Promise.all) as well as one by one, so real interleavings happen.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, type TestShop } from '../../test/helpers/commerce.js';
import { signSandboxNotification } from '../modules/payments/index.js';
import { manualClock } from '../platform/clock.js';
import { queryRows } from '../platform/db.js';

const clock = manualClock(new Date());
let t: TestApp & { url: string };
let shops: TestShop[];
let buyers: { user: TestUser; addressId: string }[];
let skus: { skuId: string; shop: TestShop }[];

beforeAll(async () => {
  t = await createCommerceTestApp({ clock });
  const admin = await t.newAdmin();
  shops = [
    await makeShop(t, admin, { skus: [{ price: 1999, onHand: 4 }, { price: 500, onHand: 6 }], rules: { shippingFee: 800, freeShippingFrom: 5000 } }),
    await makeShop(t, admin, { skus: [{ price: 12000, onHand: 3 }], rules: { acceptMode: 'manual', shippingFee: 0 } }),
  ];
  skus = shops.flatMap((shop) => shop.skuIds.map((skuId) => ({ skuId, shop })));
  buyers = [];
  for (let i = 0; i < 2; i++) {
    const user = await t.newUser();
    buyers.push({ user, addressId: await makeAddress(t, user) });
  }
}, 120_000);
afterAll(() => t.close());

type Group = { id: string; buyer: number; orders: { id: string; merchantId: string }[]; paymentIds: string[] };

const command = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('checkout' as const), buyer: fc.nat(1), lines: fc.array(fc.record({ sku: fc.nat(2), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('pay' as const), group: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('replay' as const), group: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), group: fc.nat(), order: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('timeout' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('refuse' as const), group: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), group: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('cancelRequest' as const), group: fc.nat(), order: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('lateSuccess' as const), group: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('restock' as const), sku: fc.nat(2), quantity: fc.integer({ min: 1, max: 5 }) }), weight: 1 },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

const inject = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await t.app.inject({ method, url, payload: payload as object, headers: { cookie, ...headers } });
  // Refusals (404/409/422) are fine; the platform must never fail.
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(500);
  return res;
};
const pick = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
const notify = async (raw: string) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/hooks/sandbox-pay/notify',
    headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxNotification('flowmart-sandbox-dev-secret', Math.floor(clock.now().getTime() / 1000), raw) },
    payload: raw,
  });
  expect(res.statusCode, res.body).toBeLessThan(500);
};

/** Waits until no sandbox notification is on its way (each is delivered, or refused and waiting for a retry). */
async function notificationsSettled() {
  for (let i = 0; i < 500; i++) {
    const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from sandbox_pay_notifications where delivered_at is null and last_error is null`);
    if (row!.n === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('a sandbox notification never arrived');
}

async function run(cmd: Command, groups: Group[]) {
  switch (cmd.kind) {
    case 'checkout': {
      const buyer = buyers[cmd.buyer]!;
      const lineIds: string[] = [];
      for (const line of cmd.lines) {
        const res = await inject('POST', '/api/v1/cart/items', buyer.user.cookie, { skuId: skus[line.sku]!.skuId, quantity: line.quantity });
        if (res.statusCode === 201) lineIds.push(res.json().line.id);
      }
      if (lineIds.length === 0) return;
      const res = await inject('POST', '/api/v1/checkout', buyer.user.cookie, { cartLineIds: [...new Set(lineIds)], addressId: buyer.addressId }, { 'idempotency-key': randomUUID() });
      if (res.statusCode === 201) {
        const body = res.json();
        groups.push({ id: body.orderGroup.id, buyer: cmd.buyer, orders: body.orders.map((o: { id: string; merchantId: string }) => ({ id: o.id, merchantId: o.merchantId })), paymentIds: [body.payment.id] });
      }
      return;
    }
    case 'pay': {
      const group = pick(groups, cmd.group);
      if (!group) return;
      const cookie = buyers[group.buyer]!.user.cookie;
      const payment = await inject('POST', `/api/v1/order-groups/${group.id}/payment`, cookie);
      if (payment.statusCode !== 200) return;
      const id = payment.json().payment.id as string;
      if (!group.paymentIds.includes(id)) group.paymentIds.push(id);
      const paid = await inject('POST', `/api/v1/payments/${id}/sandbox/pay`, cookie);
      if (paid.statusCode !== 202) return;
      // The notification travels over HTTP; wait until the platform has handled it.
      await notificationsSettled();
      return;
    }
    case 'replay': {
      const group = pick(groups, cmd.group);
      const [sent] = group ? await queryRows<{ body: unknown }>(t.database.db, sql`select body from sandbox_pay_notifications where payment_id = any(${sql.param(group.paymentIds)}::text[]) limit 1`) : [];
      if (sent) await notify(JSON.stringify(sent.body));
      return;
    }
    case 'cancel': {
      const group = pick(groups, cmd.group);
      const order = group && pick(group.orders, cmd.order);
      if (order) await inject('POST', `/api/v1/orders/${order.id}/cancel`, buyers[group.buyer]!.user.cookie);
      return;
    }
    case 'timeout':
      clock.advance(31 * 60_000);
      await t.scheduler.drain();
      return;
    case 'refuse':
    case 'accept': {
      const group = pick(groups.filter((g) => g.orders.some((o) => o.merchantId === shops[1]!.merchantId)), cmd.group);
      const order = group?.orders.find((o) => o.merchantId === shops[1]!.merchantId);
      if (order) await inject('POST', `/api/v1/merchant/orders/${order.id}/${cmd.kind}`, shops[1]!.owner.cookie, cmd.kind === 'refuse' ? { reason: '缺货' } : undefined);
      return;
    }
    case 'cancelRequest': {
      const group = pick(groups, cmd.group);
      const order = group && pick(group.orders, cmd.order);
      if (!order) return;
      await inject('POST', `/api/v1/orders/${order.id}/cancellation-request`, buyers[group.buyer]!.user.cookie, { reason: '不要了' });
      const owner = shops.find((s) => s.merchantId === order.merchantId)!.owner;
      await inject('POST', `/api/v1/merchant/orders/${order.id}/cancellation/approve`, owner.cookie);
      return;
    }
    case 'lateSuccess': {
      // The provider took money for a payment we already closed or failed: it must come back.
      if (groups.length === 0) return;
      const ids = groups.map((g) => g.id);
      const candidates = await queryRows<{ id: string; amount: number }>(t.database.db, sql`select id, amount from payments where group_id = any(${sql.param(ids)}::text[]) and state in ('closed', 'failed') and provider_txn_id is null order by id`);
      const closed = pick(candidates, cmd.group);
      if (!closed) return;
      const txn = `sbx_late_${closed.id}`;
      await t.database.db.execute(sql`update sandbox_pay_trades set status = 'paid', transaction_id = ${txn} where payment_id = ${closed.id}`);
      await notify(JSON.stringify({ id: `pnt_${txn}`, paymentId: closed.id, transactionId: txn, status: 'succeeded', amount: closed.amount, currency: 'CNY', occurredAt: clock.now().toISOString() }));
      return;
    }
    case 'restock': {
      const { skuId, shop } = skus[cmd.sku]!;
      await inject('POST', `/api/v1/merchant/skus/${skuId}/stock`, shop.owner.cookie, { mode: 'add', quantity: cmd.quantity, reason: '到货' });
      return;
    }
  }
}

async function checkBooks() {
  const stock = await queryRows<{ id: string; on_hand: number; reserved: number; received: number; pending: number; sold: number; counted: number }>(
    t.database.db,
    sql`select s.id, s.on_hand, s.reserved,
          (select coalesce(sum(delta), 0)::int from stock_adjustments a where a.sku_id = s.id) as received,
          (select coalesce(sum(i.quantity), 0)::int from order_items i join orders o on o.id = i.order_id where i.sku_id = s.id and o.state = 'pending_payment') as pending,
          (select coalesce(sum(i.quantity), 0)::int from order_items i join orders o on o.id = i.order_id where i.sku_id = s.id and o.state in ('paid', 'to_ship', 'shipped', 'delivered', 'completed')) as sold,
          (select coalesce(sum(units_sold), 0)::int from sku_sales x where x.sku_id = s.id) as counted
        from skus s where s.id = any(${sql.param(skus.map((s) => s.skuId))}::text[])`,
  );
  for (const s of stock) {
    expect(s.reserved).toBeGreaterThanOrEqual(0);
    expect(s.reserved).toBeLessThanOrEqual(s.on_hand);
    expect(s.reserved, `reserved of ${s.id}`).toBe(s.pending);
    expect(s.on_hand, `on_hand of ${s.id}`).toBe(s.received - s.sold);
    expect(s.counted, `units sold of ${s.id}`).toBe(s.sold);
  }
  const badOrders = await queryRows(
    t.database.db,
    sql`select o.id from orders o
        where o.total <> o.items_total + o.shipping_fee
           or o.items_total <> (select sum(line_total) from order_items i where i.order_id = o.id)`,
  );
  expect(badOrders).toEqual([]);
  const badGroups = await queryRows(t.database.db, sql`select g.id from order_groups g where g.total <> (select sum(total) from orders o where o.group_id = g.id)`);
  expect(badGroups).toEqual([]);
  const overRefunded = await queryRows(t.database.db, sql`select p.id from payments p where (select coalesce(sum(amount), 0) from refunds r where r.payment_id = p.id) > p.amount`);
  expect(overRefunded).toEqual([]);
  // Paid then cancelled: refunded in full. Paid and standing: its payment succeeded.
  const unrefunded = await queryRows(
    t.database.db,
    sql`select o.id from orders o where o.state = 'cancelled' and o.paid_at is not null
          and (select coalesce(sum(amount), 0) from refunds r where r.order_id = o.id and r.state = 'succeeded') <> o.total`,
  );
  expect(unrefunded).toEqual([]);
  const unpaid = await queryRows(
    t.database.db,
    sql`select o.id from orders o left join payments p on p.id = o.payment_id
        where o.state in ('paid', 'to_ship') and (p.state is distinct from 'succeeded')`,
  );
  expect(unpaid).toEqual([]);
}

it('keeps stock, money and totals straight under any interleaving', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(command, fc.option(command, { nil: undefined })), { minLength: 1, maxLength: 8 }), async (steps) => {
      const groups: Group[] = [];
      for (const [first, second] of steps) {
        // Two commands at once when the pair has a second one: their transactions interleave for real.
        await Promise.all([run(first, groups), second ? run(second, groups) : undefined]);
      }
      await notificationsSettled();
      await t.scheduler.drain();
      await checkBooks();
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 20) },
  );
}, 120_000);
