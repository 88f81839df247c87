import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, orderOf, type TestShop } from '../../../test/helpers/commerce.js';
import { queryRows } from '../../platform/db.js';
import { eventually, headers, paidOrder, pushForm, sendPush, type Who } from './test-support.js';

let t: TestApp & { url: string };
let admin: TestUser;
let shop: TestShop;
let buyer: TestUser;
let addressId: string;
let secret: string;
/** The salt secret before a rotation: parcels subscribed then push with salts derived from it. */
const PREVIOUS_SECRET = 'flowmart-kuaidi100-salt-before-rotation';

beforeAll(async () => {
  t = await createCommerceTestApp({ env: { SANDBOX_CARRIER_SPAN_MS: '1500', KUAIDI100_SALT_SECRET_PREVIOUS: PREVIOUS_SECRET } });
  secret = t.fulfillment.settings.saltSecret;
  admin = await t.newAdmin();
  shop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 500 }, { price: 4500, onHand: 500 }] });
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
});
afterAll(() => t.close());

const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: headers(who) });
const ship = (orderId: string, parcels: unknown[]) => t.app.inject({ method: 'POST', url: `/api/v1/merchant/orders/${orderId}/shipments`, headers: { cookie: shop.owner.cookie }, payload: { parcels } });
const fulfillmentOf = async (orderId: string) => (await get({ cookie: buyer.cookie }, `/api/v1/orders/${orderId}/fulfillment`)).json().fulfillment;
const eventCount = async (shipmentId: string) => (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from tracking_events where shipment_id = ${shipmentId}`))[0]!.n;
const flowCount = async (shipmentId: string) => (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from flow_events where object_id = ${shipmentId} and type = 'shipment.tracking_event'`))[0]!.n;

const base = Date.now() - 3 * 3600_000;
const at = (minutes: number) => new Date(base + minutes * 60_000);

async function shippedParcel(number: string, carrier = 'zhongtong') {
  const order = await paidOrder(t, shop, buyer, addressId);
  const res = await ship(order.id, [{ carrier, trackingNumber: number }]);
  expect(res.statusCode, res.body).toBe(201);
  return { order, shipment: res.json().shipments[0] as { id: string } };
}

