import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCatalogTestApp, makeCategories, productInput, uploadImage } from '../../../test/helpers/catalog.js';
import { makeApiKey, makeMerchant, type TestMerchant } from '../../../test/helpers/factories.js';
import { reviewByHand } from '../../../test/helpers/review.js';
import { queryRows } from '../../platform/db.js';

let t: TestApp;
let admin: TestUser;
let merchant: TestMerchant;
let key: string;
let leafId: string;
let imageId: string;
beforeAll(async () => {
  t = await createCatalogTestApp();
  admin = await t.newAdmin();
  merchant = await makeMerchant(t, admin);
  key = await makeApiKey(t, merchant, ['products:read', 'products:write']);
  ({ leafId } = await makeCategories(t, admin));
  await reviewByHand(t, admin);
  imageId = await uploadImage(t, { authorization: key });
});
afterAll(() => t.close());

const bulk = (products: unknown[], query = '', authorization = key) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/merchant/products/bulk${query}`, headers: { authorization }, payload: { products } });
/** Rows written anywhere that a bulk call could touch. */
const writes = async () =>
  (
    await queryRows<{ products: string; skus: string; adjustments: number; events: number }>(
      t.database.db,
      sql`select (select max(updated_at)::text from products) as products, (select max(updated_at)::text from skus) as skus,
                 (select count(*)::int from stock_adjustments) as adjustments, (select count(*)::int from flow_events) as events`,
    )
  )[0]!;

describe('bulk upsert', () => {
  it('creates, then answers the same payload with all unchanged and writes nothing', async () => {
    const items = Array.from({ length: 20 }, (_, i) => productInput(leafId, { title: `批量商品 ${i}`, imageIds: [imageId] }));
    const first = await bulk(items);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().summary).toEqual({ created: 20, updated: 0, unchanged: 0, failed: 0, submitted: 0 });
    expect(first.json().items[3]).toMatchObject({ index: 3, code: items[3]!.code, result: 'created', status: 'draft', errors: [] });

    const before = await writes();
    const second = await bulk(items);
    expect(second.json().summary).toEqual({ created: 0, updated: 0, unchanged: 20, failed: 0, submitted: 0 });
    expect(second.json().items[3].productId).toBe(first.json().items[3].productId);
    expect(await writes()).toEqual(before);

    const list = await t.app.inject({ method: 'GET', url: `/api/v1/merchant/products?q=${items[5]!.skus[1]!.code}`, headers: { authorization: key } });
    expect(list.json().items[0]).toMatchObject({ code: items[5]!.code, priceMin: 7900, priceMax: 8900, stockTotal: 18 });
  });

  it('updates what changed, item by item, and records stock it sets', async () => {
    const items = Array.from({ length: 3 }, () => productInput(leafId, { imageIds: [imageId] }));
    await bulk(items);
    const changed = structuredClone(items);
    changed[0]!.skus[0]!.price = 6900; // price only
    changed[1]!.skus[0]!.onHand = 99; // stock only
    const res = await bulk(changed);
    expect(res.json().items.map((i: { result: string }) => i.result)).toEqual(['updated', 'updated', 'unchanged']);
    const [adjustment] = await queryRows<{ mode: string; delta: number; on_hand_after: number }>(
      t.database.db,
      sql`select a.mode, a.delta, a.on_hand_after from stock_adjustments a join skus s on s.id = a.sku_id where s.code = ${items[1]!.skus[0]!.code} and a.mode = 'sync'`,
    );
    expect(adjustment).toEqual({ mode: 'sync', delta: 89, on_hand_after: 99 });
    // Omitting onHand leaves stock alone.
    const withoutStock = structuredClone(changed).map((p) => ({ ...p, skus: p.skus.map(({ onHand: _o, ...s }) => s) }));
    expect((await bulk(withoutStock)).json().summary.unchanged).toBe(3);
  });

  it('answers bad items with their errors and writes the good ones (partial success)', async () => {
    const good = productInput(leafId);
    const negative = productInput(leafId);
    negative.skus[0]!.price = -1;
    const unsafe = productInput(leafId, { description: '<img src=x onerror=alert(1)>' });
    const badSpec = productInput(leafId);
    badSpec.skus[0]!.specs = { color: '紫色', size: 'M' };
    const dupInPayload = productInput(leafId, { code: good.code });
    const skuClash = productInput(leafId);
    skuClash.skus[0]!.code = good.skus[0]!.code;
    const res = await bulk([good, negative, unsafe, badSpec, dupInPayload, skuClash, { code: 'X' }]);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { result: string }) => i.result)).toEqual(['created', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed']);
    expect(items[1].errors[0]).toMatchObject({ path: 'skus.0.price', code: 'invalid_field' });
    expect(items[2].errors[0]).toMatchObject({ path: 'description', code: 'unsafe_html' });
    expect(items[3].errors[0]).toMatchObject({ path: 'skus.0.specs.color', code: 'unknown_spec_value' });
    expect(items[4].errors[0]).toMatchObject({ path: 'code', code: 'duplicate_in_payload' });
    expect(items[5].errors[0]).toMatchObject({ path: 'skus.0.code', code: 'duplicate_in_payload' });
    expect(items[6].errors.map((e: { path: string }) => e.path)).toContain('title');
    const [stored] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from products where code in (${negative.code}, ${unsafe.code}, ${badSpec.code}, ${skuClash.code})`,
    );
    expect(stored!.n).toBe(0);
    // A SKU code another stored product holds is refused too.
    const later = productInput(leafId);
    later.skus[0]!.code = good.skus[0]!.code;
    expect((await bulk([later])).json().items[0].errors[0]).toMatchObject({ code: 'sku_code_taken' });
  });

  it('with ?submit=true submits new and materially changed products, refusing items not ready', async () => {
    const ready = productInput(leafId, { imageIds: [imageId] });
    const noImage = productInput(leafId);
    const res = await bulk([ready, noImage], '?submit=true');
    expect(res.json().items[0]).toMatchObject({ result: 'created', status: 'pending_review', submitted: true });
    expect(res.json().items[1]).toMatchObject({ result: 'failed', errors: [expect.objectContaining({ code: 'missing_image' })] });
    expect(res.json().summary.submitted).toBe(1);

    const productId = res.json().items[0].productId;
    await t.app.inject({ method: 'POST', url: `/api/v1/admin/products/${productId}/approve`, headers: { cookie: admin.cookie } });
    // A price change of an on-sale product is not material: it stays on sale.
    const cheaper = structuredClone(ready);
    cheaper.skus[0]!.price = 5900;
    expect((await bulk([cheaper], '?submit=true')).json().items[0]).toMatchObject({ result: 'updated', status: 'on_sale', submitted: false });
    // A new title is: it becomes a revision, reviewed while the approved version stays on sale.
    const retitled = { ...cheaper, title: '纯棉T恤 2026 新款' };
    expect((await bulk([retitled], '?submit=true')).json().items[0]).toMatchObject({ result: 'updated', status: 'on_sale', submitted: true });
    // While the revision is reviewed, content cannot change; the same content is simply unchanged.
    expect((await bulk([{ ...retitled, subtitle: '又改' }])).json().items[0].errors[0].code).toBe('revision_in_review');
    expect((await bulk([retitled], '?submit=true')).json().items[0]).toMatchObject({ result: 'unchanged', submitted: false });
    const live = await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}` });
    expect(live.json().product.title).toBe(ready.title);
    await t.app.inject({ method: 'POST', url: `/api/v1/admin/products/${productId}/approve`, headers: { cookie: admin.cookie } });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${productId}` })).json().product.title).toBe('纯棉T恤 2026 新款');
  });

  it('moves a SKU code from one product to another in one call', async () => {
    const a = productInput(leafId);
    const b = productInput(leafId);
    await bulk([a, b]);
    const moved = a.skus[3]!;
    const a2 = { ...a, skus: a.skus.slice(0, 3) };
    const b2 = { ...b, skus: [...b.skus.slice(0, 3), { ...moved, specs: b.skus[3]!.specs }] };
    const res = await bulk([b2, a2]);
    expect(res.json().items.map((i: { result: string }) => i.result)).toEqual(['updated', 'updated']);
  });

  it('refuses more than 500 items, an empty call and a key without products:write', async () => {
    expect((await bulk(Array.from({ length: 501 }, () => ({})))).statusCode).toBe(400);
    expect((await bulk([])).statusCode).toBe(400);
    // Items must at least be objects; what is inside them is judged item by item.
    const notObject = await bulk([productInput(leafId), 'not an object']);
    expect(notObject.json().error.details.fields[0].path).toBe('body.products.1');
    const readOnly = await makeApiKey(t, merchant, ['products:read']);
    const denied = await bulk([productInput(leafId)], '', readOnly);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('missing_scope');
  });
});
