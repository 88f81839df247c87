/**
 * `npx tsx bench/catalog-bulk.ts`: bulk upsert of a large catalog through the Open API.
 * Creates a PostgreSQL database, starts the platform on it (as `npm start` would), opens a store
 * and an API key over HTTP, then PUTs BENCH_PRODUCTS products (default 10,000) with 3 SKUs each
 * in calls of 500: once to create them, once more unchanged, then with every price changed and
 * with every SKU's stock changed.
 * Prints the time of each run and checks the counts in the database.
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server.
 */
import pg from 'pg';
import { makeCreditCode } from '../test/helpers/factories.js';
import { BENCH_ADMIN, type BenchPlatform, cookieOf, runBench, withBenchPlatform } from './harness.js';

const total = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const batch = 500;

/** A store with an API key, and a leaf category with colour and size dimensions. */
async function prepare({ call, login }: BenchPlatform) {
  const adminCookie = await login(BENCH_ADMIN.login, BENCH_ADMIN.password);
  const category = async (body: object) =>
    (await call<{ category: { id: string } }>('POST', '/api/v1/admin/categories', body, adminCookie, 201)).json.category.id;
  const rootId = await category({ nameZh: '服装', nameEn: 'Clothing' });
  const midId = await category({ parentId: rootId, nameZh: '上衣', nameEn: 'Tops' });
  const leafId = await category({
    parentId: midId,
    nameZh: 'T恤',
    nameEn: 'T-shirts',
    attributes: [
      { key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' },
      { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', options: ['S', 'M', 'L'] },
      { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
    ],
  });

  const owner = await call('POST', '/api/v1/auth/register', { email: `bench-owner-${Date.now()}@example.com`, password: 'bench-password' }, {}, 201);
  const ownerCookie = { cookie: cookieOf(owner.res) };
  const application = {
    name: `压测店铺${Date.now().toString(36)}`,
    contactName: '王芳',
    contactMobile: '13812345678',
    contactEmail: 'bench-store@example.com',
    creditCode: makeCreditCode(),
    description: '压测用店铺',
  };
  const applied = await call<{ merchant: { id: string } }>('POST', '/api/v1/merchant/application', application, ownerCookie, 201);
  const merchantId = applied.json.merchant.id;
  await call('POST', `/api/v1/admin/merchants/${merchantId}/approve`, undefined, adminCookie, 200);
  const key = await call<{ secret: string }>('POST', '/api/v1/merchant/api-keys', { name: 'bench', scopes: ['products:read', 'products:write'] }, ownerCookie, 201);
  return { leafId, authorization: `Bearer ${key.json.secret}` };
}

function product(leafId: string, n: number, priceBump: number, stockBump: number) {
  const code = `BENCH-${String(n).padStart(6, '0')}`;
  const sizes = ['S', 'M', 'L'];
  return {
    code,
    title: `纯棉圆领短袖T恤 第${n}款`,
    subtitle: '新疆长绒棉，透气不变形',
    description: `<p>200g 精梳棉，<strong>机洗不变形</strong>。款号 ${code}</p>`,
    brand: '棉舍',
    categoryId: leafId,
    attributes: { material: '棉 100%' },
    specs: [
      { key: 'color', values: ['白色'] },
      { key: 'size', values: sizes },
    ],
    skus: sizes.map((size, i) => ({
      code: `${code}-${size}`,
      specs: { color: '白色', size },
      price: 5900 + (n % 50) * 100 + i * 200 + priceBump,
      listPrice: 12900 + priceBump,
      onHand: 100 + i + stockBump,
      weightGrams: 200 + i * 10,
    })),
  };
}

async function run({ call }: BenchPlatform, label: string, leafId: string, authorization: string, priceBump: number, stockBump = 0) {
  const started = performance.now();
  const summary = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const latencies: number[] = [];
  for (let from = 0; from < total; from += batch) {
    const products = Array.from({ length: Math.min(batch, total - from) }, (_, i) => product(leafId, from + i, priceBump, stockBump));
    const t0 = performance.now();
    const { json } = await call<{ summary: typeof summary }>('PUT', '/api/v1/merchant/products/bulk', { products }, { authorization }, 200);
    latencies.push(performance.now() - t0);
    const s = json.summary;
    for (const k of Object.keys(summary) as (keyof typeof summary)[]) summary[k] += s[k];
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    run: label,
    'total s': Number(seconds.toFixed(2)),
    'products/s': Math.round(total / seconds),
    'call p50 ms': Math.round(latencies[Math.floor(latencies.length / 2)]!),
    'call max ms': Math.round(latencies[latencies.length - 1]!),
    ...summary,
  };
}

runBench(() =>
  withBenchPlatform('catalog', async (platform) => {
    const { leafId, authorization } = await prepare(platform);
    const rows = [];
    rows.push(await run(platform, 'create', leafId, authorization, 0));
    rows.push(await run(platform, 'same payload again', leafId, authorization, 0));
    rows.push(await run(platform, 'every price changed', leafId, authorization, 100));
    rows.push(await run(platform, 'every stock changed', leafId, authorization, 100, 7));
    console.log(`\nFlowmart catalog bulk upsert: ${total} products × 3 SKUs in calls of ${batch}, PostgreSQL\n`);
    console.table(rows);
    const counts = new pg.Client({ connectionString: platform.databaseUrl });
    await counts.connect();
    const { rows: check } = await counts.query(
      `select (select count(*)::int from products) as products, (select count(*)::int from skus) as skus,
              (select count(*)::int from stock_adjustments) as stock_adjustments, (select count(*)::int from flow_events where object_type = 'product') as product_events`,
    );
    await counts.end();
    console.log('database:', check[0]);
  }),
);
