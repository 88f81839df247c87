// Search and listing semantics through HTTP: what shoppers may see, how fast changes show, filters,
// sorts, pages, facets, suggestions, the zero-result report and the admin-only score explanation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { checkout, makeAddress } from '../../../test/helpers/commerce.js';
import { makeMerchant } from '../../../test/helpers/factories.js';
import { type Fixture, listProducts, makeFixture } from '../../../test/helpers/storefront.js';
import { lockIndex } from './repo.js';

let t: TestApp;
let fx: Fixture;

const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);

/** Polls until `check` holds, failing after `ms` (the freshness promise is 2 s). */
async function within<T>(ms: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${JSON.stringify(value).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  fx = await makeFixture(t, [
    { key: 'tee', title: '纯棉圆领短袖T恤', category: 'tees', price: 7900, colors: ['白色', '黑色'] },
    { key: 'polo', title: '商务POLO衫 短袖 翻领', category: 'tees', price: 15900, colors: ['蓝色'] },
    { key: 'dress', title: '碎花连衣裙 夏季 雪纺', category: 'dresses', price: 25900, colors: ['红色', '白色'] },
    { key: 'case', title: '适用苹果iPhone 15手机壳 透明防摔', category: 'cases', price: 3900 },
    { key: 'soldout', title: '透明手机壳 iPhone 15 保护套', category: 'cases', price: 2900, stock: 0 },
    { key: 'tea', title: '西湖龙井 明前特级 绿茶 250g', category: 'tea', price: 56800, colors: ['罐装'] },
  ]);
  await t.search.settle();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('visibility', () => {
  it('lists only on-sale products of active stores', async () => {
    const page = await listProducts(t, { limit: 50 });
    expect(page.total).toBe(6);
    expect(new Set(ids(page))).toEqual(new Set(fx.products.values()));
  });

  it('approve → appears, off the shelf → gone, back on the shelf → back, within 2 s each', async () => {
    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/products',
      headers: { cookie: fx.store.owner.cookie },
      payload: {
        title: '手工陶瓷马克杯 Ceramic Mug',
        categoryId: fx.categories.get('kitchen'),
        imageIds: [fx.imageId],
        specs: [{ key: 'color', values: ['白色'] }],
        skus: [{ code: `MUG-${Date.now()}`, specs: { color: '白色' }, price: 4500, onHand: 5, weightGrams: 400 }],
      },
    });
    expect(draft.statusCode).toBe(201);
    const id = draft.json().product.id as string;
    const search = () => listProducts(t, { q: 'mug' });
    expect(ids(await search())).not.toContain(id);
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/merchant/products/${id}/submit`, headers: { cookie: fx.store.owner.cookie } });
    expect(submitted.statusCode).toBe(200);
    // The automatic review may decide at once; otherwise an admin approves.
    if (submitted.json().product.status === 'pending_review') {
      expect(ids(await search())).not.toContain(id);
      const approve = await t.app.inject({ method: 'POST', url: `/api/v1/admin/products/${id}/approve`, headers: { cookie: fx.admin.cookie } });
      expect(approve.statusCode).toBe(200);
    }
    await within(2000, search, (p) => ids(p).includes(id));

    await t.app.inject({ method: 'POST', url: `/api/v1/merchant/products/${id}/off-shelf`, headers: { cookie: fx.store.owner.cookie } });
    await within(2000, search, (p) => !ids(p).includes(id));
    expect((await listProducts(t, { category: fx.categories.get('kitchen')! })).total).toBe(0);

    await t.app.inject({ method: 'POST', url: `/api/v1/merchant/products/${id}/on-shelf`, headers: { cookie: fx.store.owner.cookie } });
    await within(2000, search, (p) => ids(p).includes(id));
  });

  it('a suspended store disappears with its products and page; reactivated, it is back', async () => {
    const other = await makeMerchant(t, fx.admin);
    const added = await fx.add([{ key: 'lamp', title: '北欧风 LED 台灯 护眼', category: 'bedding', price: 12900 }], other);
    const lamp = added.get('lamp')!;
    const search = () => listProducts(t, { q: '台灯' });
    await within(2000, search, (p) => ids(p).includes(lamp));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stores/${other.merchantId}` })).json().store).toMatchObject({ id: other.merchantId, productCount: 1 });

    const suspended = await t.app.inject({ method: 'POST', url: `/api/v1/admin/merchants/${other.merchantId}/suspend`, headers: { cookie: fx.admin.cookie }, payload: { reason: '资质过期，暂停营业' } });
    expect(suspended.statusCode).toBe(200);
    await within(2000, search, (p) => !ids(p).includes(lamp));
    expect((await listProducts(t, { store: other.merchantId })).items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stores/${other.merchantId}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${lamp}` })).statusCode).toBe(404);

    await t.app.inject({ method: 'POST', url: `/api/v1/admin/merchants/${other.merchantId}/reactivate`, headers: { cookie: fx.admin.cookie } });
    await within(2000, search, (p) => ids(p).includes(lamp));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stores/${other.merchantId}` })).statusCode).toBe(200);
  });

  it('a price change shows in results and price filters within 2 s', async () => {
    const id = fx.products.get('polo')!;
    const product = (await t.app.inject({ method: 'GET', url: `/api/v1/merchant/products/${id}`, headers: { cookie: fx.store.owner.cookie } })).json().product;
    const skus = product.skus.map((s: { code: string; specs: Record<string, string>; weightGrams: number }) => ({ code: s.code, specs: s.specs, price: 9900, weightGrams: s.weightGrams }));
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/merchant/products/${id}`, headers: { cookie: fx.store.owner.cookie }, payload: { skus } });
    expect(patched.statusCode).toBe(200);
    const page = await within(2000, () => listProducts(t, { q: 'polo' }), (p) => p.items.some((i) => i.id === id && i.priceMin === 9900));
    expect(page.items.find((i) => i.id === id)!.priceMin).toBe(9900);
    expect(ids(await listProducts(t, { maxPrice: 10000, category: fx.categories.get('tees')!, sort: 'price_asc' }))).toEqual([fx.products.get('tee'), id]);
  });

  it('stock reaching zero through orders shows as sold out, ranked below what is in stock', async () => {
    const buyer = await t.newUser();
    const addressId = await makeAddress(t, buyer);
    const teaId = fx.products.get('tea')!;
    const tea = (await t.app.inject({ method: 'GET', url: `/api/v1/products/${teaId}` })).json().product;
    const res = await checkout(t, buyer, { buyNow: { skuId: tea.skus[0].id, quantity: tea.skus[0].available }, addressId });
    expect(res.statusCode).toBe(201);
    const page = await within(2000, () => listProducts(t, { q: '龙井' }), (p) => p.items[0]?.inStock === false);
    expect(page.items[0]!.id).toBe(teaId);
    expect((await listProducts(t, { q: '龙井', inStock: true })).items).toEqual([]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('a product page while the index is held up (PostgreSQL: PGlite has one connection)', () => {
  it('shows a change once it commits, without waiting for the index', async () => {
    const id = fx.products.get('tea')!;
    const pagePrice = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/products/${id}` })).json().product.priceMin as number;
    expect(await pagePrice()).toBe(56800); // now cached
    // Another transaction holds the index's lock: no rebuild can finish meanwhile.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.database.db.transaction(async (tx) => {
      await lockIndex(tx);
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await isLocked;
    try {
      const product = (await t.app.inject({ method: 'GET', url: `/api/v1/merchant/products/${id}`, headers: { cookie: fx.store.owner.cookie } })).json().product;
      const skus = product.skus.map((s: { code: string; specs: Record<string, string>; weightGrams: number }) => ({ code: s.code, specs: s.specs, price: 59800, weightGrams: s.weightGrams }));
      expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/merchant/products/${id}`, headers: { cookie: fx.store.owner.cookie }, payload: { skus } })).statusCode).toBe(200);
      await within(2000, pagePrice, (price) => price === 59800);
      // The listing still waits for the index: the page's freshness did not come from it.
      expect((await listProducts(t, { q: '龙井' })).items.find((i) => i.id === id)?.priceMin).toBe(56800);
    } finally {
      release();
      await holder;
    }
    await within(2000, () => listProducts(t, { q: '龙井' }), (p) => p.items.some((i) => i.id === id && i.priceMin === 59800));
  });
});

describe('stock set by hand', () => {
  it('a merchant setting every SKU to zero shows as sold out within 2 s', async () => {
    const id = fx.products.get('dress')!;
    const headers = { cookie: fx.store.owner.cookie };
    const product = (await t.app.inject({ method: 'GET', url: `/api/v1/merchant/products/${id}`, headers })).json().product;
    for (const sku of product.skus as { id: string }[]) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/merchant/skus/${sku.id}/stock`, headers, payload: { mode: 'set', quantity: 0, reason: '盘点清零' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const store = () => listProducts(t, { store: fx.store.merchantId, limit: 60 });
    const page = await within(2000, store, (p) => p.items.some((i) => i.id === id && i.inStock === false));
    expect(page.items.find((i) => i.id === id)!.inStock).toBe(false);
  });
});

