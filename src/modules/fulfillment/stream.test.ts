import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, type TestShop } from '../../../test/helpers/commerce.js';
import { makeApiKey } from '../../../test/helpers/factories.js';
import { eventually, openStream, paidOrder, pushForm, sendPush } from './test-support.js';

let t: TestApp & { url: string };
let shop: TestShop;
let otherShop: TestShop;
let buyer: TestUser;
let addressId: string;

beforeAll(async () => {
  t = await createCommerceTestApp({ env: { SSE_HEARTBEAT_MS: '300' } });
  const admin = await t.newAdmin();
  shop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 100 }] });
  otherShop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 100 }] });
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
});
afterAll(() => t.close());

const base = Date.now() - 3600_000;
const events = (n: number) => Array.from({ length: n }, (_, i) => ({ at: new Date(base + i * 60_000), context: `【杭州市】第 ${i + 1} 站`, status: i === 0 ? '揽收' : '在途' }));

describe('GET /api/v1/orders/:id/events', () => {
  it('replays after Last-Event-ID on reconnection, then streams live: nothing lost, nothing repeated', async () => {
    const order = await paidOrder(t, shop, buyer, addressId);
    const url = `${t.url}/api/v1/orders/${order.id}/events`;
    const first = openStream(url, { headers: { cookie: buyer.cookie } });
    // From the start: the order's history so far (placed, paid, accepted).
    await first.waitFor((e) => e.length >= 3);
    expect(first.status()).toBe(200);
    expect(first.events.map((e) => e.data.type)).toEqual(['order.place', 'order.pay', 'order.accept']);

    const shipped = await t.app.inject({ method: 'POST', url: `/api/v1/merchant/orders/${order.id}/shipments`, headers: { cookie: shop.owner.cookie }, payload: { parcels: [{ carrier: 'zhongtong', trackingNumber: '781400000001' }] } });
    expect(shipped.statusCode).toBe(201);
    const secret = t.fulfillment.settings.saltSecret;
    await sendPush(t, pushForm(secret, 'zhongtong', '781400000001', events(2)));
    await first.waitFor((e) => e.length >= 8);
    // Shipped (the parcel, then the order), two tracking events, and the parcel in transit.
    expect(first.events.slice(3).map((e) => e.data.type)).toEqual(['shipment.ship', 'order.ship', 'shipment.tracking_event', 'shipment.tracking_event', 'shipment.move']);
    // A heartbeat keeps proxies from closing an idle stream.
    await eventually(async () => first.comments, (c) => c.includes('keep-alive'));
    first.close();
    await eventually(async () => t.fulfillment.streams.openCount(), (n) => n === 0);

    // While the buyer is away: two more tracking events.
    await sendPush(t, pushForm(secret, 'zhongtong', '781400000001', events(4)));
    const lastSeen = first.events.at(-1)!.id;
    const second = openStream(url, { headers: { cookie: buyer.cookie, 'last-event-id': String(lastSeen) } });
    await second.waitFor((e) => e.length >= 2);
    expect(second.events.map((e) => e.data.data.context)).toEqual(['【杭州市】第 3 站', '【杭州市】第 4 站']);
    // Live again: one new event, once, although the push repeats the old ones.
    await sendPush(t, pushForm(secret, 'zhongtong', '781400000001', events(5)));
    await second.waitFor((e) => e.length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(second.events.map((e) => e.data.data.context)).toEqual(['【杭州市】第 3 站', '【杭州市】第 4 站', '【杭州市】第 5 站']);
    const ids = [...first.events, ...second.events].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    second.close();
  });

  it('is for the order’s buyer and store only', async () => {
    const order = await paidOrder(t, shop, buyer, addressId);
    const url = `${t.url}/api/v1/orders/${order.id}/events`;
    const statusOf = async (headers: Record<string, string>) => {
      const s = openStream(url, { headers });
      await s.ready;
      if (s.status() === 200) await s.waitFor((e) => e.length >= 1);
      s.close();
      return s.status();
    };
    const stranger = await t.newUser();
    expect(await statusOf({ cookie: stranger.cookie })).toBe(404);
    expect(await statusOf({ cookie: otherShop.owner.cookie })).toBe(404);
    expect(await statusOf({ authorization: await makeApiKey(t, otherShop, ['orders:read']) })).toBe(404);
    expect(await statusOf({})).toBe(401);
    expect(await statusOf({ cookie: stranger.cookie, 'last-event-id': '0' })).toBe(404);
    expect((await fetch(`${t.url}/api/v1/orders/ord_nope/events`, { headers: { cookie: buyer.cookie } })).status).toBe(404);
    expect(await statusOf({ cookie: shop.owner.cookie })).toBe(200);
    expect(await statusOf({ authorization: await makeApiKey(t, shop, ['orders:read']) })).toBe(200);
    expect(await statusOf({ cookie: buyer.cookie })).toBe(200);
  });
});
