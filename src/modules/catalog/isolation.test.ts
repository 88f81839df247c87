import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import {
  type Auth,
  createCatalogTestApp,
  headersOf,
  makeCategories,
  makeOnSaleProduct,
  multipartFile,
  productInput,
  testImage,
  uploadImage,
} from '../../../test/helpers/catalog.js';
import { makeApiKey, makeMerchant } from '../../../test/helpers/factories.js';
import { queryRows } from '../../platform/db.js';

let t: TestApp;
let admin: TestUser;
let leafId: string;
/** Store A owns the data; store B (by session and by key) tries to reach it. */
let victim: { productId: string; skuId: string; imageId: string; code: string; auth: Auth };
let intruders: Record<'staff session' | 'API key', Auth>;
let image: Buffer;

beforeAll(async () => {
  t = await createCatalogTestApp();
  admin = await t.newAdmin();
  ({ leafId } = await makeCategories(t, admin));
  image = await testImage('png', 64, 64);
  const a = await makeMerchant(t, admin);
  const auth = { cookie: a.owner.cookie };
  const product = await makeOnSaleProduct(t, auth, admin, leafId);
  victim = { productId: product.id, skuId: product.skus[0]!.id, imageId: await uploadImage(t, auth), code: (await snapshot(product.id)).code, auth };
  const b = await makeMerchant(t, admin);
  intruders = { 'staff session': { cookie: b.owner.cookie }, 'API key': { authorization: await makeApiKey(t, b, ['products:read', 'products:write']) } };
});
afterAll(() => t.close());

async function snapshot(productId: string) {
  const [row] = await queryRows<{ code: string; title: string; status: string; updated_at: string; stock: number }>(
    t.database.db,
    sql`select code, title, status, updated_at::text, (select sum(on_hand)::int from skus where product_id = p.id) as stock from products p where id = ${productId}`,
  );
  return row!;
}

type Route = { name: string; method: 'GET' | 'POST' | 'PATCH' | 'PUT'; url: () => string; payload?: () => object; write: boolean };
const routes: Route[] = [
  { name: 'get a product', method: 'GET', url: () => `/api/v1/merchant/products/${victim.productId}`, write: false },
  { name: 'edit a product', method: 'PATCH', url: () => `/api/v1/merchant/products/${victim.productId}`, payload: () => ({ title: '被篡改' }), write: true },
  { name: 'submit a product', method: 'POST', url: () => `/api/v1/merchant/products/${victim.productId}/submit`, write: true },
  { name: 'take a product off the shelf', method: 'POST', url: () => `/api/v1/merchant/products/${victim.productId}/off-shelf`, write: true },
  { name: 'put a product on the shelf', method: 'POST', url: () => `/api/v1/merchant/products/${victim.productId}/on-shelf`, write: true },
  { name: 'adjust stock', method: 'POST', url: () => `/api/v1/merchant/skus/${victim.skuId}/stock`, payload: () => ({ mode: 'set', quantity: 0, reason: '' }), write: true },
  { name: 'read stock history', method: 'GET', url: () => `/api/v1/merchant/skus/${victim.skuId}/stock-adjustments`, write: false },
];

describe.each(['staff session', 'API key'] as const)('another store, through a %s', (via) => {
  it.each(routes.map((r) => [r.name, r] as const))('cannot %s: 404, nothing changes', async (_name, route) => {
    const before = await snapshot(victim.productId);
    const res = await t.app.inject({
      method: route.method,
      url: route.url(),
      headers: headersOf(intruders[via]),
      ...(route.payload ? { payload: route.payload() } : {}),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect(await snapshot(victim.productId)).toEqual(before);
  });

  it('does not see its products in the list, even searching by their codes', async () => {
    for (const q of ['', `?q=${victim.code}`, '?status=on_sale']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/merchant/products${q}`, headers: headersOf(intruders[via]) });
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((p: { id: string }) => p.id)).not.toContain(victim.productId);
    }
  });

  it("cannot use its images, and its codes are the store's own", async () => {
    const withImage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/products',
      headers: headersOf(intruders[via]),
      payload: productInput(leafId, { imageIds: [victim.imageId] }),
    });
    expect(withImage.statusCode).toBe(422);
    expect(withImage.json().error.details.issues[0]).toMatchObject({ path: 'imageIds.0', code: 'unknown_image' });

    // The same product code in a bulk call creates the intruder's own product; the victim's is untouched.
    const before = await snapshot(victim.productId);
    const code = victim.code;
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/merchant/products/bulk',
      headers: headersOf(intruders[via]),
      payload: { products: [productInput(leafId, { code, title: '冒名顶替' })] },
    });
    expect(res.json().items[0].result).toMatch(/created|updated/);
    expect(res.json().items[0].productId).not.toBe(victim.productId);
    expect(await snapshot(victim.productId)).toEqual(before);
  });
});

describe('scopes and roles', () => {
  it('a key with products:read reads but cannot write (403 missing_scope)', async () => {
    const store = await makeMerchant(t, admin);
    const product = await makeOnSaleProduct(t, { cookie: store.owner.cookie }, admin, leafId);
    const reader = { authorization: await makeApiKey(t, store, ['products:read']) };
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/merchant/products/${product.id}`, headers: headersOf(reader) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/merchant/skus/${product.skus[0]!.id}/stock-adjustments`, headers: headersOf(reader) })).statusCode).toBe(200);
    const writes: [string, string, object | undefined][] = [
      ['POST', '/api/v1/merchant/products', productInput(leafId)],
      ['PATCH', `/api/v1/merchant/products/${product.id}`, { title: '新标题' }],
      ['PUT', '/api/v1/merchant/products/bulk', { products: [productInput(leafId)] }],
      ['POST', `/api/v1/merchant/products/${product.id}/off-shelf`, undefined],
      ['POST', `/api/v1/merchant/products/${product.id}/submit`, undefined],
      ['POST', `/api/v1/merchant/skus/${product.skus[0]!.id}/stock`, { mode: 'add', quantity: 1, reason: '' }],
    ];
    for (const [method, url, payload] of writes) {
      const res = await t.app.inject({ method: method as 'POST', url, headers: headersOf(reader), ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('missing_scope');
    }
    const upload = multipartFile(image);
    const img = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/images', payload: upload.payload, headers: { ...upload.headers, ...headersOf(reader) } });
    expect(img.statusCode).toBe(403);
  });

  it('a key without products:read cannot read', async () => {
    const store = await makeMerchant(t, admin);
    const ordersOnly = { authorization: await makeApiKey(t, store, ['orders:read']) };
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/merchant/products', headers: headersOf(ordersOnly) });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('missing_scope');
  });

  it('shoppers get 403, strangers 401, and merchants cannot review', async () => {
    const shopper = await t.newUser();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/merchant/products', headers: { cookie: shopper.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/merchant/products' })).statusCode).toBe(401);
    const approve = await t.app.inject({ method: 'POST', url: `/api/v1/admin/products/${victim.productId}/approve`, headers: headersOf(intruders['staff session']) });
    expect(approve.statusCode).toBe(403);
    const byKey = await t.app.inject({ method: 'GET', url: '/api/v1/admin/products', headers: headersOf(intruders['API key']) });
    expect([401, 403]).toContain(byKey.statusCode);
  });
});
