import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { checkout, createCommerceTestApp, makeAddress, makeShop, orderOf, payWithSandbox, stockOf, type TestShop } from '../../../test/helpers/commerce.js';
import { untilLockWaits } from '../../../test/helpers/database.js';
import { makeApiKey } from '../../../test/helpers/factories.js';
import { manualClock } from '../../platform/clock.js';
import { queryRows } from '../../platform/db.js';
import { signSandboxNotification } from '../payments/index.js';
import { orderMachine, orderStates } from './states.js';

describe('the order state machine', () => {
  it('walks every row and refuses everything else', () => {
    const expected: Record<string, string> = {
      'pending_payment pay': 'paid',
      'pending_payment cancel': 'cancelled',
      'pending_payment close_unpaid': 'cancelled',
      'paid accept': 'to_ship',
      'paid refuse': 'cancelled',
      'paid miss_accept_deadline': 'cancelled',
      'paid approve_cancellation': 'cancelled',
      'to_ship approve_cancellation': 'cancelled',
      'to_ship ship': 'shipped',
      'shipped deliver': 'delivered',
      'shipped confirm_receipt': 'completed',
      'delivered confirm_receipt': 'completed',
      'shipped auto_confirm': 'completed',
      'delivered auto_confirm': 'completed',
    };
    const events = [...new Set(orderMachine.rows.map((r) => r.event))];
    for (const from of orderStates) for (const event of events) expect(orderMachine.next(from, event), `${from} ${event}`).toBe(expected[`${from} ${event}`]);
    expect(orderMachine.eventsFrom('cancelled')).toEqual([]);
    expect(orderMachine.eventsFrom('completed')).toEqual([]);
  });
});

const clock = manualClock(new Date());
let t: TestApp & { url: string };
let admin: TestUser;
let autoShop: TestShop;
let manualShop: TestShop;
let buyer: TestUser;
let addressId: string;
beforeAll(async () => {
  t = await createCommerceTestApp({ clock });
  admin = await t.newAdmin();
  autoShop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 50 }] });
  manualShop = await makeShop(t, admin, { skus: [{ price: 5000, onHand: 50 }], rules: { acceptMode: 'manual', acceptDeadlineHours: 24, shippingFee: 600 } });
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
});
afterAll(() => t.close());

const post = (who: { cookie?: string; authorization?: string }, url: string, payload?: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: { ...(who.cookie ? { cookie: who.cookie } : {}), ...(who.authorization ? { authorization: who.authorization } : {}) } });
const placeBoth = async () => {
  const two = await t.app.inject({ method: 'POST', url: '/api/v1/cart/items', headers: { cookie: buyer.cookie }, payload: { skuId: manualShop.skuIds[0], quantity: 1 } });
  const one = await t.app.inject({ method: 'POST', url: '/api/v1/cart/items', headers: { cookie: buyer.cookie }, payload: { skuId: autoShop.skuIds[0], quantity: 1 } });
  const placed = await checkout(t, buyer, { cartLineIds: [two.json().line.id, one.json().line.id], addressId });
  expect(placed.statusCode).toBe(201);
  const body = placed.json();
  return {
    body,
    auto: body.orders.find((o: { merchantId: string }) => o.merchantId === autoShop.merchantId),
    manual: body.orders.find((o: { merchantId: string }) => o.merchantId === manualShop.merchantId),
  };
};
const placeManual = async (quantity = 1) => {
  const res = await checkout(t, buyer, { buyNow: { skuId: manualShop.skuIds[0]!, quantity }, addressId });
  expect(res.statusCode).toBe(201);
  return res.json();
};
const refundsOf = (orderId: string) => queryRows<{ state: string; amount: number; reason: string }>(t.database.db, sql`select state, amount, reason from refunds where order_id = ${orderId}`);

