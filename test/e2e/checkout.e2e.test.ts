// The shopping flow in the browser: two stores sell on the platform (one accepts orders by hand);
// a shopper puts a product of each in the cart, checks out with a new address, pays at the sandbox
// cashier, and finds two orders: one accepted at once (待发货), the other waiting until its merchant
// accepts it in the console. Cart, checkout, cashier and order lists are photographed on a desktop
// and on a phone.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { storeApplication } from '../helpers/factories.js';
import { startTestServer } from '../helpers/server.js';
import { DESKTOP } from './browser.js';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const requireBrowser = process.env.REQUIRE_BROWSER === '1';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const ADMIN = { email: 'admin@test.local', password: 'admin-pass-123' };
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } satisfies BrowserContextOptions;

/** A product photo: a mug or a T-shirt shape on a soft background. */
function productPng(color: string, shape: 'tee' | 'mug'): Promise<Buffer> {
  const body =
    shape === 'tee'
      ? `<path d="M290 170 L200 215 L120 330 L210 385 L250 330 L250 650 L550 650 L550 330 L590 385 L680 330 L600 215 L510 170 C495 215 455 240 400 240 C345 240 305 215 290 170 Z" fill="${color}" stroke="rgba(0,0,0,0.12)" stroke-width="6"/>`
      : `<rect x="220" y="220" width="300" height="380" rx="36" fill="${color}"/><path d="M520 300 C640 300 640 520 520 520" fill="none" stroke="${color}" stroke-width="44"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><rect width="800" height="800" fill="#f4f1ec"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe.skipIf(!hasBrowser && !requireBrowser)('checkout flow in the browser', { timeout: 300_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  let pageErrors: string[] = [];
  let pages: Page[] = [];
  beforeEach(() => {
    pageErrors = [];
    pages = [];
    onTestFailed(async () => {
      const dir = path.resolve(SCREENSHOTS, '../failures');
      mkdirSync(dir, { recursive: true });
      for (const [i, page] of pages.entries()) {
        if (!page.isClosed()) await page.screenshot({ path: path.join(dir, `checkout-${i}.png`), fullPage: true }).catch(() => undefined);
      }
    });
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ ...DESKTOP, ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    pages.push(page);
    return page;
  }

  /** The same signed-in person on a phone. */
  async function onPhone(desktop: BrowserContext): Promise<Page> {
    return openPage({ ...PHONE, storageState: await desktop.storageState() });
  }

  const url = (pathname: string) => new URL(pathname, server.url).href;

  /** A screenshot once antd's animations are over; a full page by making the window as tall as the page. */
  const shot = async (page: Page, name: string, fullPage = true) => {
    await page
      .waitForFunction(() => !document.querySelector('[class*="-appear-active"], [class*="-enter-active"], [class*="-leave-active"]'), null, { timeout: 5_000 })
      .catch(() => undefined);
    const file = path.join(SCREENSHOTS, `${name}.png`);
    const viewport = page.viewportSize();
    if (!fullPage || !viewport) return void (await page.screenshot({ path: file, animations: 'disabled' }));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
    await page.waitForTimeout(300);
    await page.screenshot({ path: file, animations: 'disabled' });
    await page.setViewportSize(viewport);
  };
  const noSideways = async (page: Page) => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
  };

  async function ok<T>(response: Promise<import('playwright-core').APIResponse>, status = 200): Promise<T> {
    const res = await response;
    if (res.status() !== status) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async function logIn(page: Page, login: string, password: string) {
    const form = page.locator('form');
    await form.getByLabel('账号').fill(login);
    await form.getByLabel('密码', { exact: true }).fill(password);
    await form.getByRole('button', { name: '登录' }).click();
  }

  /** T恤 under 服装 › 上衣, with colour and size specs and a required material. */
  async function makeLeafCategory(admin: APIRequestContext): Promise<string> {
    const create = async (data: Record<string, unknown>) =>
      (await ok<{ category: { id: string } }>(admin.post(url('/api/v1/admin/categories'), { data }), 201)).category.id;
    const root = await create({ nameZh: '服装', nameEn: 'Clothing' });
    const mid = await create({ parentId: root, nameZh: '上衣', nameEn: 'Tops' });
    return create({
      parentId: mid,
      nameZh: 'T恤',
      nameEn: 'T-shirts',
      attributes: [
        { key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' },
        { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', options: ['S', 'M', 'L', 'XL'] },
        { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
      ],
    });
  }

  type Shop = { name: string; email: string; password: string; productId: string; skuIds: string[] };

  /** A user applies for a store, the admin approves, the store lists a product that the admin approves. */
  async function makeShop(
    admin: APIRequestContext,
    leafId: string,
    input: { name: string; title: string; color: string; shape: 'tee' | 'mug'; skus: { color: string; size: string; price: number; onHand: number }[] },
  ): Promise<Shop> {
    const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const owner = { email: `owner.${stamp}@test.local`, password: 'owner-pass-123' };
    const context = await browser.newContext(DESKTOP);
    const api = context.request;
    await ok(api.post(url('/api/v1/auth/register'), { data: { ...owner, name: '店主' } }), 201);
    const applied = await ok<{ merchant: { id: string } }>(api.post(url('/api/v1/merchant/application'), { data: storeApplication({ name: input.name }) }), 201);
    await ok(admin.post(url(`/api/v1/admin/merchants/${applied.merchant.id}/approve`)));

    const image = await ok<{ image: { id: string } }>(
      api.post(url('/api/v1/merchant/images'), { multipart: { file: { name: 'photo.png', mimeType: 'image/png', buffer: await productPng(input.color, input.shape) } } }),
      201,
    );
    const colors = [...new Set(input.skus.map((s) => s.color))];
    const sizes = [...new Set(input.skus.map((s) => s.size))];
    const created = await ok<{ product: { id: string; skus: { id: string }[] } }>(
      api.post(url('/api/v1/merchant/products'), {
        data: {
          code: `P-${stamp}`.toUpperCase(),
          title: input.title,
          subtitle: '',
          description: '<p>好物</p>',
          brand: '棉舍',
          categoryId: leafId,
          attributes: { material: '棉 100%' },
          specs: [
            { key: 'color', values: colors },
            { key: 'size', values: sizes },
          ],
          imageIds: [image.image.id],
          skus: input.skus.map((s, i) => ({ code: `S-${stamp}-${i}`.toUpperCase(), specs: { color: s.color, size: s.size }, price: s.price, onHand: s.onHand, weightGrams: 200 })),
        },
      }),
      201,
    );
    const submitted = await ok<{ product: { status: string } }>(api.post(url(`/api/v1/merchant/products/${created.product.id}/submit`)));
    // The review rules may pass a clean product at once; otherwise the admin approves it.
    if (submitted.product.status === 'pending_review') await ok(admin.post(url(`/api/v1/admin/products/${created.product.id}/approve`)));
    await context.close();
    return { name: input.name, ...owner, productId: created.product.id, skuIds: created.product.skus.map((s) => s.id) };
  }

  it('two stores, one cart, one payment, two orders: one auto-accepted, one accepted by its merchant', async () => {
    const stamp = Date.now().toString(36);

    // —— Two stores with products on sale, through the API ——
    const adminContext = await browser.newContext(DESKTOP);
    const admin = adminContext.request;
    await ok(admin.post(url('/api/v1/auth/login'), { data: { login: ADMIN.email, password: ADMIN.password } }));
    const leafId = await makeLeafCategory(admin);
    const auto = await makeShop(admin, leafId, {
      name: `棉舍旗舰店${stamp}`,
      title: '纯棉圆领短袖T恤',
      color: '#ffffff',
      shape: 'tee',
      skus: [
        { color: '白色', size: 'M', price: 7900, onHand: 20 },
        { color: '白色', size: 'L', price: 8900, onHand: 3 },
      ],
    });
    const manual = await makeShop(admin, leafId, {
      name: `山野杂货${stamp}`,
      title: '手作粗陶马克杯 350ml',
      color: '#c8743c',
      shape: 'mug',
      skus: [{ color: '陶土色', size: 'M', price: 4500, onHand: 30 }],
    });
    await adminContext.close();

    /** The store's owner, signed in, for its API. */
    const asOwner = async (shop: Shop) => {
      const context = await browser.newContext(DESKTOP);
      await ok(context.request.post(url('/api/v1/auth/login'), { data: { login: shop.email, password: shop.password } }));
      return context;
    };
    const setRules = async (shop: Shop, rules: Record<string, unknown>) => {
      const context = await asOwner(shop);
      const current = await ok<{ rules: Record<string, unknown> }>(context.request.get(url('/api/v1/merchant/order-rules')));
      await ok(context.request.put(url('/api/v1/merchant/order-rules'), { data: { ...current.rules, ...rules } }));
      await context.close();
    };
    // The first store charges 8 元 shipping below 99 元; the second accepts orders by hand.
    await setRules(auto, { shippingFee: 800, freeShippingFrom: 9900, acceptMode: 'auto' });
    await setRules(manual, { acceptMode: 'manual', acceptDeadlineHours: 24 });

    // —— A shopper registers and fills the cart ——
    const page = await openPage();
    await page.goto(url('/register'));
    const register = page.locator('form');
    await register.getByLabel('邮箱', { exact: true }).fill(`shopper.${stamp}@test.local`);
    await register.getByLabel('密码', { exact: true }).fill('shopper-pass-1');
    await register.getByLabel(/昵称/).fill('林小满');
    await register.getByRole('button', { name: '注册' }).click();
    await page.waitForURL(url('/account'));

    // From each product page: pick the specs and a quantity, 加入购物车.
    const add = async (shop: Shop, specs: Record<string, string>, quantity: number) => {
      await page.goto(url(`/p/${shop.productId}`));
      for (const [dimension, value] of Object.entries(specs)) {
        await page.getByRole('group', { name: dimension }).getByRole('button', { name: value, exact: true }).click();
      }
      await page.getByLabel('数量').fill(String(quantity));
      await page.getByRole('button', { name: /加入购物车/ }).click();
      await page.locator('.ant-message').getByText('已加入购物车').last().waitFor();
    };
    await add(auto, { 颜色: '白色', 尺码: 'M' }, 1);
    await add(auto, { 颜色: '白色', 尺码: 'L' }, 2);
    await add(manual, {}, 2);
    // Meanwhile the first store sells all but one of the size L: the cart caps the line and says so.
    const owner = await asOwner(auto);
    await ok(owner.request.post(url(`/api/v1/merchant/skus/${auto.skuIds[1]}/stock`), { data: { mode: 'set', quantity: 1, reason: '门店售出' } }));
    await owner.close();

    await page.goto(url('/cart'));
    await expect.poll(() => page.getByTestId('cart-store').count()).toBe(2);
    await page.locator('.fm-cart-store', { hasText: auto.name }).getByText('库存不足，数量已从 2 调整为 1').waitFor();
    // 79 + 89 = 168 元 (free shipping from 99) + 2 × 45 = 90 元 → 258 元.
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('¥258.00');
    // The badge in the header counts units.
    await expect.poll(() => page.locator('.fm-cart-link .ant-badge-count').textContent()).toBe('4');

    // One more T恤 M with the stepper; the total follows.
    // (Specs come back as a JSON object, in no particular order.)
    const tee = page.locator('.fm-cart-line', { hasText: /白色 \/ M|M \/ 白色/ });
    await tee.getByRole('button', { name: /增加/ }).click();
    await expect.poll(() => tee.getByRole('spinbutton').inputValue()).toBe('2');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('¥337.00');
    // Unselect the size L line, then select it again: the total drops and comes back.
    const large = page.locator('.fm-cart-line', { hasText: /白色 \/ L|L \/ 白色/ });
    await large.getByRole('checkbox').click();
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('¥248.00');
    await large.getByRole('checkbox').click();
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('¥337.00');
    await shot(page, 'checkout-cart');

    const phoneCart = await onPhone(page.context());
    await phoneCart.goto(url('/cart'));
    await expect.poll(() => phoneCart.getByTestId('cart-store').count()).toBe(2);
    await noSideways(phoneCart);
    await shot(phoneCart, 'checkout-cart-phone');
    await phoneCart.context().close();

    // —— Checkout: no address yet, so add one here ——
    await page.getByRole('button', { name: /结算/ }).click();
    await page.waitForURL(url('/checkout'));
    await page.getByText('还没有收货地址').waitFor();
    await page.getByRole('button', { name: '新增收货地址' }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('收货人').fill('林小满');
    await modal.getByLabel('手机号').fill('138 1234 5678');
    await modal.getByLabel('所在地区').click();
    // Each level's column opens after the click on its parent; on a busy machine a click can land
    // while the menu is still animating, so click again until the next column shows.
    const pick = async (name: string, next?: string) => {
      const item = page.locator('.ant-cascader-menu-item', { hasText: new RegExp(`^${name}$`) });
      for (let attempt = 0; ; attempt++) {
        await item.click();
        if (!next) return;
        const shown = await page.locator('.ant-cascader-menu-item', { hasText: new RegExp(`^${next}$`) }).waitFor({ timeout: 3_000 }).then(() => true, () => false);
        if (shown) return;
        if (attempt === 3) throw new Error(`the cascader did not open ${next} after ${name}`);
      }
    };
    await pick('浙江省', '杭州市');
    await pick('杭州市', '西湖区');
    await pick('西湖区');
    await modal.getByLabel('详细地址').fill('文三路 90 号 3 幢 501 室');
    await modal.getByRole('button', { name: '保存' }).click();
    await page.locator('.ant-message').getByText('地址已添加').waitFor();
    await page.locator('.fm-address-option-on').getByText('浙江省 杭州市 西湖区 文三路 90 号 3 幢 501 室').waitFor();

    await expect.poll(() => page.getByTestId('checkout-store').count()).toBe(2);
    await expect.poll(() => page.getByTestId('checkout-total').textContent()).toBe('¥337.00');
    await page.getByLabel(`给「${manual.name}」的备注`).fill('请用纸箱包装，谢谢');
    await shot(page, 'checkout-confirm');

    const phoneCheckout = await onPhone(page.context());
    await phoneCheckout.goto(url('/checkout'));
    await expect.poll(() => phoneCheckout.getByTestId('checkout-store').count()).toBe(2);
    await noSideways(phoneCheckout);
    await shot(phoneCheckout, 'checkout-confirm-phone');
    await phoneCheckout.context().close();

    await page.getByRole('button', { name: '提交订单' }).click();
    await page.waitForURL(/\/pay\/sandbox\/pay_/);
    await expect.poll(() => page.getByTestId('pay-amount').textContent()).toBe('¥337.00');
    await page.getByText('2 个订单合并支付').waitFor();
    await shot(page, 'checkout-pay');

    const phonePay = await onPhone(page.context());
    await phonePay.goto(page.url());
    await phonePay.getByTestId('pay-amount').waitFor();
    await noSideways(phonePay);
    await shot(phonePay, 'checkout-pay-phone');
    await phonePay.context().close();

    // The cart is empty now: the ordered lines left it.
    await expect.poll(async () => (await ok<{ lines: number }>(page.request.get(url('/api/v1/cart/count')))).lines).toBe(0);

    // —— Decline first: the orders stay unpaid and a new payment can be made ——
    const firstPayment = page.url();
    await page.getByRole('button', { name: '拒绝支付' }).click();
    await page.getByText('支付未完成').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '重新支付' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/pay/sandbox/pay_') && u.href !== firstPayment);
    await expect.poll(() => page.getByTestId('pay-amount').textContent()).toBe('¥337.00');

    // —— Pay at the sandbox cashier; the notification arrives asynchronously ——
    await page.getByRole('button', { name: /确认支付/ }).click();
    await page.getByText('支付成功').waitFor({ timeout: 15_000 });
    const paid = page.getByTestId('paid-orders');
    await paid.locator('li', { hasText: auto.name }).getByText('待发货').waitFor();
    await paid.locator('li', { hasText: manual.name }).getByText('待接单').waitFor();
    await shot(page, 'checkout-paid');

    // —— My orders: one to ship, one waiting for its store ——
    await page.getByRole('link', { name: '查看我的订单' }).click();
    await page.waitForURL(url('/orders'));
    await expect.poll(() => page.getByTestId('order-card').count()).toBe(2);
    await page.getByTestId('tab-to_accept').getByText('1').waitFor();
    await page.getByTestId('tab-to_ship').getByText('1').waitFor();
    await page.getByTestId('order-card').filter({ hasText: manual.name }).getByText(/商家将在 .* 前接单/).waitFor();
    await shot(page, 'checkout-orders');

    const phoneOrders = await onPhone(page.context());
    await phoneOrders.goto(url('/orders'));
    await expect.poll(() => phoneOrders.getByTestId('order-card').count()).toBe(2);
    await noSideways(phoneOrders);
    await shot(phoneOrders, 'checkout-orders-phone');
    await phoneOrders.context().close();

    // —— The manual store's merchant accepts the order in the console ——
    const merchant = await openPage();
    await merchant.goto(url('/merchant/orders'));
    await merchant.waitForURL(/\/login\?next=/);
    await logIn(merchant, manual.email, manual.password);
    await merchant.waitForURL(url('/merchant/orders'));
    const row = merchant.locator('.ant-table-row').first();
    await row.getByText('待接单').waitFor();
    await row.getByText('买家备注：请用纸箱包装，谢谢').waitFor();
    await merchant.getByTestId('mo-tab-paid').getByText('1').waitFor();
    await shot(merchant, 'checkout-merchant-orders');

    const phoneMerchant = await onPhone(merchant.context());
    await phoneMerchant.goto(url('/merchant/orders'));
    await phoneMerchant.getByTestId('mo-card').getByRole('button', { name: '接单' }).waitFor();
    await noSideways(phoneMerchant);
    await shot(phoneMerchant, 'checkout-merchant-orders-phone');
    await phoneMerchant.context().close();

    await row.getByRole('button', { name: '接单' }).click();
    await merchant.locator('.ant-message').getByText('已接单，订单进入待发货').waitFor();
    await merchant.getByRole('tab', { name: /待发货/ }).click();
    await merchant.waitForURL(/state=to_ship/);
    await merchant.locator('.ant-table-row').first().getByText('待发货').waitFor();

    await merchant.goto(url('/merchant/order-rules'));
    await merchant.getByRole('radio', { name: '手动接单' }).waitFor();
    expect(await merchant.getByRole('radio', { name: '手动接单' }).isChecked()).toBe(true);
    await shot(merchant, 'checkout-merchant-order-rules');

    // —— Both orders are now 待发货 for the shopper ——
    await page.goto(url('/orders?tab=to_ship'));
    await expect.poll(() => page.getByTestId('order-card').count()).toBe(2);
    for (const card of await page.getByTestId('order-card').all()) await card.getByText('待发货').waitFor();
    await page.getByTestId('tab-to_ship').getByText('2').waitFor();
    expect(await page.getByTestId('tab-to_accept').textContent()).toBe('待接单');
  });
});
