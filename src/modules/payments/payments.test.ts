import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { checkout, createCommerceTestApp, makeAddress, makeShop, orderOf, payWithSandbox, stockOf, waitForPayment, type TestShop } from '../../../test/helpers/commerce.js';
import { queryRows } from '../../platform/db.js';
import { paymentMachine, paymentStates, refundMachine, refundStates } from './states.js';
import { sign } from './sandbox.js';

const SECRET = 'flowmart-sandbox-dev-secret';

describe('payment and refund state machines', () => {
  it('walk every row and refuse everything else', () => {
    const payment: Record<string, string> = { 'pending succeed': 'succeeded', 'pending fail': 'failed', 'pending close': 'closed' };
    for (const from of paymentStates) for (const event of ['succeed', 'fail', 'close'] as const) expect(paymentMachine.next(from, event)).toBe(payment[`${from} ${event}`]);
    const refund: Record<string, string> = { 'pending succeed': 'succeeded', 'pending fail': 'failed' };
    for (const from of refundStates) for (const event of ['succeed', 'fail'] as const) expect(refundMachine.next(from, event)).toBe(refund[`${from} ${event}`]);
  });

  it('signs like the provider documents: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    expect(sign('secret', 1700000000, '{"a":1}')).toBe(`t=1700000000,v1=${createHmac('sha256', 'secret').update('1700000000.{"a":1}').digest('hex')}`);
    expect(sign('secret', 1700000000, '{"a":1}')).not.toBe(sign('secret', 1700000001, '{"a":1}'));
  });
});

let t: TestApp & { url: string };
let shop: TestShop;
let buyer: TestUser;
let addressId: string;
beforeAll(async () => {
  t = await createCommerceTestApp();
  const admin = await t.newAdmin();
  shop = await makeShop(t, admin, { skus: [{ price: 2500, onHand: 100 }] });
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
});
afterAll(() => t.close());

const place = async (quantity = 1) => {
  const res = await checkout(t, buyer, { buyNow: { skuId: shop.skuIds[0]!, quantity }, addressId });
  expect(res.statusCode).toBe(201);
  return res.json() as { orders: { id: string; total: number }[]; payment: { id: string; amount: number }; orderGroup: { id: string } };
};
const notification = (paymentId: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'pnt_test', paymentId, transactionId: `sbx_${paymentId}`, status: 'succeeded', amount: 2500, currency: 'CNY', occurredAt: new Date().toISOString(), ...overrides });
const deliver = (raw: string, signature?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/hooks/sandbox-pay/notify',
    headers: { 'content-type': 'application/json', ...(signature !== undefined ? { 'sandbox-signature': signature } : {}) },
    payload: raw,
  });
const now = () => Math.floor(Date.now() / 1000);
const paymentState = async (id: string) => (await queryRows<{ state: string }>(t.database.db, sql`select state from payments where id = ${id}`))[0]!.state;