describe('before payment', () => {
  it('the buyer cancels one order of a group: its stock is released, the payment closed; the rest is paid with a new payment', async () => {
    const stockBefore = await stockOf(t, manualShop.skuIds[0]!);
    const { body, auto, manual } = await placeBoth();
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual({ ...stockBefore, reserved: stockBefore.reserved + 1 });

    const cancelled = await post(buyer, `/api/v1/orders/${manual.id}/cancel`, { reason: '不想要了' });
    expect(cancelled.json().order).toMatchObject({ state: 'cancelled', cancelReason: '不想要了', actions: ['reorder'] });
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual(stockBefore);
    expect((await orderOf(t, buyer, auto.id)).state).toBe('pending_payment');
    const closed = (await t.app.inject({ method: 'GET', url: `/api/v1/payments/${body.payment.id}`, headers: { cookie: buyer.cookie } })).json();
    expect(closed).toMatchObject({ payment: { state: 'closed' }, sandboxTrade: { status: 'closed' } });

    // Cancelling twice is a wrong state; someone else's order is not there.
    expect((await post(buyer, `/api/v1/orders/${manual.id}/cancel`)).statusCode).toBe(409);
    const stranger = await t.newUser();
    expect((await post(stranger, `/api/v1/orders/${auto.id}/cancel`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/orders/${auto.id}`, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/payments/${body.payment.id}`, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);

    const again = await post(buyer, `/api/v1/order-groups/${body.orderGroup.id}/payment`);
    expect(again.json().payment).toMatchObject({ state: 'pending', amount: auto.total, orders: [{ id: auto.id, amount: auto.total }] });
    expect(again.json().payment.id).not.toBe(body.payment.id);
    // Asking again answers the same open payment.
    expect((await post(buyer, `/api/v1/order-groups/${body.orderGroup.id}/payment`)).json().payment.id).toBe(again.json().payment.id);
    await payWithSandbox(t, buyer, again.json().payment.id);
    expect((await orderOf(t, buyer, auto.id)).state).toBe('to_ship');
    expect((await post(buyer, `/api/v1/order-groups/${body.orderGroup.id}/payment`)).json().error.code).toBe('nothing_to_pay');
  });

  it('unpaid orders close after 30 minutes, by the scheduler: stock released, payment closed, the cashier refuses', async () => {
    const before = await stockOf(t, manualShop.skuIds[0]!);
    const placed = await placeManual(2);
    clock.advance(29 * 60_000);
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, placed.orders[0].id)).state).toBe('pending_payment');
    clock.advance(2 * 60_000);
    const swept = await t.scheduler.drain();
    expect(swept['orders.close-unpaid']).toBeGreaterThanOrEqual(1);
    const order = await orderOf(t, buyer, placed.orders[0].id);
    expect(order).toMatchObject({ state: 'cancelled', cancelReason: 'unpaid_timeout' });
    expect(order.timeline.at(-1)).toMatchObject({ type: 'order.close_unpaid', from: 'pending_payment', to: 'cancelled', actor: { kind: 'system', id: 'unpaid_timeout' } });
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual(before);
    const pay = await post(buyer, `/api/v1/payments/${placed.payment.id}/sandbox/pay`);
    expect([pay.statusCode, pay.json().error.code]).toEqual([409, 'payment_not_pending']);
  });

  it('money that arrives after the group closed is refunded automatically, once', async () => {
    const placed = await placeManual(1);
    await post(buyer, `/api/v1/orders/${placed.orders[0].id}/cancel`);
    // The shopper had paid at the provider; its notification was delayed and comes now.
    await t.database.db.execute(sql`update sandbox_pay_trades set status = 'paid', transaction_id = 'sbx_late_1' where payment_id = ${placed.payment.id}`);
    const raw = JSON.stringify({ id: 'pnt_late', paymentId: placed.payment.id, transactionId: 'sbx_late_1', status: 'succeeded', amount: placed.payment.amount, currency: 'CNY', occurredAt: clock.now().toISOString() });
    const notify = () =>
      fetch(`${t.url}/api/v1/hooks/sandbox-pay/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxNotification('flowmart-sandbox-dev-secret', Math.floor(clock.now().getTime() / 1000), raw) },
        body: raw,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await notify()).toEqual({ status: 200, body: { received: true, outcome: 'refunded' } });
    expect(await notify()).toEqual({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(await refundsOf(placed.orders[0].id)).toEqual([{ state: 'succeeded', amount: placed.payment.amount, reason: 'paid_after_close' }]);
    const order = await orderOf(t, buyer, placed.orders[0].id);
    expect(order.state).toBe('cancelled');
    expect(order.refunds).toMatchObject([{ state: 'succeeded', amount: placed.payment.amount }]);
    expect(order.timeline.map((e: { type: string }) => e.type)).toEqual(['order.place', 'order.cancel', 'refund.request', 'refund.succeed']);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('a success racing the cancellation of its orders: settlement read them unpaid, the cancellation committed first, the money goes back (PostgreSQL)', async () => {
    const stockBefore = await stockOf(t, manualShop.skuIds[0]!);
    const placed = await placeManual(1);
    await t.database.db.execute(sql`update sandbox_pay_trades set status = 'paid', transaction_id = 'sbx_race_1' where payment_id = ${placed.payment.id}`);
    const raw = JSON.stringify({ id: 'pnt_race', paymentId: placed.payment.id, transactionId: 'sbx_race_1', status: 'succeeded', amount: placed.payment.amount, currency: 'CNY', occurredAt: clock.now().toISOString() });
    // A third session holds the group, so that both wait for it: first the cancellation, then the
    // settlement, which has read the orders as unpaid by then and sent its one statement.
    let release!: () => void;
    let held!: () => void;
    const holding = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`select id from order_groups where id = ${placed.orderGroup.id} for update`);
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise<void>((resolve) => (held = resolve));
    const cancelled = post(buyer, `/api/v1/orders/${placed.orders[0].id}/cancel`);
    await untilLockWaits(t.database.db, 1);
    const notified = fetch(`${t.url}/api/v1/hooks/sandbox-pay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sandbox-signature': signSandboxNotification('flowmart-sandbox-dev-secret', Math.floor(clock.now().getTime() / 1000), raw) },
      body: raw,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
    await untilLockWaits(t.database.db, 2);
    release();
    await holding;
    expect((await cancelled).statusCode).toBe(200);
    expect(await notified).toEqual({ status: 200, body: { received: true, outcome: 'refunded' } });
    expect(await refundsOf(placed.orders[0].id)).toEqual([{ state: 'succeeded', amount: placed.payment.amount, reason: 'paid_after_close' }]);
    expect((await orderOf(t, buyer, placed.orders[0].id)).state).toBe('cancelled');
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual(stockBefore);
  });
});

