import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, type TestUser } from '../../../test/helpers/app.js';
import { createCatalogTestApp } from '../../../test/helpers/catalog.js';
import { makeShop, setRules, type TestShop } from '../../../test/helpers/commerce.js';
import { queryRows } from '../../platform/db.js';
import { appendFlowEvents, FLOW_EVENTS_CHANNEL, type FlowEventNotice } from '../../platform/events.js';
import { CART_COOKIE } from './routes.js';

let t: Awaited<ReturnType<typeof createCatalogTestApp>>;
let admin: TestUser;
let teaShop: TestShop;
let shirtShop: TestShop;
beforeAll(async () => {
  t = await createCatalogTestApp();
  admin = await t.newAdmin();
  teaShop = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 5 }, { price: 4500, onHand: 0 }], rules: { minOrderAmount: 10000, shippingFee: 800, freeShippingFrom: 20000 } });
  shirtShop = await makeShop(t, admin, { skus: [{ price: 7900, onHand: 10 }] });
});
afterAll(() => t.close());

type Who = { cookie?: string };
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: Who, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: who.cookie ? { cookie: who.cookie } : {} });
const guestCookie = (res: { cookies: { name: string; value: string }[] }) => {
  const c = res.cookies.find((x) => x.name === CART_COOKIE);
  return c ? `${CART_COOKIE}=${c.value}` : undefined;
};

