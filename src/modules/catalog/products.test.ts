import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCatalogTestApp, createProduct, makeCategories, productInput, type TestCategories, uploadImage } from '../../../test/helpers/catalog.js';
import { makeMerchant, type TestMerchant } from '../../../test/helpers/factories.js';
import { reviewByHand } from '../../../test/helpers/review.js';
import { queryRows } from '../../platform/db.js';

let t: TestApp;
let admin: TestUser;
let merchant: TestMerchant;
let cats: TestCategories;
let owner: { cookie: string };

beforeAll(async () => {
  t = await createCatalogTestApp();
  admin = await t.newAdmin();
  merchant = await makeMerchant(t, admin);
  owner = { cookie: merchant.owner.cookie };
  cats = await makeCategories(t, admin);
  // These tests walk the person's path; the automatic review has its own (src/modules/review).
  await reviewByHand(t, admin);
});
afterAll(() => t.close());

const inject = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
const count = async (table: string) => (await queryRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

describe('the listing flow', () => {
  it('creates a product with 2×2 SKUs, submits it, the admin approves it and the public can see it', async () => {
    const imageId = await uploadImage(t, owner);
    const created = await inject('POST', '/api/v1/merchant/products', owner.cookie, productInput(cats.leafId, { imageIds: [imageId] }));
    expect(created.statusCode).toBe(201);
    const product = created.json().product;
    expect(product).toMatchObject({ status: 'draft', priceMin: 7900, priceMax: 8900, stockTotal: 18, currency: 'CNY' });
    expect(product.id).toMatch(/^prd_/);
    expect(product.skus).toHaveLength(4);
    expect(product.skus[0]).toMatchObject({ specs: { color: '白色', size: 'M' }, price: 7900, listPrice: 9900, onHand: 10, reserved: 0, available: 10 });
    expect(product.images[0]).toMatchObject({ id: imageId });
    expect(product.images[0].url).toMatch(/^\/uploads\/mer_/);

    // Not on sale yet: the public does not see it.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).statusCode).toBe(404);

    const submitted = await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().product).toMatchObject({ status: 'pending_review' });
    expect(submitted.json().product.submittedAt).toBeTruthy();

    const queue = await inject('GET', '/api/v1/admin/products', admin.cookie);
    expect(queue.json().items.map((p: { id: string }) => p.id)).toContain(product.id);

    const approved = await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    expect(approved.statusCode).toBe(200);
    expect(approved.json().product.status).toBe('on_sale');

    const pub = await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` });
    expect(pub.statusCode).toBe(200);
    const shown = pub.json().product;
    expect(shown).toMatchObject({ title: '纯棉圆领短袖T恤', priceMin: 7900, priceMax: 8900 });
    expect(shown.category.path.map((c: { nameZh: string }) => c.nameZh)).toEqual(['服装', '上衣', 'T恤']);
    expect(shown.specs[0]).toMatchObject({ key: 'color', nameZh: '颜色', values: ['白色', '黑色'] });
    expect(shown.attributes).toContainEqual({ key: 'material', nameZh: '材质', nameEn: 'Material', value: '棉 100%' });
    expect(shown.skus[0]).toEqual({ id: product.skus[0].id, specs: { color: '白色', size: 'M' }, price: 7900, listPrice: 9900, available: 10 });
    expect(shown).not.toHaveProperty('code');
    expect(shown.skus[0]).not.toHaveProperty('onHand');

    const events = await queryRows<{ type: string }>(
      t.database.db,
      sql`select type from flow_events where object_id = ${product.id} order by seq`,
    );
    expect(events.map((e) => e.type)).toEqual(['product.created', 'product.submit', 'product.approve']);
  });

  it('rejects with a reason the merchant sees, and takes a resubmission only after an edit', async () => {
    const imageId = await uploadImage(t, owner);
    const product = await createProduct(t, owner, productInput(cats.leafId, { imageIds: [imageId] }));
    await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    const noReason = await inject('POST', `/api/v1/admin/products/${product.id}/reject`, admin.cookie, {});
    expect(noReason.statusCode).toBe(400);
    const rejected = await inject('POST', `/api/v1/admin/products/${product.id}/reject`, admin.cookie, { reason: '主图含有联系方式' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().product).toMatchObject({ status: 'rejected', rejectionReason: '主图含有联系方式' });
    expect((await inject('GET', `/api/v1/merchant/products/${product.id}`, owner.cookie)).json().product.rejectionReason).toBe('主图含有联系方式');

    const again = await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('unchanged_since_rejection');

    const other = await uploadImage(t, owner);
    expect((await inject('PATCH', `/api/v1/merchant/products/${product.id}`, owner.cookie, { imageIds: [other] })).statusCode).toBe(200);
    const resubmitted = await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    expect(resubmitted.statusCode).toBe(200);
    expect(resubmitted.json().product).toMatchObject({ status: 'pending_review', rejectionReason: null });
    // The admin cannot approve twice, nor reject what is not pending.
    await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    const twice = await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('invalid_transition');
  });

  it('refuses to submit an incomplete product and says what is missing', async () => {
    const product = await createProduct(t, owner, productInput(cats.leafId, { attributes: {} }));
    const res = await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('not_submittable');
    expect(res.json().error.details.issues.map((i: { code: string }) => i.code).sort()).toEqual(['missing_attribute', 'missing_image']);
    expect((await inject('GET', `/api/v1/merchant/products/${product.id}`, owner.cookie)).json().product.status).toBe('draft');
  });

  it('takes an on-sale product off the shelf and back, and hides it from the public meanwhile', async () => {
    const imageId = await uploadImage(t, owner);
    const product = await createProduct(t, owner, productInput(cats.leafId, { imageIds: [imageId] }));
    expect((await inject('POST', `/api/v1/merchant/products/${product.id}/off-shelf`, owner.cookie)).json().error.code).toBe('invalid_transition');
    await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    expect((await inject('POST', `/api/v1/merchant/products/${product.id}/off-shelf`, owner.cookie)).json().product.status).toBe('off_shelf');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).statusCode).toBe(404);
    expect((await inject('POST', `/api/v1/merchant/products/${product.id}/on-shelf`, owner.cookie)).json().product.status).toBe('on_sale');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).statusCode).toBe(200);
  });

  it('hides products of a suspended store from the public at once', async () => {
    const other = await makeMerchant(t, admin);
    const imageId = await uploadImage(t, { cookie: other.owner.cookie });
    const product = await createProduct(t, { cookie: other.owner.cookie }, productInput(cats.leafId, { imageIds: [imageId] }));
    await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, other.owner.cookie);
    await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).statusCode).toBe(200);
    const suspended = await inject('POST', `/api/v1/admin/merchants/${other.merchantId}/suspend`, admin.cookie, { reason: '资质过期，暂停营业' });
    expect(suspended.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).statusCode).toBe(404);
    // Its staff keep read-only access.
    expect((await inject('GET', `/api/v1/merchant/products/${product.id}`, other.owner.cookie)).statusCode).toBe(200);
    const write = await inject('PATCH', `/api/v1/merchant/products/${product.id}`, other.owner.cookie, { title: '新标题' });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('store_suspended');
  });
});

describe('edits', () => {
  it('applies price moves up to 30% at once, even on sale, and recomputes the price range', async () => {
    const imageId = await uploadImage(t, owner);
    const input = productInput(cats.leafId, { imageIds: [imageId] });
    const product = await createProduct(t, owner, input);
    await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    const skus = input.skus.map((s, i) => ({ ...s, onHand: undefined, price: 7000 + i * 500, listPrice: null }));
    const res = await inject('PATCH', `/api/v1/merchant/products/${product.id}`, owner.cookie, { skus });
    expect(res.statusCode).toBe(200);
    expect(res.json().product).toMatchObject({ status: 'on_sale', priceMin: 7000, priceMax: 8500, stockTotal: 18, revision: null });
  });

  it('reviews a content change of an on-sale product as a revision while the approved version stays on sale', async () => {
    const imageId = await uploadImage(t, owner);
    const product = await createProduct(t, owner, productInput(cats.leafId, { imageIds: [imageId] }));
    await inject('POST', `/api/v1/merchant/products/${product.id}/submit`, owner.cookie);
    const inReview = await inject('PATCH', `/api/v1/merchant/products/${product.id}`, owner.cookie, { title: '改个标题' });
    expect(inReview.statusCode).toBe(409);
    expect(inReview.json().error.code).toBe('product_in_review');
    await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie);
    const revised = await inject('PATCH', `/api/v1/merchant/products/${product.id}`, owner.cookie, { title: '纯棉T恤 加厚款' });
    expect(revised.statusCode).toBe(200);
    expect(revised.json().product).toMatchObject({
      status: 'on_sale',
      title: '纯棉圆领短袖T恤',
      revision: { state: 'pending', content: { title: '纯棉T恤 加厚款' }, changes: { fields: ['title'], priceMoves: [] } },
    });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).json().product.title).toBe('纯棉圆领短袖T恤');
    const again = await inject('PATCH', `/api/v1/merchant/products/${product.id}`, owner.cookie, { title: '再改' });
    expect(again.json().error.code).toBe('revision_in_review');
    expect((await inject('POST', `/api/v1/admin/products/${product.id}/approve`, admin.cookie)).json().product).toMatchObject({
      status: 'on_sale',
      title: '纯棉T恤 加厚款',
      revision: { state: 'approved' },
    });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` })).json().product.title).toBe('纯棉T恤 加厚款');
  });

  it('adds and removes SKUs by code', async () => {
    const input = productInput(cats.leafId);
    const product = await createProduct(t, owner, input);
    const skus = [input.skus[0]!, { ...input.skus[1]!, code: `${input.code}-NEW`, onHand: 7 }];
    const res = await inject('PATCH', `/api/v1/merchant/products/${product.id}`, owner.cookie, { skus });
    expect(res.statusCode).toBe(200);
    const after = res.json().product;
    expect(after.skus.map((s: { code: string }) => s.code)).toEqual([input.skus[0]!.code, `${input.code}-NEW`]);
    expect(after.skus[0].id).toBe(product.skus[0]!.id);
    expect(after.stockTotal).toBe(17);
    // A removed SKU's code is free again, for this product or another.
    const reused = await createProduct(t, owner, productInput(cats.leafId, { skus: [{ ...input.skus[3]!, specs: { color: '白色', size: 'M' } }] }));
    expect(reused.skus[0]!.code).toBe(input.skus[3]!.code);
  });

  it('refuses a product code or SKU code another product of the store uses', async () => {
    const first = productInput(cats.leafId);
    await createProduct(t, owner, first);
    const sameCode = await inject('POST', '/api/v1/merchant/products', owner.cookie, productInput(cats.leafId, { code: first.code }));
    expect(sameCode.statusCode).toBe(409);
    expect(sameCode.json().error.code).toBe('product_code_taken');
    const second = productInput(cats.leafId);
    second.skus[0]!.code = first.skus[0]!.code;
    const sameSku = await inject('POST', '/api/v1/merchant/products', owner.cookie, second);
    expect(sameSku.statusCode).toBe(422);
    expect(sameSku.json().error.details.issues[0]).toMatchObject({ path: 'skus.0.code', code: 'sku_code_taken' });
  });

  it('uses the product id as its code when none is given', async () => {
    const { code: _code, ...input } = productInput(cats.leafId);
    const res = await inject('POST', '/api/v1/merchant/products', owner.cookie, input);
    expect(res.json().product.code).toBe(res.json().product.id);
  });
});

