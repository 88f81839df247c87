import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionCookie, type TestApp, type TestUser } from '../../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, orderOf, type TestShop } from '../../../test/helpers/commerce.js';
import { makeApiKey } from '../../../test/helpers/factories.js';
import { manualClock } from '../../platform/clock.js';
import { queryRows } from '../../platform/db.js';
import { fulfillmentPort } from '../orders/index.js';
import { headers, paidOrder, pushForm, sendPush, type Who } from './test-support.js';

const clock = manualClock(new Date());
let t: TestApp & { url: string };
let admin: TestUser;
let shop: TestShop;
let otherShop: TestShop;
let buyer: TestUser;
let addressId: string;
let n = 0;
const sf = () => `SF${String(1_000_000_000_000 + ++n * 7919)}`;

beforeAll(async () => {
  t = await createCommerceTestApp({ clock });
  admin = await t.newAdmin();
  shop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 500 }, { price: 4500, onHand: 500 }] });
  otherShop = await makeShop(t, admin, { skus: [{ price: 1000, onHand: 50 }] });
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
});
afterAll(() => t.close());

const post = (who: Who, url: string, payload?: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: headers(who) });
const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: headers(who) });
const owner = () => ({ cookie: shop.owner.cookie });
const ship = (orderId: string, parcels: unknown[], who: Who = owner()) => post(who, `/api/v1/merchant/orders/${orderId}/shipments`, { parcels });

