// The index's numbers-only refresh: orders change a product's stock and sales, never its text, so
// their events refresh in_stock, units_sold and popularity of the existing document and leave the
// rest (terms, indexed_at) alone; a product also changed by its own events gets the full rebuild.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { checkout, createCommerceTestApp, makeAddress, makeShop, payWithSandbox, type TestShop } from '../../../test/helpers/commerce.js';
import { listProducts } from '../../../test/helpers/storefront.js';
import { queryRows } from '../../platform/db.js';
import { SEARCH_INDEX_CHANNEL } from './indexer.js';

let t: TestApp & { url: string };
let admin: TestUser;
let buyer: TestUser;
let addressId: string;
/** Every notice the index sent (what makes each process drop its cached pages), in order. */
const notices: { productIds?: string[]; all?: boolean }[] = [];
let stopListening: (() => Promise<void>) | undefined;

beforeAll(async () => {
  t = await createCommerceTestApp();
  stopListening = await t.database.listen(SEARCH_INDEX_CHANNEL, (payload) => notices.push(JSON.parse(payload) as (typeof notices)[number]));
  admin = await t.newAdmin();
  buyer = await t.newUser();
  addressId = await makeAddress(t, buyer);
}, 60_000);
afterAll(async () => {
  await stopListening?.();
  await t?.close();
});

/**
 * Where a marker notice landed in `notices`, at or after `from`, once it has arrived: a rebuild of
 * a product that does not exist sends a notice of its own, after every notice sent before it.
 */