describe('bad input stores nothing', () => {
  const skuCase = (change: Record<string, unknown>) => (leaf: string) => {
    const input = productInput(leaf);
    Object.assign(input.skus[0]!, change);
    return input;
  };
  const cases: [string, (leaf: string) => Record<string, unknown>, number, string][] = [
    ['a title of the wrong type', (leaf) => productInput(leaf, { title: 42 }), 400, 'validation_failed'],
    ['a negative price', skuCase({ price: -100 }), 400, 'validation_failed'],
    ['a price in yuan with decimals', skuCase({ price: 79.9 }), 400, 'validation_failed'],
    ['negative stock', skuCase({ onHand: -1 }), 400, 'validation_failed'],
    ['an unknown field', (leaf) => productInput(leaf, { colour: 'red' }), 400, 'validation_failed'],
    [
      '4 spec dimensions',
      (leaf) =>
        productInput(leaf, {
          specs: [
            { key: 'color', values: ['红'] },
            { key: 'size', values: ['M'] },
            { key: 'a', values: ['x'] },
            { key: 'b', values: ['y'] },
          ],
        }),
      400,
      'validation_failed',
    ],
    ['10 images', (leaf) => productInput(leaf, { imageIds: Array.from({ length: 10 }, (_, i) => `img_01JZ8Q3W5X6Y7Z8A9B0C1D2E${String(i).padStart(2, '0')}`) }), 400, 'validation_failed'],
    [
      'duplicate SKU codes',
      (leaf) => {
        const input = productInput(leaf);
        input.skus[1]!.code = input.skus[0]!.code;
        return input;
      },
      422,
      'invalid_product',
    ],
    ['a script in the description', (leaf) => productInput(leaf, { description: '<p>好看</p><script>alert(1)</script>' }), 422, 'unsafe_html'],
    ['an event handler in the description', (leaf) => productInput(leaf, { description: '<img src="https://x.cn/a.png" onerror="alert(1)">' }), 422, 'unsafe_html'],
    ['a javascript: link', (leaf) => productInput(leaf, { description: '<a href="javascript:alert(1)">点我</a>' }), 422, 'unsafe_html'],
    ['a list price below the price', skuCase({ listPrice: 100 }), 422, 'invalid_product'],
    ['a spec value outside the options', skuCase({ specs: { color: '白色', size: 'XXL' } }), 422, 'invalid_product'],
    ['a SKU missing a dimension', skuCase({ specs: { color: '白色' } }), 422, 'invalid_product'],
    ['an attribute the category lacks', (leaf) => productInput(leaf, { attributes: { material: '棉', origin: '新疆' } }), 422, 'invalid_product'],
    ['an image of nobody', (leaf) => productInput(leaf, { imageIds: ['img_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F'] }), 422, 'invalid_product'],
  ];
  it.each(cases)('refuses %s', async (_name, build, status, code) => {
    const products = await count('products');
    const skus = await count('skus');
    const res = await inject('POST', '/api/v1/merchant/products', owner.cookie, build(cats.leafId));
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    if (code === 'validation_failed') expect(res.json().error.details.fields.length).toBeGreaterThan(0);
    expect(await count('products')).toBe(products);
    expect(await count('skus')).toBe(skus);
  });

  it('duplicate SKU codes name the offending SKU', async () => {
    const input = productInput(cats.leafId);
    input.skus[1]!.code = input.skus[0]!.code;
    const res = await inject('POST', '/api/v1/merchant/products', owner.cookie, input);
    expect(res.json().error.details.issues).toContainEqual(expect.objectContaining({ path: 'skus.1.code', code: 'duplicate_sku_code' }));
  });

  it('refuses a non-leaf or disabled category', async () => {
    const mid = await inject('POST', '/api/v1/merchant/products', owner.cookie, productInput(cats.midId));
    expect(mid.statusCode).toBe(422);
    expect(mid.json().error.details.issues).toContainEqual(expect.objectContaining({ path: 'categoryId', code: 'category_not_leaf' }));
    const leaf = await inject('POST', '/api/v1/admin/categories', admin.cookie, { parentId: cats.midId, nameZh: '停用', nameEn: 'Disabled', enabled: false });
    const disabled = await inject('POST', '/api/v1/merchant/products', owner.cookie, productInput(leaf.json().category.id, { attributes: {}, specs: [], skus: [{ code: `D-${Date.now()}`, price: 100, weightGrams: 1 }] }));
    expect(disabled.json().error.details.issues).toEqual([expect.objectContaining({ code: 'category_disabled' })]);
  });

  it('keeps a safe description, cleaned of what the allow-list lacks', async () => {
    const res = await inject(
      'POST',
      '/api/v1/merchant/products',
      owner.cookie,
      productInput(cats.leafId, { description: '<h2 style="color:red">规格</h2><p class="x">纯棉<font>!</font></p><a href="https://shop.example.cn">详情</a>' }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().product.description).toBe(
      '<h2>规格</h2><p>纯棉!</p><a href="https://shop.example.cn" rel="noopener noreferrer nofollow" target="_blank">详情</a>',
    );
  });
});

describe('lists', () => {
  it('filters by status, searches by title and SKU code, and pages with a cursor', async () => {
    const other = await makeMerchant(t, admin);
    const cookie = other.owner.cookie;
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createProduct(t, { cookie }, productInput(cats.leafId, { title: `保温杯 ${i}` })));
    const first = await inject('GET', '/api/v1/merchant/products?limit=2', cookie);
    expect(first.json().items.map((p: { id: string }) => p.id)).toEqual([made[4]!.id, made[3]!.id]);
    const second = await inject('GET', `/api/v1/merchant/products?limit=2&cursor=${first.json().nextCursor}`, cookie);
    expect(second.json().items.map((p: { id: string }) => p.id)).toEqual([made[2]!.id, made[1]!.id]);
    const last = await inject('GET', `/api/v1/merchant/products?limit=2&cursor=${second.json().nextCursor}`, cookie);
    expect(last.json()).toMatchObject({ nextCursor: null });

    const byTitle = await inject('GET', `/api/v1/merchant/products?q=${encodeURIComponent('保温杯 3')}`, cookie);
    expect(byTitle.json().items.map((p: { id: string }) => p.id)).toEqual([made[3]!.id]);
    const bySku = await inject('GET', `/api/v1/merchant/products?q=${made[1]!.skus[2]!.code}`, cookie);
    expect(bySku.json().items.map((p: { id: string }) => p.id)).toEqual([made[1]!.id]);
    const drafts = await inject('GET', '/api/v1/merchant/products?status=draft', cookie);
    expect(drafts.json().items).toHaveLength(5);
    expect((await inject('GET', '/api/v1/merchant/products?status=on_sale', cookie)).json().items).toHaveLength(0);
    expect((await inject('GET', '/api/v1/merchant/products?status=sold', cookie)).statusCode).toBe(400);
  });
});