describe('shipping an order', () => {
  it('ships a whole order in one parcel: the order is shipped, the parcel awaits pickup, both are logged', async () => {
    const order = await paidOrder(t, shop, buyer, addressId, [{ quantity: 2 }]);
    const number = sf();
    const res = await ship(order.id, [{ carrier: 'shunfeng', trackingNumber: ` ${number.toLowerCase()} ` }]);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.orderState).toBe('shipped');
    expect(body.shipments).toMatchObject([{ carrier: 'shunfeng', carrierNameZh: '顺丰速运', trackingNumber: number, state: 'awaiting_pickup', items: [{ orderItemId: order.items[0]!.id, quantity: 2 }] }]);
    expect(body.fulfillment).toMatchObject({ unshipped: [], shipDeadlineAt: null, late: false });
    expect(body.fulfillment.confirmDeadlineAt).not.toBeNull();
    const detail = await orderOf(t, buyer, order.id);
    expect(detail.state).toBe('shipped');
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'order.ship', from: 'to_ship', to: 'shipped', actor: { kind: 'user', id: shop.owner.id } });
    const buyerView = await get(buyer, `/api/v1/orders/${order.id}/fulfillment`);
    expect(buyerView.json().fulfillment.shipments).toHaveLength(1);
    // Shipping again: nothing is left.
    expect((await ship(order.id, [{ carrier: 'shunfeng', trackingNumber: sf() }])).json().error.code).toBe('order_not_shippable');
  });

  it('ships in parts: the order stays to ship until the last unit has left', async () => {
    const order = await paidOrder(t, shop, buyer, addressId, [{ sku: 0, quantity: 3 }, { sku: 1, quantity: 1 }]);
    const [a, b] = order.items;
    const first = await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: '781234500001', items: [{ orderItemId: a!.id, quantity: 2 }] }]);
    expect(first.json()).toMatchObject({ orderState: 'to_ship', fulfillment: { unshipped: [{ orderItemId: a!.id, quantity: 1 }, { orderItemId: b!.id, quantity: 1 }] } });

    const tooMany = await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: '781234500002', items: [{ orderItemId: a!.id, quantity: 2 }] }]);
    expect([tooMany.statusCode, tooMany.json().error.code, tooMany.json().error.details]).toEqual([422, 'quantity_exceeds_unshipped', { index: 0, orderItemId: a!.id, requested: 2, remaining: 1 }]);
    const foreign = await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: '781234500002', items: [{ orderItemId: 'oit_nope', quantity: 1 }] }]);
    expect(foreign.json().error.code).toBe('unknown_order_item');

    // Two parcels in one request: the rest of line a, then everything left (line b).
    const rest = await ship(order.id, [
      { carrier: 'yuantong', trackingNumber: 'YT1234567890001', items: [{ orderItemId: a!.id, quantity: 1 }] },
      { carrier: 'sandbox', trackingNumber: 'SBX0000000001' },
    ]);
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json().orderState).toBe('shipped');
    expect(rest.json().shipments.map((s: { items: unknown }) => s.items)).toEqual([[{ orderItemId: a!.id, quantity: 1 }], [{ orderItemId: b!.id, quantity: 1 }]]);
    expect(rest.json().fulfillment.shipments).toHaveLength(3);
    const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from flow_events where type = 'shipment.ship' and related @> ${JSON.stringify([{ type: 'order', id: order.id }])}::jsonb`);
    expect(row!.n).toBe(3);
  });

  it('refuses wrong numbers, taken numbers, other stores, unaccepted or cancelled orders and pending cancellation requests', async () => {
    const order = await paidOrder(t, shop, buyer, addressId);
    const bad = await ship(order.id, [{ carrier: 'jtexpress', trackingNumber: 'SF1234567890123' }]);
    expect([bad.statusCode, bad.json().error.code, bad.json().error.details.example]).toEqual([422, 'invalid_tracking_number', 'JT1234567890123']);
    expect((await ship(order.id, [{ carrier: 'fedex', trackingNumber: '123456789' }])).statusCode).toBe(400);
    const taken = await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: '781234500001' }]);
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'tracking_number_in_use']);
    const twice = await ship(order.id, [{ carrier: 'ems', trackingNumber: 'EA123456789CN', items: [{ orderItemId: order.items[0]!.id, quantity: 1 }] }, { carrier: 'ems', trackingNumber: 'ea123456789cn' }]);
    expect(twice.json().error.code).toBe('tracking_number_in_use');

    // Another store's staff and the buyer find no such order.
    expect((await ship(order.id, [{ carrier: 'ems', trackingNumber: 'EA123456780CN' }], { cookie: otherShop.owner.cookie })).statusCode).toBe(404);
    expect((await ship(order.id, [{ carrier: 'ems', trackingNumber: 'EA123456780CN' }], { cookie: buyer.cookie })).statusCode).toBe(403);
    expect((await get({ cookie: otherShop.owner.cookie }, `/api/v1/merchant/orders/${order.id}/fulfillment`)).statusCode).toBe(404);
    expect((await get({ cookie: (await t.newUser()).cookie }, `/api/v1/orders/${order.id}/fulfillment`)).statusCode).toBe(404);

    // A pending cancellation request must be answered first.
    expect((await post({ cookie: buyer.cookie }, `/api/v1/orders/${order.id}/cancellation-request`, { reason: '拍错了' })).statusCode).toBe(200);
    const pending = await ship(order.id, [{ carrier: 'ems', trackingNumber: 'EA123456780CN' }]);
    expect([pending.statusCode, pending.json().error.code]).toEqual([409, 'cancellation_pending']);
    expect((await post(owner(), `/api/v1/merchant/orders/${order.id}/cancellation/approve`)).statusCode).toBe(200);
    const cancelled = await ship(order.id, [{ carrier: 'ems', trackingNumber: 'EA123456780CN' }]);
    expect([cancelled.statusCode, cancelled.json().error.code, cancelled.json().error.details]).toEqual([409, 'order_not_shippable', { state: 'cancelled' }]);
  });

  it('ships through the Open API with orders:write only', async () => {
    const order = await paidOrder(t, shop, buyer, addressId);
    const reader = await makeApiKey(t, shop, ['orders:read']);
    const writer = await makeApiKey(t, shop, ['orders:write', 'orders:read']);
    const refused = await ship(order.id, [{ carrier: 'jd', trackingNumber: 'JDVA00000000001' }], { authorization: reader });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'missing_scope']);
    const done = await ship(order.id, [{ carrier: 'jd', trackingNumber: 'JDVA00000000001' }], { authorization: writer });
    expect(done.statusCode, done.body).toBe(201);
    expect((await orderOf(t, buyer, order.id)).timeline.at(-1).actor.kind).toBe('api_key');
    expect((await get({ authorization: reader }, `/api/v1/merchant/orders/${order.id}/fulfillment`)).json().fulfillment.shipments[0].carrier).toBe('jd');
  });

  it('ships many orders from a CSV file or JSON, each row on its own', async () => {
    const [a, b, c] = [await paidOrder(t, shop, buyer, addressId), await paidOrder(t, shop, buyer, addressId), await paidOrder(t, shop, buyer, addressId)];
    const csv = `\uFEFF订单号,快递公司,运单号\r\n${a.id},顺丰速运,SF2000000000001\r\n${b.id},yunda,43000000001\r\n"${c.id}",韵达,4300000000001\r\nord_missing,ems,EA000000001CN\r\n`;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/shipments/bulk', headers: { ...owner(), 'content-type': 'text/csv; charset=utf-8' }, payload: csv });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ shipped: 2, failed: 2 });
    expect(body.results.map((r: { ok: boolean; error: { code: string } | null }) => r.error?.code ?? 'ok')).toEqual(['ok', 'invalid_tracking_number', 'ok', 'not_found']);
    expect((await orderOf(t, buyer, a.id)).state).toBe('shipped');
    expect((await orderOf(t, buyer, b.id)).state).toBe('to_ship');

    const json = await post(owner(), '/api/v1/merchant/shipments/bulk', { items: [{ orderId: b.id, carrier: 'yunda', trackingNumber: '4300000000002' }] });
    expect(json.json()).toMatchObject({ shipped: 1, failed: 0, results: [{ ok: true, orderState: 'shipped' }] });
  });
});

describe('shipping deadlines', () => {
  it('flags orders still unshipped at the store’s deadline, logs it, counts it per store, and marks late shipping', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/merchant/shipping-settings', headers: { cookie: otherShop.owner.cookie }, payload: { shipDeadlineHours: 24 } });
    expect(put.json()).toEqual({ settings: { shipDeadlineHours: 24 } });
    const late = await paidOrder(t, otherShop, buyer, addressId);
    const onTime = await paidOrder(t, otherShop, buyer, addressId);
    await t.scheduler.drain();
    const tracking = async () => (await get({ cookie: otherShop.owner.cookie }, `/api/v1/merchant/orders/tracking?ids=${late.id},${onTime.id}`)).json().items;
    const before = await tracking();
    expect(before.map((x: { late: boolean }) => x.late)).toEqual([false, false]);
    expect(Date.parse(before[0].shipDeadlineAt) - clock.now().getTime()).toBeCloseTo(24 * 3600_000, -4);

    clock.advance(20 * 3600_000);
    expect((await ship(onTime.id, [{ carrier: 'ems', trackingNumber: 'EA100000001CN' }], { cookie: otherShop.owner.cookie })).statusCode).toBe(201);
    clock.advance(5 * 3600_000);
    const swept = await t.scheduler.drain();
    expect(swept['fulfillment.ship-deadlines']).toBe(1);
    expect((await tracking()).map((x: { late: boolean }) => x.late)).toEqual([true, false]);
    const detail = await orderOf(t, { cookie: otherShop.owner.cookie } as TestUser, late.id, 'merchant');
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'order.miss_ship_deadline', actor: { kind: 'system', id: 'ship_deadline' } });

    const stats = (await get({ cookie: otherShop.owner.cookie }, '/api/v1/merchant/fulfillment/stats')).json().stats;
    expect(stats).toMatchObject({ merchantId: otherShop.merchantId, lateNow: 1, lateEver: 1 });
    const stores = (await get({ cookie: admin.cookie }, '/api/v1/admin/fulfillment/stores')).json().items;
    expect(stores.find((s: { merchantId: string }) => s.merchantId === otherShop.merchantId)).toMatchObject({ lateNow: 1, lateEver: 1, exceptions: 0 });
    expect((await get({ cookie: buyer.cookie }, '/api/v1/admin/fulfillment/stores')).statusCode).toBe(403);

    // Shipped late: no longer late now, still counted as ever late.
    expect((await ship(late.id, [{ carrier: 'ems', trackingNumber: 'EA100000002CN' }], { cookie: otherShop.owner.cookie })).statusCode).toBe(201);
    expect((await get({ cookie: otherShop.owner.cookie }, '/api/v1/merchant/fulfillment/stats')).json().stats).toMatchObject({ lateNow: 0, lateEver: 1 });
  });
});

describe('receipt', () => {
  const DAY = 24 * 3600_000;
  // These tests move the clock by weeks: sessions expire, so everyone logs in again first.
  const login = async (user: TestUser) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: user.email, password: user.password } });
    user.cookie = sessionCookie(res);
  };
  beforeEach(async () => {
    await login(buyer);
    await login(shop.owner);
  });
  const deliveredOrder = async (nu: string) => {
    const order = await paidOrder(t, shop, buyer, addressId);
    expect((await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: nu }])).statusCode).toBe(201);
    const push = pushForm(t.fulfillment.settings.saltSecret, 'zhongtong', nu, [{ at: clock.now(), context: '【杭州市】已签收', status: '签收' }], { state: '3', ischeck: '1' });
    expect((await sendPush(t, push)).statusCode).toBe(200);
    expect((await orderOf(t, buyer, order.id)).state).toBe('delivered');
    return order;
  };

  it('completes a delivered order 10 days after delivery unless the buyer confirmed first', async () => {
    const order = await deliveredOrder('781300000001');
    clock.advance(10 * DAY - 60_000);
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, order.id)).state).toBe('delivered');
    clock.advance(120_000);
    expect((await t.scheduler.drain())['fulfillment.auto-confirm']).toBe(1);
    const done = await orderOf(t, buyer, order.id);
    expect(done.state).toBe('completed');
    expect(done.timeline.at(-1)).toMatchObject({ type: 'order.auto_confirm', from: 'delivered', to: 'completed', actor: { kind: 'system', id: 'auto_confirm' } });
  });

  it('completes a shipped order whose delivery is never reported 20 days after shipping', async () => {
    const order = await paidOrder(t, shop, buyer, addressId);
    expect((await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: '781300000002' }])).statusCode).toBe(201);
    clock.advance(19 * DAY);
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, order.id)).state).toBe('shipped');
    clock.advance(DAY + 1000);
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, order.id)).state).toBe('completed');
  });

  it('an open after-sales request pauses the clock; closing it resumes with what was left', async () => {
    const order = await deliveredOrder('781300000003');
    clock.advance(4 * DAY);
    // The after-sales module will call these in the transactions that open and close a request.
    const inTx = (work: (tx: Parameters<typeof fulfillmentPort.lockOrder>[0]) => Promise<void>) =>
      t.database.db.transaction(async (tx) => {
        await fulfillmentPort.lockOrder(tx, order.id);
        await work(tx);
      });
    await inTx((tx) => t.fulfillment.receiptClock.pause(tx, order.id, clock.now()));
    expect((await get(buyer, `/api/v1/orders/${order.id}/fulfillment`)).json().fulfillment).toMatchObject({ receiptClockPaused: true, confirmDeadlineAt: null });
    clock.advance(12 * DAY); // past the original deadline (sessions last longer than this test)
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, order.id)).state).toBe('delivered');
    await inTx((tx) => t.fulfillment.receiptClock.resume(tx, order.id, clock.now()));
    const resumed = (await get(buyer, `/api/v1/orders/${order.id}/fulfillment`)).json().fulfillment;
    expect(Date.parse(resumed.confirmDeadlineAt) - clock.now().getTime()).toBe(6 * DAY);
    clock.advance(6 * DAY + 1000);
    await t.scheduler.drain();
    expect((await orderOf(t, buyer, order.id)).state).toBe('completed');
  });

  it('the buyer confirms receipt of a shipped order; nobody else can', async () => {
    const order = await paidOrder(t, shop, buyer, addressId);
    const early = await post(buyer, `/api/v1/orders/${order.id}/confirm-receipt`);
    expect([early.statusCode, early.json().error.code]).toEqual([409, 'invalid_transition']);
    expect((await ship(order.id, [{ carrier: 'zhongtong', trackingNumber: '781300000004' }])).statusCode).toBe(201);
    expect((await post({ cookie: shop.owner.cookie }, `/api/v1/orders/${order.id}/confirm-receipt`)).statusCode).toBe(404);
    expect((await post({}, `/api/v1/orders/${order.id}/confirm-receipt`)).statusCode).toBe(401);
    const res = await post(buyer, `/api/v1/orders/${order.id}/confirm-receipt`);
    expect(res.json().order.state).toBe('completed');
    clock.advance(30 * 24 * 3600_000);
    expect((await t.scheduler.drain())['fulfillment.auto-confirm']).toBe(0);
  });
});
