import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { checkout, createCommerceTestApp, makeAddress, makeShop, payWithSandbox, type TestShop } from '../../../test/helpers/commerce.js';
import { storeApplication } from '../../../test/helpers/factories.js';
import { manualClock } from '../../platform/clock.js';
import { queryRows } from '../../platform/db.js';
import { pushForm, sendPush } from '../fulfillment/test-support.js';
import { flowObjectTypes } from './contract.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const start = new Date(Math.floor(Date.now() / 1000) * 1000);
const clock = manualClock(start);
let t: TestApp & { url: string };
let admin: TestUser;
let shop: TestShop;
let buyer: TestUser;
let addressId: string;
let period: { from: string; to: string };
const orders: Record<'a' | 'b' | 'c', { id: string; groupId: string }> = {} as never;
let shipmentId: string;

const get = (url: string, who: { cookie: string } = admin) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
const post = (url: string, who: { cookie: string }, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie: who.cookie }, payload });
const q = (extra: Record<string, string> = {}) => new URLSearchParams({ ...period, ...extra }).toString();

async function placeAndPay(lines: { cart: boolean }, payAfterMs: number) {
  let res;
  if (lines.cart) {
    const added = await post('/api/v1/cart/items', buyer, { skuId: shop.skuIds[0], quantity: 1 });
    expect(added.statusCode, added.body).toBe(201);
    res = await checkout(t, buyer, { cartLineIds: [added.json().line.id], addressId });
  } else {
    res = await checkout(t, buyer, { buyNow: { skuId: shop.skuIds[0]!, quantity: 1 }, addressId });
  }
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  const order = { id: body.orders[0].id as string, groupId: body.orderGroup.id as string, paymentId: body.payment.id as string };
  if (payAfterMs >= 0) {
    clock.advance(payAfterMs);
    await payWithSandbox(t, buyer, order.paymentId);
  }
  return order;
}

/**
 * One store that accepts by hand, three orders with known pauses between their steps:
 *   a (from the cart): place ─10m→ pay ─2h→ accept ─24h→ ship ─1h→ deliver (签收) ─3h→ confirm_receipt
 *   b (buy now):       place ─20m→ pay ─4h→ accept
 *   c (buy now):       place ─5m→ cancel (by the buyer)
 * and one store application refused.
 */
beforeAll(async () => {
  t = await createCommerceTestApp({ clock });
  admin = await t.newAdmin();
  shop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 100 }], rules: { acceptMode: 'manual' } });
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
  const applicant = await t.newUser();
  const applied = await post('/api/v1/merchant/application', applicant, storeApplication());
  expect(applied.statusCode, applied.body).toBe(201);
  expect((await post(`/api/v1/admin/merchants/${applied.json().merchant.id}/reject`, admin, { reason: '营业执照不清晰，请重新上传' })).statusCode).toBe(200);

  clock.advance(MIN);
  const a = await placeAndPay({ cart: true }, 10 * MIN);
  clock.advance(2 * HOUR);
  expect((await post(`/api/v1/merchant/orders/${a.id}/accept`, shop.owner)).statusCode).toBe(200);
  clock.advance(24 * HOUR);
  const shipped = await post(`/api/v1/merchant/orders/${a.id}/shipments`, shop.owner, { parcels: [{ carrier: 'yunda', trackingNumber: '4300000000777' }] });
  expect(shipped.statusCode, shipped.body).toBe(201);
  shipmentId = shipped.json().shipments[0].id;
  clock.advance(HOUR);
  const signedAt = new Date(clock.now().getTime() - 10 * MIN);
  const push = pushForm(t.fulfillment.settings.saltSecret, 'yunda', '4300000000777', [{ at: signedAt, context: '【杭州市】已签收，签收人：本人', status: '签收' }], { state: '3', ischeck: '1', status: 'shutdown' });
  expect((await sendPush(t, push)).statusCode).toBe(200);
  clock.advance(3 * HOUR);
  expect((await post(`/api/v1/orders/${a.id}/confirm-receipt`, buyer)).statusCode).toBe(200);

  const b = await placeAndPay({ cart: false }, 20 * MIN);
  clock.advance(4 * HOUR);
  expect((await post(`/api/v1/merchant/orders/${b.id}/accept`, shop.owner)).statusCode).toBe(200);

  const c = await placeAndPay({ cart: false }, -1);
  clock.advance(5 * MIN);
  expect((await post(`/api/v1/orders/${c.id}/cancel`, buyer)).statusCode).toBe(200);

  Object.assign(orders, { a, b, c });
  clock.advance(MIN);
  period = { from: new Date(start.getTime() - MIN).toISOString(), to: clock.now().toISOString() };
});
afterAll(() => t.close());

