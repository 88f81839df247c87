// Browser journeys through the web app against the whole platform (built web app, real API,
// fresh database), driven in the system Chromium.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { DESKTOP, switchLanguage } from './browser.js';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
const requireBrowser = process.env.REQUIRE_BROWSER === '1';
if (!hasBrowser && !requireBrowser) {
  console.log(`[e2e] skipped: ${CHROMIUM} not found (install Debian's chromium, or set REQUIRE_BROWSER=1 to fail instead)`);
}

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
const ADMIN = { email: 'admin@test.local', password: 'admin-pass-123' };
const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } satisfies BrowserContextOptions;

describe.skipIf(!hasBrowser && !requireBrowser)('web app in the browser', { timeout: 120_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let uniq = 0;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // Uncaught exceptions in any page of the running test; each test must end with none.
  let pageErrors: string[] = [];
  beforeEach(() => {
    pageErrors = [];
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  /** A fresh browser profile: no cookies, no stored language. */
  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ ...DESKTOP, ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  function newShopper(name: string) {
    uniq += 1;
    return { email: `shopper${uniq}.${Date.now()}@test.local`, password: 'shopper-pass-1', name };
  }

  const url = (pathname: string) => new URL(pathname, server.url).href;
  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });

  async function register(page: Page, user: { email: string; password: string; name: string }) {
    await page.goto(url('/register'));
    const form = page.locator('form');
    await form.getByLabel('邮箱', { exact: true }).fill(user.email);
    await form.getByLabel('密码', { exact: true }).fill(user.password);
    await form.getByLabel(/昵称/).fill(user.name);
    await form.getByRole('button', { name: '注册' }).click();
  }

  async function logIn(page: Page, login: string, password: string) {
    const form = page.locator('form');
    await form.getByLabel('账号').fill(login);
    await form.getByLabel('密码', { exact: true }).fill(password);
    await form.getByRole('button', { name: '登录' }).click();
  }

  it('serves the app at every page address, the home page included', async () => {
    for (const pathname of ['/', '/login', '/admin/users']) {
      const response = await fetch(url(pathname));
      expect({ pathname, status: response.status, type: response.headers.get('content-type') }).toEqual({
        pathname,
        status: 200,
        type: expect.stringContaining('text/html'),
      });
    }
  });

  it('opens menus and dialogs without motion when the system asks for less, and follows that setting live', async () => {
    const page = await openPage({ reducedMotion: 'no-preference' });
    await page.goto(url('/login'));
    // The language menu as it opens: antd's motion classes (…-enter, …-appear) while it animates.
    const menuClassesOnOpening = async () => {
      await page.getByTestId('language-switch').first().click();
      const classes = await page.locator('.ant-dropdown').first().getAttribute('class');
      await page.keyboard.press('Escape');
      await page.locator('.ant-dropdown:not(.ant-dropdown-hidden)').waitFor({ state: 'detached', timeout: 3_000 }).catch(() => undefined);
      return classes ?? '';
    };
    expect(await menuClassesOnOpening()).toMatch(/-(enter|appear)/);
    await page.reload();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await menuClassesOnOpening()).not.toMatch(/-(enter|appear)/);
  });

  it('registers, logs out, refuses a wrong password, logs in again and out', async () => {
    const page = await openPage();
    const shopper = newShopper('林小满');

    // A guarded page sends an anonymous visitor to the login page, remembering where they were.
    await page.goto(url('/account'));
    await page.waitForURL(/\/login\?next=%2Faccount$/);

    await register(page, shopper);
    await page.waitForURL(url('/account'));
    await page.getByTestId('account-name').getByText(shopper.name).waitFor();
    await page.getByText(shopper.email).waitFor();
    await page.getByText('买家').first().waitFor();
    await shot(page, 'account');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(url('/'));
    await page.getByText('已退出登录').waitFor();
    await page.locator('.fm-header-main').getByRole('link', { name: '登录' }).click();
    await page.waitForURL(url('/login'));

    await logIn(page, shopper.email, 'not-the-password');
    await page.getByRole('alert').getByText('账号或密码错误').waitFor();
    await shot(page, 'login-wrong-password');

    await logIn(page, shopper.email, shopper.password);
    await page.waitForURL(url('/account'));
    await page.getByTestId('account-name').getByText(shopper.name).waitFor();

    // This time through the header's account menu.
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(url('/'));
    await page.locator('.fm-header-main').getByRole('link', { name: '登录' }).waitFor();
    await page.goto(url('/account'));
    await page.waitForURL(/\/login\?next=%2Faccount$/);
    await page.context().close();
  });

  it('speaks Chinese by default and keeps English once chosen', async () => {
    const page = await openPage({ locale: 'en-US' }); // the browser's language does not matter
    await page.goto(url('/'));
    await page.getByRole('heading', { name: '欢迎来到 Flowmart' }).waitFor();
    await page.getByText('多店一次结算').first().waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await shot(page, 'home-zh');

    await switchLanguage(page, 'English');
    await page.getByRole('heading', { name: 'Welcome to Flowmart' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.reload();
    await page.getByRole('heading', { name: 'Welcome to Flowmart' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.evaluate(() => localStorage.getItem('flowmart.lang'))).toBe('en');
    await shot(page, 'home-en');

    // Pages and antd's own texts follow: the login form validates in English.
    await page.goto(url('/login'));
    await page.locator('form').getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Enter your email or mobile number').waitFor();
    await shot(page, 'login-en');
    await page.context().close();
  });

  it('fits a phone screen', async () => {
    const page = await openPage(PHONE);
    const noSideways = async () => (await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.viewport.width;

    await page.goto(url('/'));
    await page.getByRole('heading', { name: '欢迎来到 Flowmart' }).waitFor();
    await page.getByPlaceholder('搜索商品、品牌、店铺').waitFor();
    expect(await noSideways()).toBe(true);
    await shot(page, 'phone-home');

    await page.getByTestId('mobile-menu').click();
    await page.locator('.ant-drawer').getByRole('link', { name: '登录' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.ant-drawer [class*="motion"]')); // slid in
    await shot(page, 'phone-menu', false);
    await page.keyboard.press('Escape');

    await page.goto(url('/login'));
    await page.locator('form').getByLabel('账号').waitFor();
    expect(await noSideways()).toBe(true);
    await shot(page, 'phone-login');

    await page.getByPlaceholder('搜索商品、品牌、店铺').fill('手机');
    await page.getByPlaceholder('搜索商品、品牌、店铺').press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByText('“手机”的搜索结果').first().waitFor();
    await page.context().close();
  });

  it('shows the admin the users and refuses the consoles to a shopper', async () => {
    const shopperPage = await openPage();
    const shopper = newShopper('王小二');
    await register(shopperPage, shopper);
    await shopperPage.waitForURL(url('/account'));

    await shopperPage.goto(url('/admin'));
    await shopperPage.getByText('平台管理仅对平台管理员开放。').waitFor();
    await shot(shopperPage, 'admin-forbidden');

    await shopperPage.goto(url('/merchant/orders'));
    await shopperPage.getByText('你还不是商家').waitFor();
    await shopperPage.getByRole('link', { name: '申请开店' }).click();
    await shopperPage.waitForURL(url('/merchant/apply'));
    await shopperPage.context().close();

    const adminPage = await openPage();
    await adminPage.goto(url('/admin/users'));
    await adminPage.waitForURL(/\/login\?next=%2Fadmin%2Fusers$/);
    await logIn(adminPage, ADMIN.email, ADMIN.password);
    await adminPage.waitForURL(url('/admin/users'));
    const rows = adminPage.locator('.ant-table-tbody tr.ant-table-row');
    await rows.filter({ hasText: shopper.email }).waitFor();
    await rows.filter({ hasText: ADMIN.email }).waitFor();
    await shot(adminPage, 'admin-users');

    await adminPage.getByPlaceholder('搜索邮箱、手机号或昵称').fill(shopper.email);
    await adminPage.getByPlaceholder('搜索邮箱、手机号或昵称').press('Enter');
    await adminPage.waitForURL(/\/admin\/users\?q=/);
    await adminPage.waitForFunction(
      (email) => {
        const texts = [...document.querySelectorAll('.ant-table-tbody tr.ant-table-row')].map((r) => r.textContent ?? '');
        return texts.length === 1 && texts[0]!.includes(email);
      },
      shopper.email,
    );

    await adminPage.setViewportSize({ width: 375, height: 812 });
    await adminPage.goto(url('/admin/users'));
    await rows.filter({ hasText: shopper.email }).waitFor();
    await shot(adminPage, 'phone-admin-users', false);
    await adminPage.context().close();
  });
});