describe('the Kuaidi100 push endpoint', () => {
  it('refuses a bad signature with a 4xx and stores nothing', async () => {
    const { shipment } = await shippedParcel('781200000001');
    const events = [{ at: at(0), context: '【深圳市】已揽收', status: '揽收' }];
    const forged = pushForm(secret, 'zhongtong', '781200000001', events, { salt: 'not-the-salt' });
    const res = await sendPush(t, forged);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'invalid_signature']);
    // Tampering after signing is the same.
    const good = pushForm(secret, 'zhongtong', '781200000001', events);
    const tampered = new URLSearchParams({ param: good.param.replace('已揽收', '已签收'), sign: good.sign }).toString();
    expect((await sendPush(t, { body: tampered })).statusCode).toBe(400);
    expect((await sendPush(t, { body: 'param=%7B%7D' })).json().error.code).toBe('malformed_push');
    expect((await sendPush(t, { body: 'nothing=here' })).json().error.code).toBe('malformed_push');
    expect(await eventCount(shipment.id)).toBe(0);
    expect(await flowCount(shipment.id)).toBe(0);
  });

  it('after a rotation, accepts pushes signed with salts of the previous secret, and no other', async () => {
    const { shipment } = await shippedParcel('781200000011');
    const events = [{ at: at(0), context: '【深圳市】已揽收', status: '揽收' }];
    const other = await sendPush(t, pushForm('flowmart-some-other-salt-secret', 'zhongtong', '781200000011', events));
    expect([other.statusCode, other.json().error.code]).toEqual([400, 'invalid_signature']);
    const previous = await sendPush(t, pushForm(PREVIOUS_SECRET, 'zhongtong', '781200000011', events));
    expect([previous.statusCode, previous.json().returnCode]).toEqual([200, '200']);
    expect(await eventCount(shipment.id)).toBe(1);
  });

  it('answers per protocol and stores a replayed push once', async () => {
    const { order, shipment } = await shippedParcel('781200000002');
    const form = pushForm(secret, 'zhongtong', '781200000002', [
      { at: at(0), context: '【深圳市】中通快递 宝安营业部 已揽收', status: '揽收', areaName: '广东省,深圳市' },
      { at: at(60), context: '【深圳市】快件已到达 深圳转运中心', status: '在途', areaName: '广东省,深圳市' },
    ], { state: '0' });
    const first = await sendPush(t, form);
    expect([first.statusCode, first.json()]).toEqual([200, { result: true, returnCode: '200', message: '成功' }]);
    const again = await sendPush(t, form);
    expect([again.statusCode, again.json()]).toEqual([200, { result: true, returnCode: '200', message: '成功' }]);
    expect(await eventCount(shipment.id)).toBe(2);
    expect(await flowCount(shipment.id)).toBe(2);
    const view = await fulfillmentOf(order.id);
    expect(view.shipments[0]).toMatchObject({ state: 'in_transit', trackingCode: 0, latest: { context: '【深圳市】快件已到达 深圳转运中心', areaName: '广东省,深圳市' } });
    expect(view.shipments[0].events.map((e: { status: string }) => e.status)).toEqual(['揽收', '在途']);
    // An unknown parcel is acknowledged (so the feed stops) and ignored.
    const stranger = await sendPush(t, pushForm(secret, 'zhongtong', '789999999999', [{ at: at(0), context: 'x' }]));
    expect(stranger.json()).toMatchObject({ result: true, returnCode: '200' });
  });

  it('builds the right timeline from pushes that arrive out of order, and never moves a parcel back', async () => {
    const { order, shipment } = await shippedParcel('781200000003');
    const e1 = { at: at(0), context: '【深圳市】已揽收', status: '揽收' };
    const e2 = { at: at(60), context: '【深圳市】快件已发往 杭州转运中心', status: '在途' };
    const e3 = { at: at(180), context: '【杭州市】快递员 王师傅 正在派件', status: '派件' };
    // The newest push first (all three), then an older one (two), then the oldest (one).
    expect((await sendPush(t, pushForm(secret, 'zhongtong', '781200000003', [e1, e2, e3], { state: '5' }))).statusCode).toBe(200);
    expect((await sendPush(t, pushForm(secret, 'zhongtong', '781200000003', [e1, e2]))).statusCode).toBe(200);
    expect((await sendPush(t, pushForm(secret, 'zhongtong', '781200000003', [e1], { state: '1' }))).statusCode).toBe(200);
    let view = (await fulfillmentOf(order.id)).shipments[0];
    expect(view.events.map((e: { context: string }) => e.context)).toEqual([e1.context, e2.context, e3.context]);
    expect(view).toMatchObject({ state: 'out_for_delivery', trackingCode: 5, latest: { context: e3.context } });

    // A push carrying only an event that happened between others slots in by time.
    const between = { at: at(120), context: '【杭州市】快件已到达 杭州转运中心', status: '在途' };
    await sendPush(t, pushForm(secret, 'zhongtong', '781200000003', [e1, between]));
    view = (await fulfillmentOf(order.id)).shipments[0];
    expect(view.events.map((e: { context: string }) => e.context)).toEqual([e1.context, e2.context, between.context, e3.context]);
    expect(view.state).toBe('out_for_delivery');
    expect(await flowCount(shipment.id)).toBe(4);
    // The parcel's flow events: shipped, then one per state change.
    const moves = await queryRows<{ type: string }>(t.database.db, sql`select type from flow_events where object_id = ${shipment.id} and type <> 'shipment.tracking_event' order by seq`);
    expect(moves.map((m) => m.type)).toEqual(['shipment.ship', 'shipment.dispatch']);
  });

  it('签收 of every parcel delivers the order; 疑难 / 拒签 raise an exception the store and the platform see', async () => {
    const order = await paidOrder(t, shop, buyer, addressId, [{ sku: 0, quantity: 1 }, { sku: 1, quantity: 1 }]);
    const shipped = await ship(order.id, [
      { carrier: 'yunda', trackingNumber: '4300000000011', items: [{ orderItemId: order.items[0]!.id, quantity: 1 }] },
      { carrier: 'yunda', trackingNumber: '4300000000012' },
    ]);
    expect(shipped.json().orderState).toBe('shipped');
    const signed = (nu: string) => pushForm(secret, 'yunda', nu, [{ at: at(0), context: '已揽收', status: '揽收' }, { at: at(300), context: '【杭州市】已签收，签收人：本人', status: '签收' }], { state: '3', ischeck: '1', status: 'shutdown' });
    await sendPush(t, signed('4300000000011'));
    expect((await orderOf(t, buyer, order.id)).state).toBe('shipped');

    // The second parcel is refused first (拒签) …
    await sendPush(t, pushForm(secret, 'yunda', '4300000000012', [{ at: at(0), context: '已揽收', status: '揽收' }, { at: at(200), context: '【杭州市】收件人拒收', status: '拒签' }], { state: '14' }));
    let view = await fulfillmentOf(order.id);
    expect(view.shipments.map((s: { state: string }) => s.state)).toEqual(['delivered', 'exception']);
    expect(view.shipments[1].exception.kind).toBe('refused');
    const merchantSummary = (await get({ cookie: shop.owner.cookie }, `/api/v1/merchant/orders/tracking?ids=${order.id}`)).json().items[0];
    expect(merchantSummary).toMatchObject({ parcels: 2, delivered: 1, exceptions: 1 });
    expect((await get({ cookie: shop.owner.cookie }, '/api/v1/merchant/fulfillment/stats')).json().stats.exceptions).toBe(1);
    const exceptions = (await get({ cookie: admin.cookie }, `/api/v1/admin/fulfillment/exceptions?merchantId=${shop.merchantId}`)).json().items;
    expect(exceptions.map((s: { trackingNumber: string; exception: { kind: string } }) => [s.trackingNumber, s.exception.kind])).toEqual([['4300000000012', 'refused']]);

    // … then redelivered and signed: the exception clears and the order is delivered.
    await sendPush(t, signed('4300000000012'));
    view = await fulfillmentOf(order.id);
    expect(view.shipments.map((s: { state: string; exception: unknown }) => [s.state, s.exception])).toEqual([['delivered', null], ['delivered', null]]);
    const detail = await orderOf(t, buyer, order.id);
    expect(detail.state).toBe('delivered');
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'order.deliver', from: 'shipped', to: 'delivered', actor: { kind: 'provider', id: 'kuaidi100' } });
    expect(view.deliveredAt).not.toBeNull();
    expect(Date.parse(view.confirmDeadlineAt) - Date.parse(view.deliveredAt)).toBe(10 * 24 * 3600_000);

    // 疑难 on another parcel.
    const { order: o2 } = await shippedParcel('781200000004');
    await sendPush(t, pushForm(secret, 'zhongtong', '781200000004', [{ at: at(0), context: '派件不成功，电话无人接听', status: '疑难' }], { state: '2' }));
    expect((await fulfillmentOf(o2.id)).shipments[0].exception.kind).toBe('difficult');
  });
});

