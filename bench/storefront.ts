/**
 * `npx tsx bench/storefront.ts`: the storefront's reads on PostgreSQL at 10,000 and then 100,000
 * on-sale products from 1,000 stores. Products, SKUs, stores and categories are generated with
 * `generate_series` straight into a fresh database, the search index is rebuilt with the real
 * indexer, and the platform (a separate process) is loaded with autocannon, 50 connections:
 *
 *   category listing (first page of 20), product detail, search for a word held by ~1% of
 *   products (Chinese or English), search with a typo (fuzzy tier), suggestions.
 *
 * Listings and searches run twice: over a fixed set of URLs (what the in-process cache serves) and
 * with a random price bound in every URL (each request misses the cache and runs its SQL). Every
 * figure is the median of 3 runs. BENCH_DURATION (seconds per run, default 5), BENCH_CONNECTIONS
 * (default 50), BENCH_SIZES (default "10000,100000") and BENCH_DATABASE_URL size it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db.js';
import { median, runBench, withBenchPlatform } from './harness.js';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const STORES = 1_000;

const ZH = ('手机壳 蓝牙耳机 充电宝 数据线 连衣裙 运动鞋 牛仔裤 羽绒服 保温杯 电饭煲 空气炸锅 吹风机 剃须刀 电动牙刷 面膜 口红 洗面奶 防晒霜 香水 眼霜 ' +
  '茶叶 咖啡豆 坚果 巧克力 牛奶 大米 食用油 蜂蜜 红酒 白酒 笔记本 钢笔 书包 台灯 鼠标 键盘 显示器 路由器 音箱 相机 ' +
  '三脚架 背包 行李箱 钱包 手表 墨镜 帽子 围巾 手套 袜子 睡衣 内衣 衬衫 卫衣 外套 短裤 拖鞋 凉鞋 皮鞋 帆布鞋 ' +
  '枕头 被子 床单 毛巾 浴巾 窗帘 地毯 沙发 椅子 书架 收纳盒 衣架 炒锅 菜刀 砧板 碗筷 水杯 茶具 花瓶 绿植 ' +
  '猫粮 狗粮 猫砂 玩具车 积木 拼图 奶瓶 尿不湿 婴儿车 跑步机 瑜伽垫 哑铃 帐篷 睡袋 钓竿 自行车 头盔 护膝 体重秤 加湿器').split(' ');
const EN = ('case earbuds charger cable dress sneakers jeans jacket bottle cooker fryer dryer shaver toothbrush mask lipstick cleanser sunscreen perfume serum ' +
  'tea coffee nuts chocolate milk rice oil honey wine whisky notebook pen schoolbag lamp mouse keyboard monitor router speaker camera ' +
  'tripod backpack suitcase wallet watch sunglasses hat scarf gloves socks pajamas bra shirt hoodie coat shorts slippers sandals loafers canvas ' +
  'pillow quilt sheet towel bathrobe curtain rug sofa chair bookshelf organizer hanger wok knife board bowl mug teapot vase plant ' +
  'catfood dogfood litter toycar blocks puzzle feeder diaper stroller treadmill yogamat dumbbell tent sleepingbag rod bicycle helmet kneepad scale humidifier').split(' ');
const BRANDS = '棉舍 行者 极光 简品 护盾 华彩 声浪 闪充 素语 跃动 山野 茶园 晨光 木作 暖居 萌宝 速达 云端 青禾 拾光'.split(' ');
const STYLES = '轻薄款 加厚款 经典款 限量版 旗舰版 升级款 便携款 家用款 2026新款 热卖款'.split(' ');
const ROOTS = ['服饰鞋包', '手机数码', '家用电器', '美妆个护', '食品生鲜', '家居家装', '母婴玩具', '运动户外', '图书文具', '宠物用品'];

const hexId = (prefix: string, n: number) => `${prefix}_${n.toString(16).toUpperCase().padStart(26, '0')}`;
const categoryIds = [...ROOTS.map((_, r) => hexId('cat', r + 1)), ...Array.from({ length: 100 }, (_, l) => hexId('cat', 1000 + l))];

/** Swaps two inner letters: `charger` → `chagrer`, the kind of typo a thumb makes. */
const typo = (word: string) => word.slice(0, 2) + word[3] + word[2] + word.slice(4);
const TYPOS = EN.filter((w) => w.length >= 6).map(typo);

