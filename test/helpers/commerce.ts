import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Clock } from '../../src/platform/clock.js';
import { queryRows } from '../../src/platform/db.js';
import type { StoreRules } from '../../src/modules/orders/index.js';
import { createTestApp, type TestApp, type TestUser } from './app.js';
import { makeCategories, makeOnSaleProduct, productInput } from './catalog.js';
import { makeMerchant, type TestMerchant } from './factories.js';

/** A store selling one product whose SKUs have these prices and stock (at most four). */
export type TestShop = TestMerchant & { productId: string; skuIds: string[] };

const combos = [
  { color: '白色', size: 'M' },
  { color: '白色', size: 'L' },
  { color: '黑色', size: 'M' },
  { color: '黑色', size: 'L' },
];

let leafId: Promise<string> | undefined;
let leafOf: TestApp | undefined;

export async function makeShop(
  t: TestApp,
  admin: TestUser,
  options: { skus?: { price: number; onHand: number }[]; rules?: Partial<StoreRules> } = {},
): Promise<TestShop> {
  if (leafOf !== t) {
    leafOf = t;
    leafId = makeCategories(t, admin).then((c) => c.leafId);
  }
  const merchant = await makeMerchant(t, admin);
  const skus = options.skus ?? [{ price: 7900, onHand: 10 }];
  const base = productInput(await leafId!);
  const product = await makeOnSaleProduct(t, { cookie: merchant.owner.cookie }, admin, await leafId!, {
    specs: [
      { key: 'color', values: [...new Set(combos.slice(0, skus.length).map((c) => c.color))] },
      { key: 'size', values: [...new Set(combos.slice(0, skus.length).map((c) => c.size))] },
    ],
    skus: skus.map((s, i) => ({ code: `${base.code}-${i}`, specs: combos[i], price: s.price, onHand: s.onHand, weightGrams: 200 })),
  });
  if (options.rules) await setRules(t, merchant, options.rules);
  return { ...merchant, productId: product.id, skuIds: product.skus.map((s) => s.id) };
}

export async function setRules(t: TestApp, merchant: TestMerchant, rules: Partial<StoreRules>) {
  const current = (await t.app.inject({ method: 'GET', url: '/api/v1/merchant/order-rules', headers: { cookie: merchant.owner.cookie } })).json().rules;
  const res = await t.app.inject({ method: 'PUT', url: '/api/v1/merchant/order-rules', headers: { cookie: merchant.owner.cookie }, payload: { ...current, ...rules } });
  if (res.statusCode !== 200) throw new Error(`order rules failed: ${res.statusCode} ${res.body}`);
}

/** An address in 杭州 西湖区 (or the given region). */
export async function makeAddress(t: TestApp, user: TestUser, region: { provinceCode: string; cityCode: string; districtCode: string } = { provinceCode: '330000', cityCode: '330100', districtCode: '330106' }) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/addresses',
    headers: { cookie: user.cookie },
    payload: { recipient: '李雷', mobile: '13812345678', ...region, detail: '文三路 90 号' },
  });
  if (res.statusCode !== 201) throw new Error(`address failed: ${res.statusCode} ${res.body}`);
  return res.json().address.id as string;
}

/** The stock columns of a SKU, straight from the database. */
export async function stockOf(t: TestApp, skuId: string): Promise<{ onHand: number; reserved: number }> {
  const [row] = await queryRows<{ on_hand: number; reserved: number }>(t.database.db, sql`select on_hand, reserved from skus where id = ${skuId}`);
  return { onHand: row!.on_hand, reserved: row!.reserved };
}

/**
 * A test app for the shopping flow: uploads in a temporary directory, and listening on a local
 * port, because the sandbox provider notifies the platform over real HTTP.
 */
export async function createCommerceTestApp(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp & { url: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowmart-commerce-'));
  const t = await createTestApp({ clock: options.clock, env: { DATA_DIR: dataDir, ...options.env } });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...t,
    url,
    async close() {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function checkout(t: TestApp, user: TestUser, body: Record<string, unknown>, key: string = randomUUID()) {
  return t.app.inject({ method: 'POST', url: '/api/v1/checkout', headers: { cookie: user.cookie, 'idempotency-key': key }, payload: body });
}

/** Waits until the payment is no longer pending (the sandbox's notification has been handled). */
export async function waitForPayment(t: TestApp, user: TestUser, paymentId: string, state: string, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const payment = (await t.app.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}`, headers: { cookie: user.cookie } })).json().payment;
    if (payment.state === state) return payment;
    if (Date.now() > until) throw new Error(`payment ${paymentId} is ${payment.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The shopper presses 支付 on the sandbox cashier page and the notification arrives. */
export async function payWithSandbox(t: TestApp, user: TestUser, paymentId: string) {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/payments/${paymentId}/sandbox/pay`, headers: { cookie: user.cookie } });
  if (res.statusCode !== 202) throw new Error(`sandbox pay failed: ${res.statusCode} ${res.body}`);
  return waitForPayment(t, user, paymentId, 'succeeded');
}

export async function orderOf(t: TestApp, who: { cookie: string }, orderId: string, as: 'buyer' | 'merchant' = 'buyer') {
  const url = as === 'buyer' ? `/api/v1/orders/${orderId}` : `/api/v1/merchant/orders/${orderId}`;
  return (await t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } })).json().order;
}