describe('filters, sorts and pages', () => {
  it('a root category includes its descendants; a store filter keeps to the store', async () => {
    const clothing = await listProducts(t, { category: fx.categories.get('root:服装')! });
    expect(new Set(ids(clothing))).toEqual(new Set([fx.products.get('tee'), fx.products.get('polo'), fx.products.get('dress')]));
    const mine = await listProducts(t, { store: fx.store.merchantId, limit: 60 });
    expect(mine.items.length).toBeGreaterThanOrEqual(6);
    expect(mine.items.every((i) => i.merchantId === fx.store.merchantId)).toBe(true);
  });

  it('sorts by price both ways and by newest, and filters by price, stock and spec', async () => {
    const cases = fx.categories.get('root:数码')!;
    const asc = await listProducts(t, { category: cases, sort: 'price_asc' });
    expect(asc.items.map((i) => i.priceMin)).toEqual([...asc.items.map((i) => i.priceMin)].sort((a, b) => a - b));
    const desc = await listProducts(t, { category: cases, sort: 'price_desc' });
    expect(desc.items.map((i) => i.priceMin)).toEqual([...desc.items.map((i) => i.priceMin)].sort((a, b) => b - a));
    const newest = await listProducts(t, { sort: 'newest', limit: 60 });
    expect(newest.items.length).toBeGreaterThan(3);

    expect(ids(await listProducts(t, { q: '手机壳', inStock: true }))).toEqual([fx.products.get('case')]);
    expect(ids(await listProducts(t, { minPrice: 20000, maxPrice: 30000 }))).toEqual([fx.products.get('dress')]);
    expect(ids(await listProducts(t, { category: fx.categories.get('dresses')!, spec: 'color:红色' }))).toEqual([fx.products.get('dress')]);
    expect(ids(await listProducts(t, { category: fx.categories.get('dresses')!, spec: 'color:绿色' }))).toEqual([]);
    expect(ids(await listProducts(t, { spec: ['color:蓝色', 'color:罐装'] })).sort()).toEqual([fx.products.get('polo'), fx.products.get('tea')].sort());
  });

  it('walks every page once with the cursor, in 综合 order and in price order', async () => {
    for (const sort of ['relevance', 'price_asc', 'sales', 'newest'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let total = 0;
      do {
        const page: Awaited<ReturnType<typeof listProducts>> = await listProducts(t, { sort, limit: 2, ...(cursor ? { cursor } : {}) });
        if (!cursor) total = page.total!;
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.length).toBe(total);
      expect(new Set(seen).size).toBe(total);
    }
    const q = await listProducts(t, { q: '手机壳', limit: 1 });
    const second = await listProducts(t, { q: '手机壳', limit: 1, cursor: q.nextCursor! });
    expect(second.items[0]!.id).not.toBe(q.items[0]!.id);
  });

  it('answers facets: sub-categories, stores, spec values and the price span', async () => {
    const page = await listProducts(t, { category: fx.categories.get('root:服装')!, facets: true });
    expect(page.facets!.categories.map((c) => c.id).sort()).toEqual([fx.categories.get('tees'), fx.categories.get('dresses')].sort());
    expect(page.facets!.price).toEqual({ min: 7900, max: 25900 });
    const leaf = await listProducts(t, { category: fx.categories.get('dresses')!, facets: true });
    expect(leaf.facets!.specs).toEqual([{ key: 'color', nameZh: '颜色', nameEn: 'Colour', values: [{ value: '白色', count: 1 }, { value: '红色', count: 1 }] }]);
  });

  it('refuses bad input with 400', async () => {
    for (const url of ['/api/v1/products?cursor=nonsense', '/api/v1/products?minPrice=500&maxPrice=100', '/api/v1/products?sort=random', '/api/v1/products?color=red', '/api/v1/products?spec=novalue', '/api/v1/products?category=xyz']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/stores/mer_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F' })).statusCode).toBe(404);
  });
});

describe('search extras', () => {
  it('highlights matched words in titles', async () => {
    const page = await listProducts(t, { q: 'iphone 手机壳' });
    const item = page.items.find((i) => i.id === fx.products.get('case'))!;
    const spans = item.highlights.map(([a, b]) => item.title.slice(a, b));
    expect(spans).toEqual(expect.arrayContaining(['iPhone', '手机壳']));
  });

  it('suggests categories, titles and popular queries while typing', async () => {
    await listProducts(t, { q: '连衣裙' });
    await listProducts(t, { q: '连衣裙' });
    await t.search.service.flushQueryLog();
    t.search.service.invalidate();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search/suggest?q=${encodeURIComponent('连衣')}` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { kind: string; text: string; id: string | null }[];
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'query', text: '连衣裙' }),
        expect.objectContaining({ kind: 'category', text: '连衣裙', id: fx.categories.get('dresses') }),
        expect.objectContaining({ kind: 'product', id: fx.products.get('dress') }),
      ]),
    );
    const partial = (await t.app.inject({ method: 'GET', url: '/api/v1/search/suggest?q=ipho' })).json().items as { kind: string; id: string }[];
    expect(partial.filter((s) => s.kind === 'product').map((s) => s.id)).toContain(fx.products.get('case'));
  });

  it('logs zero-result queries for admins and offers suggestions instead of an empty page', async () => {
    const empty = await listProducts(t, { q: '蒸汽拖把' });
    expect(empty.items).toEqual([]);
    expect(empty.query!.suggestions.length).toBeGreaterThan(0);
    await listProducts(t, { q: '蒸汽拖把' });
    const report = await t.app.inject({ method: 'GET', url: '/api/v1/admin/search/zero-results', headers: { cookie: fx.admin.cookie } });
    expect(report.statusCode).toBe(200);
    expect(report.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ query: '蒸汽拖把', zeroResults: 2 })]));
    const shopper = await t.newUser();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/search/zero-results', headers: { cookie: shopper.cookie } })).statusCode).toBe(403);
  });

  it('explains scores to admins only', async () => {
    const page = await listProducts(t, { q: '手机壳', debug: true }, fx.admin.cookie);
    expect(page.items[0]!.debug).toMatchObject({ allWordsInTitle: 1 });
    const shopper = await t.newUser();
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/products?q=x&debug=true', headers: { cookie: shopper.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('debug_needs_admin');
  });
});