describe('a burst of pushes', () => {
  it('is stored in batches exactly as one push at a time would be: each event once, states right, the order delivered once', async () => {
    const order = await paidOrder(t, shop, buyer, addressId, [{ sku: 0, quantity: 1 }, { sku: 1, quantity: 1 }]);
    const shipped = await ship(order.id, [
      { carrier: 'yunda', trackingNumber: '4300000000021', items: [{ orderItemId: order.items[0]!.id, quantity: 1 }] },
      { carrier: 'yunda', trackingNumber: '4300000000022' },
    ]);
    const [first, second] = shipped.json().shipments as { id: string }[];
    const { order: other, shipment: lone } = await shippedParcel('781200000031');
    const picked = { at: at(0), context: '已揽收', status: '揽收' };
    const moving = { at: at(60), context: '【杭州市】快件已到达 杭州转运中心', status: '在途' };
    const signedEvent = { at: at(300), context: '【杭州市】已签收，签收人：本人', status: '签收' };
    const signed = (nu: string) => pushForm(secret, 'yunda', nu, [picked, moving, signedEvent], { state: '3', ischeck: '1', status: 'shutdown' });
    const burst = [
      pushForm(secret, 'yunda', '4300000000021', [picked]),
      pushForm(secret, 'yunda', '4300000000021', [picked, moving]),
      signed('4300000000021'),
      signed('4300000000021'), // a replay in the same burst
      pushForm(secret, 'yunda', '4300000000022', [picked, moving]),
      signed('4300000000022'),
      pushForm(secret, 'zhongtong', '781200000031', [picked, moving], { state: '0' }),
      pushForm(secret, 'zhongtong', '781200000031', [picked], { state: '1' }), // older news, arriving late
      pushForm(secret, 'zhongtong', '781200000031', [picked, moving], { salt: 'forged' }),
    ];
    const answers = await Promise.all(burst.map((form) => sendPush(t, form)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 400]);

    expect([await eventCount(first!.id), await eventCount(second!.id), await eventCount(lone.id)]).toEqual([3, 3, 2]);
    expect([await flowCount(first!.id), await flowCount(second!.id), await flowCount(lone.id)]).toEqual([3, 3, 2]);
    const view = await fulfillmentOf(order.id);
    expect(view.shipments.map((s: { state: string }) => s.state)).toEqual(['delivered', 'delivered']);
    const detail = await orderOf(t, buyer, order.id);
    expect(detail.state).toBe('delivered');
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'order.deliver')).toHaveLength(1);
    expect((await fulfillmentOf(other.id)).shipments[0]).toMatchObject({ state: 'in_transit', latest: { context: moving.context } });
    // In the log, a parcel's tracking events come before the move they caused.
    const log = await queryRows<{ type: string }>(t.database.db, sql`select type from flow_events where object_id = ${first!.id} order by seq`);
    expect(log.map((e) => e.type).lastIndexOf('shipment.tracking_event')).toBeLessThan(log.map((e) => e.type).indexOf('shipment.sign'));
  });
});

