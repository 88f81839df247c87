/**
 * `npx tsx bench/review.ts`: the automatic review under a large catalog (issue 4).
 *
 * 1. Starts the platform on a new PostgreSQL database, opens 20 stores through the API and puts
 *    BENCH_CATALOG (default 100,000) on-sale products into 8 leaf categories with SQL
 *    (generate_series), half of them in one big store, so the duplicate and price rules work
 *    against a full catalog.
 * 2. Creates BENCH_SUBMISSIONS (default 10,000) drafts through the bulk API and submits them one
 *    by one (POST …/submit): mostly clean listings, some with absolute terms, contact lures,
 *    prohibited goods, near-duplicate titles or outlying prices. Prints the request time and the
 *    decision time (submission to decision, from the review tasks) at p50/p99, and the outcomes.
 * 3. Starts a second platform with the demo seed (src/seed/demo.ts) and prints the share of its
 *    listings the rules decided without a person, with the rules that sent the rest to the queue.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server.
 */
import pg from 'pg';
import { makeCreditCode } from '../test/helpers/factories.js';
import { BENCH_ADMIN, type BenchPlatform, cookieOf, runBench, withBenchPlatform } from './harness.js';

const catalogSize = Number(process.env.BENCH_CATALOG ?? 100_000);
const submissions = Number(process.env.BENCH_SUBMISSIONS ?? 10_000);
const STORES = 20;
const LEAVES = 8;

const BRANDS = ['棉舍', '织里', '简屿', '北岸', '木槿', '青禾', '森野', '晴川', '拾光', '素年', 'Urban Knit', 'Northfold', 'Loomwell', 'Daybreak', 'Kinfolk'];
const NOUNS = ['纯棉T恤', '圆领卫衣', '牛仔外套', '针织开衫', '休闲长裤', '运动短裤', '衬衫', '连帽夹克', '羊毛围巾', '帆布鞋', 'linen shirt', 'hoodie', 'chino pants', 'denim jacket'];
const POINTS = ['宽松版型', '透气速干', '加厚保暖', '抗皱免烫', '亲肤柔软', '修身显瘦', '多色可选', '经典百搭', 'relaxed fit', 'breathable', 'organic cotton'];

