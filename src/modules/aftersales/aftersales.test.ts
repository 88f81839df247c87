import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, orderOf, stockOf, type TestShop } from '../../../test/helpers/commerce.js';
import { manualClock } from '../../platform/clock.js';
import { headers, paidOrder, type Who } from '../fulfillment/test-support.js';

const clock = manualClock(new Date());
let t: TestApp & { url: string };
let admin: TestUser;
let shop: TestShop;
let otherShop: TestShop;
let buyer: TestUser;
let stranger: TestUser;
let addressId: string;
let n = 0;
const sf = () => `SF${String(1_000_000_000_000 + ++n * 7919)}`;

beforeAll(async () => {
  t = await createCommerceTestApp({ clock });
  admin = await t.newAdmin();
  shop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 500 }, { price: 4500, onHand: 500 }] });
  otherShop = await makeShop(t, admin, { skus: [{ price: 1000, onHand: 50 }] });
  buyer = await t.newUser();
  stranger = await t.newUser();
  addressId = await makeAddress(t, buyer);
});
afterAll(() => t.close());

const post = (who: Who, url: string, payload?: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: headers(who) });
const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: headers(who) });
const owner = () => ({ cookie: shop.owner.cookie });

/** A paid order of `shop`, shipped in one parcel. */
async function shippedOrder(quantity = 2) {
  const order = await paidOrder(t, shop, buyer, addressId, [{ quantity }]);
  const shipped = await post(owner(), `/api/v1/merchant/orders/${order.id}/shipments`, { parcels: [{ carrier: 'shunfeng', trackingNumber: sf() }] });
  expect(shipped.statusCode, shipped.body).toBe(201);
  return { orderId: order.id, itemId: order.items[0]!.id };
}
const request = (orderId: string, body: Record<string, unknown>, who: Who = buyer) => post(who, `/api/v1/orders/${orderId}/aftersales`, { reason: 'damaged', quantity: 1, ...body });
const merchant = (id: string, action: string, body?: unknown, who: Who = owner()) => post(who, `/api/v1/merchant/aftersales/${id}/${action}`, body);
const receiptDeadline = async (orderId: string) => (await get(buyer, `/api/v1/orders/${orderId}/fulfillment`)).json().fulfillment.confirmDeadlineAt as string | null;

