// The platform's 流程分析 page in the browser: a store with a product, a cart, two orders (one paid,
// accepted at once and shipped after a pause, one left unpaid); the admin opens the page, reads the
// shopping funnel and the order steps with their bottleneck (the pause before shipping), downloads
// the OCEL export, switches to English, and the page is pictured on a desktop and a phone.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { Caller, storeWithTshirt, until } from './api.js';
import { expectNoSideways, PHONE, privateWebBuild, skipBrowserTests, switchLanguage, useBrowser } from './browser.js';

const ADMIN = { email: 'admin@analytics.test', password: 'admin-pass-123' };

describe.skipIf(skipBrowserTests)('the admin flow analytics page in the browser', { timeout: 300_000 }, () => {
  const web = useBrowser('analytics');
  let server: { url: string; close(): Promise<void> };
  let webBuild: ReturnType<typeof privateWebBuild> | undefined;
  let admin: Caller;

  const url = (pathname: string) => new URL(pathname, server.url).href;

  async function pageAs(who: Caller, options: Parameters<typeof web.newContext>[0] = { viewport: { width: 1280, height: 900 } }): Promise<Page> {
    const context = await web.newContext(options);
    const [name, value] = who.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    return context.newPage();
  }


  beforeAll(async () => {
    webBuild = privateWebBuild();
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, WEB_DIST: webBuild.dir } });
    admin = await new Caller(server.url).logIn(ADMIN.email, ADMIN.password);
    const { merchant, skuId, stamp } = await storeWithTshirt(server.url, admin, { domain: 'analytics.test', onHand: 50 });

    // A buyer puts the T-shirt in the cart and checks it out, pays; the store (auto-accept) ships after a pause.
    const buyer = new Caller(server.url);
    await buyer.ok('POST', '/api/v1/auth/register', { email: `buyer.${stamp}@analytics.test`, password: 'buyer-pass-1', name: '林小满' });
    const address = await buyer.ok<{ address: { id: string } }>('POST', '/api/v1/addresses', { recipient: '林小满', mobile: '13912345678', provinceCode: '330000', cityCode: '330100', districtCode: '330106', detail: '文三路 90 号' });
    const line = await buyer.ok<{ line: { id: string } }>('POST', '/api/v1/cart/items', { skuId, quantity: 1 });
    const placed = await buyer.ok<{ orders: { id: string }[]; payment: { id: string } }>('POST', '/api/v1/checkout', { cartLineIds: [line.line.id], addressId: address.address.id }, { 'idempotency-key': randomUUID() });
    await buyer.ok('POST', `/api/v1/payments/${placed.payment.id}/sandbox/pay`);
    const orderId = placed.orders[0]!.id;
    await until(async () => (await buyer.ok<{ order: { state: string } }>('GET', `/api/v1/orders/${orderId}`)).order.state === 'to_ship');
    await new Promise((r) => setTimeout(r, 1500));
    await merchant.ok('POST', `/api/v1/merchant/orders/${orderId}/shipments`, { parcels: [{ carrier: 'zhongtong', trackingNumber: '781234567890' }] });
    // A second order, buy-now, left unpaid.
    await buyer.ok('POST', '/api/v1/checkout', { buyNow: { skuId, quantity: 2 }, addressId: address.address.id }, { 'idempotency-key': randomUUID() });
  });
  afterAll(async () => {
    await server?.close();
    webBuild?.remove();
  });

  it('shows the funnels and the bottleneck, exports, and speaks English on request', async () => {
    const page = await pageAs(admin);
    await page.goto(url('/admin/analytics'));
    await page.getByRole('heading', { name: '流程分析' }).waitFor();
    await page.getByRole('menuitem', { name: '流程分析' }).waitFor();

    const shopping = page.getByTestId('funnel-shopping');
    await shopping.getByText('购物漏斗').waitFor();
    await expect.poll(() => shopping.getByTestId('funnel-step-placed').locator('.fm-funnel-count').innerText()).toBe('2');
    expect(await shopping.getByTestId('funnel-step-carts').locator('.fm-funnel-count').innerText()).toBe('1');
    expect(await shopping.getByTestId('funnel-step-paid').innerText()).toContain('50%');
    expect(await shopping.getByTestId('funnel-step-shipped').locator('.fm-funnel-count').innerText()).toBe('1');
    expect(await page.getByTestId('funnel-merchants').getByTestId('funnel-step-approved').locator('.fm-funnel-count').innerText()).toBe('1');

    // The order steps: the pause before shipping is the bottleneck.
    const bottleneckRow = page.locator('.fm-step-bottleneck');
    await bottleneckRow.waitFor();
    expect(await bottleneckRow.innerText()).toContain('接单 → 发货');
    expect(await bottleneckRow.getByTestId('bottleneck-tag').innerText()).toContain('瓶颈');
    expect(await page.getByTestId('bottleneck-note').innerText()).toMatch(/瓶颈：接单 → 发货，中位耗时 1\.\d 秒/);
    expect(await page.getByTestId('steps-table').innerText()).toContain('下单 → 支付');
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/\banalytics\.[a-z_]+/);
    await web.shot(page, 'analytics-admin');

    // The downloads answer with the files.
    const ocelHref = await page.getByTestId('download-ocel').getAttribute('href');
    const ocel = await page.request.get(url(ocelHref!));
    expect(ocel.status()).toBe(200);
    const log = (await ocel.json()) as { events: { type: string }[] };
    expect(log.events.map((e) => e.type)).toContain('order.ship');
    const csv = await page.request.get(url((await page.getByTestId('download-csv').getAttribute('href'))!));
    expect((await csv.text()).split('\r\n')[0]).toBe('case_id,activity,timestamp,resource,event_id');

    // Parcels have their own steps.
    await page.getByTestId('steps-object-type').click();
    await page.locator('.ant-select-dropdown:visible').getByText('支付', { exact: true }).click();
    await page.getByTestId('steps-table').getByText('发起支付 → 支付成功').waitFor();
    await page.getByTestId('steps-object-type').click();
    await page.locator('.ant-select-dropdown:visible').getByText('订单', { exact: true }).click();
    await page.locator('.fm-step-bottleneck').waitFor();

    // English, through the language switch.
    await switchLanguage(page, 'English');
    await page.getByRole('heading', { name: 'Flow analytics' }).waitFor();
    await page.getByTestId('funnel-shopping').getByText('Shopping funnel').waitFor();
    expect(await page.locator('.fm-step-bottleneck').innerText()).toContain('Accepted → Shipped');
    expect(await page.getByTestId('bottleneck-tag').innerText()).toContain('Bottleneck');
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/\banalytics\.[a-z_]+/);
    await web.shot(page, 'analytics-admin-en');
  });

  it('fits a phone', async () => {
    const page = await pageAs(admin, PHONE);
    await page.goto(url('/admin/analytics'));
    await page.getByTestId('funnel-shopping').getByTestId('funnel-step-placed').waitFor();
    await page.locator('.fm-step-bottleneck').waitFor();
    await expectNoSideways(page);
    await web.shot(page, 'analytics-admin-phone');
  });
});