describe('provider notifications', () => {
  it('a forged notification (wrong secret, tampered body, no or stale signature) is 400 and changes nothing', async () => {
    const placed = await place();
    const raw = notification(placed.payment.id);
    const forged = await deliver(raw, sign('not-the-secret', now(), raw));
    expect([forged.statusCode, forged.json().error.code]).toEqual([400, 'invalid_signature']);
    const tampered = await deliver(notification(placed.payment.id, { amount: 1 }), sign(SECRET, now(), raw));
    expect(tampered.json().error.code).toBe('invalid_signature');
    expect((await deliver(raw)).json().error.code).toBe('invalid_signature');
    expect((await deliver(raw, sign(SECRET, now() - 3600, raw))).json().error.code).toBe('invalid_signature');
    expect((await deliver('not json', sign(SECRET, now(), 'not json'))).json().error.code).toBe('malformed_notification');
    expect(await paymentState(placed.payment.id)).toBe('pending');
    expect((await orderOf(t, buyer, placed.orders[0]!.id)).state).toBe('pending_payment');
    const [logged] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from payment_notifications where verified = false`);
    expect(logged!.n).toBeGreaterThanOrEqual(5);
  });

  it('a genuine notification with a different amount or currency is refused (422) and pays nothing', async () => {
    const placed = await place();
    for (const wrong of [{ amount: 1 }, { currency: 'USD' }]) {
      const raw = notification(placed.payment.id, wrong);
      const res = await deliver(raw, sign(SECRET, now(), raw));
      expect([res.statusCode, res.json().error.code]).toEqual([422, 'amount_mismatch']);
    }
    expect(await paymentState(placed.payment.id)).toBe('pending');
  });

  it('a replayed notification changes nothing: stock is committed once', async () => {
    const before = await stockOf(t, shop.skuIds[0]!);
    const placed = await place(2);
    const raw = notification(placed.payment.id, { amount: placed.payment.amount });
    const first = await deliver(raw, sign(SECRET, now(), raw));
    expect(first.json()).toEqual({ received: true, outcome: 'paid' });
    for (let i = 0; i < 3; i++) expect((await deliver(raw, sign(SECRET, now(), raw))).json().outcome).toBe('duplicate');
    expect(await stockOf(t, shop.skuIds[0]!)).toEqual({ onHand: before.onHand - 2, reserved: before.reserved });
    const events = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from flow_events where object_id = ${placed.orders[0]!.id} and type = 'order.pay'`);
    expect(events[0]!.n).toBe(1);
  });

  it('a success whose stock cannot be committed (a broken invariant) is 500 stock_invariant_broken and keeps nothing of the settlement', async () => {
    const placed = await place();
    const skuId = shop.skuIds[0]!;
    // Break the invariant by hand: no unit of the SKU is reserved any more, this order's neither.
    const { reserved } = await stockOf(t, skuId);
    await t.database.db.execute(sql`update skus set reserved = 0 where id = ${skuId}`);
    const before = await stockOf(t, skuId);
    try {
      const raw = notification(placed.payment.id);
      const res = await deliver(raw, sign(SECRET, now(), raw));
      expect([res.statusCode, res.json().error.code]).toEqual([500, 'stock_invariant_broken']);
      expect(await paymentState(placed.payment.id)).toBe('pending');
      expect((await orderOf(t, buyer, placed.orders[0]!.id)).state).toBe('pending_payment');
      expect(await stockOf(t, skuId)).toEqual(before);
      const [events] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from flow_events where object_id in (${placed.payment.id}, ${placed.orders[0]!.id}) and type in ('payment.succeed', 'order.pay')`);
      expect(events!.n).toBe(0);
    } finally {
      await t.database.db.execute(sql`update skus set reserved = ${reserved} where id = ${skuId}`);
    }
  });

  it('an unknown payment is 404', async () => {
    const raw = notification('pay_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F');
    expect((await deliver(raw, sign(SECRET, now(), raw))).statusCode).toBe(404);
  });

  it('a declined payment fails, the orders wait; paying again opens a new payment; a late failure after success is ignored', async () => {
    const placed = await place();
    const declined = await t.app.inject({ method: 'POST', url: `/api/v1/payments/${placed.payment.id}/sandbox/decline`, headers: { cookie: buyer.cookie } });
    expect(declined.statusCode).toBe(202);
    const failed = await waitForPayment(t, buyer, placed.payment.id, 'failed');
    expect(failed.failureReason).toBe('declined_by_payer');
    expect((await orderOf(t, buyer, placed.orders[0]!.id)).state).toBe('pending_payment');
    const again = (await t.app.inject({ method: 'POST', url: `/api/v1/order-groups/${placed.orderGroup.id}/payment`, headers: { cookie: buyer.cookie } })).json().payment;
    expect(again.id).not.toBe(placed.payment.id);
    await payWithSandbox(t, buyer, again.id);
    expect((await orderOf(t, buyer, placed.orders[0]!.id)).state).toBe('to_ship');
    const late = notification(again.id, { status: 'failed', transactionId: 'sbx_other' });
    expect((await deliver(late, sign(SECRET, now(), late))).json().outcome).toBe('ignored');
    expect(await paymentState(again.id)).toBe('succeeded');
  });

  it('the sandbox cashier refuses a second press and another buyer', async () => {
    const placed = await place();
    await payWithSandbox(t, buyer, placed.payment.id);
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/payments/${placed.payment.id}/sandbox/pay`, headers: { cookie: buyer.cookie } });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'payment_not_pending']);
    const other = await t.newUser();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/payments/${placed.payment.id}/sandbox/pay`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
  });

  it('the sandbox cashier takes one of two simultaneous presses, and closes an expired trade instead of paying it', async () => {
    const placed = await place();
    const press = () => t.app.inject({ method: 'POST', url: `/api/v1/payments/${placed.payment.id}/sandbox/pay`, headers: { cookie: buyer.cookie } });
    const answers = await Promise.all([press(), press()]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 409]);
    await waitForPayment(t, buyer, placed.payment.id, 'succeeded');
    const [queued] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from sandbox_pay_notifications where payment_id = ${placed.payment.id}`);
    expect(queued!.n).toBe(1);

    const late = await place();
    await t.database.db.execute(sql`update sandbox_pay_trades set expires_at = now() - interval '1 minute' where payment_id = ${late.payment.id}`);
    const expired = await t.app.inject({ method: 'POST', url: `/api/v1/payments/${late.payment.id}/sandbox/pay`, headers: { cookie: buyer.cookie } });
    expect([expired.statusCode, expired.json().error.code]).toEqual([409, 'payment_expired']);
    const [trade] = await queryRows<{ status: string }>(t.database.db, sql`select status from sandbox_pay_trades where payment_id = ${late.payment.id}`);
    expect(trade!.status).toBe('closed');
  });

  it('the sandbox retries a notification the platform did not accept, with backoff, until it is accepted', async () => {
    const placed = await place();
    // A notification the platform answers with an error (unknown payment) is kept for a retry.
    await t.database.db.execute(
      sql`insert into sandbox_pay_notifications (id, payment_id, body, next_attempt_at, created_at)
          values ('pnt_retry_bad', 'pay_unknown', ${JSON.stringify(JSON.parse(notification('pay_unknown')))}::jsonb, now(), now())`,
    );
    // A second ahead: PostgreSQL's now() has microseconds, a JS Date only milliseconds.
    const due = () => new Date(Date.now() + 1000);
    await t.payments.sandbox!.deliverDue(due());
    const [bad] = await queryRows<{ attempts: number; last_error: string; delivered_at: Date | null; next_attempt_at: Date }>(t.database.db, sql`select attempts, last_error, delivered_at, next_attempt_at from sandbox_pay_notifications where id = 'pnt_retry_bad'`);
    expect(bad).toMatchObject({ attempts: 1, last_error: 'HTTP 404', delivered_at: null });
    expect(new Date(bad!.next_attempt_at).getTime()).toBeGreaterThan(Date.now());

    // A notification whose first attempt was lost is delivered by the next sweep.
    await t.database.db.execute(sql`update sandbox_pay_trades set status = 'paid', transaction_id = 'sbx_retry_ok' where payment_id = ${placed.payment.id}`);
    await t.database.db.execute(
      sql`insert into sandbox_pay_notifications (id, payment_id, body, next_attempt_at, created_at)
          values ('pnt_retry_ok', ${placed.payment.id}, ${notification(placed.payment.id, { transactionId: 'sbx_retry_ok' })}::jsonb, now(), now())`,
    );
    expect(await t.payments.sandbox!.deliverDue(due())).toBe(1);
    expect(await paymentState(placed.payment.id)).toBe('succeeded');
  });
});