describe('refund only (仅退款)', () => {
  it('the store approves: the money goes back through the payment, the receipt clock stops meanwhile', async () => {
    const { orderId, itemId } = await shippedOrder();
    expect(await receiptDeadline(orderId)).not.toBeNull();
    const created = await request(orderId, { orderItemId: itemId, kind: 'refund_only', description: '杯子碎了' });
    expect(created.statusCode, created.body).toBe(201);
    const afs = created.json().aftersales;
    expect(afs).toMatchObject({ state: 'requested', kind: 'refund_only', quantity: 1, amount: 3000, storeName: expect.any(String), actions: ['cancel'], item: { unitPrice: 3000, quantity: 2 } });
    expect(Date.parse(afs.respondBy) - clock.now().getTime()).toBe(48 * 3600_000);
    expect(await receiptDeadline(orderId)).toBeNull();

    // Only the buyer and the store see it.
    expect((await get(stranger, `/api/v1/aftersales/${afs.id}`)).statusCode).toBe(404);
    expect((await get({ cookie: otherShop.owner.cookie }, `/api/v1/merchant/aftersales/${afs.id}`)).statusCode).toBe(404);
    expect((await merchant(afs.id, 'approve', undefined, { cookie: otherShop.owner.cookie })).statusCode).toBe(404);
    const listed = (await get(owner(), '/api/v1/merchant/aftersales?open=true')).json().items;
    expect(listed.find((r: { id: string }) => r.id === afs.id)).toMatchObject({ actions: ['approve', 'reject'] });

    const approved = await merchant(afs.id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().aftersales).toMatchObject({ state: 'refunded', actions: [] });
    const order = await orderOf(t, buyer, orderId);
    expect(order.refunds).toMatchObject([{ amount: 3000, state: 'succeeded' }]);
    expect(await receiptDeadline(orderId)).not.toBeNull();
    const detail = (await get(buyer, `/api/v1/aftersales/${afs.id}`)).json().aftersales;
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['aftersales.request', 'aftersales.approve_refund', 'aftersales.refund_succeed']);
    expect((await merchant(afs.id, 'approve')).json().error.code).toBe('invalid_transition');
  });

  it('refuses what cannot be asked: an order not shipped, more units than bought, a second request, another buyer’s order', async () => {
    const unshipped = await paidOrder(t, shop, buyer, addressId, [{ quantity: 1 }]);
    expect((await request(unshipped.id, { orderItemId: unshipped.items[0]!.id, kind: 'refund_only' })).json().error.code).toBe('order_not_eligible');
    const { orderId, itemId } = await shippedOrder(2);
    expect((await request(orderId, { orderItemId: itemId, kind: 'refund_only', quantity: 3 })).json().error.code).toBe('quantity_exceeds_item');
    expect((await request(orderId, { orderItemId: 'oit_nope', kind: 'refund_only' })).statusCode).toBe(404);
    expect((await request(orderId, { orderItemId: itemId, kind: 'refund_only' }, stranger)).statusCode).toBe(404);
    expect((await request(orderId, { orderItemId: itemId, kind: 'give_me_money' })).statusCode).toBe(400);
    expect((await request(orderId, { orderItemId: itemId, kind: 'refund_only', amount: 1 })).statusCode).toBe(400);
    const first = await request(orderId, { orderItemId: itemId, kind: 'refund_only' });
    expect(first.statusCode).toBe(201);
    const second = await request(orderId, { orderItemId: itemId, kind: 'refund_only' });
    expect([second.statusCode, second.json().error.code]).toEqual([409, 'aftersales_open']);
    // Refunded, 1 of 2 units is covered: the other unit may still be asked for, not two.
    await merchant(first.json().aftersales.id, 'approve');
    expect((await request(orderId, { orderItemId: itemId, kind: 'refund_only', quantity: 2 })).json().error.code).toBe('quantity_exceeds_item');
    expect((await request(orderId, { orderItemId: itemId, kind: 'refund_only', quantity: 1 })).statusCode).toBe(201);
  });

  it('the store’s silence past 48 h approves', async () => {
    const { orderId, itemId } = await shippedOrder(1);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'refund_only' })).json().aftersales;
    await t.aftersales.service.sweepOverdue(clock.now());
    expect((await get(buyer, `/api/v1/aftersales/${afs.id}`)).json().aftersales.state).toBe('requested');
    clock.advance(49 * 3600_000);
    expect(await t.aftersales.service.sweepOverdue(clock.now())).toBeGreaterThanOrEqual(1);
    const after = (await get(buyer, `/api/v1/aftersales/${afs.id}`)).json().aftersales;
    expect(after.state).toBe('refunded');
    expect(after.timeline[1]).toMatchObject({ type: 'aftersales.approve_refund', actor: { kind: 'system', id: 'aftersales_deadline' } });
  });
});