describe('a shopper’s cart', () => {
  let shopper: TestUser;
  beforeAll(async () => {
    shopper = await t.newUser();
  });

  it('starts empty, adds lines grouped by store with totals, shipping and unmet conditions', async () => {
    expect((await call('GET', '/api/v1/cart', shopper)).json().cart.summary.lines).toBe(0);
    const added = await call('POST', '/api/v1/cart/items', shopper, { skuId: teaShop.skuIds[0], quantity: 2 });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ line: { skuId: teaShop.skuIds[0], quantity: 2 }, warnings: [], count: { lines: 1, quantity: 2 } });
    await call('POST', '/api/v1/cart/items', shopper, { skuId: shirtShop.skuIds[0], quantity: 1 });
    const cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    // The store added to last comes first.
    expect(cart.stores.map((s: { merchantId: string }) => s.merchantId)).toEqual([shirtShop.merchantId, teaShop.merchantId]);
    const tea = cart.stores[1];
    expect(tea).toMatchObject({ itemsTotal: 6000, shippingFee: 800, total: 6800, unmet: [{ code: 'below_minimum_amount', minimum: 10000, shortBy: 4000 }] });
    expect(tea.lines[0]).toMatchObject({ title: '纯棉圆领短袖T恤', price: 3000, quantity: 2, lineTotal: 6000, purchasable: true, warnings: [] });
    expect(tea.lines[0].imageUrl).toMatch(/^\/uploads\//);
    expect(cart.summary).toMatchObject({ lines: 2, quantity: 3, itemsTotal: 6000 + 7900, shippingTotal: 800, total: 6000 + 7900 + 800 });
    expect((await call('GET', '/api/v1/cart/count', shopper)).json()).toEqual({ lines: 2, quantity: 3 });
    // Each add is in the flow log with the SKU, product and store it touched.
    const events = await t.database.db.execute(
      sql`select related, data from flow_events where type = 'cart.add_item' and actor ->> 'id' = ${shopper.id} order by seq`,
    );
    const rows = (events as unknown as { rows: { related: { type: string; id: string }[]; data: { quantity: number; price: number } }[] }).rows;
    expect(rows.map((r) => r.data)).toEqual([{ quantity: 2, price: 3000 }, { quantity: 1, price: 7900 }]);
    expect(rows[0]!.related).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'sku', id: teaShop.skuIds[0] }), expect.objectContaining({ type: 'merchant', id: teaShop.merchantId })]),
    );
  });

  it('logs each add without announcing it live (nobody follows carts; a notice would wake every process)', async () => {
    const heard: FlowEventNotice[] = [];
    const stop = await t.database.listen(FLOW_EVENTS_CHANNEL, (payload) => heard.push(JSON.parse(payload) as FlowEventNotice));
    try {
      const buyer = await t.newUser();
      expect((await call('POST', '/api/v1/cart/items', buyer, { skuId: shirtShop.skuIds[0], quantity: 1 })).statusCode).toBe(201);
      // Notices arrive in commit order: once this later one is heard, the add's would have been.
      await appendFlowEvents(t.database.db, [{ type: 'test.marker', objectType: 'test', objectId: buyer.id, actor: { kind: 'system', id: 'test' }, occurredAt: new Date() }]);
      await expect.poll(() => heard.some((n) => n.objectId === buyer.id)).toBe(true);
      expect(heard.filter((n) => n.objectType === 'cart')).toEqual([]);
      const [logged] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from flow_events where type = 'cart.add_item' and actor ->> 'id' = ${buyer.id}`);
      expect(logged!.n).toBe(1);
    } finally {
      await stop();
    }
  });

  it('adds to the existing line and caps at what is available, saying so', async () => {
    const more = await call('POST', '/api/v1/cart/items', shopper, { skuId: teaShop.skuIds[0], quantity: 9 });
    expect(more.json()).toMatchObject({ line: { quantity: 5 }, warnings: [{ code: 'quantity_capped', requested: 11, available: 5 }] });
    const patched = await call('PATCH', `/api/v1/cart/items/${more.json().line.id}`, shopper, { quantity: 7 });
    const line = patched.json().cart.stores.flatMap((s: { lines: unknown[] }) => s.lines).find((l: { id: string }) => l.id === more.json().line.id);
    expect(line).toMatchObject({ quantity: 5, warnings: [{ code: 'quantity_capped', requested: 7, available: 5 }] });
  });

  it('refuses sold-out and unknown SKUs and bad quantities', async () => {
    const soldOut = await call('POST', '/api/v1/cart/items', shopper, { skuId: teaShop.skuIds[1], quantity: 1 });
    expect([soldOut.statusCode, soldOut.json().error.code]).toEqual([409, 'sold_out']);
    expect((await call('POST', '/api/v1/cart/items', shopper, { skuId: 'sku_nope', quantity: 1 })).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/cart/items', shopper, { skuId: teaShop.skuIds[0], quantity: 0 })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/cart/items', shopper, { skuId: teaShop.skuIds[0], quantity: 1, price: 1 })).statusCode).toBe(400);
  });

  it('refuses an off-shelf SKU and a new line in a full cart, changing nothing', async () => {
    const buyer = await t.newUser();
    const add = (skuId: string) => call('POST', '/api/v1/cart/items', buyer, { skuId, quantity: 1 });
    const [shirtSku] = shirtShop.skuIds;
    expect((await add(shirtSku!)).statusCode).toBe(201);
    // The SKU is known to the cart by now, so this add takes the one-statement path.
    await t.database.db.execute(sql`update products set status = 'off_shelf' where id = ${shirtShop.productId}`);
    const offShelf = await add(shirtSku!);
    expect([offShelf.statusCode, offShelf.json().error.code]).toEqual([422, 'sku_unavailable']);
    await t.database.db.execute(sql`update products set status = 'on_sale' where id = ${shirtShop.productId}`);

    // 119 more lines make 120: a new SKU is refused, one already in the cart still adds up.
    const [cart] = await queryRows<{ id: string }>(t.database.db, sql`select id from carts where user_id = ${buyer.id}`);
    const cartId = cart!.id;
    await t.database.db.execute(sql`insert into cart_lines (id, cart_id, sku_id, merchant_id, quantity, price_seen, added_at, updated_at)
      select 'crl_full_' || n, ${cartId}, 'sku_gone_' || n, ${shirtShop.merchantId}, 1, 100, now(), now() from generate_series(1, 119) n`);
    const full = await add(teaShop.skuIds[0]!);
    expect([full.statusCode, full.json().error.code]).toEqual([422, 'cart_full']);
    const again = await add(shirtSku!);
    expect(again.json()).toMatchObject({ line: { quantity: 2 }, count: { lines: 120, quantity: 121 } });
    const [events] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from flow_events where type = 'cart.add_item' and actor ->> 'id' = ${buyer.id}`);
    expect(events!.n).toBe(2);
  });

  it('warns honestly: price changed, sold out, off shelf, quantity capped when stock drops', async () => {
    const [teaSku] = teaShop.skuIds;
    await t.database.db.execute(sql`update skus set price = 3300 where id = ${teaSku}`);
    let cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    const teaLine = () => cart.stores.find((s: { merchantId: string }) => s.merchantId === teaShop.merchantId).lines[0];
    expect(teaLine().warnings).toEqual([{ code: 'price_changed', was: 3000, now: 3300 }]);
    expect(teaLine().lineTotal).toBe(3300 * 5);

    await t.database.db.execute(sql`update skus set on_hand = 2 where id = ${teaSku}`);
    cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    expect(teaLine()).toMatchObject({ quantity: 2, warnings: [{ code: 'quantity_capped', requested: 5, available: 2 }, { code: 'price_changed' }] });
    // The cap was kept: the next look shows 2 without the capped warning.
    cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    expect(teaLine()).toMatchObject({ quantity: 2, warnings: [{ code: 'price_changed' }] });

    await t.database.db.execute(sql`update skus set on_hand = 0 where id = ${teaSku}`);
    cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    expect(teaLine()).toMatchObject({ purchasable: false, warnings: [{ code: 'sold_out' }, { code: 'price_changed' }] });
    expect(cart.stores.find((s: { merchantId: string }) => s.merchantId === teaShop.merchantId).itemsTotal).toBe(0);

    await t.database.db.execute(sql`update products set status = 'off_shelf' where id = ${teaShop.productId}`);
    cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    expect(teaLine().warnings.map((w: { code: string }) => w.code)).toEqual(['off_shelf', 'price_changed']);

    // Changing the line re-confirms the price.
    await t.database.db.execute(sql`update products set status = 'on_sale' where id = ${teaShop.productId}`);
    await t.database.db.execute(sql`update skus set on_hand = 5 where id = ${teaSku}`);
    cart = (await call('PATCH', `/api/v1/cart/items/${teaLine().id}`, shopper, { quantity: 4 })).json().cart;
    expect(teaLine()).toMatchObject({ quantity: 4, price: 3300, warnings: [] });
  });

  it('selects and unselects lines and whole stores; totals count selected lines only', async () => {
    let cart = (await call('POST', '/api/v1/cart/selection', shopper, { selected: false, merchantId: shirtShop.merchantId })).json().cart;
    expect(cart.summary.itemsTotal).toBe(3300 * 4);
    cart = (await call('POST', '/api/v1/cart/selection', shopper, { selected: false })).json().cart;
    expect(cart.summary).toMatchObject({ itemsTotal: 0, shippingTotal: 0, selectedQuantity: 0, lines: 2 });
    const line = cart.stores[0].lines[0];
    cart = (await call('PATCH', `/api/v1/cart/items/${line.id}`, shopper, { selected: true })).json().cart;
    expect(cart.summary.selectedQuantity).toBe(line.quantity);
  });

  it("removes lines; another shopper's line is not found", async () => {
    const other = await t.newUser();
    const cart = (await call('GET', '/api/v1/cart', shopper)).json().cart;
    const lineId = cart.stores[0].lines[0].id;
    expect((await call('DELETE', `/api/v1/cart/items/${lineId}`, other)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/cart/items/${lineId}`, other, { quantity: 1 })).statusCode).toBe(404);
    const removed = await call('DELETE', `/api/v1/cart/items/${lineId}`, shopper);
    expect(removed.json().cart.summary.lines).toBe(1);
    expect((await call('DELETE', `/api/v1/cart/items/${lineId}`, shopper)).statusCode).toBe(404);
  });

  it('shows a store’s per-SKU limit as an unmet condition', async () => {
    await setRules(t, shirtShop, { maxQuantityPerSku: 2 });
    const buyer = await t.newUser();
    await call('POST', '/api/v1/cart/items', buyer, { skuId: shirtShop.skuIds[0], quantity: 3 });
    const cart = (await call('GET', '/api/v1/cart', buyer)).json().cart;
    expect(cart.stores[0].unmet).toEqual([{ code: 'quantity_above_limit', skuId: shirtShop.skuIds[0], limit: 2, quantity: 3 }]);
    await setRules(t, shirtShop, { maxQuantityPerSku: null });
  });
});

describe('guest carts', () => {
  it('a guest gets a cart cookie; at login the guest cart merges into the user’s cart without losing lines', async () => {
    const user = await t.newUser();
    await call('POST', '/api/v1/cart/items', user, { skuId: shirtShop.skuIds[0], quantity: 1 });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: user.cookie } });

    const first = await call('POST', '/api/v1/cart/items', {}, { skuId: shirtShop.skuIds[0], quantity: 2 });
    expect(first.statusCode).toBe(201);
    const guest = guestCookie(first)!;
    expect(guest).toBeDefined();
    await call('POST', '/api/v1/cart/items', { cookie: guest }, { skuId: teaShop.skuIds[0], quantity: 1 });
    expect((await call('GET', '/api/v1/cart', { cookie: guest })).json().cart.summary).toMatchObject({ lines: 2, quantity: 3 });
    // Without the cookie there is nothing.
    expect((await call('GET', '/api/v1/cart', {})).json().cart.summary.lines).toBe(0);

    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: user.email, password: user.password }, headers: { cookie: guest } });
    const both = `${sessionCookie(login)}; ${guest}`;
    const merged = await call('GET', '/api/v1/cart', { cookie: both });
    expect(merged.json().cart.summary).toMatchObject({ lines: 2, quantity: 4 });
    const cleared = merged.cookies.find((c) => c.name === CART_COOKIE);
    expect(cleared?.value).toBe('');
    // The guest cart is gone: the old cookie alone finds nothing, and merging twice adds nothing.
    expect((await call('GET', '/api/v1/cart', { cookie: guest })).json().cart.summary.lines).toBe(0);
    expect((await call('GET', '/api/v1/cart', { cookie: both })).json().cart.summary.quantity).toBe(4);
  });

  it('guest carts expire after 30 days of silence', async () => {
    const res = await call('POST', '/api/v1/cart/items', {}, { skuId: shirtShop.skuIds[0], quantity: 1 });
    const cookie = guestCookie(res)!;
    // Every add moves the expiry on.
    const tokenHash = createHash('sha256').update(cookie.slice(`${CART_COOKIE}=`.length)).digest('hex');
    const expiry = async () => (await queryRows<{ at: string }>(t.database.db, sql`select expires_at::text as at from carts where guest_token_hash = ${tokenHash}`))[0]!.at;
    const first = await expiry();
    await new Promise((r) => setTimeout(r, 5));
    await call('POST', '/api/v1/cart/items', { cookie }, { skuId: shirtShop.skuIds[0], quantity: 1 });
    expect(Date.parse(await expiry())).toBeGreaterThan(Date.parse(first));
    const swept = await t.cart.service.sweepExpiredGuestCarts(new Date(Date.now() + 31 * 24 * 3600_000));
    expect(swept).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/api/v1/cart', { cookie })).json().cart.summary.lines).toBe(0);
  });
});