describe('after payment', () => {
  it('a manual store accepts (接单); accepting twice is a wrong state; another store cannot see it; a key needs orders:write', async () => {
    const placed = await placeManual();
    await payWithSandbox(t, buyer, placed.payment.id);
    const orderId = placed.orders[0].id;
    const merchantView = await orderOf(t, manualShop.owner, orderId, 'merchant');
    expect(merchantView).toMatchObject({ state: 'paid', actions: ['accept', 'refuse'] });
    expect((await post(autoShop.owner, `/api/v1/merchant/orders/${orderId}/accept`)).statusCode).toBe(404);
    const reader = await makeApiKey(t, manualShop, ['orders:read']);
    expect((await post({ authorization: reader }, `/api/v1/merchant/orders/${orderId}/accept`)).json().error.code).toBe('missing_scope');
    const writer = await makeApiKey(t, manualShop, ['orders:write']);
    const accepted = await post({ authorization: writer }, `/api/v1/merchant/orders/${orderId}/accept`);
    expect(accepted.json().order.state).toBe('to_ship');
    expect(accepted.json().order.timeline.at(-1).actor.kind).toBe('api_key');
    const twice = await post(manualShop.owner, `/api/v1/merchant/orders/${orderId}/accept`);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'invalid_transition']);
    // A buyer cannot cancel a paid order directly.
    expect((await post(buyer, `/api/v1/orders/${orderId}/cancel`)).statusCode).toBe(409);
  });

  it('a refusal cancels, refunds in full, restocks and takes the units sold back', async () => {
    const before = await stockOf(t, manualShop.skuIds[0]!);
    const soldBefore = (await t.orders.unitsSold([manualShop.productId])).get(manualShop.productId) ?? 0;
    const placed = await placeManual(3);
    await payWithSandbox(t, buyer, placed.payment.id);
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual({ onHand: before.onHand - 3, reserved: before.reserved });
    expect((await t.orders.unitsSold([manualShop.productId])).get(manualShop.productId)).toBe(soldBefore + 3);
    const orderId = placed.orders[0].id;
    const refused = await post(manualShop.owner, `/api/v1/merchant/orders/${orderId}/refuse`, { reason: '库存不足' });
    expect(refused.json().order).toMatchObject({ state: 'cancelled', cancelReason: '库存不足' });
    expect(await refundsOf(orderId)).toEqual([{ state: 'succeeded', amount: placed.orders[0].total, reason: '库存不足' }]);
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual(before);
    expect((await t.orders.unitsSold([manualShop.productId])).get(manualShop.productId)).toBe(soldBefore);
    expect((await post(manualShop.owner, `/api/v1/merchant/orders/${orderId}/refuse`, { reason: 'again' })).statusCode).toBe(409);
    expect((await post(manualShop.owner, `/api/v1/merchant/orders/${orderId}/refuse`, {})).statusCode).toBe(400);
  });

  it('a manual store that misses the 24 h deadline loses the order: cancelled and refunded by the scheduler', async () => {
    const placed = await placeManual();
    await payWithSandbox(t, buyer, placed.payment.id);
    clock.advance(23 * 3600_000);
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, placed.orders[0].id)).state).toBe('paid');
    clock.advance(2 * 3600_000);
    await t.scheduler.drain();
    const order = await orderOf(t, buyer, placed.orders[0].id);
    expect(order).toMatchObject({ state: 'cancelled', cancelReason: 'accept_deadline_missed', refunds: [{ state: 'succeeded', amount: placed.orders[0].total }] });
    expect(order.timeline.find((e: { type: string }) => e.type === 'order.miss_accept_deadline')).toMatchObject({ actor: { kind: 'system', id: 'accept_deadline' } });
  });

  it('the buyer asks to cancel before shipment; the store declines, and on another order approves (refund, restock)', async () => {
    const first = await placeManual();
    await payWithSandbox(t, buyer, first.payment.id);
    const firstId = first.orders[0].id;
    await post(manualShop.owner, `/api/v1/merchant/orders/${firstId}/accept`);
    const asked = await post(buyer, `/api/v1/orders/${firstId}/cancellation-request`, { reason: '拍错了' });
    expect(asked.json().order).toMatchObject({ state: 'to_ship', cancelRequest: { state: 'pending', reason: '拍错了' }, actions: [] });
    expect((await post(buyer, `/api/v1/orders/${firstId}/cancellation-request`, { reason: '再问一次' })).json().error.code).toBe('cancellation_already_requested');
    expect((await orderOf(t, manualShop.owner, firstId, 'merchant')).actions).toEqual(['approve_cancellation', 'decline_cancellation']);
    const declined = await post(manualShop.owner, `/api/v1/merchant/orders/${firstId}/cancellation/decline`, { reason: '已打包' });
    expect(declined.json().order).toMatchObject({ state: 'to_ship', cancelRequest: { state: 'declined', answer: '已打包' } });
    expect((await post(manualShop.owner, `/api/v1/merchant/orders/${firstId}/cancellation/approve`)).json().error.code).toBe('no_cancellation_request');

    const before = await stockOf(t, manualShop.skuIds[0]!);
    const second = await placeManual(2);
    await payWithSandbox(t, buyer, second.payment.id);
    const secondId = second.orders[0].id;
    await post(buyer, `/api/v1/orders/${secondId}/cancellation-request`, { reason: '不需要了' });
    const approved = await post(manualShop.owner, `/api/v1/merchant/orders/${secondId}/cancellation/approve`);
    expect(approved.json().order).toMatchObject({ state: 'cancelled', cancelRequest: { state: 'approved' }, refunds: [{ state: 'succeeded', amount: second.orders[0].total }] });
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual(before);
    // Unpaid orders are cancelled directly, not by request.
    const unpaid = await placeManual();
    expect((await post(buyer, `/api/v1/orders/${unpaid.orders[0].id}/cancellation-request`, { reason: 'x' })).statusCode).toBe(409);
    await post(buyer, `/api/v1/orders/${unpaid.orders[0].id}/cancel`);
  });
});

