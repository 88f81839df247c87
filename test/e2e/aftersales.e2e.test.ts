// After-sales (售后) in the browser. A shipped order (set up through the API); the buyer asks for a
// return and refund on the order page, the store approves it in its console, the buyer enters the
// return parcel, the store confirms the goods came back, and the sandbox provider's refund (real
// HTTP, signed notification) turns the request into 已退款. Then a refusal: the store refuses a
// refund, the buyer asks the platform to step in, the platform rules for the buyer, and the refund
// follows.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { Caller, paidBuyNowOrder, storeWithTshirt, until } from './api.js';
import { expectNoSideways, PHONE, settled, skipBrowserTests, useBrowser } from './browser.js';

const ADMIN = { email: 'admin@aftersales.test', password: 'admin-pass-123' };
const REFUND_WAIT = 30_000;

describe.skipIf(skipBrowserTests)('after-sales in the browser', { timeout: 240_000 }, () => {
  const web = useBrowser('aftersales');
  let server: { url: string; close(): Promise<void> };
  let admin: Caller;
  let merchant: Caller;
  let skuId: string;
  let seq = 0;

  const url = (pathname: string) => new URL(pathname, server.url).href;
  const shot = web.shot;

  /** A browser profile logged in as `who` (its session cookie). */
  async function pageAs(who: Caller, options: Parameters<typeof web.newContext>[0] = { viewport: { width: 1280, height: 900 } }): Promise<Page> {
    const context = await web.newContext(options);
    const [name, value] = who.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    return context.newPage();
  }

  /** The page must not show a message key where words belong (an untranslated string). */
  async function expectTranslated(page: Page) {
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/\baftersales\.[a-z_]+/);
  }

  // An approved store selling one T-shirt (79.00 each).
  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
    admin = await new Caller(server.url).logIn(ADMIN.email, ADMIN.password);
    const scene = await storeWithTshirt(server.url, admin, { domain: 'aftersales.test', onHand: 50 });
    merchant = scene.merchant;
    skuId = scene.skuId;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A new buyer whose order of two T-shirts is paid and shipped (已发货). */
  async function shippedOrder() {
    seq += 1;
    const { buyer, orderId } = await paidBuyNowOrder(server.url, { email: `buyer${seq}.${Date.now().toString(36)}@aftersales.test`, skuId, quantity: 2 });
    await merchant.ok('POST', `/api/v1/merchant/orders/${orderId}/shipments`, { parcels: [{ carrier: 'sandbox', trackingNumber: `SBX${String(Date.now()).slice(-7)}${String(seq).padStart(3, '0')}` }] });
    await until(async () => (await buyer.ok<{ order: { state: string } }>('GET', `/api/v1/orders/${orderId}`)).order.state === 'shipped');
    return { buyer, orderId };
  }

  /** 申请售后 on the order page: kind, one unit, a reason; lands on the request's page. */
  async function apply(page: Page, orderId: string, kind: string, reason: string, description: string) {
    await page.goto(url(`/orders/${orderId}`));
    await page.getByTestId('order-state').getByText('已发货').waitFor();
    await page.getByTestId('apply-aftersales').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('申请售后').first().waitFor();
    await dialog.getByTestId(`kind-${kind}`).click();
    await dialog.locator('input[data-testid="apply-quantity"], [data-testid="apply-quantity"] input').fill('1');
    // The option is clicked once the dropdown has finished opening (a click mid-animation can miss).
    await dialog.getByTestId('apply-reason').click();
    const option = page.locator('.ant-select-item-option', { hasText: reason });
    await option.waitFor();
    await settled(page);
    await option.click();
    await dialog.locator('.ant-select-content, .ant-select-selection-item').getByText(reason).waitFor();
    await dialog.getByTestId('apply-description').fill(description);
    return dialog;
  }

  /** The merchant's 售后 page with one request's drawer open. */
  async function openInConsole(page: Page, path: string, testId: string) {
    await page.goto(url(path));
    await page.getByTestId(testId).first().waitFor();
    await page.getByTestId(testId).first().click();
    await page.locator('.ant-drawer').waitFor();
  }

  it('return and refund: the buyer asks, the store approves, the goods go back, the refund arrives', async () => {
    const { buyer, orderId } = await shippedOrder();

    // The buyer asks on the order page.
    const buyerPage = await pageAs(buyer);
    const dialog = await apply(buyerPage, orderId, 'return_refund', '商品破损', '领口开线，袖口有污渍');
    await dialog.getByTestId('apply-amount').getByText('¥79.00').waitFor(); // one of two units
    await shot(buyerPage, 'aftersales-buyer-apply', false);
    await dialog.getByTestId('apply-submit').click();
    await buyerPage.waitForURL(/\/aftersales\/[^/]+$/);
    const id = buyerPage.url().split('/').pop()!;
    await buyerPage.getByTestId('aftersales-state').getByText('待商家处理').waitFor();
    await buyerPage.getByText(/前处理，逾期未处理将自动同意/).waitFor();
    await buyerPage.getByTestId('aftersales-event').getByText('提交售后申请').waitFor();
    await expectTranslated(buyerPage);
    await shot(buyerPage, 'aftersales-buyer-requested');

    // The store answers in its console: 同意.
    const merchantPage = await pageAs(merchant);
    await openInConsole(merchantPage, '/merchant/aftersales', 'mas-view');
    const drawer = merchantPage.locator('.ant-drawer');
    await drawer.getByTestId('mas-state').getByText('待商家处理').waitFor();
    await drawer.getByText('领口开线，袖口有污渍').waitFor();
    await expectTranslated(merchantPage);
    await shot(merchantPage, 'aftersales-merchant-drawer');
    await drawer.getByTestId('as-approve').click();
    await merchantPage.getByTestId('confirm-approve').click();
    await drawer.getByTestId('mas-state').getByText('待寄回').waitFor();

    // The buyer sends the goods back.
    await buyerPage.reload();
    await buyerPage.getByTestId('aftersales-state').getByText('待寄回').waitFor();
    await buyerPage.getByTestId('as-ship_back').click();
    const parcel = buyerPage.getByRole('dialog');
    await parcel.getByTestId('parcel-carrier').click();
    await buyerPage.keyboard.type('顺丰');
    const carrier = buyerPage.locator('.ant-select-item-option', { hasText: '顺丰速运' });
    await carrier.waitFor();
    await settled(buyerPage);
    await carrier.click();
    await parcel.locator('.ant-select-content, .ant-select-selection-item').getByText(/顺丰速运/).first().waitFor();
    await parcel.getByTestId('parcel-number').fill('SF1234567890123');
    await shot(buyerPage, 'aftersales-buyer-return-parcel', false);
    await parcel.getByTestId('parcel-submit').click();
    await buyerPage.getByTestId('fact-returnParcel').getByText('SF1234567890123').waitFor();
    await buyerPage.getByText('退货已寄出，等待商家确认收货').waitFor();
    await buyerPage.getByTestId('as-ship_back').getByText('修改退货物流').waitFor(); // correctable until the store has it

    // The store confirms receipt; the refund starts and settles.
    await merchantPage.reload();
    await merchantPage.locator('.ant-drawer').getByTestId('fact-returnParcel').getByText('SF1234567890123').waitFor();
    await merchantPage.locator('.ant-drawer').getByTestId('as-receive_return').click();
    await merchantPage.getByTestId('confirm-receive_return').click();
    await merchantPage.locator('.ant-drawer').getByTestId('mas-state').getByText(/退款中|已退款/).waitFor();
    await shot(merchantPage, 'aftersales-merchant-received');

    // The buyer's page follows the refund to its end.
    await buyerPage.reload();
    await buyerPage.getByTestId('aftersales-state').getByText('已退款').waitFor({ timeout: REFUND_WAIT });
    await buyerPage.getByTestId('aftersales-event').getByText('退款成功').waitFor();
    await shot(buyerPage, 'aftersales-buyer-refunded');

    // 我的售后: the request under 全部 (it is no longer in progress).
    await buyerPage.goto(url('/account'));
    await buyerPage.getByTestId('shortcut-aftersales').click();
    await buyerPage.waitForURL(/\/aftersales$/);
    await buyerPage.getByTestId('as-tab-all').click();
    await buyerPage.getByTestId('aftersales-card').getByText('已退款').waitFor();
    await shot(buyerPage, 'aftersales-buyer-list');

    // The store's list on the 全部 tab.
    await merchantPage.goto(url('/merchant/aftersales?state=all'));
    await merchantPage.getByTestId('mas-view').first().waitFor();
    await shot(merchantPage, 'aftersales-merchant-list');

    // The request's page on a phone: nothing wider than the screen.
    const phone = await pageAs(buyer, PHONE);
    await phone.goto(url(`/aftersales/${id}`));
    await phone.getByTestId('aftersales-state').getByText('已退款').waitFor();
    await expectNoSideways(phone);
    await shot(phone, 'aftersales-buyer-phone');
    // … and the order page's 申请售后 beside its item.
    await phone.goto(url(`/orders/${orderId}`));
    await phone.getByTestId('apply-aftersales').waitFor();
    await expectNoSideways(phone);
    await shot(phone, 'aftersales-order-phone');
  });

  it('a refusal: the buyer asks the platform, the platform rules for the buyer, the refund follows', async () => {
    const { buyer, orderId } = await shippedOrder();

    const buyerPage = await pageAs(buyer);
    const dialog = await apply(buyerPage, orderId, 'refund_only', '未收到货', '物流显示已签收，但我没有收到');
    await dialog.getByTestId('apply-submit').click();
    await buyerPage.waitForURL(/\/aftersales\/[^/]+$/);
    await buyerPage.getByTestId('aftersales-state').getByText('待商家处理').waitFor();

    // The store refuses, with its reason.
    const merchantPage = await pageAs(merchant);
    await openInConsole(merchantPage, '/merchant/aftersales?state=requested', 'mas-view');
    const drawer = merchantPage.locator('.ant-drawer');
    await drawer.getByText('物流显示已签收，但我没有收到').waitFor();
    await drawer.getByTestId('as-reject').click();
    const reject = merchantPage.getByRole('dialog');
    await reject.getByTestId('text-input').fill('快递记录显示本人签收，请先联系快递员核实');
    await shot(merchantPage, 'aftersales-merchant-reject', false);
    await reject.getByTestId('text-submit').click();
    await drawer.getByTestId('mas-state').getByText('商家已拒绝').waitFor();

    // The buyer sees the answer and asks the platform to step in.
    await buyerPage.reload();
    await buyerPage.getByTestId('aftersales-state').getByText('商家已拒绝').waitFor();
    await buyerPage.getByTestId('fact-rejectReason').getByText('快递记录显示本人签收').waitFor();
    await buyerPage.getByTestId('as-escalate').click();
    const escalate = buyerPage.getByRole('dialog');
    await escalate.getByTestId('text-input').fill('签收人不是我，快递放在了别人的门口');
    await escalate.getByTestId('text-submit').click();
    await buyerPage.getByTestId('aftersales-state').getByText('平台介入中').waitFor();
    await shot(buyerPage, 'aftersales-buyer-escalated');

    // The platform hears both sides and rules for the buyer.
    const adminPage = await pageAs(admin);
    await adminPage.goto(url('/admin/aftersales'));
    await adminPage.getByTestId('dispute-view').first().waitFor();
    await shot(adminPage, 'aftersales-admin-list');
    await adminPage.getByTestId('dispute-view').first().click();
    const detail = adminPage.locator('.ant-drawer');
    await detail.getByTestId('buyer-side').getByText('签收人不是我').waitFor();
    await detail.getByTestId('merchant-side').getByText('快递记录显示本人签收').waitFor();
    await expectTranslated(adminPage);
    await shot(adminPage, 'aftersales-admin-detail');
    await detail.getByTestId('as-rule_buyer').click();
    const rule = adminPage.getByRole('dialog');
    await rule.getByTestId('text-input').fill('快递签收照片不是买家门口，支持退款');
    await rule.getByTestId('text-submit').click();
    await detail.getByTestId('dispute-state').getByText(/退款中|已退款/).waitFor();

    // The buyer sees the ruling and the refund.
    await buyerPage.reload();
    await buyerPage.getByTestId('aftersales-state').getByText('已退款').waitFor({ timeout: REFUND_WAIT });
    await buyerPage.getByTestId('fact-ruling').getByText('支持买家').waitFor();
    await expectTranslated(buyerPage);
    await shot(buyerPage, 'aftersales-buyer-ruled');

    // The same page in English.
    await buyerPage.evaluate(() => localStorage.setItem('flowmart.lang', 'en'));
    await buyerPage.reload();
    await buyerPage.getByTestId('aftersales-state').getByText('Refunded').waitFor();
    await expectTranslated(buyerPage);
    await shot(buyerPage, 'aftersales-buyer-ruled-en');
  });
});
