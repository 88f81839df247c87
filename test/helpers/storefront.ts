/**
 * A small marketplace for storefront and search tests: categories with spec attributes, one or two
 * stores, products put on sale through the real API (bulk upsert with submit, then approval).
 */
import type { TestApp, TestUser } from './app.js';
import { uploadImage } from './catalog.js';
import { makeMerchant, type TestMerchant } from './factories.js';

export type FixtureProduct = {
  key: string;
  title: string;
  category: string;
  subtitle?: string;
  description?: string;
  brand?: string;
  /** Price in fen of the first SKU; a second SKU costs 1,000 more. */
  price?: number;
  /** Stock of each SKU; 0 makes the product sold out. */
  stock?: number;
  colors?: string[];
};

/** Leaf categories by key: [root zh, root en, leaf zh, leaf en]. */
export const FIXTURE_CATEGORIES: Record<string, [string, string, string, string]> = {
  phones: ['数码', 'Electronics', '手机', 'Phones'],
  cases: ['数码', 'Electronics', '手机壳', 'Phone cases'],
  audio: ['数码', 'Electronics', '耳机', 'Headphones'],
  laptops: ['数码', 'Electronics', '笔记本电脑', 'Laptops'],
  chargers: ['数码', 'Electronics', '充电器', 'Chargers'],
  tees: ['服装', 'Clothing', 'T恤', 'T-shirts'],
  dresses: ['服装', 'Clothing', '连衣裙', 'Dresses'],
  shoes: ['服装', 'Clothing', '运动鞋', 'Sneakers'],
  jeans: ['服装', 'Clothing', '牛仔裤', 'Jeans'],
  coats: ['服装', 'Clothing', '羽绒服', 'Down jackets'],
  tea: ['食品', 'Food', '茶叶', 'Tea'],
  coffee: ['食品', 'Food', '咖啡', 'Coffee'],
  snacks: ['食品', 'Food', '零食', 'Snacks'],
  makeup: ['美妆', 'Beauty', '彩妆', 'Makeup'],
  skincare: ['美妆', 'Beauty', '护肤', 'Skin care'],
  kitchen: ['家居', 'Home', '厨具', 'Kitchen'],
  bedding: ['家居', 'Home', '床品', 'Bedding'],
};

export type Fixture = {
  admin: TestUser;
  store: TestMerchant;
  /** Category id by key (leaves) and by root name (`root:数码`). */
  categories: Map<string, string>;
  /** Product id by fixture key. */
  products: Map<string, string>;
  imageId: string;
  /** Puts more products on sale in the fixture's store (or another store). */
  add(items: FixtureProduct[], store?: TestMerchant): Promise<Map<string, string>>;
};

async function call(t: TestApp, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function makeFixture(t: TestApp, items: FixtureProduct[]): Promise<Fixture> {
  const admin = await t.newAdmin();
  const store = await makeMerchant(t, admin);
  const categories = new Map<string, string>();
  for (const [key, [rootZh, rootEn, leafZh, leafEn]] of Object.entries(FIXTURE_CATEGORIES)) {
    let rootId = categories.get(`root:${rootZh}`);
    if (!rootId) {
      rootId = (await call(t, 'POST', '/api/v1/admin/categories', admin.cookie, { nameZh: rootZh, nameEn: rootEn })).category.id as string;
      categories.set(`root:${rootZh}`, rootId);
    }
    const leaf = await call(t, 'POST', '/api/v1/admin/categories', admin.cookie, {
      parentId: rootId,
      nameZh: leafZh,
      nameEn: leafEn,
      attributes: [{ key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' }],
    });
    categories.set(key, leaf.category.id as string);
  }
  const images = new Map<string, string>();
  const imageOf = async (m: TestMerchant) => {
    if (!images.has(m.merchantId)) images.set(m.merchantId, await uploadImage(t, { cookie: m.owner.cookie }));
    return images.get(m.merchantId)!;
  };
  const products = new Map<string, string>();
  let n = 0;

  const add = async (list: FixtureProduct[], seller: TestMerchant = store) => {
    const imageId = await imageOf(seller);
    const added = new Map<string, string>();
    const pending: string[] = [];
    for (let i = 0; i < list.length; i += 100) {
      const slice = list.slice(i, i + 100);
      const body = {
        products: slice.map((p) => {
          const code = `FX-${p.key}-${(n++).toString(36)}`;
          const colors = p.colors ?? ['黑色', '白色'];
          return {
            code,
            title: p.title,
            subtitle: p.subtitle ?? '',
            description: p.description ?? `<p>${p.title}</p>`,
            brand: p.brand ?? '',
            categoryId: categories.get(p.category)!,
            specs: [{ key: 'color', values: colors }],
            imageIds: [imageId],
            skus: colors.map((color, c) => ({ code: `${code}-${c}`, specs: { color }, price: (p.price ?? 9900) + c * 1000, onHand: p.stock ?? 10, weightGrams: 300 })),
          };
        }),
      };
      const result = await call(t, 'PUT', '/api/v1/merchant/products/bulk?submit=true', seller.owner.cookie, body);
      for (const [j, item] of (result.items as { productId: string; result: string; status: string; errors: unknown[] }[]).entries()) {
        if (!item.productId || item.result === 'failed') throw new Error(`fixture product ${slice[j]!.key} failed: ${JSON.stringify(item.errors)}`);
        added.set(slice[j]!.key, item.productId);
        if (item.status === 'pending_review') pending.push(item.productId);
      }
    }
    for (const id of pending) await call(t, 'POST', `/api/v1/admin/products/${id}/approve`, admin.cookie);
    for (const [k, v] of added) products.set(k, v);
    return added;
  };

  const imageId = await imageOf(store);
  await add(items);
  return { admin, store, categories, products, imageId, add };
}

/** GET /api/v1/products with a query string; returns the parsed page. */
export async function listProducts(t: TestApp, query: Record<string, string | number | boolean | string[]>, cookie?: string) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
  }
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/products?${params}`, headers: cookie ? { cookie } : {} });
  if (res.statusCode !== 200) throw new Error(`list failed: ${res.statusCode} ${res.body}`);
  return res.json() as {
    items: { id: string; merchantId: string; title: string; inStock: boolean; priceMin: number; unitsSold: number; highlights: [number, number][]; debug?: Record<string, number> }[];
    nextCursor: string | null;
    total: number | null;
    query: { q: string; terms: string[]; correctedQuery: string | null; fuzzy: boolean; suggestions: string[] } | null;
    facets?: {
      categories: { id: string; count: number }[];
      stores: { id: string; count: number }[];
      specs: { key: string; values: { value: string; count: number }[] }[];
      price: { min: number; max: number } | null;
    };
  };
}