describe('return and refund (退货退款)', () => {
  it('approve → the buyer sends the goods back with a tracking number → the store confirms → refunded', async () => {
    const { orderId, itemId } = await shippedOrder(2);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'return_refund', quantity: 2, reason: 'wrong_item' })).json().aftersales;
    expect(afs.amount).toBe(6000);
    const approved = (await merchant(afs.id, 'approve')).json().aftersales;
    expect(approved).toMatchObject({ state: 'awaiting_return', actions: [], respondBy: null });
    expect((await merchant(afs.id, 'receive-return')).json().error.code).toBe('return_not_shipped');
    const bad = await post(buyer, `/api/v1/aftersales/${afs.id}/return-parcel`, { carrier: 'shunfeng', trackingNumber: 'ABC123' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([422, 'invalid_tracking_number']);
    expect((await post(buyer, `/api/v1/aftersales/${afs.id}/return-parcel`, { carrier: 'nope', trackingNumber: '781234500001' })).json().error.code).toBe('unknown_carrier');
    const number = sf();
    const sent = (await post(buyer, `/api/v1/aftersales/${afs.id}/return-parcel`, { carrier: 'shunfeng', trackingNumber: number.toLowerCase() })).json().aftersales;
    expect(sent).toMatchObject({ state: 'awaiting_return', returnParcel: { carrier: 'shunfeng', carrierNameZh: '顺丰速运', trackingNumber: number }, actions: ['cancel', 'ship_back'] });
    expect((await get(owner(), `/api/v1/merchant/aftersales/${afs.id}`)).json().aftersales.actions).toEqual(['receive_return']);
    const stockBefore = await stockOf(t, shop.skuIds[0]!);
    const soldBefore = (await t.orders.unitsSold([shop.productId])).get(shop.productId)!;
    const received = (await merchant(afs.id, 'receive-return')).json().aftersales;
    expect(received.state).toBe('refunded');
    // The two units are back on the shelf and no longer sold.
    expect((await stockOf(t, shop.skuIds[0]!)).onHand).toBe(stockBefore.onHand + 2);
    expect((await t.orders.unitsSold([shop.productId])).get(shop.productId)).toBe(soldBefore - 2);
    // …and the storefront's listing says so once the index has caught up.
    await t.search.settle();
    const card = (await get({}, `/api/v1/products?store=${shop.merchantId}`)).json().items.find((p: { id: string }) => p.id === shop.productId);
    expect(card.unitsSold).toBe(soldBefore - 2);
    expect((await orderOf(t, buyer, orderId)).refunds).toMatchObject([{ amount: 6000, state: 'succeeded' }]);
    expect((await post(buyer, `/api/v1/aftersales/${afs.id}/cancel`)).json().error.code).toBe('invalid_transition');
  });
});

describe('exchange (换货)', () => {
  it('the goods come back, the store sends a replacement, the buyer confirms: completed, no money moves', async () => {
    const { orderId, itemId } = await shippedOrder(1);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'exchange', reason: 'quality' })).json().aftersales;
    expect(afs.amount).toBe(0);
    await merchant(afs.id, 'approve');
    await post(buyer, `/api/v1/aftersales/${afs.id}/return-parcel`, { carrier: 'zhongtong', trackingNumber: '781234500009' });
    expect((await merchant(afs.id, 'receive-return')).json().aftersales).toMatchObject({ state: 'returned', actions: ['reship'] });
    const reshipped = (await merchant(afs.id, 'reship', { carrier: 'shunfeng', trackingNumber: sf() })).json().aftersales;
    expect(reshipped).toMatchObject({ state: 'reshipped', replacementParcel: { carrier: 'shunfeng' } });
    expect((await get(buyer, `/api/v1/aftersales/${afs.id}`)).json().aftersales.actions).toEqual(['confirm']);
    expect((await post(buyer, `/api/v1/aftersales/${afs.id}/confirm`)).json().aftersales.state).toBe('completed');
    expect((await orderOf(t, buyer, orderId)).refunds).toEqual([]);
    expect(await receiptDeadline(orderId)).not.toBeNull();
  });
});

