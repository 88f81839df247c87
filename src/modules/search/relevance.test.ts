// The relevance set: a fixture catalog and queries a shopper types (Chinese, English, mixed, typos,
// partial words, full-width), each with the products expected on top. Runs through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { type Fixture, type FixtureProduct, listProducts, makeFixture } from '../../../test/helpers/storefront.js';

const CATALOG: FixtureProduct[] = [
  { key: 'iphone15', title: 'Apple iPhone 15 128GB 5G手机 黑色', category: 'phones', brand: 'Apple', price: 599900 },
  { key: 'iphone15pro', title: 'Apple iPhone 15 Pro Max 256GB 钛金属', category: 'phones', brand: 'Apple', price: 999900 },
  { key: 'mate60', title: '华为 Mate 60 Pro 智能手机 雅川青', category: 'phones', brand: '华为', price: 699900 },
  { key: 'xiaomi14', title: '小米14 徕卡光学镜头 骁龙8Gen3 5G手机', category: 'phones', brand: '小米', price: 399900 },
  { key: 'case15', title: '适用苹果iPhone 15手机壳 透明防摔硅胶保护套', category: 'cases', price: 3900 },
  { key: 'case15sold', title: '适用苹果iPhone 15手机壳 透明防摔硅胶保护套', category: 'cases', price: 3900, stock: 0 },
  { key: 'case14', title: 'iPhone 14 Pro 手机壳 磁吸 MagSafe 保护壳', category: 'cases', price: 5900 },
  { key: 'casemate', title: '华为Mate60手机壳 素皮 全包防摔', category: 'cases', price: 4900 },
  { key: 'casesamsung', title: 'Leather Phone Case for Samsung Galaxy S24', category: 'cases', price: 8900 },
  { key: 'pouch', title: '多功能收纳包 旅行数码收纳袋', category: 'cases', price: 2900, description: '<p>可放充电器、数据线、手机壳等小物件</p>' },
  { key: 'airpods', title: 'Apple AirPods Pro 2 主动降噪无线蓝牙耳机', category: 'audio', brand: 'Apple', price: 179900 },
  { key: 'sony', title: 'Sony WH-1000XM5 Wireless Noise Cancelling Headphones', category: 'audio', brand: 'Sony', price: 249900 },
  { key: 'earbuds', title: '漫步者 真无线蓝牙耳机 运动跑步 入耳式 Earbuds', category: 'audio', price: 19900 },
  { key: 'macbook', title: 'Apple MacBook Air 13英寸 M3芯片 笔记本电脑', category: 'laptops', brand: 'Apple', price: 899900 },
  { key: 'thinkpad', title: '联想ThinkPad X1 Carbon 14英寸 商务笔记本', category: 'laptops', brand: '联想', price: 1099900 },
  { key: 'gaming', title: 'Gaming Laptop 16 inch RTX 4060 游戏本', category: 'laptops', price: 799900 },
  { key: 'charger', title: '65W 氮化镓充电器 GaN Fast Charger USB-C', category: 'chargers', price: 12900 },
  { key: 'cable', title: 'USB-C 数据线 快充线 1米 Type-C Cable', category: 'chargers', price: 2900 },
  { key: 'powerbank', title: '20000mAh 充电宝 移动电源 Power Bank', category: 'chargers', price: 9900 },
  { key: 'tee', title: '纯棉圆领短袖T恤 男女同款 白色', category: 'tees', price: 7900 },
  { key: 'graphictee', title: 'Graphic Cotton T-Shirt Oversized Tee', category: 'tees', price: 9900 },
  { key: 'polo', title: '商务POLO衫 短袖 翻领', category: 'tees', price: 15900 },
  { key: 'floral', title: '碎花连衣裙 夏季 雪纺 长裙', category: 'dresses', price: 25900 },
  { key: 'blackdress', title: 'Little Black Dress 小黑裙 修身 晚礼服', category: 'dresses', price: 39900 },
  { key: 'nike', title: 'Nike 男子跑步鞋 Air Zoom 缓震 运动鞋', category: 'shoes', brand: 'Nike', price: 69900 },
  { key: 'canvas', title: '帆布鞋 低帮 经典款 小白鞋', category: 'shoes', price: 12900 },
  { key: 'runningshoes', title: "Men's Running Shoes Lightweight Sneakers", category: 'shoes', price: 29900 },
  { key: 'jeans', title: '直筒牛仔裤 男 宽松 Denim Jeans', category: 'jeans', price: 19900 },
  { key: 'down', title: '轻薄羽绒服 90白鸭绒 保暖外套', category: 'coats', price: 49900 },
  { key: 'longjing', title: '西湖龙井 2024新茶 明前特级 绿茶 250g', category: 'tea', price: 56800 },
  { key: 'puer', title: '云南普洱茶 熟茶 饼茶 357g', category: 'tea', price: 16800 },
  { key: 'greentea', title: 'Organic Green Tea Bags 100 count', category: 'tea', price: 5900 },
  { key: 'beans', title: '云南小粒咖啡豆 中度烘焙 Coffee Beans 500g', category: 'coffee', price: 8800 },
  { key: 'instant', title: '速溶咖啡 三合一 Instant Coffee 30条', category: 'coffee', price: 4500 },
  { key: 'nuts', title: '每日坚果 混合坚果 30袋 Mixed Nuts', category: 'snacks', price: 12900 },
  { key: 'chocolate', title: 'Dark Chocolate 85% 黑巧克力 排块', category: 'snacks', price: 3900 },
  { key: 'lipstick', title: '哑光口红 正红色 丝绒唇膏 Lipstick', category: 'makeup', price: 23000 },
  { key: 'cream', title: '保湿面霜 玻尿酸 补水 Moisturizing Face Cream 50ml', category: 'skincare', price: 19900 },
  { key: 'sunscreen', title: '防晒霜 SPF50+ 清爽不油腻 Sunscreen', category: 'skincare', price: 12900 },
  { key: 'wok', title: '铸铁炒锅 不粘锅 32cm 家用 Wok', category: 'kitchen', price: 29900 },
  { key: 'knife', title: '德国不锈钢菜刀 厨师刀 Chef Knife', category: 'kitchen', price: 19900 },
  { key: 'kettle', title: 'Electric Kettle 1.7L 电热水壶 不锈钢', category: 'kitchen', price: 12900 },
  { key: 'pillow', title: '记忆棉枕头 颈椎枕 护颈 Memory Foam Pillow', category: 'bedding', price: 15900 },
  { key: 'sheets', title: '全棉四件套 床单被套 1.8m床 Cotton Bed Sheets', category: 'bedding', price: 29900 },
];

