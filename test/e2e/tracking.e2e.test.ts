// The end of the shopping flow in the browser: a paid order (set up through the API), the merchant
// ships it with the sandbox carrier on the order page, the buyer's order page shows the carrier's
// events arriving live (no reload) until 签收, the buyer confirms receipt and the order is 已完成.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { Caller, paidBuyNowOrder, storeWithTshirt } from './api.js';
import { expectNoSideways, PHONE, skipBrowserTests, useBrowser } from './browser.js';
const ADMIN = { email: 'admin@tracking.test', password: 'admin-pass-123' };
// The sandbox carrier's whole journey (揽收 … 签收) takes this long here.
const SPAN_MS = 9_000;

describe.skipIf(skipBrowserTests)('order tracking in the browser', { timeout: 180_000 }, () => {
  const web = useBrowser('tracking');
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SANDBOX_CARRIER_SPAN_MS: String(SPAN_MS) } });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A browser profile logged in as `who` (its session cookie). */
  async function pageAs(who: Caller, options: Parameters<typeof web.newContext>[0] = { viewport: { width: 1280, height: 900 } }): Promise<Page> {
    const context = await web.newContext(options);
    const [name, value] = who.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    return context.newPage();
  }
  const url = (pathname: string) => new URL(pathname, server.url).href;
  const shot = web.shot;

  /** An approved store selling one T-shirt, and a buyer whose order of it is paid (待发货). */
  async function paidOrder() {
    const admin = new Caller(server.url);
    await admin.ok('POST', '/api/v1/auth/login', { login: ADMIN.email, password: ADMIN.password });
    const { merchant, skuId, stamp } = await storeWithTshirt(server.url, admin, { domain: 'tracking.test', onHand: 20 });

    const { buyer, orderId } = await paidBuyNowOrder(server.url, { email: `buyer.${stamp}@tracking.test`, skuId, quantity: 2 });
    return { merchant, buyer, orderId };
  }

  it('the merchant ships, the buyer watches the parcel travel live, confirms receipt, and the order completes', async () => {
    const { merchant, buyer, orderId } = await paidOrder();

    // The buyer's order page, open before anything ships.
    const buyerPage = await pageAs(buyer);
    await buyerPage.goto(url(`/orders/${orderId}`));
    await buyerPage.getByTestId('order-state').getByText('待发货').waitFor();
    await buyerPage.getByText('商家还没有发货').waitFor();
    await buyerPage.getByTestId('live-indicator').waitFor();
    await shot(buyerPage, 'tracking-buyer-to-ship');
    // Marks this document: if the page reloaded, the mark would be gone.
    await buyerPage.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    // The merchant ships with the sandbox carrier from the order page.
    // The store's shipping promise sits with its order rules.
    const merchantPage = await pageAs(merchant);
    await merchantPage.goto(url('/merchant/order-rules'));
    await merchantPage.getByLabel('接单后多少小时内发货').waitFor();
    expect(await merchantPage.getByLabel('接单后多少小时内发货').inputValue()).toBe('48');
    await shot(merchantPage, 'tracking-merchant-shipping-deadline');

    // The merchant's list shows the order to ship, with its deadline and a 发货 button.
    await merchantPage.goto(url('/merchant/orders?state=to_ship'));
    await merchantPage.getByText(/前发货/).first().waitFor();
    await shot(merchantPage, 'tracking-merchant-list-to-ship');
    await merchantPage.getByTestId('ship-link').first().click();
    await merchantPage.waitForURL(new RegExp(`/merchant/orders/${orderId}`));
    const dialog = merchantPage.getByRole('dialog');
    await dialog.getByText('包裹 1').waitFor();
    await dialog.getByTestId('ship-carrier').click();
    await merchantPage.keyboard.type('沙箱');
    await merchantPage.locator('.ant-select-item-option', { hasText: '沙箱快递' }).click();
    await dialog.getByTestId('ship-number').fill('SBX1234567890');
    await shot(merchantPage, 'tracking-merchant-ship-dialog');
    await dialog.getByTestId('ship-submit').click();
    await merchantPage.getByText('已发货', { exact: true }).first().waitFor();
    await merchantPage.getByTestId('parcel').waitFor();
    await merchantPage.getByTestId('tracking-number').getByText('SBX1234567890').waitFor();

    // The buyer's page follows without a reload: shipped, then the carrier's events one by one.
    await buyerPage.getByTestId('order-state').getByText('已发货').waitFor();
    await buyerPage.getByTestId('tracking-number').getByText('SBX1234567890').waitFor();
    await buyerPage.getByTestId('tracking-event').first().waitFor({ timeout: 15_000 });
    const seen = new Set<number>();
    await buyerPage.waitForFunction(() => document.querySelectorAll('[data-testid="tracking-event"]').length >= 3, undefined, { timeout: 15_000 });
    seen.add(await buyerPage.getByTestId('tracking-event').count());
    await shot(buyerPage, 'tracking-buyer-in-transit');
    await buyerPage.getByTestId('order-state').getByText('已签收').waitFor({ timeout: 20_000 });
    seen.add(await buyerPage.getByTestId('tracking-event').count());
    expect(seen.size).toBeGreaterThan(1); // events arrived over time, not all at once
    await buyerPage.getByText(/您的快件已签收/).first().waitFor();
    await buyerPage.getByTestId('parcel-state').getByText('已签收').waitFor();
    expect(await buyerPage.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await shot(buyerPage, 'tracking-buyer-delivered');

    // The merchant's page followed too.
    await merchantPage.getByTestId('parcel-state').getByText('已签收').waitFor();
    await shot(merchantPage, 'tracking-merchant-delivered');

    // 确认收货 → 已完成.
    await buyerPage.getByTestId('confirm-receipt').click();
    await buyerPage.getByRole('tooltip').getByRole('button', { name: '确认收货' }).click();
    await buyerPage.getByTestId('order-state').getByText('已完成').waitFor();
    await buyerPage.getByText('已确认收货，交易完成').waitFor();
    await shot(buyerPage, 'tracking-buyer-completed');

    // The same page on a phone: nothing wider than the screen.
    const phonePage = await pageAs(buyer, PHONE);
    await phonePage.goto(url(`/orders/${orderId}`));
    await phonePage.getByTestId('tracking-event').first().waitFor();
    await expectNoSideways(phonePage);
    await shot(phonePage, 'tracking-buyer-phone');

    // The order list shows the newest tracking line at a glance.
    await buyerPage.goto(url('/orders'));
    await buyerPage.getByTestId('order-card').first().waitFor();
    await buyerPage.getByTestId('tracking-line').getByText(/您的快件已签收/).waitFor();
    await shot(buyerPage, 'tracking-buyer-order-list');

    // And the merchant's list, the parcel's newest line.
    await merchantPage.goto(url('/merchant/orders'));
    await merchantPage.getByTestId('tracking-line').first().waitFor();
    await merchantPage.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
    await shot(merchantPage, 'tracking-merchant-list');
  });
});
