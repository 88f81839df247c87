import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../test/helpers/app.js';
import { createCommerceTestApp, makeAddress, makeShop, stockOf, type TestShop } from '../../test/helpers/commerce.js';
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