async function generate(client: pg.Client, from: number, to: number) {
  if (from === 0) {
    await client.query(
      `insert into categories (id, parent_id, depth, name_zh, name_en, sort_order, enabled, attributes, created_at, updated_at)
       select ($1::text[])[r], null, 1, ($2::text[])[r], 'Root ' || r, r, true, '[]', now(), now() from generate_series(1, 10) r`,
      [categoryIds.slice(0, 10), ROOTS],
    );
    await client.query(
      `insert into categories (id, parent_id, depth, name_zh, name_en, sort_order, enabled, attributes, created_at, updated_at)
       select ($1::text[])[l + 1], ($2::text[])[(l % 10) + 1], 2, ($3::text[])[(l % 10) + 1] || ' ' || (l / 10 + 1) || '号', 'Leaf ' || l, l, true,
              '[{"key":"color","nameZh":"颜色","nameEn":"Colour","kind":"spec","required":false}]', now(), now()
         from generate_series(0, 99) l`,
      [categoryIds.slice(10), categoryIds.slice(0, 10), ROOTS],
    );
    await client.query(
      `insert into merchants (id, name, state, applicant_user_id, contact_name, contact_mobile, contact_email, credit_code, description, created_at, updated_at, approved_at)
       select 'mer_' || lpad(upper(to_hex(m)), 26, '0'), '压测店铺' || m, 'active', 'usr_bench', '王芳', '13812345678', 'bench' || m || '@example.com',
              '91310000' || lpad(m::text, 10, '0'), '压测用店铺', now(), now(), now()
         from generate_series(0, ${STORES - 1}) m`,
    );
  }
  const started = Date.now();
  await client.query(
    `insert into products (id, merchant_id, code, title, subtitle, description, brand, category_id, attributes, specs, image_ids, status, currency,
                           price_min, price_max, stock_total, created_at, updated_at, reviewed_at, submitted_at)
     select 'prd_' || lpad(upper(to_hex(n)), 26, '0'), 'mer_' || lpad(upper(to_hex(n % ${STORES})), 26, '0'), 'B' || n,
            ($1::text[])[1 + n % 20] || ' ' || ($2::text[])[1 + n % 100] || ' ' || ($3::text[])[1 + (n / 100) % 10] || ' ' || ($4::text[])[1 + (n / 7) % 100] || ' X' || (n % 997),
            '压测商品', '<p>' || ($2::text[])[1 + n % 100] || '，品质保证，48 小时内发货。</p>', ($1::text[])[1 + n % 20],
            ($5::text[])[11 + n % 100], '{}', '[{"key":"color","values":["黑色","白色"]}]', '[]', 'on_sale', 'CNY',
            1000 + (n * 37) % 100000, 2000 + (n * 37) % 100000, case when n % 50 = 0 then 0 else 200 end,
            now() - n * interval '1 second', now(), now() - n * interval '1 second', now() - n * interval '1 second'
       from generate_series($6::int, $7::int - 1) n`,
    [BRANDS, ZH, STYLES, EN, categoryIds, from, to],
  );
  await client.query(
    `insert into skus (id, product_id, merchant_id, code, specs, position, price, list_price, weight_grams, on_hand, reserved, created_at, updated_at)
     select 'sku_' || lpad(upper(to_hex(n * 2 + k)), 26, '0'), 'prd_' || lpad(upper(to_hex(n)), 26, '0'), 'mer_' || lpad(upper(to_hex(n % ${STORES})), 26, '0'),
            'B' || n || '-' || k, jsonb_build_object('color', case when k = 0 then '黑色' else '白色' end), k,
            1000 + (n * 37) % 100000 + k * 1000, null, 300, case when n % 50 = 0 then 0 else 100 end, 0, now(), now()
       from generate_series($1::int, $2::int - 1) n, generate_series(0, 1) k`,
    [from, to],
  );
  await client.query('analyze');
  return (Date.now() - started) / 1000;
}