describe('order lists', () => {
  it('the buyer’s tabs count every state; merchants see only their store; the admin sees all', async () => {
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/orders?limit=50', headers: { cookie: buyer.cookie } })).json();
    const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from orders where buyer_id = ${buyer.id}`);
    expect(Object.values(mine.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(row!.n);
    const cancelled = (await t.app.inject({ method: 'GET', url: '/api/v1/orders?tab=cancelled&limit=2', headers: { cookie: buyer.cookie } })).json();
    expect(cancelled.items).toHaveLength(2);
    expect(cancelled.items.every((o: { state: string }) => o.state === 'cancelled')).toBe(true);
    const next = (await t.app.inject({ method: 'GET', url: `/api/v1/orders?tab=cancelled&limit=50&cursor=${cancelled.nextCursor}`, headers: { cookie: buyer.cookie } })).json();
    expect(next.items.length).toBe(mine.counts.cancelled - 2);

    const store = (await t.app.inject({ method: 'GET', url: '/api/v1/merchant/orders?limit=100', headers: { cookie: manualShop.owner.cookie } })).json();
    expect(store.items.every((o: { merchantId: string }) => o.merchantId === manualShop.merchantId)).toBe(true);
    expect(store.counts.cancelled).toBeGreaterThan(0);
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/admin/orders?limit=50', headers: { cookie: admin.cookie } })).json();
    expect(new Set(all.items.map((o: { merchantId: string }) => o.merchantId))).toEqual(new Set([autoShop.merchantId, manualShop.merchantId]));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/orders', headers: { cookie: buyer.cookie } })).statusCode).toBe(403);
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/admin/orders/${all.items[0].id}`, headers: { cookie: admin.cookie } });
    expect(one.json().order.timeline.length).toBeGreaterThan(0);
  });
});

