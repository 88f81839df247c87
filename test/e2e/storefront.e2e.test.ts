// Browser journeys of a shopper on the demo marketplace: home → category → filters → product → spec
// choice, and search with suggestions → results → product; screenshots at desktop and phone sizes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type Platform } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { createTestDatabase } from '../helpers/database.js';
import { DESKTOP } from './browser.js';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const requireBrowser = process.env.REQUIRE_BROWSER === '1';
const root = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.join(root, 'test-results/screenshots');
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } satisfies BrowserContextOptions;

type PublicProduct = { id: string; merchantId: string; specs: { key: string; values: string[] }[]; skus: { id: string; specs: Record<string, string>; price: number; available: number }[] };

describe.skipIf(!hasBrowser && !requireBrowser)('storefront in the browser', { timeout: 180_000 }, () => {
  let platform: Platform;
  let drop: () => Promise<void>;
  let base: string;
  let browser: Browser;
  let dataDir: string;
  /** A product with two spec dimensions where one combination is sold out. */
  let twoSpec: { product: PublicProduct; soldOut: PublicProduct['skus'][number] };

  const url = (pathname: string) => new URL(pathname, base).href;
  const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: path.join(SCREENSHOTS, `storefront-${name}.png`), fullPage });
  const api = async <T>(pathname: string): Promise<T> => (await fetch(url(pathname))).json() as Promise<T>;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'flowmart-e2e-'));
    const created = await createTestDatabase();
    drop = created.drop;
    const config = loadConfig({ SEED: 'none', LOG_LEVEL: 'silent', WEB_DIST: path.join(root, 'dist/web'), RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: dataDir });
    platform = await buildApp({ config, database: created.database, logger: false });
    const admin = await platform.identity.service.ensurePlatformAdmin({ email: 'admin@test.local', password: 'admin-pass-123' });
    await seedDemo(platform, { adminUserId: admin.userId });
    await platform.search.settle();
    base = await platform.app.listen({ port: 0, host: '127.0.0.1' });

    // A two-dimension product, with one of its combinations made sold out for the spec selector.
    const list = await api<{ items: { id: string }[] }>('/api/v1/products?limit=60');
    for (const item of list.items) {
      const { product } = await api<{ product: PublicProduct }>(`/api/v1/products/${item.id}`);
      if (product.specs.length < 2 || product.skus.length < 3) continue;
      const victim = product.skus[1]!;
      if (victim.available > 0) {
        await platform.catalog.stock.adjust({ merchantId: product.merchantId, actor: { kind: 'system', id: 'e2e' }, via: 'session' }, victim.id, { mode: 'set', quantity: 0, reason: 'e2e' });
        // A merchant's stock adjustment writes no flow event yet, so the cached product page would
        // keep the old stock for its TTL (docs/decisions/014); drop it here.
        platform.search.service.invalidate();
      }
      twoSpec = { product: (await api<{ product: PublicProduct }>(`/api/v1/products/${item.id}`)).product, soldOut: victim };
      break;
    }
    expect(twoSpec, 'the demo catalog has a product with two spec dimensions').toBeDefined();

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.app.close();
    await drop?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  let pageErrors: string[] = [];
  beforeEach(() => {
    pageErrors = [];
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ ...DESKTOP, ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  /** Lazy images below the fold load only when scrolled to; a full-page shot should show them. */
  async function scrollThrough(page: Page) {
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 60));
      }
      window.scrollTo(0, 0);
    });
    await page.waitForLoadState('networkidle');
  }

  it('home → category → filters → product → spec choice', async () => {
    const page = await openPage();
    await page.goto(url('/'));
    const nav = page.getByTestId('category-nav');
    await nav.locator('a').first().waitFor();
    await page.getByTestId('shelf-new').getByTestId('product-tile').first().waitFor();
    await scrollThrough(page);
    await shot(page, 'home-desktop');

    // The first top category, then one of its sub-categories from the filters.
    await nav.locator('a').first().click();
    await page.waitForURL(/\/c\/cat_/);
    await page.locator('.fm-listing-main .fm-page-title').waitFor();
    const total = async () => Number(((await page.locator('.fm-listing-count').textContent()) ?? '').replace(/\D/g, ''));
    await page.getByTestId('product-tile').first().waitFor();
    const all = await total();
    expect(all).toBeGreaterThan(0);
    const filters = page.getByTestId('filters');
    await filters.locator('.ant-tag-checkable').first().click();
    await page.waitForURL(/category=cat_/);
    await expect.poll(total).toBeLessThan(all);
    await filters.getByText('仅看有货').click();
    await page.waitForURL(/inStock=true/);
    await page.locator('.fm-sortbar').getByText('价格 ↑').click();
    await page.waitForURL(/sort=price_asc/);
    await expect
      .poll(async () => {
        const prices = await page.locator('.fm-tile .fm-price').allTextContents();
        const lows = prices.map((p) => Number(p.replace(/[^\d.-]/g, ' ').trim().split(/\s+/)[0]));
        return lows.length > 1 && lows.every((v, i) => i === 0 || v >= lows[i - 1]!);
      })
      .toBe(true);
    await shot(page, 'category-desktop', false);

    await page.getByTestId('product-tile').first().click();
    await page.waitForURL(/\/p\/prd_/);
    await page.getByTestId('product-page').waitFor();
    await page.locator('.fm-crumbs a').nth(1).waitFor();

    // The two-dimension product: choose the first value of the first dimension; the sold-out
    // combination's second value is disabled, an available one picks a single SKU price.
    const { product, soldOut } = twoSpec;
    await page.goto(url(`/p/${product.id}`));
    await page.getByTestId('product-page').waitFor();
    const [first, second] = product.specs as [PublicProduct['specs'][number], PublicProduct['specs'][number]];
    const firstGroup = page.getByRole('group').nth(0);
    const secondGroup = page.getByRole('group').nth(1);
    await firstGroup.getByRole('button', { name: soldOut.specs[first.key]!, exact: true }).click();
    await expect.poll(() => secondGroup.getByRole('button', { name: soldOut.specs[second.key]!, exact: true }).isDisabled()).toBe(true);
    const open = product.skus.find((s) => s.specs[first.key] === soldOut.specs[first.key] && s.available > 0 && s.id !== soldOut.id)!;
    expect(open).toBeDefined();
    await secondGroup.getByRole('button', { name: open.specs[second.key]!, exact: true }).click();
    await expect.poll(() => page.getByTestId('product-price').textContent()).toBe(`¥${(open.price / 100).toFixed(2)}`);
    await page.getByTestId('stock-status').waitFor();
    await shot(page, 'product-desktop');

    // Into the cart: the header badge counts it.
    await page.getByRole('button', { name: /加入购物车/ }).click();
    await page.getByText('已加入购物车').waitFor();
    await page.context().close();
  });

  it('search with suggestions → results with highlights → product', async () => {
    const page = await openPage();
    await page.goto(url('/'));
    const box = page.locator('.fm-header-search input');
    await box.click();
    await box.pressSequentially('手机', { delay: 40 });
    const suggestion = page.getByTestId('suggestion').first();
    await suggestion.waitFor();
    expect(await page.getByTestId('suggestion').count()).toBeGreaterThan(1);
    await page.waitForTimeout(400); // the dropdown's opening animation
    await shot(page, 'suggestions-desktop', false);

    await box.press('Enter');
    await page.waitForURL(/\/search\?q=%E6%89%8B%E6%9C%BA/);
    await page.getByTestId('product-tile').first().waitFor();
    await page.locator('.fm-tile-title mark').first().waitFor();
    expect(await page.locator('.fm-tile-title mark').first().textContent()).toBe('手机');
    await shot(page, 'search-desktop', false);

    // A typo still finds, and says what it searched for.
    await page.goto(url('/search?q=iphnoe'));
    await page.getByTestId('product-tile').first().waitFor();
    await page.getByText('已为你显示以下结果').waitFor();

    // A suggestion for a product opens it.
    await box.fill('');
    await box.pressSequentially('iPhone', { delay: 40 });
    const productSuggestion = page.locator('.fm-suggest-product').first();
    await productSuggestion.waitFor();
    await productSuggestion.click();
    await page.waitForURL(/\/p\/prd_/);
    await page.getByTestId('product-page').waitFor();
    await page.context().close();
  });

  it('works on a phone: home, category with the filter drawer, search, product', async () => {
    const page = await openPage(PHONE);
    await page.goto(url('/'));
    await page.getByTestId('shelf-new').getByTestId('product-tile').first().waitFor();
    await scrollThrough(page);
    await shot(page, 'home-phone');

    await page.getByTestId('category-nav').locator('a').nth(1).click();
    await page.waitForURL(/\/c\/cat_/);
    await page.getByTestId('product-tile').first().waitFor();
    await page.getByRole('button', { name: '筛选' }).click();
    await page.locator('.ant-drawer').getByText('仅看有货').waitFor();
    await page.waitForTimeout(400); // the drawer's slide-in
    await shot(page, 'category-filters-phone', false);
    await page.locator('.ant-drawer').getByText('仅看有货').click();
    await page.waitForURL(/inStock=true/);
    await page.locator('.ant-drawer-close').click();
    await page.waitForTimeout(400);
    await shot(page, 'category-phone', false);

    await page.goto(url(`/search?q=${encodeURIComponent('手机壳')}`));
    await page.getByTestId('product-tile').first().waitFor();
    await shot(page, 'search-phone', false);

    await page.getByTestId('product-tile').first().click();
    await page.getByTestId('product-page').waitFor();
    await page.getByTestId('stock-status').waitFor();
    await scrollThrough(page);
    await shot(page, 'product-phone');
    await page.context().close();
  });

  it('serves product pages with their title and JSON-LD in the HTML', async () => {
    const html = await (await fetch(url(`/p/${twoSpec.product.id}`))).text();
    expect(html).toMatch(/<title>[^<]+ - Flowmart<\/title>/);
    expect(html).toContain('"@type":"Product"');
    expect(html).toContain('<meta property="og:image"');
  });
});