describe('平台介入 (the platform decides)', () => {
  it('the store refuses, the buyer asks the platform, the platform rules for the buyer: refunded', async () => {
    const { orderId, itemId } = await shippedOrder(1);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'refund_only', reason: 'not_received' })).json().aftersales;
    expect((await merchant(afs.id, 'reject', { reason: '物流显示已签收' })).json().aftersales).toMatchObject({ state: 'rejected', rejectReason: '物流显示已签收' });
    expect((await get(buyer, `/api/v1/aftersales/${afs.id}`)).json().aftersales.actions).toEqual(['cancel', 'escalate']);
    expect((await post(buyer, `/api/v1/aftersales/${afs.id}/escalate`, { reason: '快递柜里没有' })).json().aftersales.state).toBe('escalated');
    const queue = (await get(admin, '/api/v1/admin/aftersales?state=escalated')).json().items;
    expect(queue.map((r: { id: string }) => r.id)).toContain(afs.id);
    expect((await post(buyer, `/api/v1/admin/aftersales/${afs.id}/rule`, { for: 'buyer', note: 'x' })).statusCode).toBe(403);
    const ruled = (await post(admin, `/api/v1/admin/aftersales/${afs.id}/rule`, { for: 'buyer', note: '快递柜记录无取件' })).json().aftersales;
    expect(ruled).toMatchObject({ state: 'refunded', ruling: { for: 'buyer', note: '快递柜记录无取件' } });
    expect((await post(admin, `/api/v1/admin/aftersales/${afs.id}/rule`, { for: 'merchant', note: 'again' })).json().error.code).toBe('invalid_transition');
  });

  it('the platform rules for the store: closed, nothing refunded, the item may not be asked for again', async () => {
    const { orderId, itemId } = await shippedOrder(1);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'refund_only', reason: 'changed_mind' })).json().aftersales;
    await merchant(afs.id, 'reject', { reason: '已使用' });
    await post(buyer, `/api/v1/aftersales/${afs.id}/escalate`, { reason: '没用过' });
    const ruled = (await post(admin, `/api/v1/admin/aftersales/${afs.id}/rule`, { for: 'merchant', note: '照片显示已使用' })).json().aftersales;
    expect(ruled.state).toBe('closed');
    expect((await orderOf(t, buyer, orderId)).refunds).toEqual([]);
    expect(await receiptDeadline(orderId)).not.toBeNull();
  });

  it('a refusal the buyer does not take to the platform within 7 days closes, and the receipt clock goes on', async () => {
    const { orderId, itemId } = await shippedOrder(1);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'refund_only' })).json().aftersales;
    const rejected = (await merchant(afs.id, 'reject', { reason: '不支持' })).json().aftersales;
    expect(Date.parse(rejected.respondBy) - clock.now().getTime()).toBe(7 * 24 * 3600_000);
    expect(await receiptDeadline(orderId)).toBeNull();
    clock.advance(8 * 24 * 3600_000);
    await t.aftersales.service.sweepOverdue(clock.now());
    const after = (await get(buyer, `/api/v1/aftersales/${afs.id}`)).json().aftersales;
    expect(after).toMatchObject({ state: 'closed', actions: [] });
    expect(after.timeline.at(-1)).toMatchObject({ type: 'aftersales.lapse', actor: { kind: 'system', id: 'aftersales_deadline' } });
    expect(await receiptDeadline(orderId)).not.toBeNull();
  });

  it('the buyer may withdraw a request; the item can then be asked for again', async () => {
    const { orderId, itemId } = await shippedOrder(1);
    const afs = (await request(orderId, { orderItemId: itemId, kind: 'refund_only' })).json().aftersales;
    expect((await post(stranger, `/api/v1/aftersales/${afs.id}/cancel`)).statusCode).toBe(404);
    expect((await post(buyer, `/api/v1/aftersales/${afs.id}/cancel`)).json().aftersales.state).toBe('cancelled');
    expect(await receiptDeadline(orderId)).not.toBeNull();
    expect((await request(orderId, { orderItemId: itemId, kind: 'return_refund' })).statusCode).toBe(201);
    const mine = (await get(buyer, '/api/v1/aftersales?limit=2')).json();
    expect(mine.items).toHaveLength(2);
    expect(mine.nextCursor).not.toBeNull();
  });
});
