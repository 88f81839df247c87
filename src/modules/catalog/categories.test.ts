import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCatalogTestApp, createProduct, makeCategories, productInput } from '../../../test/helpers/catalog.js';
import { makeMerchant } from '../../../test/helpers/factories.js';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await createCatalogTestApp();
  admin = await t.newAdmin();
});
afterAll(() => t.close());

const adminCall = (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie: admin.cookie }, ...(payload ? { payload } : {}) });
const create = async (payload: object) => {
  const res = await adminCall('POST', '/api/v1/admin/categories', payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().category;
};

describe('categories', () => {
  it('builds a tree of three levels in sort order, and the public sees only enabled branches', async () => {
    const home = await create({ nameZh: '家居', nameEn: 'Home', sortOrder: 2 });
    const food = await create({ nameZh: '食品', nameEn: 'Food', sortOrder: 1 });
    const kitchen = await create({ parentId: home.id, nameZh: '厨房', nameEn: 'Kitchen' });
    const pots = await create({ parentId: kitchen.id, nameZh: '锅具', nameEn: 'Pots', attributes: [{ key: 'capacity', nameZh: '容量', nameEn: 'Capacity', kind: 'spec' }] });
    expect(pots).toMatchObject({ depth: 3, isLeaf: true, attributes: [{ key: 'capacity', kind: 'spec', required: false }] });
    const tea = await create({ parentId: food.id, nameZh: '茶叶', nameEn: 'Tea', enabled: false });

    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/categories' });
    expect(pub.statusCode).toBe(200);
    const roots = pub.json().items;
    expect(roots.map((c: { nameZh: string }) => c.nameZh)).toEqual(['食品', '家居']);
    expect(roots[0].children).toEqual([]);
    expect(roots[1].children[0]).toMatchObject({ id: kitchen.id, isLeaf: false, children: [{ id: pots.id, isLeaf: true }] });

    const all = await adminCall('GET', '/api/v1/admin/categories');
    expect(all.json().items[0].children[0]).toMatchObject({ id: tea.id, enabled: false });
  });

  it('refuses a fourth level, an unknown parent and attributes on a parent', async () => {
    const { rootId, leafId, midId } = await makeCategories(t, admin);
    const fourth = await adminCall('POST', '/api/v1/admin/categories', { parentId: leafId, nameZh: '四级', nameEn: 'Fourth' });
    expect(fourth.statusCode).toBe(422);
    expect(fourth.json().error.code).toBe('category_too_deep');
    const withAttributes = await create({ parentId: rootId, nameZh: '裤子', nameEn: 'Trousers', attributes: [{ key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec' }] });
    const under = await adminCall('POST', '/api/v1/admin/categories', { parentId: withAttributes.id, nameZh: '短裤', nameEn: 'Shorts' });
    expect(under.statusCode).toBe(409);
    expect(under.json().error.code).toBe('category_has_attributes');
    const plain = await create({ parentId: midId, nameZh: '背心', nameEn: 'Vests' });
    const tooDeep = await adminCall('POST', '/api/v1/admin/categories', { parentId: plain.id, nameZh: '四级', nameEn: 'Fourth' });
    expect(tooDeep.statusCode).toBe(422);
    expect(tooDeep.json().error.code).toBe('category_too_deep');
    const orphan = await adminCall('POST', '/api/v1/admin/categories', { parentId: 'cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', nameZh: '孤儿', nameEn: 'Orphan' });
    expect(orphan.json().error.code).toBe('parent_not_found');
    const onParent = await adminCall('PATCH', `/api/v1/admin/categories/${midId}`, {
      attributes: [{ key: 'x', nameZh: '某', nameEn: 'X', kind: 'attr' }],
    });
    expect(onParent.statusCode).toBe(422);
    expect(onParent.json().error.code).toBe('not_a_leaf');
  });

  it('validates its input', async () => {
    const bad = [
      { nameZh: '', nameEn: 'Empty' },
      { nameZh: '名', nameEn: 'N', attributes: [{ key: 'Color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' }] },
      { nameZh: '名', nameEn: 'N', attributes: [{ key: 'c', nameZh: '颜色', nameEn: 'Colour', kind: 'size' }] },
      {
        nameZh: '名',
        nameEn: 'N',
        attributes: [
          { key: 'c', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' },
          { key: 'c', nameZh: '颜色', nameEn: 'Colour', kind: 'attr' },
        ],
      },
      { nameZh: '名', nameEn: 'N', sortOrder: 'first' },
    ];
    for (const payload of bad) expect((await adminCall('POST', '/api/v1/admin/categories', payload)).statusCode).toBe(400);
  });

  it('renames, disables and deletes; deleting one in use is refused', async () => {
    const { rootId, midId, leafId } = await makeCategories(t, admin);
    const renamed = await adminCall('PATCH', `/api/v1/admin/categories/${leafId}`, { nameEn: 'Tees', sortOrder: 5 });
    expect(renamed.json().category).toMatchObject({ nameEn: 'Tees', sortOrder: 5, nameZh: 'T恤' });

    const merchant = await makeMerchant(t, admin);
    await createProduct(t, { cookie: merchant.owner.cookie }, productInput(leafId));
    const inUse = await adminCall('DELETE', `/api/v1/admin/categories/${leafId}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error).toMatchObject({ code: 'category_in_use', details: { products: 1, children: 0 } });
    const hasChildren = await adminCall('DELETE', `/api/v1/admin/categories/${rootId}`);
    expect(hasChildren.json().error).toMatchObject({ code: 'category_in_use', details: { children: 1 } });
    // A category holding products takes no children: products live on leaves only.
    const shallow = await create({ parentId: rootId, nameZh: '配饰', nameEn: 'Accessories' });
    await createProduct(t, { cookie: merchant.owner.cookie }, productInput(shallow.id, { attributes: {}, specs: [], skus: [{ code: `ACC-${Date.now()}`, price: 990, weightGrams: 50 }] }));
    const under = await adminCall('POST', '/api/v1/admin/categories', { parentId: shallow.id, nameZh: '子', nameEn: 'Child' });
    expect(under.statusCode).toBe(409);
    expect(under.json().error.code).toBe('category_in_use');

    const empty = await create({ parentId: midId, nameZh: '空', nameEn: 'Empty' });
    expect((await adminCall('DELETE', `/api/v1/admin/categories/${empty.id}`)).statusCode).toBe(204);
    expect((await adminCall('DELETE', `/api/v1/admin/categories/${empty.id}`)).statusCode).toBe(404);
  });

  it('is for admins only', async () => {
    const user = await t.newUser();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/categories', headers: { cookie: user.cookie }, payload: { nameZh: '名', nameEn: 'N' } });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/categories', payload: { nameZh: '名', nameEn: 'N' } })).statusCode).toBe(401);
  });
});

describe('the catalog in /openapi.json', () => {
  it('documents every catalog route with its shapes and examples, so a developer can integrate from /docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const bulk = spec.paths['/api/v1/merchant/products/bulk'].put;
    const items = bulk.requestBody.content['application/json'].schema.properties.products.items;
    expect(JSON.stringify(items)).toContain('#/components/schemas/BulkProduct');
    expect(spec.components.schemas.BulkProduct.example.skus).toHaveLength(4);
    expect(bulk.parameters.map((p: { name: string }) => p.name)).toContain('submit');
    const create = spec.paths['/api/v1/merchant/products'].post;
    const ref: string = create.requestBody.content['application/json'].schema.$ref;
    expect(spec.components.schemas[ref.split('/').pop()!].example.title).toBe('纯棉圆领短袖T恤');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '422']));
    expect(spec.paths['/api/v1/merchant/images'].post.responses).toHaveProperty('413');
    for (const path of ['/api/v1/categories', '/api/v1/products/{id}', '/api/v1/merchant/skus/{id}/stock', '/api/v1/admin/products/{id}/reject']) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
  });
});
