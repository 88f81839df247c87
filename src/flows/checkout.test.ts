import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../test/helpers/app.js';
import { checkout, createCommerceTestApp, makeAddress, makeShop, orderOf, payWithSandbox, setRules, stockOf, type TestShop } from '../../test/helpers/commerce.js';
import { queryRows } from '../platform/db.js';

let t: TestApp & { url: string };
let admin: TestUser;
let autoShop: TestShop;
let manualShop: TestShop;
beforeAll(async () => {
  t = await createCommerceTestApp();
  admin = await t.newAdmin();
  autoShop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 20 }, { price: 4500, onHand: 20 }], rules: { shippingFee: 800, freeShippingFrom: 10000 } });
  manualShop = await makeShop(t, admin, { skus: [{ price: 7900, onHand: 10 }], rules: { acceptMode: 'manual', shippingFee: 1000 } });
});
afterAll(() => t.close());

const add = (user: TestUser, skuId: string, quantity: number) =>
  t.app.inject({ method: 'POST', url: '/api/v1/cart/items', headers: { cookie: user.cookie }, payload: { skuId, quantity } }).then((r) => r.json().line.id as string);

describe('checkout across two stores', () => {
  let buyer: TestUser;
  let addressId: string;
  let result: { orderGroup: { id: string; total: number }; orders: { id: string; merchantId: string; state: string; total: number }[]; payment: { id: string; amount: number; payUrl: string } };

  beforeAll(async () => {
    buyer = await t.newUser();
    addressId = await makeAddress(t, buyer);
  });

  it('previews per-store totals with shipping, then places one order per store in one group with one payment', async () => {
    const lines = [await add(buyer, autoShop.skuIds[0]!, 2), await add(buyer, autoShop.skuIds[1]!, 1), await add(buyer, manualShop.skuIds[0]!, 1)];
    const preview = await t.app.inject({ method: 'POST', url: '/api/v1/checkout/preview', headers: { cookie: buyer.cookie }, payload: { cartLineIds: lines, addressId } });
    expect(preview.json().preview).toMatchObject({ itemsTotal: 6000 + 4500 + 7900, shippingTotal: 0 + 1000, total: 19400, canPlace: true, problems: [] });

    const res = await checkout(t, buyer, { cartLineIds: lines, addressId, notes: { [manualShop.merchantId]: '请用顺丰' } });
    expect(res.statusCode).toBe(201);
    result = res.json();
    expect(result.orderGroup).toMatchObject({ itemsTotal: 18400, shippingTotal: 1000, total: 19400 });
    expect(result.orderGroup.id).toMatch(/^grp_/);
    expect(result.orders).toHaveLength(2);
    for (const o of result.orders) expect(o.state).toBe('pending_payment');
    const manualOrder = result.orders.find((o) => o.merchantId === manualShop.merchantId)!;
    expect(manualOrder).toMatchObject({ total: 8900, note: '请用顺丰', acceptMode: 'manual', actions: ['pay', 'cancel'] });
    expect(result.payment).toMatchObject({ state: 'pending', amount: 19400, provider: 'sandbox' });
    expect(result.payment.payUrl).toBe(`/pay/sandbox/${result.payment.id}`);

    // Stock is reserved, the bought lines have left the cart.
    expect(await stockOf(t, autoShop.skuIds[0]!)).toEqual({ onHand: 20, reserved: 2 });
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual({ onHand: 10, reserved: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/cart/count', headers: { cookie: buyer.cookie } })).json()).toEqual({ lines: 0, quantity: 0 });
  });

  it('pays through the sandbox: a signed notification over HTTP; auto store → 待发货, manual store → 待接单', async () => {
    await payWithSandbox(t, buyer, result.payment.id);
    const autoOrder = await orderOf(t, buyer, result.orders.find((o) => o.merchantId === autoShop.merchantId)!.id);
    const manualOrder = await orderOf(t, buyer, result.orders.find((o) => o.merchantId === manualShop.merchantId)!.id);
    expect(autoOrder.state).toBe('to_ship');
    // Specs read in the product's dimension order (颜色 before 尺码), as the shopper chose them.
    expect(Object.keys(autoOrder.items[0].specs)).toEqual(['color', 'size']);
    expect(autoOrder.timeline.map((e: { type: string }) => e.type)).toEqual(['order.place', 'order.pay', 'order.accept']);
    expect(autoOrder.timeline[2]).toMatchObject({ from: 'paid', to: 'to_ship', actor: { kind: 'system', id: 'auto_accept' } });
    expect(manualOrder).toMatchObject({ state: 'paid', actions: ['request_cancellation'] });
    expect(manualOrder.acceptDeadlineAt).not.toBeNull();
    // Stock committed at payment; units sold counted.
    expect(await stockOf(t, autoShop.skuIds[0]!)).toEqual({ onHand: 18, reserved: 0 });
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual({ onHand: 9, reserved: 0 });
    expect((await t.orders.unitsSold([autoShop.productId, manualShop.productId])).get(autoShop.productId)).toBe(3);
    // Nothing is left to pay: the group leaves the unpaid sweep's sight.
    const [group] = await queryRows<{ pay_deadline_at: string | null }>(t.database.db, sql`select pay_deadline_at from order_groups where id = ${result.orderGroup.id}`);
    expect(group).toEqual({ pay_deadline_at: null });

    // The manual store accepts in its console: 待发货.
    const accepted = await t.app.inject({ method: 'POST', url: `/api/v1/merchant/orders/${manualOrder.id}/accept`, headers: { cookie: manualShop.owner.cookie } });
    expect(accepted.json().order).toMatchObject({ state: 'to_ship', acceptDeadlineAt: null });
    const tabs = (await t.app.inject({ method: 'GET', url: '/api/v1/orders?tab=to_ship', headers: { cookie: buyer.cookie } })).json();
    expect(tabs.items).toHaveLength(2);
    expect(tabs.counts).toEqual({ pending_payment: 0, to_accept: 0, to_ship: 2, to_receive: 0, completed: 0, cancelled: 0 });
  });

  it('replays by key answer the first result, with the header; the same key for another request is 422', async () => {
    const lines = [await add(buyer, autoShop.skuIds[0]!, 1)];
    const first = await checkout(t, buyer, { cartLineIds: lines, addressId }, 'replay-key-0001');
    expect(first.statusCode).toBe(201);
    const again = await checkout(t, buyer, { cartLineIds: lines, addressId }, 'replay-key-0001');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().orderGroup.id).toBe(first.json().orderGroup.id);
    expect(again.json().payment.id).toBe(first.json().payment.id);
    expect(await stockOf(t, autoShop.skuIds[0]!)).toEqual({ onHand: 18, reserved: 1 });
    const other = await checkout(t, buyer, { buyNow: { skuId: autoShop.skuIds[0]!, quantity: 1 }, addressId }, 'replay-key-0001');
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'idempotency_key_reused']);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/checkout', headers: { cookie: buyer.cookie }, payload: { cartLineIds: lines, addressId } });
    expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'idempotency_key_required']);
  });

  it('a repeat answers the first result even when the stock has sold out since', async () => {
    const admin = await t.newAdmin();
    const lastUnits = await makeShop(t, admin, { skus: [{ price: 5000, onHand: 2 }] });
    const body = { buyNow: { skuId: lastUnits.skuIds[0]!, quantity: 2 }, addressId };
    const first = await checkout(t, buyer, body, 'sold-out-repeat-1');
    expect(first.statusCode).toBe(201);
    const fresh = await checkout(t, buyer, body, 'sold-out-repeat-2');
    expect([fresh.statusCode, fresh.json().error.code]).toEqual([409, 'insufficient_stock']);
    const again = await checkout(t, buyer, body, 'sold-out-repeat-1');
    expect([again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(again.json().orderGroup.id).toBe(first.json().orderGroup.id);
    expect(await stockOf(t, lastUnits.skuIds[0]!)).toEqual({ onHand: 2, reserved: 2 });
  });

  it('concurrent repeats of one key create one group', async () => {
    const body = { buyNow: { skuId: autoShop.skuIds[1]!, quantity: 1 }, addressId };
    const answers = await Promise.all([1, 2, 3].map(() => checkout(t, buyer, body, 'same-key-racing')));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.json().orderGroup.id)).size).toBe(1);
    const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from order_groups where idempotency_key = 'same-key-racing'`);
    expect(row!.n).toBe(1);
  });
});

describe('checkout refusals', () => {
  let buyer: TestUser;
  let addressId: string;
  beforeAll(async () => {
    buyer = await t.newUser();
    addressId = await makeAddress(t, buyer);
  });

  it('takes prices from the server: a price sent by the client is refused, a changed price is charged as it is now', async () => {
    const tampered = await checkout(t, buyer, { buyNow: { skuId: autoShop.skuIds[0]!, quantity: 1, price: 1 }, addressId });
    expect(tampered.statusCode).toBe(400);
    const line = await add(buyer, autoShop.skuIds[0]!, 1);
    await t.database.db.execute(sql`update skus set price = 3500 where id = ${autoShop.skuIds[0]!}`);
    const res = await checkout(t, buyer, { cartLineIds: [line], addressId });
    expect(res.json().orders[0]).toMatchObject({ itemsTotal: 3500, items: [{ unitPrice: 3500, quantity: 1, lineTotal: 3500 }] });
    await t.database.db.execute(sql`update skus set price = 3000 where id = ${autoShop.skuIds[0]!}`);
  });

  it('a shopper who comes too late gets the same 409, whether the sold-out check or the reservation refused', async () => {
    const admin = await t.newAdmin();
    const lastOne = await makeShop(t, admin, { skus: [{ price: 2000, onHand: 1 }] });
    const skuId = lastOne.skuIds[0]!;
    const shoppers = await Promise.all([1, 2, 3, 4, 5].map(async () => {
      const shopper = await t.newUser();
      return { shopper, addressId: await makeAddress(t, shopper) };
    }));
    // At once: most pass the sold-out check together, and all but one are refused by the reservation.
    const answers = await Promise.all(shoppers.map((s) => checkout(t, s.shopper, { buyNow: { skuId, quantity: 1 }, addressId: s.addressId })));
    // Later: refused by the sold-out check.
    answers.push(await checkout(t, buyer, { buyNow: { skuId, quantity: 1 }, addressId }));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(refused).toHaveLength(5);
    for (const answer of refused) {
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error).toMatchObject({ code: 'insufficient_stock', details: { problems: [{ skuId, code: 'insufficient_stock', requested: 1, available: 0 }] } });
    }
    expect(await stockOf(t, skuId)).toEqual({ onHand: 1, reserved: 1 });
  });

  it('422 order_conditions_unmet lists each store’s unmet conditions; nothing is reserved', async () => {
    await setRules(t, manualShop, { minOrderAmount: 20000, deliveryProvinces: ['310000'] });
    const before = await stockOf(t, manualShop.skuIds[0]!);
    const res = await checkout(t, buyer, { buyNow: { skuId: manualShop.skuIds[0]!, quantity: 1 }, addressId });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'order_conditions_unmet',
      details: {
        stores: [
          {
            merchantId: manualShop.merchantId,
            unmet: [
              { code: 'below_minimum_amount', minimum: 20000, itemsTotal: 7900, shortBy: 12100 },
              { code: 'province_not_served', provinceCode: '330000', provinces: ['310000'] },
            ],
          },
        ],
      },
    });
    expect(await stockOf(t, manualShop.skuIds[0]!)).toEqual(before);
    const preview = await t.app.inject({ method: 'POST', url: '/api/v1/checkout/preview', headers: { cookie: buyer.cookie }, payload: { buyNow: { skuId: manualShop.skuIds[0]!, quantity: 1 }, addressId } });
    expect(preview.json().preview).toMatchObject({ canPlace: false, stores: [{ unmet: [{ code: 'below_minimum_amount' }, { code: 'province_not_served' }] }] });
    await setRules(t, manualShop, { minOrderAmount: 0, deliveryProvinces: null });
  });

  it('409 insufficient_stock when a line asks for more than is available; 409 items_unavailable for an off-shelf SKU', async () => {
    const tooMany = await checkout(t, buyer, { buyNow: { skuId: manualShop.skuIds[0]!, quantity: 999 }, addressId });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error).toMatchObject({ code: 'insufficient_stock', details: { problems: [{ skuId: manualShop.skuIds[0], code: 'insufficient_stock', requested: 999 }] } });
    await t.database.db.execute(sql`update products set status = 'off_shelf' where id = ${manualShop.productId}`);
    const offShelf = await checkout(t, buyer, { buyNow: { skuId: manualShop.skuIds[0]!, quantity: 1 }, addressId });
    expect([offShelf.statusCode, offShelf.json().error.code]).toEqual([409, 'items_unavailable']);
    await t.database.db.execute(sql`update products set status = 'on_sale' where id = ${manualShop.productId}`);
  });

  it("another user's address or cart line is 404; no address is 400", async () => {
    const other = await t.newUser();
    const otherAddress = await makeAddress(t, other);
    const otherLine = await add(other, autoShop.skuIds[0]!, 1);
    expect((await checkout(t, buyer, { buyNow: { skuId: autoShop.skuIds[0]!, quantity: 1 }, addressId: otherAddress })).statusCode).toBe(404);
    expect((await checkout(t, buyer, { cartLineIds: [otherLine], addressId })).statusCode).toBe(404);
    expect((await checkout(t, buyer, { buyNow: { skuId: autoShop.skuIds[0]!, quantity: 1 } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/checkout', headers: { 'idempotency-key': randomUUID() }, payload: {} })).statusCode).toBe(400);
  });

  it('buy now leaves the cart alone; reorder puts a past order back into the cart', async () => {
    const kept = await add(buyer, manualShop.skuIds[0]!, 1);
    const res = await checkout(t, buyer, { buyNow: { skuId: autoShop.skuIds[1]!, quantity: 2 }, addressId });
    expect(res.statusCode).toBe(201);
    const cart = (await t.app.inject({ method: 'GET', url: '/api/v1/cart', headers: { cookie: buyer.cookie } })).json().cart;
    expect(cart.stores.flatMap((s: { lines: { id: string }[] }) => s.lines.map((l) => l.id))).toContain(kept);
    const reorder = await t.app.inject({ method: 'POST', url: `/api/v1/orders/${res.json().orders[0].id}/reorder`, headers: { cookie: buyer.cookie } });
    expect(reorder.json()).toEqual({ added: [autoShop.skuIds[1]], skipped: [] });
  });
});