async function markerNotice(from: number): Promise<number> {
  const marker = `prd_marker_${notices.length}`;
  await t.search.indexer.reindex([marker]);
  const until = Date.now() + 2000;
  for (;;) {
    const at = notices.findIndex((n, i) => i >= from && n.productIds?.includes(marker));
    if (at >= 0) return at;
    if (Date.now() > until) throw new Error('the marker notice never came');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Where the next notice will land, once every notice sent so far has arrived: a notice of earlier
 * work still in flight (under load it can arrive late) does not count as one after the mark.
 */
const markNotices = async () => (await markerNotice(notices.length)) + 1;

/** The products named by the index's notices from `from` on, once every notice sent so far has arrived. */
async function productsNoticed(from: number): Promise<string[]> {
  return notices.slice(from, await markerNotice(from)).flatMap((n) => (n.all ? ['*'] : (n.productIds ?? [])));
}

const IN_STOCK = 2 ** 40;

type Document = { title: string; inStock: boolean; unitsSold: number; popularity: number; indexedAt: string };
async function documentOf(productId: string): Promise<Document | undefined> {
  const [row] = await queryRows<{ title: string; in_stock: boolean; units_sold: number; popularity: string | number; indexed_at: Date | string }>(
    t.database.db,
    sql`select title, in_stock, units_sold, popularity, indexed_at from search_documents where product_id = ${productId}`,
  );
  return row && { title: row.title, inStock: row.in_stock, unitsSold: row.units_sold, popularity: Number(row.popularity), indexedAt: new Date(row.indexed_at).toISOString() };
}

/** Polls a listing until `check` holds: the listing cache is cleared by the index's NOTIFY, which arrives on its own. */
async function listingUntil(query: Parameters<typeof listProducts>[1], check: (ids: string[]) => boolean) {
  const until = Date.now() + 2000;
  for (;;) {
    const ids = (await listProducts(t, query)).items.map((i) => i.id);
    if (check(ids)) return ids;
    if (Date.now() > until) throw new Error(`listing never matched: ${ids.join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function buy(shop: TestShop, quantity: number, pay = true) {
  const res = await checkout(t, buyer, { buyNow: { skuId: shop.skuIds[0]!, quantity }, addressId });
  expect(res.statusCode, res.body).toBe(201);
  const placed = res.json() as { orders: { id: string }[]; payment: { id: string } };
  if (pay) await payWithSandbox(t, buyer, placed.payment.id);
  return { orderId: placed.orders[0]!.id, paymentId: placed.payment.id };
}

describe('orders refresh the numbers of a document', () => {
  it('a paid order raises units sold and popularity, without rebuilding the text; sorting by sales follows', async () => {
    const first = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 50 }] });
    const second = await makeShop(t, admin, { skus: [{ price: 3000, onHand: 50 }] });
    await t.search.settle();
    const before = (await documentOf(second.productId))!;
    expect(before).toMatchObject({ inStock: true, unitsSold: 0, popularity: IN_STOCK });
    const bySales = { sort: 'sales', limit: 60 } as const;

    const mark = await markNotices();
    await buy(second, 3);
    await t.search.settle();
    expect(await documentOf(second.productId)).toMatchObject({ inStock: true, unitsSold: 3, popularity: IN_STOCK + 3, indexedAt: before.indexedAt });
    // Every process is told to drop what it cached about the product (and only that product).
    const noticed = await productsNoticed(mark);
    expect(noticed).toContain(second.productId);
    expect(noticed).not.toContain(first.productId);
    const ranked = await listingUntil(bySales, (ids) => ids.indexOf(second.productId) >= 0 && ids.indexOf(second.productId) < ids.indexOf(first.productId));
    expect(ranked.indexOf(first.productId)).toBeGreaterThan(ranked.indexOf(second.productId));

    await buy(first, 5);
    await t.search.settle();
    expect(await documentOf(first.productId)).toMatchObject({ unitsSold: 5, popularity: IN_STOCK + 5 });
    // 综合 without words: in stock first, then units sold (the popularity key).
    await listingUntil({ limit: 60 }, (ids) => ids.indexOf(first.productId) >= 0 && ids.indexOf(first.productId) < ids.indexOf(second.productId));
  });

  it('the last unit reserved shows as sold out; the cancellation that releases it shows it in stock again', async () => {
    const shop = await makeShop(t, admin, { skus: [{ price: 4000, onHand: 2 }] });
    await t.search.settle();
    const inStockOnly = { inStock: true, limit: 60 } as const;
    await listingUntil(inStockOnly, (ids) => ids.includes(shop.productId));
    const before = (await documentOf(shop.productId))!;

    // One of two units reserved: no number changes, so the document is not written and no one is told.
    let mark = await markNotices();
    const kept = await buy(shop, 1, false);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toEqual(before);
    expect(await productsNoticed(mark)).not.toContain(shop.productId);

    mark = await markNotices();
    const last = await buy(shop, 1, false);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toMatchObject({ inStock: false, unitsSold: 0, popularity: 0 });
    expect(await productsNoticed(mark)).toContain(shop.productId);
    await listingUntil(inStockOnly, (ids) => !ids.includes(shop.productId));

    const cancelled = await t.app.inject({ method: 'POST', url: `/api/v1/orders/${last.orderId}/cancel`, headers: { cookie: buyer.cookie } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toMatchObject({ inStock: true, popularity: IN_STOCK });
    await listingUntil(inStockOnly, (ids) => ids.includes(shop.productId));

    // Paid for, then the last unit sold: sold out for good.
    await payWithSandbox(t, buyer, kept.paymentId);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toMatchObject({ inStock: true, unitsSold: 1, popularity: IN_STOCK + 1 });
    await buy(shop, 1);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toMatchObject({ inStock: false, unitsSold: 2, popularity: 2 });
    await listingUntil(inStockOnly, (ids) => !ids.includes(shop.productId));
  });

  it('an order never brings back the document of a product shoppers may not see', async () => {
    const shop = await makeShop(t, admin, { skus: [{ price: 5000, onHand: 10 }] });
    const { paymentId } = await buy(shop, 1, false);
    const off = await t.app.inject({ method: 'POST', url: `/api/v1/merchant/products/${shop.productId}/off-shelf`, headers: { cookie: shop.owner.cookie } });
    expect(off.statusCode, off.body).toBe(200);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toBeUndefined();

    await payWithSandbox(t, buyer, paymentId);
    await t.search.settle();
    expect(await documentOf(shop.productId)).toBeUndefined();
    expect((await listProducts(t, { limit: 60 })).items.map((i) => i.id)).not.toContain(shop.productId);
  });

  it('a product changed in the same batch as its orders is rebuilt in full; one only ordered is not', async () => {
    const edited = await makeShop(t, admin, { skus: [{ price: 6000, onHand: 10 }] });
    const ordered = await makeShop(t, admin, { skus: [{ price: 6000, onHand: 10 }] });
    await t.search.settle();
    const orderedBefore = (await documentOf(ordered.productId))!;

    // Another process holds the consumer's lease: the events below pile up and are read as one batch.
    await t.database.db.execute(sql`update search_consumers set lease_owner = 'elsewhere', lease_until = now() + interval '1 hour'`);
    try {
      await buy(edited, 2);
      await buy(ordered, 1);
      const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/merchant/products/${edited.productId}`, headers: { cookie: edited.owner.cookie }, payload: { title: '珐琅铸铁炖锅 Enamel Dutch Oven' } });
      expect(patched.statusCode, patched.body).toBe(200);
      if (patched.json().product.revision?.state === 'pending') {
        const approved = await t.app.inject({ method: 'POST', url: `/api/v1/admin/products/${edited.productId}/approve`, headers: { cookie: admin.cookie } });
        expect(approved.statusCode, approved.body).toBe(200);
      }
      expect(await t.search.indexer.catchUp()).toBe(0);
    } finally {
      await t.database.db.execute(sql`update search_consumers set lease_owner = null, lease_until = null`);
    }
    await t.search.settle();

    expect(await documentOf(edited.productId)).toMatchObject({ title: '珐琅铸铁炖锅 Enamel Dutch Oven', unitsSold: 2 });
    await listingUntil({ q: '炖锅' }, (ids) => ids.includes(edited.productId));
    expect(await documentOf(ordered.productId)).toMatchObject({ unitsSold: 1, popularity: IN_STOCK + 1, indexedAt: orderedBefore.indexedAt });
  });
});