describe('funnels', () => {
  it('counts the shopping funnel by stage reached, with conversions, and the listing and store funnels', async () => {
    const res = await get(`/api/v1/admin/analytics/funnel?${q()}`);
    expect(res.statusCode, res.body).toBe(200);
    const { funnel } = res.json();
    expect(funnel.period).toEqual(period);
    const counts = Object.fromEntries(funnel.shopping.steps.map((s: { key: string; count: number }) => [s.key, s.count]));
    expect(counts).toEqual({ carts: 1, placed: 3, paid: 2, accepted: 2, shipped: 1, delivered: 1, completed: 1 });
    const paid = funnel.shopping.steps.find((s: { key: string }) => s.key === 'paid');
    expect(paid.fromPrevious).toBeCloseTo(2 / 3);
    expect(paid.fromFirst).toBe(2);
    const completed = funnel.shopping.steps.at(-1);
    expect([completed.fromPrevious, completed.fromFirst]).toEqual([1, 1]);
    expect(funnel.shopping.steps[0].fromPrevious).toBeNull();
    expect(funnel.shopping.outcomes.find((o: { key: string }) => o.key === 'cancelled')).toEqual({ key: 'cancelled', count: 1, share: 1 / 3 });
    expect(funnel.shopping.outcomes.find((o: { key: string }) => o.key === 'order.cancel').count).toBe(1);

    expect(funnel.listing.steps.map((s: { key: string; count: number }) => [s.key, s.count])).toEqual([['submitted', 1], ['approved', 1]]);
    expect(funnel.merchants.steps.map((s: { key: string; count: number }) => [s.key, s.count])).toEqual([['applied', 2], ['approved', 1]]);
    expect(funnel.merchants.steps[1].fromPrevious).toBe(0.5);
    expect(funnel.merchants.outcomes).toEqual([{ key: 'rejected', count: 1, share: 0.5 }, { key: 'open', count: 0, share: 0 }]);
  });

  it('is empty, not an error, for a period without events; the default period is the last 30 days', async () => {
    const empty = await get(`/api/v1/admin/analytics/funnel?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json().funnel.shopping.steps.map((s: { count: number; fromFirst: unknown }) => [s.count, s.fromFirst])).toEqual(Array(7).fill([0, null]));
    const byDefault = (await get('/api/v1/admin/analytics/funnel')).json().funnel;
    expect(Date.parse(byDefault.period.to) - Date.parse(byDefault.period.from)).toBe(30 * 24 * HOUR);
    expect(byDefault.period.to).toBe(clock.now().toISOString());
    expect(byDefault.shopping.steps[1].count).toBe(3);
  });
});

describe('step durations', () => {
  it('times each step of the order lifecycle exactly and marks the slowest median as the bottleneck', async () => {
    const res = await get(`/api/v1/admin/analytics/steps?${q({ objectType: 'order' })}`);
    expect(res.statusCode, res.body).toBe(200);
    const { steps } = res.json();
    expect(steps.objectType).toBe('order');
    expect(steps.objects).toBe(3);
    const byStep = Object.fromEntries(steps.steps.map((s: { from: string; to: string }) => [`${s.from} → ${s.to}`, s]));
    expect(Object.keys(byStep)).toEqual(
      expect.arrayContaining(['order.place → order.pay', 'order.pay → order.accept', 'order.accept → order.ship', 'order.ship → order.deliver', 'order.deliver → order.confirm_receipt', 'order.place → order.cancel']),
    );
    expect(byStep['order.place → order.pay']).toMatchObject({ count: 2, medianMs: 15 * MIN, p90Ms: 19 * MIN, maxMs: 20 * MIN, bottleneck: false });
    expect(byStep['order.pay → order.accept']).toMatchObject({ count: 2, medianMs: 3 * HOUR, maxMs: 4 * HOUR });
    expect(byStep['order.accept → order.ship']).toMatchObject({ count: 1, medianMs: 24 * HOUR, bottleneck: true });
    expect(byStep['order.ship → order.deliver']).toMatchObject({ count: 1, medianMs: HOUR });
    expect(byStep['order.deliver → order.confirm_receipt']).toMatchObject({ count: 1, medianMs: 3 * HOUR });
    expect(byStep['order.place → order.cancel']).toMatchObject({ count: 1, medianMs: 5 * MIN });
    expect(steps.steps.filter((s: { bottleneck: boolean }) => s.bottleneck)).toHaveLength(1);
    // Along the process: placing comes first, receipt last.
    expect(steps.steps[0].from).toBe('order.place');
    // Notes that are not state changes (a cancellation request, a missed deadline) never make a step.
    expect(steps.steps.every((s: { from: string; to: string }) => s.from !== 'order.request_cancellation' && s.to !== 'order.request_cancellation')).toBe(true);
  });

  it('counts a step in the period it ends in, even when it began before', async () => {
    // From just after order a's acceptance: its ship step (accepted before) still counts; its earlier steps do not.
    const acceptedA = (await queryRows<{ at: Date }>(t.database.db, sql`select occurred_at as at from flow_events where object_id = ${orders.a.id} and type = 'order.accept'`))[0]!.at;
    const from = new Date(new Date(acceptedA).getTime() + MIN).toISOString();
    const { steps } = (await get(`/api/v1/admin/analytics/steps?objectType=order&from=${from}&to=${period.to}`)).json();
    const keys = steps.steps.map((s: { from: string; to: string; count: number }) => `${s.from} → ${s.to} ×${s.count}`);
    expect(keys).toContain('order.accept → order.ship ×1');
    expect(keys).toContain('order.place → order.pay ×1'); // b's
    expect(keys).not.toContain('order.place → order.pay ×2');
  });

  it('times other lifecycles: the parcel, the payment, the product from creation to sale', async () => {
    const shipment = (await get(`/api/v1/admin/analytics/steps?${q({ objectType: 'shipment' })}`)).json().steps;
    expect(shipment.steps).toEqual([expect.objectContaining({ from: 'shipment.ship', to: 'shipment.sign', count: 1, medianMs: HOUR, bottleneck: true })]);
    const payment = (await get(`/api/v1/admin/analytics/steps?${q({ objectType: 'payment' })}`)).json().steps;
    expect(payment.steps.find((s: { to: string }) => s.to === 'payment.succeed')).toMatchObject({ from: 'payment.create', count: 2 });
    const product = (await get(`/api/v1/admin/analytics/steps?${q({ objectType: 'product' })}`)).json().steps;
    expect(product.steps.map((s: { from: string; to: string }) => `${s.from} → ${s.to}`)).toEqual(['product.created → product.submit', 'product.submit → product.approve']);
    // A type without a lifecycle has no steps, and says so.
    expect((await get(`/api/v1/admin/analytics/steps?${q({ objectType: 'cart' })}`)).json().steps).toMatchObject({ objects: 0, steps: [] });
  });
});

describe('exports', () => {
  it('exports OCEL 2.0 JSON: events with their objects and qualifiers, objects with states and O2O links, declared types', async () => {
    const res = await get(`/api/v1/admin/analytics/export.ocel.json?${q()}`);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="flowmart-.*\.ocel\.json"/);
    expect(res.headers['x-flowmart-truncated']).toBe('false');
    const ocel = JSON.parse(res.body);
    expect(Object.keys(ocel)).toEqual(['events', 'objects', 'objectTypes', 'eventTypes', 'flowmart']);

    const pay = ocel.events.find((e: { type: string; relationships: { objectId: string }[] }) => e.type === 'order.pay' && e.relationships.some((r) => r.objectId === orders.a.id));
    expect(pay.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(pay.relationships).toEqual(
      expect.arrayContaining([
        { objectId: orders.a.id, qualifier: 'order' },
        { objectId: orders.a.groupId, qualifier: 'group' },
        { objectId: shop.merchantId, qualifier: 'store' },
        { objectId: buyer.id, qualifier: 'buyer' },
      ]),
    );
    expect(pay.attributes).toEqual(expect.arrayContaining([{ name: 'from', value: 'pending_payment' }, { name: 'to', value: 'paid' }]));

    // Every related object is an object of the log, with its type; the order's state history and links.
    const objects = new Map(ocel.objects.map((o: { id: string }) => [o.id, o]));
    for (const e of ocel.events) for (const r of e.relationships) expect(objects.has(r.objectId), r.objectId).toBe(true);
    expect(new Set(ocel.events.map((e: { id: string }) => e.id)).size).toBe(ocel.events.length);
    const order = objects.get(orders.a.id) as { type: string; attributes: { name: string; value: string }[]; relationships: unknown[] };
    expect(order.type).toBe('order');
    expect(order.attributes.map((a) => a.value)).toEqual(['pending_payment', 'paid', 'to_ship', 'shipped', 'delivered', 'completed']);
    expect(order.relationships).toEqual(expect.arrayContaining([{ objectId: orders.a.groupId, qualifier: 'group' }, { objectId: shop.merchantId, qualifier: 'store' }]));
    expect((objects.get(orders.a.groupId) as { type: string }).type).toBe('order_group');
    const parcel = objects.get(shipmentId) as { type: string; attributes: { value: string }[]; relationships: unknown[] };
    expect(parcel.type).toBe('shipment');
    expect(parcel.attributes.map((a) => a.value)).toEqual(['awaiting_pickup', 'delivered']);
    expect(parcel.relationships).toEqual(expect.arrayContaining([expect.objectContaining({ objectId: orders.a.id })]));

    const eventTypes = new Map(ocel.eventTypes.map((e: { name: string; attributes: unknown[] }) => [e.name, e.attributes]));
    expect(eventTypes.get('order.place')).toEqual(expect.arrayContaining([{ name: 'total', type: 'integer' }, { name: 'actor', type: 'string' }]));
    expect(ocel.objectTypes).toEqual(expect.arrayContaining([{ name: 'order', attributes: [{ name: 'state', type: 'string' }] }, { name: 'order_group', attributes: [] }]));
    expect(ocel.flowmart).toMatchObject({ period, truncated: false });
    expect(ocel.flowmart.events).toBe(ocel.events.length);
  });

  it('keeps to the chosen object types and says when the limit cut it short', async () => {
    const res = await get(`/api/v1/admin/analytics/export.ocel.json?${q({ objectTypes: 'order,order_group', limit: '4' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-flowmart-truncated']).toBe('true');
    const ocel = JSON.parse(res.body);
    expect(ocel.events).toHaveLength(4);
    expect(ocel.events.every((e: { type: string }) => e.type.startsWith('order.'))).toBe(true);
    expect(new Set(ocel.objects.map((o: { type: string }) => o.type))).toEqual(new Set(['order', 'order_group']));
    expect(ocel.flowmart).toMatchObject({ events: 4, truncated: true });
    expect(ocel.flowmart.eventsInPeriod).toBeGreaterThan(4);
  });

  it('exports a classic event log CSV: one case per order, its events oldest first', async () => {
    const res = await get(`/api/v1/admin/analytics/export.csv?${q({ objectType: 'order' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = res.body.trimEnd().split('\r\n');
    expect(header).toBe('case_id,activity,timestamp,resource,event_id');
    const cells = rows.map((r) => r.split(','));
    expect(cells.filter((c) => c[0] === orders.a.id).map((c) => c[1])).toEqual(['order.place', 'order.pay', 'order.accept', 'order.ship', 'order.deliver', 'order.confirm_receipt']);
    expect(cells.filter((c) => c[0] === orders.c.id).map((c) => c[1])).toEqual(['order.place', 'order.cancel']);
    const accept = cells.find((c) => c[0] === orders.a.id && c[1] === 'order.accept')!;
    expect(accept[3]).toBe(`user:${shop.owner.id}`);
    expect(cells.find((c) => c[0] === orders.a.id && c[1] === 'order.deliver')![3]).toBe('provider:kuaidi100');
    const times = cells.map((c) => Date.parse(c[2]!));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(cells.every((c) => c[0]!.startsWith('ord_'))).toBe(true);
  });
});

describe('refusals', () => {
  it('answers bad input with a 400 and a stable code, never a 500', async () => {
    const cases: [string, string][] = [
      ['/api/v1/admin/analytics/steps?objectType=invoice', 'unknown_object_type'],
      [`/api/v1/admin/analytics/export.csv?objectType=nope`, 'unknown_object_type'],
      [`/api/v1/admin/analytics/export.ocel.json?objectTypes=order,nope`, 'unknown_object_type'],
      ['/api/v1/admin/analytics/funnel?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'invalid_period'],
      ['/api/v1/admin/analytics/steps?from=yesterday', 'validation_failed'],
      ['/api/v1/admin/analytics/funnel?to=2026-13-45T00:00:00Z', 'validation_failed'],
      ['/api/v1/admin/analytics/export.csv?limit=0', 'validation_failed'],
      ['/api/v1/admin/analytics/funnel?color=blue', 'validation_failed'],
    ];
    for (const [url, code] of cases) {
      const res = await get(url);
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 400, code]);
    }
    expect((await get('/api/v1/admin/analytics/steps?objectType=invoice')).json().error.details.known).toContain('order');
  });

  it('is for platform admins only', async () => {
    for (const url of ['/api/v1/admin/analytics/funnel', '/api/v1/admin/analytics/steps', '/api/v1/admin/analytics/export.ocel.json', '/api/v1/admin/analytics/export.csv']) {
      expect((await get(url, buyer)).statusCode).toBe(403);
      expect((await get(url, shop.owner)).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });
});

describe('the log the module reads', () => {
  it('names every event `<objectType>.<event>` and uses only the object types analytics knows', async () => {
    const rows = await queryRows<{ type: string; object_type: string }>(t.database.db, sql`select distinct type, object_type from flow_events`);
    expect(rows.filter((r) => !r.type.startsWith(`${r.object_type}.`))).toEqual([]);
    const related = await queryRows<{ type: string }>(t.database.db, sql`select distinct r ->> 'type' as type from flow_events, jsonb_array_elements(related) r`);
    const seen = new Set([...rows.map((r) => r.object_type), ...related.map((r) => r.type)]);
    expect([...seen].filter((type) => !(flowObjectTypes as readonly string[]).includes(type))).toEqual([]);
  });
});
