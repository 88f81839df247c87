/** Helpers for the fulfillment tests (not a test file itself). */
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { checkout, payWithSandbox, type TestShop } from '../../../test/helpers/commerce.js';
import { formatChinaTime, pushSign, saltFor } from './kuaidi100.js';
import { PUSH_PATH } from './kuaidi100.js';

export type Who = { cookie?: string; authorization?: string };
export const headers = (who: Who) => ({ ...(who.cookie ? { cookie: who.cookie } : {}), ...(who.authorization ? { authorization: who.authorization } : {}) });

/** A paid order of an auto-accept shop (so: to_ship), buying these SKUs of the shop. */
export async function paidOrder(t: TestApp, shop: TestShop, buyer: TestUser, addressId: string, lines: { sku?: number; quantity: number }[] = [{ quantity: 1 }]) {
  let res;
  if (lines.length === 1) res = await checkout(t, buyer, { buyNow: { skuId: shop.skuIds[lines[0]!.sku ?? 0]!, quantity: lines[0]!.quantity }, addressId });
  else {
    const ids: string[] = [];
    for (const l of lines) {
      const added = await t.app.inject({ method: 'POST', url: '/api/v1/cart/items', headers: { cookie: buyer.cookie }, payload: { skuId: shop.skuIds[l.sku ?? 0], quantity: l.quantity } });
      expect(added.statusCode).toBe(201);
      ids.push(added.json().line.id);
    }
    res = await checkout(t, buyer, { cartLineIds: ids, addressId });
  }
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  await payWithSandbox(t, buyer, body.payment.id);
  return body.orders[0] as { id: string; items: { id: string; quantity: number }[] };
}

export type PushEventInput = { at: Date; context: string; status?: string; areaName?: string };

/** A Kuaidi100 push as the carrier feed sends it: events newest first, signed with the parcel's salt. */
export function pushForm(secret: string, com: string, nu: string, events: PushEventInput[], options: { status?: string; state?: string; ischeck?: string; salt?: string } = {}) {
  const sorted = [...events].sort((a, b) => b.at.getTime() - a.at.getTime());
  const param = JSON.stringify({
    status: options.status ?? 'polling',
    billstatus: 'got',
    message: '',
    lastResult: {
      message: 'ok',
      state: options.state ?? '0',
      status: '200',
      condition: '00',
      ischeck: options.ischeck ?? '0',
      com,
      nu,
      data: sorted.map((e) => ({ context: e.context, time: formatChinaTime(e.at), ftime: formatChinaTime(e.at), status: e.status ?? '在途', areaName: e.areaName ?? '浙江省,杭州市' })),
    },
  });
  const sign = pushSign(param, options.salt ?? saltFor(secret, com, nu));
  return { param, sign, body: new URLSearchParams({ param, sign }).toString() };
}

export async function sendPush(t: TestApp, form: { body: string }) {
  return t.app.inject({ method: 'POST', url: PUSH_PATH, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.body });
}

/** Waits until `check` holds (polling), or fails with what it saw last. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
