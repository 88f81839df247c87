import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, stockOf, type TestShop } from '../../test/helpers/commerce.js';
import { untilLockWaits } from '../../test/helpers/database.js';
import { queryRows } from '../platform/db.js';

let t: TestApp & { url: string };
let shop: TestShop;
let buyer: TestUser;
let addressId: string;

/** A checkout over a real socket, which the caller may hang up. */
function placeOverHttp(skuId: string) {
  const body = JSON.stringify({ buyNow: { skuId, quantity: 1 }, addressId });
  const agent = new http.Agent({ keepAlive: false });
  let hangUp!: () => void;
  const answered = new Promise<number | 'hung up'>((resolve) => {
    const req = http.request(
      `${t.url}/api/v1/checkout`,
      { method: 'POST', agent, headers: { cookie: buyer.cookie, 'idempotency-key': randomUUID(), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve('hung up'));
    hangUp = () => req.destroy();
    req.end(body);
  });
  return { answered, hangUp: () => hangUp() };
}

// PostgreSQL: PGlite runs in this process and holds the event loop while it answers, so the
// queue of waiting checkouts drains before a hang-up can even be read.
describe.skipIf(!process.env.TEST_DATABASE_URL)('checkout admission (PostgreSQL)', () => {
  // One checkout at a time, so that the others visibly wait their turn.
  beforeAll(async () => {
    t = await createCommerceTestApp({ env: { CHECKOUT_CONCURRENCY: '1' } });
    shop = await makeShop(t, await t.newAdmin(), { skus: [{ price: 1500, onHand: 1000 }] });
    buyer = await t.newUser();
    addressId = await makeAddress(t, buyer);
  });
  afterAll(() => t.close());

  it('places the waiting checkouts in turn, and none for shoppers who hung up while waiting', async () => {
    const skuId = shop.skuIds[0]!;
    const attempts = Array.from({ length: 30 }, () => placeOverHttp(skuId));
    // When the first answer is in, the last ten are still behind at least eighteen others.
    await Promise.race(attempts.map((a) => a.answered));
    for (const attempt of attempts.slice(20)) attempt.hangUp();
    const answers = await Promise.all(attempts.map((a) => a.answered));
    expect(answers.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(answers.slice(20)).toEqual(Array(10).fill('hung up'));
    // The server finishes with the waiters that hung up after the others: give it that moment.
    await new Promise((r) => setTimeout(r, 200));
    const [groups] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from order_groups where buyer_id = ${buyer.id}`);
    expect(groups!.n).toBe(20);
    expect(await stockOf(t, skuId)).toEqual({ onHand: 1000, reserved: 20 });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('checkout admission: the longest wait (PostgreSQL)', () => {
  let app: TestApp & { url: string };
  afterAll(() => app?.close());

  it('answers 503 busy with Retry-After to a checkout that waited CHECKOUT_MAX_WAIT_SECONDS, and places nothing for it', async () => {
    app = await createCommerceTestApp({ env: { CHECKOUT_CONCURRENCY: '1', CHECKOUT_MAX_WAIT_SECONDS: '1' } });
    const { skuIds } = await makeShop(app, await app.newAdmin(), { skus: [{ price: 1500, onHand: 10 }] });
    const shopper = await app.newUser();
    const address = await makeAddress(app, shopper);
    const place = () => app.app.inject({ method: 'POST', url: '/api/v1/checkout', headers: { cookie: shopper.cookie, 'idempotency-key': randomUUID() }, payload: { buyNow: { skuId: skuIds[0], quantity: 1 }, addressId: address } });
    // Another session holds the SKU's row: the first checkout stops at its write and keeps the one place.
    let release!: () => void;
    let held!: () => void;
    const holding = app.database.db.transaction(async (tx) => {
      await tx.execute(sql`select id from skus where id = ${skuIds[0]!} for update`);
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise<void>((resolve) => (held = resolve));
    const first = place();
    await untilLockWaits(app.database.db, 1);
    const second = await place();
    expect([second.statusCode, second.json().error.code, second.headers['retry-after']]).toEqual([503, 'busy', '5']);
    release();
    await holding;
    expect((await first).statusCode).toBe(201);
    const [groups] = await queryRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from order_groups where buyer_id = ${shopper.id}`);
    expect(groups!.n).toBe(1);
  });
});