/**
 * [query, expectation]: `top` must be the first result; `top3` (or `topN`) must all appear among
 * the first results; `before` pairs must be ranked in that order; `none` expects no results.
 */
type Expect = { top?: string; topAny?: string[]; within?: { n: number; keys: string[] }; before?: [string, string][]; none?: true; corrected?: string };
const QUERIES: [string, Expect][] = [
  // Chinese
  ['手机壳', { within: { n: 4, keys: ['case15', 'case14', 'casemate'] }, before: [['case14', 'pouch'], ['casemate', 'pouch']] }],
  ['蓝牙耳机', { within: { n: 2, keys: ['airpods', 'earbuds'] } }],
  ['耳机', { within: { n: 3, keys: ['airpods', 'earbuds', 'sony'] } }],
  ['降噪耳机', { top: 'airpods' }],
  ['笔记本电脑', { top: 'macbook', within: { n: 3, keys: ['macbook', 'thinkpad', 'gaming'] } }],
  ['充电器', { top: 'charger' }],
  ['充电宝', { top: 'powerbank' }],
  ['T恤', { top: 'tee', within: { n: 3, keys: ['tee', 'graphictee', 'polo'] } }],
  ['纯棉T恤', { top: 'tee' }],
  ['连衣裙', { top: 'floral', within: { n: 2, keys: ['floral', 'blackdress'] } }],
  ['小黑裙', { top: 'blackdress' }],
  ['跑步鞋', { top: 'nike' }],
  ['牛仔裤', { top: 'jeans' }],
  ['羽绒服', { top: 'down' }],
  ['龙井', { top: 'longjing' }],
  ['绿茶', { top: 'longjing' }],
  ['普洱', { top: 'puer' }],
  ['咖啡豆', { top: 'beans' }],
  ['巧克力', { top: 'chocolate' }],
  ['口红', { top: 'lipstick' }],
  ['面霜', { top: 'cream' }],
  ['防晒', { top: 'sunscreen' }],
  ['不粘锅', { top: 'wok' }],
  ['菜刀', { top: 'knife' }],
  ['电热水壶', { top: 'kettle' }],
  ['枕头', { top: 'pillow' }],
  ['四件套', { top: 'sheets' }],
  ['坚果', { top: 'nuts' }],
  ['小米', { top: 'xiaomi14' }],
  ['华为手机', { within: { n: 2, keys: ['mate60'] } }],
  // English: case, plural and singular insensitive
  ['headphones', { top: 'sony' }],
  ['Headphone', { top: 'sony' }],
  ['wireless', { top: 'sony' }],
  ['noise cancelling', { top: 'sony' }],
  ['laptop', { top: 'gaming', within: { n: 3, keys: ['macbook', 'thinkpad', 'gaming'] } }],
  ['macbook', { top: 'macbook' }],
  ['thinkpad', { top: 'thinkpad' }],
  ['charger', { top: 'charger' }],
  ['CHARGERS', { top: 'charger' }],
  ['power bank', { top: 'powerbank' }],
  ['t-shirt', { top: 'graphictee' }],
  ['dresses', { top: 'blackdress' }],
  ['running shoes', { top: 'runningshoes' }],
  ['sneaker', { top: 'runningshoes' }],
  ['nike', { top: 'nike' }],
  ['jeans', { top: 'jeans' }],
  ['green tea', { top: 'greentea' }],
  ['coffee', { within: { n: 2, keys: ['beans', 'instant'] } }],
  ['chocolate', { top: 'chocolate' }],
  ['lipstick', { top: 'lipstick' }],
  ['sunscreen', { top: 'sunscreen' }],
  ['knives', { top: 'knife' }],
  ['kettle', { top: 'kettle' }],
  ['pillows', { top: 'pillow' }],
  ['memory foam', { top: 'pillow' }],
  ['airpod', { top: 'airpods' }],
  ['samsung case', { top: 'casesamsung' }],
  // Mixed Chinese and English
  ['苹果 iPhone 15 手机壳', { top: 'case15' }],
  ['iPhone 15 手机壳', { top: 'case15', before: [['case15', 'case15sold'], ['case15', 'case14']] }],
  ['iphone 15', { within: { n: 4, keys: ['iphone15', 'iphone15pro', 'case15'] } }],
  ['华为 手机壳', { top: 'casemate' }],
  ['mate60', { within: { n: 2, keys: ['casemate', 'mate60'] } }],
  ['type-c 数据线', { top: 'cable' }],
  ['coffee 咖啡豆', { top: 'beans' }],
  // Typos and partial words
  ['iphnoe', { topAny: ['iphone15', 'iphone15pro', 'case15', 'case14'], corrected: 'iphone' }],
  ['macbok', { top: 'macbook', corrected: 'macbook' }],
  ['headphnoes', { top: 'sony' }],
  ['chocolat', { top: 'chocolate' }],
  ['sunscren', { top: 'sunscreen' }],
  ['headph', { top: 'sony' }],
  ['thinkp', { top: 'thinkpad' }],
  ['lipst', { top: 'lipstick' }],
  ['手机客', { topAny: ['case15', 'case14', 'casemate', 'iphone15', 'mate60', 'xiaomi14', 'iphone15pro'] }],
  // Full-width and odd spacing
  ['ＩＰＨＯＮＥ　１５', { within: { n: 4, keys: ['iphone15'] } }],
  ['  充电器  ', { top: 'charger' }],
  // Nothing to find
  ['蒸汽拖把', { none: true }],
];

