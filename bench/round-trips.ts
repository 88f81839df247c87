/**
 * `npx tsx bench/round-trips.ts`: database round trips per request on the hot paths, on
 * PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Unlike req/s, the count does not depend on what else the machine is doing, so it shows whether
 * a change made a path leaner even on a busy machine. Every statement sent by the platform's pool
 * counts, BEGIN and COMMIT included; the NOTIFY listener's connection is not part of the pool.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { queryRows } from '../src/platform/db.js';
import { createCommerceTestApp, makeAddress, makeShop } from '../test/helpers/commerce.js';
import { serverUrl } from './harness.js';

process.env.TEST_DATABASE_URL ??= serverUrl;

// Only statements sent on behalf of a measured request count, not background work (search indexing,
// the scheduler) that happens to run meanwhile.
const measured = new AsyncLocalStorage<true>();
let statements = 0;
/** While set, every statement of the pool counts, whoever sends it (for work that runs outside the request, like a provider's notification). */
let countingAll = false;
// Pool.query (one statement outside a transaction) loses the async context inside the pool, so it is
// counted on entry; Client.query counts the statements of transactions, on a checked-out client,
// and skips the pool's own calls (those pass a callback).
const poolQuery = pg.Pool.prototype.query;
pg.Pool.prototype.query = function counted(this: pg.Pool, ...args: unknown[]) {
  if (measured.getStore() || countingAll) {
    statements += 1;
    if (process.env.SHOW_SQL) console.log('POOL', String((args[0] as { text?: string }).text ?? args[0]).replace(/\s+/g, ' ').slice(0, 200));
  }
  return (poolQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof poolQuery;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  if ((measured.getStore() || countingAll) && typeof args.at(-1) !== 'function') {
    statements += 1;
    if (process.env.SHOW_SQL) console.log('CLIENT', String((args[0] as { text?: string }).text ?? args[0]).replace(/\s+/g, ' ').slice(0, 200));
  }
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;

const t = await createCommerceTestApp();
try {
  const admin = await t.newAdmin();
  const shopA = await makeShop(t, admin, { skus: [{ price: 3900, onHand: 1000 }, { price: 2900, onHand: 1000 }] });
  const shopB = await makeShop(t, admin, { skus: [{ price: 5900, onHand: 1000 }] });
  const shopper = await t.newUser();
  const addressId = await makeAddress(t, shopper);
  const inject = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, payload, headers: { cookie: shopper.cookie, ...headers } });

  // From here on, whatever this code starts is measured; background work began earlier, from
  // sockets and timers created before, and carries no mark.
  measured.enterWith(true);
  const rows: Record<string, number | string>[] = [];
  const measure = async (name: string, times: number, run: (i: number) => Promise<unknown>) => {
    await run(-1); // warm: first-time caches and lazily created rows are not the steady state
    const before = statements;
    for (let i = 0; i < times; i++) await run(i);
    rows.push({ request: name, 'statements per request': Number(((statements - before) / times).toFixed(1)) });
  };

  await measure('GET /api/v1/me', 20, () => inject('GET', '/api/v1/me'));
  await measure('POST /api/v1/cart/items', 20, () => inject('POST', '/api/v1/cart/items', { skuId: shopA.skuIds[0], quantity: 1 }));
  await measure('GET /api/v1/cart', 20, () => inject('GET', '/api/v1/cart'));
  const skus = [...shopA.skuIds, ...shopB.skuIds];
  const paymentIds: string[] = [];
  await measure('POST /api/v1/checkout (3 SKUs, 2 stores)', 10, async (i) => {
    const lines: string[] = [];
    const before = statements;
    for (const skuId of skus) lines.push((await inject('POST', '/api/v1/cart/items', { skuId, quantity: 1 })).json().line.id);
    statements = before; // only the checkout counts
    const placed = await inject('POST', '/api/v1/checkout', { cartLineIds: lines, addressId }, { 'idempotency-key': `round-trip-${i}` });
    if (placed.statusCode !== 201) throw new Error(`checkout: ${placed.statusCode} ${placed.body}`);
    paymentIds.push(placed.json().payment.id);
  });
  // The sandbox's notification arrives over HTTP, outside the pay request: count everything the pool
  // sends until the payment is settled, except the polling.
  const settled = async (paymentId: string) => {
    const saved = statements;
    countingAll = false;
    const [row] = await queryRows<{ state: string }>(t.database.db, sql`select state from payments where id = ${paymentId}`);
    statements = saved;
    countingAll = true;
    return row!.state === 'succeeded';
  };
  await measure('POST sandbox/pay + its notification, until settled', 10, async (i) => {
    const paymentId = paymentIds.at(i)!;
    countingAll = true;
    const paid = await inject('POST', `/api/v1/payments/${paymentId}/sandbox/pay`);
    if (paid.statusCode !== 202) throw new Error(`pay: ${paid.statusCode} ${paid.body}`);
    while (!(await settled(paymentId))) await new Promise((r) => setTimeout(r, 5));
    // Settling starts background work (search, live updates); give it the same moment every time.
    await new Promise((r) => setTimeout(r, 100));
    countingAll = false;
  });
  console.log('\nDatabase statements per request (PostgreSQL pool)\n');
  console.table(rows);
} finally {
  await t.close();
}
