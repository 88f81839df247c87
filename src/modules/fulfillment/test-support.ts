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

export type SseEvent = { id: number; data: { seq: number; type: string; objectType: string; objectId: string; data: Record<string, unknown> } };

/** A Server-Sent Events client over fetch: collects events (and comments) until closed. */
export function openStream(url: string, init: { headers?: Record<string, string> } = {}) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let status = 0;
  let ended = false;
  const ready = fetch(url, { headers: { accept: 'text/event-stream', ...init.headers }, signal: controller.signal }).then(async (res) => {
    status = res.status;
    if (!res.ok || !res.body) {
      ended = true;
      return;
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let id: number | undefined;
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('id: ')) id = Number(line.slice(4));
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (id !== undefined && data) events.push({ id, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted
      } finally {
        ended = true;
      }
    })();
  });
  return {
    events,
    comments,
    status: () => status,
    ended: () => ended,
    ready,
    async waitFor(check: (events: SseEvent[]) => boolean, timeoutMs = 10_000) {
      await ready;
      return eventually(async () => events, check, timeoutMs);
    },
    close() {
      controller.abort();
    },
  };
}