/** The real indexer, in this process, over the bench database. */
async function rebuildIndex(databaseUrl: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowmart-bench-index-'));
  const database = await openDatabase({ databaseUrl, poolSize: 10 });
  const config = loadConfig({ DATABASE_URL: databaseUrl, SEED: 'none', LOG_LEVEL: 'silent', DATA_DIR: dataDir, WEB_DIST: '/nonexistent', RATE_LIMIT_PER_MINUTE: '0' });
  const platform = await buildApp({ config, database, logger: false });
  try {
    await platform.search.settle();
    const started = Date.now();
    const indexed = await platform.search.indexer.rebuildAll();
    const seconds = (Date.now() - started) / 1000;
    // What autovacuum would have done by the time shoppers arrive.
    await database.db.execute(sql`analyze search_documents, search_terms`);
    return { indexed, seconds };
  } finally {
    await platform.app.close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

type Run = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

async function load(baseUrl: string, next: () => string): Promise<Run> {
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: next() }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}


async function scenario(baseUrl: string, name: string, next: () => string, warm = 200) {
  // Warm up: a fixed set of URLs is visited once (a steady state), random ones a little.
  for (let i = 0; i < warm; i += 25) await Promise.all(Array.from({ length: 25 }, () => fetch(`${baseUrl}${next()}`).then((r) => r.arrayBuffer())));
  const runs: Run[] = [];
  for (let i = 0; i < 3; i++) runs.push(await load(baseUrl, next));
  return {
    scenario: name,
    'req/s': Math.round(median(runs.map((r) => r.rps))),
    'p50 ms': median(runs.map((r) => r.p50)),
    'p99 ms': median(runs.map((r) => r.p99)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  };
}

function rotate(list: string[]): (() => string) & { size: number } {
  let i = 0;
  return Object.assign(() => list[i++ % list.length]!, { size: list.length });
}

const rotating = (list: string[]) => {
  const next = rotate(list);
  return [next, next.size] as const;
};

const randomPrice = () => 50_000 + Math.floor(Math.random() * 5_000_000);

async function measure(baseUrl: string, size: number) {
  const q = (text: string) => encodeURIComponent(text);
  const words = ZH.map((w, i) => (i % 2 === 0 ? w : EN[i]!));
  const productIds = Array.from({ length: 5_000 }, () => hexId('prd', Math.floor(Math.random() * size)));
  const check = await fetch(`${baseUrl}/api/v1/products?q=${q(ZH[3]!)}&limit=20`).then((r) => r.json() as Promise<{ total: number }>);
  const typoCheck = await fetch(`${baseUrl}/api/v1/products?q=${q(TYPOS[0]!)}&limit=20`).then((r) => r.json() as Promise<{ total: number; query: { correctedQuery: string | null } }>);
  console.log(`  "${ZH[3]}" matches ${check.total} of ${size}; "${TYPOS[0]}" → ${typoCheck.query.correctedQuery} (${typoCheck.total})`);
  const rows = [];
  rows.push(await scenario(baseUrl, 'category listing, first 20 (cached URLs)', ...rotating(categoryIds.map((c) => `/api/v1/products?category=${c}&limit=20`))));
  rows.push(await scenario(baseUrl, 'category listing, first 20 (every URL new)', () => `/api/v1/products?category=${categoryIds[Math.floor(Math.random() * categoryIds.length)]}&maxPrice=${randomPrice()}&limit=20`));
  rows.push(await scenario(baseUrl, 'product detail (5,000 random products)', ...rotating(productIds.map((id) => `/api/v1/products/${id}`))));
  rows.push(await scenario(baseUrl, 'search, ~1% word (cached URLs)', ...rotating(words.map((w) => `/api/v1/products?q=${q(w)}&limit=20`))));
  rows.push(await scenario(baseUrl, 'search, ~1% word (every URL new)', () => `/api/v1/products?q=${q(words[Math.floor(Math.random() * words.length)]!)}&maxPrice=${randomPrice()}&limit=20`));
  rows.push(await scenario(baseUrl, 'search with a typo (cached URLs)', ...rotating(TYPOS.map((w) => `/api/v1/products?q=${q(w)}&limit=20`))));
  rows.push(await scenario(baseUrl, 'search with a typo (every URL new)', () => `/api/v1/products?q=${q(TYPOS[Math.floor(Math.random() * TYPOS.length)]!)}&maxPrice=${randomPrice()}&limit=20`));
  const prefixes = [...ZH.map((w) => w.slice(0, 1)), ...ZH.map((w) => w.slice(0, 2)), ...EN.map((w) => w.slice(0, 3))];
  rows.push(await scenario(baseUrl, 'suggestions (prefixes of 1–3 characters)', ...rotating([...new Set(prefixes)].map((p) => `/api/v1/search/suggest?q=${q(p)}`))));
  return rows;
}

runBench(() =>
  withBenchPlatform('storefront', async (platform) => {
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      let have = 0;
      for (const size of sizes) {
        const generated = await generate(client, have, size);
        have = size;
        const index = await rebuildIndex(platform.databaseUrl);
        console.log(`\n${size.toLocaleString('en')} products from ${STORES} stores: generated the last ${(size - (sizes[sizes.indexOf(size) - 1] ?? 0)).toLocaleString('en')} in ${generated.toFixed(1)} s; indexed ${index.indexed.toLocaleString('en')} in ${index.seconds.toFixed(1)} s (${Math.round(index.indexed / index.seconds)} products/s)`);
        const rows = await measure(platform.baseUrl, size);
        console.log(`Storefront reads, ${size.toLocaleString('en')} products, ${connections} connections, ${duration} s per run, median of 3, PostgreSQL`);
        console.table(rows);
      }
    } finally {
      await client.end();
    }
  }),
);