describe('the sandbox carrier', () => {
  it('is subscribed over HTTP and pushes a signed journey 揽收 → 在途 … → 派件 → 签收 that delivers the order', async () => {
    const { order, shipment } = await shippedParcel('SBX0000000101', 'sandbox');
    const done = await eventually(
      () => fulfillmentOf(order.id),
      (f) => f.shipments[0].state === 'delivered',
      15_000,
    );
    const parcel = done.shipments[0];
    expect(parcel.subscription).toBe('subscribed');
    expect(parcel.events.map((e: { status: string }) => e.status)).toEqual(['揽收', '在途', '在途', '在途', '在途', '派件', '签收']);
    expect(parcel.events[0].context).toContain('已揽收');
    expect(parcel.events.at(-1).context).toContain('杭州市');
    const delivered = await orderOf(t, buyer, order.id);
    expect(delivered.state).toBe('delivered');
    expect(delivered.actions).toEqual(['confirm_receipt']);
    // Each event once, though every push repeats the earlier ones.
    expect(await flowCount(shipment.id)).toBe(7);

    // 确认收货 completes it.
    const confirmed = await t.app.inject({ method: 'POST', url: `/api/v1/orders/${order.id}/confirm-receipt`, headers: { cookie: buyer.cookie } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().order).toMatchObject({ state: 'completed' });
    expect(confirmed.json().order.timeline.at(-1)).toMatchObject({ type: 'order.confirm_receipt', actor: { kind: 'user', id: buyer.id } });
    expect((await fulfillmentOf(order.id)).confirmDeadlineAt).toBeNull();
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/orders/${order.id}/confirm-receipt`, headers: { cookie: buyer.cookie } });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'invalid_transition']);
  });

  it('plays a 疑难 ending for numbers ending in 02', async () => {
    const { order } = await shippedParcel('SBX0000000202', 'sandbox');
    const done = await eventually(() => fulfillmentOf(order.id), (f) => f.shipments[0].state === 'exception', 15_000);
    expect(done.shipments[0].exception.kind).toBe('difficult');
    expect((await orderOf(t, buyer, order.id)).state).toBe('shipped');
  });
});
