// Two app processes on one PostgreSQL: an event written by one reaches a stream held by the other
// (LISTEN/NOTIFY). Needs TEST_DATABASE_URL; PGlite is one process by nature.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, type TestShop } from '../../../test/helpers/commerce.js';
import { withDatabase } from '../../../test/helpers/database.js';
import { buildApp, type Platform } from '../../app.js';
import { loadConfig } from '../../platform/config.js';
import { type Database, openDatabase, queryRows } from '../../platform/db.js';
import { openStream, paidOrder, pushForm } from './test-support.js';

const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)('live fan-out across two app processes on PostgreSQL', () => {
  let a: TestApp & { url: string };
  let b: { platform: Platform; database: Database; url: string };
  let shop: TestShop;
  let buyer: TestUser;
  let addressId: string;

  beforeAll(async () => {
    a = await createCommerceTestApp();
    const [{ name }] = (await queryRows<{ name: string }>(a.database.db, sql`select current_database() as name`)) as [{ name: string }];
    const database = await openDatabase({ databaseUrl: withDatabase(serverUrl!, name), poolSize: 3 });
    const platform = await buildApp({ config: loadConfig({ SEED: 'none', LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: a.dataDir }), database, logger: false });
    b = { platform, database, url: await platform.app.listen({ port: 0, host: '127.0.0.1' }) };
    const admin = await a.newAdmin();
    shop = await makeShop(a, admin, { skus: [{ price: 3000, onHand: 100 }] });
    buyer = await a.newUser();
    addressId = await makeAddress(a, buyer);
  });
  afterAll(async () => {
    await b?.platform.app.close();
    await b?.database.close();
    await a?.close();
  });

  it('a push ingested by process A reaches the buyer’s stream on process B', async () => {
    const order = await paidOrder(a, shop, buyer, addressId);
    const stream = openStream(`${b.url}/api/v1/orders/${order.id}/events`, { headers: { cookie: buyer.cookie } });
    await stream.waitFor((e) => e.length >= 3);

    const shipped = await fetch(`${a.url}/api/v1/merchant/orders/${order.id}/shipments`, {
      method: 'POST',
      headers: { cookie: shop.owner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ parcels: [{ carrier: 'zhongtong', trackingNumber: '781500000001' }] }),
    });
    expect(shipped.status).toBe(201);
    const form = pushForm(a.fulfillment.settings.saltSecret, 'zhongtong', '781500000001', [{ at: new Date(Date.now() - 60_000), context: '【深圳市】已揽收', status: '揽收' }]);
    const pushed = await fetch(`${a.url}/api/v1/hooks/kuaidi100`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.body });
    expect(await pushed.json()).toEqual({ result: true, returnCode: '200', message: '成功' });

    await stream.waitFor((e) => e.some((x) => x.data.type === 'shipment.tracking_event'));
    expect(stream.events.map((e) => e.data.type)).toEqual(['order.place', 'order.pay', 'order.accept', 'shipment.ship', 'order.ship', 'shipment.tracking_event', 'shipment.collect']);
    expect(stream.events.find((e) => e.data.type === 'shipment.tracking_event')!.data.data.context).toBe('【深圳市】已揽收');
    stream.close();
  });
});
