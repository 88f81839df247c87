// The HTML a crawler or link preview gets for product, category and store pages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { type Fixture, makeFixture } from '../../../test/helpers/storefront.js';
import { withPageHead } from '../../platform/http.js';
import { productHead } from './page-head.js';

let t: TestApp;
let fx: Fixture;
let webDist: string;

const INDEX = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <meta name="description" content="Flowmart 开源多商户电商平台" />
    <title>Flowmart</title>
  </head>
  <body><div id="root"></div></body>
</html>`;

function jsonLd(html: string) {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  return match ? JSON.parse(match[1]!) : undefined;
}

beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'flowmart-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), INDEX);
  t = await createTestApp({ env: { WEB_DIST: webDist } });
  fx = await makeFixture(t, [
    { key: 'tee', title: '纯棉圆领短袖T恤', category: 'tees', price: 7900, colors: ['白色', '黑色'], subtitle: '新疆长绒棉', brand: '棉舍' },
    { key: 'gone', title: '已售罄的帆布鞋', category: 'shoes', price: 12900, stock: 0, colors: ['白色'] },
  ]);
  await t.search.settle();
}, 120_000);

afterAll(async () => {
  await t?.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

describe('page heads', () => {
  it('a product page carries its title, description, Open Graph tags and Product JSON-LD', async () => {
    const id = fx.products.get('tee')!;
    const res = await t.app.inject({ method: 'GET', url: `/p/${id}`, headers: { host: 'shop.example.com' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('<title>纯棉圆领短袖T恤 - Flowmart</title>');
    expect(html.match(/<meta name="description"/g)).toHaveLength(1);
    expect(html).toContain('<meta property="og:title" content="纯棉圆领短袖T恤" />');
    expect(html).toContain(`<meta property="og:url" content="http://shop.example.com/p/${id}" />`);
    expect(html).toMatch(/<meta property="og:image" content="http:\/\/shop\.example\.com\/uploads\/[^"]+" \/>/);
    expect(jsonLd(html)).toMatchObject({
      '@type': 'Product',
      name: '纯棉圆领短袖T恤',
      brand: { name: '棉舍' },
      offers: { '@type': 'AggregateOffer', priceCurrency: 'CNY', lowPrice: '79.00', highPrice: '89.00', availability: 'https://schema.org/InStock' },
    });
    expect(jsonLd(html).image[0]).toMatch(/^http:\/\/shop\.example\.com\/uploads\//);
  });

  it('says out of stock when nothing is available', async () => {
    const html = (await t.app.inject({ method: 'GET', url: `/p/${fx.products.get('gone')}` })).body;
    expect(jsonLd(html).offers).toMatchObject({ '@type': 'Offer', price: '129.00', availability: 'https://schema.org/OutOfStock' });
  });

  it('category and store pages carry their names and counts', async () => {
    const category = (await t.app.inject({ method: 'GET', url: `/c/${fx.categories.get('root:服装')}` })).body;
    expect(category).toContain('<title>服装 - Flowmart</title>');
    expect(category).toMatch(/<meta name="description" content="服装：2 件在售商品/);
    const store = (await t.app.inject({ method: 'GET', url: `/s/${fx.store.merchantId}` })).body;
    expect(store).toMatch(/<title>测试店铺[^<]+ - Flowmart<\/title>/);
    expect(store).toContain('<meta property="og:type" content="website" />');
  });

  it('anything else, or a product not on sale, gets the plain app', async () => {
    for (const url of ['/', '/search?q=x', '/p/prd_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', '/c/nonsense']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<title>Flowmart</title>');
    }
  });

  it('escapes what merchants write', () => {
    const head = productHead(
      { id: 'prd_x', title: '"><script>alert(1)</script>', subtitle: '', description: '<p>a</p>', brand: '', images: [], priceMin: 100, priceMax: 100, skus: [{ available: 1 }], category: { path: [] } },
      'https://shop.example.com',
    );
    const html = withPageHead(INDEX, head);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('\\u003c/script>');
    expect(html).toContain('<title>&#34;&#62;&#60;script&#62;');
  });
});