let t: TestApp;
let fx: Fixture;

beforeAll(async () => {
  t = await createTestApp();
  fx = await makeFixture(t, CATALOG);
  await t.search.settle();
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('relevance set', () => {
  it('has at least 40 queries', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(QUERIES)('%s', async (q, expectation) => {
    const page = await listProducts(t, { q, limit: 10 });
    const keyOf = new Map([...fx.products].map(([k, id]) => [id, k]));
    const keys = page.items.map((i) => keyOf.get(i.id) ?? i.id);
    const context = `${q} → ${keys.join(', ')}`;
    if (expectation.none) {
      expect(keys, context).toEqual([]);
      return;
    }
    expect(keys.length, context).toBeGreaterThan(0);
    if (expectation.top) expect(keys[0], context).toBe(expectation.top);
    if (expectation.topAny) expect(expectation.topAny, context).toContain(keys[0]);
    if (expectation.within) for (const k of expectation.within.keys) expect(keys.slice(0, expectation.within.n), context).toContain(k);
    for (const [a, b] of expectation.before ?? []) {
      expect(keys.indexOf(a), context).toBeGreaterThanOrEqual(0);
      expect(keys.indexOf(b) === -1 || keys.indexOf(a) < keys.indexOf(b), context).toBe(true);
    }
    if (expectation.corrected) expect(page.query!.correctedQuery, context).toBe(expectation.corrected);
  });
});