type Store = { merchantId: string; key: string };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function setup({ call, login }: BenchPlatform) {
  const admin = await login(BENCH_ADMIN.login, BENCH_ADMIN.password);
  const category = async (body: object) => (await call<{ category: { id: string } }>('POST', '/api/v1/admin/categories', body, admin, 201)).json.category.id;
  const root = await category({ nameZh: '服装', nameEn: 'Clothing' });
  const leaves: string[] = [];
  for (let i = 0; i < LEAVES; i++) {
    const mid = await category({ parentId: root, nameZh: `服装分类${i}`, nameEn: `Apparel ${i}` });
    leaves.push(
      await category({
        parentId: mid,
        nameZh: `叶子类目${i}`,
        nameEn: `Leaf ${i}`,
        attributes: [
          { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', options: ['S', 'M', 'L'] },
          { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
        ],
      }),
    );
  }
  const stores: Store[] = [];
  for (let i = 0; i < STORES; i++) {
    const owner = await call('POST', '/api/v1/auth/register', { email: `bench-review-${i}-${Date.now()}@example.com`, password: 'bench-password' }, {}, 201);
    const ownerCookie = { cookie: cookieOf(owner.res) };
    const applied = await call<{ merchant: { id: string } }>(
      'POST',
      '/api/v1/merchant/application',
      { name: `审核压测店${i}-${Date.now().toString(36)}`, contactName: '王芳', contactMobile: '13812345678', contactEmail: `s${i}@example.com`, creditCode: makeCreditCode(), description: '压测' },
      ownerCookie,
      201,
    );
    await call('POST', `/api/v1/admin/merchants/${applied.json.merchant.id}/approve`, undefined, admin, 200);
    const key = await call<{ secret: string }>('POST', '/api/v1/merchant/api-keys', { name: 'bench', scopes: ['products:read', 'products:write'] }, ownerCookie, 201);
    stores.push({ merchantId: applied.json.merchant.id, key: `Bearer ${key.json.secret}` });
  }
  return { admin, leaves, stores };
}

/** The on-sale catalog, in a few statements. Store 0 holds half of it. */
async function seedCatalog(databaseUrl: string, stores: Store[], leaves: string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    const params = [stores.map((s) => s.merchantId), leaves, BRANDS, NOUNS, POINTS, catalogSize];
    await client.query(
      `insert into products (id, merchant_id, code, title, subtitle, description, brand, category_id, attributes, specs, image_ids, status,
                             price_min, price_max, stock_total, submitted_at, reviewed_at, created_at, updated_at)
       select 'prd_' || lpad(upper(to_hex(g)), 26, '0'),
              case when g % 2 = 0 then ($1::text[])[1] else ($1::text[])[1 + g % array_length($1::text[], 1)] end,
              'SEED-' || g,
              ($3::text[])[1 + g % array_length($3::text[], 1)] || ' ' || ($4::text[])[1 + (g / 7) % array_length($4::text[], 1)] || ' '
                || ($5::text[])[1 + (g / 11) % array_length($5::text[], 1)] || ' 款号' || g,
              '', '<p>bench</p>', ($3::text[])[1 + g % array_length($3::text[], 1)],
              ($2::text[])[1 + (g / 3) % array_length($2::text[], 1)],
              '{"material":"棉"}'::jsonb, '[]'::jsonb, '[]'::jsonb, 'on_sale',
              p.price, p.price, 100, now(), now(), now(), now()
         from generate_series(1, $6::int) as g
         cross join lateral (select (2000 + (g * 7919) % 30000)::int as price) p`,
      params,
    );
    await client.query(
      `insert into skus (id, product_id, merchant_id, code, specs, position, price, weight_grams, on_hand, created_at, updated_at)
       select 'sku_' || substr(p.id, 5), p.id, p.merchant_id, p.code || '-1', '{}'::jsonb, 0, p.price_min, 200, 100, now(), now()
         from products p where p.code like 'SEED-%'`,
    );
    await client.query('analyze products; analyze skus');
    console.log(`Catalog: ${catalogSize.toLocaleString()} on-sale products in ${STORES} stores × ${LEAVES} categories in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return client;
  } catch (err) {
    await client.end();
    throw err;
  }
}

/** Submission i: mostly clean; some blocked, some for a person. */
function draft(i: number, leafId: string, imageId: string, duplicateOf: string | undefined) {
  const kind = i % 100;
  const base = `${BRANDS[i % BRANDS.length]} ${NOUNS[(i * 3) % NOUNS.length]} ${POINTS[(i * 5) % POINTS.length]} 新款${i}`;
  const title =
    kind < 5 ? `全网最低 ${base}` : kind < 7 ? `${base} 最.好 穿` : kind < 9 ? `${base} No.1` : kind < 11 ? `仿真枪 ${base}` : kind < 16 && duplicateOf ? duplicateOf : base;
  const description = kind >= 16 && kind < 19 ? `<p>咨询 V信 shop${i}88 或 138-1234-${String(1000 + (i % 9000)).padStart(4, '0')}</p>` : `<p>${base}，机洗不变形。</p>`;
  const price = kind >= 19 && kind < 22 ? 50 : 5900 + (i % 40) * 300;
  const code = `RV-${String(i).padStart(6, '0')}`;
  return {
    code,
    title,
    description,
    brand: BRANDS[i % BRANDS.length],
    categoryId: leafId,
    attributes: { material: '棉 100%' },
    specs: [{ key: 'size', values: ['M', 'L'] }],
    imageIds: [imageId],
    skus: ['M', 'L'].map((size, k) => ({ code: `${code}-${size}`, specs: { size }, price: price + k * 200, onHand: 50, weightGrams: 220 })),
  };
}

async function catalogScenario(platform: BenchPlatform) {
  const { call, baseUrl, databaseUrl } = platform;
  const { admin, leaves, stores } = await setup(platform);
  const client = await seedCatalog(databaseUrl, stores, leaves);
  try {
    // One image per store, uploaded through the API.
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 180, g: 90, b: 60 } } }).png().toBuffer();
    const images = new Map<string, string>();
    for (const store of stores) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'p.png');
      const res = await fetch(`${baseUrl}/api/v1/merchant/images`, { method: 'POST', headers: { authorization: store.key }, body: form });
      images.set(store.merchantId, (await res.json()).image.id);
    }
    // Titles of on-sale products, for near-duplicate submissions in the same store and category.
    const dupes = await client.query<{ merchant_id: string; category_id: string; title: string }>(
      `select distinct on (merchant_id, category_id) merchant_id, category_id, title from products where code like 'SEED-%' order by merchant_id, category_id, id`,
    );
    const dupeOf = new Map(dupes.rows.map((r) => [`${r.merchant_id} ${r.category_id}`, r.title]));

    // Drafts through the bulk API, 500 a call; store 0 gets half.
    const created: { id: string; store: Store }[] = [];
    const storeOf = (i: number) => (i % 2 === 0 ? stores[0]! : stores[1 + (i % (STORES - 1))]!);
    const leafOf = (i: number) => leaves[i % LEAVES]!;
    const started = performance.now();
    for (let from = 0; from < submissions; from += 500) {
      const byStore = new Map<Store, ReturnType<typeof draft>[]>();
      for (let i = from; i < Math.min(submissions, from + 500); i++) {
        const store = storeOf(i);
        const item = draft(i, leafOf(i), images.get(store.merchantId)!, dupeOf.get(`${store.merchantId} ${leafOf(i)}`));
        byStore.set(store, [...(byStore.get(store) ?? []), item]);
      }
      for (const [store, products] of byStore) {
        const res = await call<{ items: { productId: string; result: string; errors: unknown[] }[] }>('PUT', '/api/v1/merchant/products/bulk', { products }, { authorization: store.key }, 200);
        for (const item of res.json.items) {
          if (item.result !== 'created') throw new Error(`bulk: ${JSON.stringify(item)}`);
          created.push({ id: item.productId, store });
        }
      }
    }
    console.log(`Drafts: ${created.length.toLocaleString()} through the bulk API in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Submissions one at a time: the rules decide inside each request.
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const runStarted = performance.now();
    for (const { id, store } of created) {
      const t0 = performance.now();
      const res = await call<{ product: { status: string } }>('POST', `/api/v1/merchant/products/${id}/submit`, undefined, { authorization: store.key }, 200);
      latencies.push(performance.now() - t0);
      statuses[res.json.product.status] = (statuses[res.json.product.status] ?? 0) + 1;
    }
    const elapsed = (performance.now() - runStarted) / 1000;
    latencies.sort((a, b) => a - b);
    const decided = await client.query<{ automatic: boolean; n: number; p50: number; p99: number; max: number }>(
      `select automatic, count(*)::int as n,
              percentile_cont(0.5) within group (order by extract(epoch from decided_at - submitted_at) * 1000) as p50,
              percentile_cont(0.99) within group (order by extract(epoch from decided_at - submitted_at) * 1000) as p99,
              max(extract(epoch from decided_at - submitted_at) * 1000) as max
         from review_tasks where state in ('approved', 'rejected') group by automatic`,
    );
    const hits = await client.query<{ rule: string; n: number }>(`select rule, count(*)::int as n from review_tasks, unnest(rule_hits) rule group by rule order by n desc`);
    const auto = decided.rows.find((r) => r.automatic);
    const stats = await call<{ automaticShare: number; queue: { size: number } }>('GET', '/api/v1/admin/review/stats', undefined, admin, 200);

    console.log(`\nSubmissions: ${created.length.toLocaleString()} one at a time in ${elapsed.toFixed(1)} s against ${catalogSize.toLocaleString()} on-sale products (PostgreSQL)`);
    console.table({
      'submit request (HTTP, incl. rules and decision)': { p50: ms(percentile(latencies, 50)), p99: ms(percentile(latencies, 99)), max: ms(latencies[latencies.length - 1]!) },
      'decision time (submission → decision, server)': { p50: ms(Number(auto?.p50 ?? NaN)), p99: ms(Number(auto?.p99 ?? NaN)), max: ms(Number(auto?.max ?? NaN)) },
    });
    console.log('Outcomes:', statuses, `· decided by the rules: ${((auto?.n ?? 0) / created.length * 100).toFixed(1)}% · manual queue: ${stats.json.queue.size}`);
    console.log('Rule hits:', Object.fromEntries(hits.rows.map((h) => [h.rule, h.n])));
  } finally {
    await client.end();
  }
}

/** The demo seed's listings: which the rules decide, which wait for a person and why. */
async function demoScenario({ databaseUrl }: BenchPlatform) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ automatic: boolean; state: string; n: number }>(
      `select automatic, state, count(*)::int as n from review_tasks where kind = 'listing' group by automatic, state order by automatic desc, state`,
    );
    const hits = await client.query<{ rule: string; n: number; example: string }>(
      `select rule, count(*)::int as n, min(title) as example from review_tasks, unnest(rule_hits) rule group by rule order by n desc`,
    );
    const total = rows.rows.reduce((a, r) => a + r.n, 0);
    const automatic = rows.rows.filter((r) => r.automatic).reduce((a, r) => a + r.n, 0);
    console.log(`\nDemo data (src/seed/demo.ts): ${total} listings submitted, ${automatic} decided by the rules (${((automatic / total) * 100).toFixed(1)}%)`);
    console.table(rows.rows);
    if (hits.rows.length > 0) console.table(hits.rows);
  } finally {
    await client.end();
  }
}

runBench(async () => {
  await withBenchPlatform('review', catalogScenario);
  await withBenchPlatform('review_demo', demoScenario, { SEED: 'demo' });
});
