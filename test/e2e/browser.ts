// What every browser test needs around its journey: the system Chromium (Playwright's own download
// does not work here), a page per viewport whose uncaught errors fail the test, screenshots taken
// once antd's animations are over, and a picture of every open page when a step fails.
//
//   const web = useBrowser('review');          // inside describe(): registers the hooks
//   const page = await web.openPage(PHONE);     // in a test
//   await web.shot(page, 'review-queue');       // test-results/screenshots/review-queue.png
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, onTestFailed } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
/** REQUIRE_BROWSER=1 (CI): a missing Chromium fails the browser tests instead of skipping them. */
export const requireBrowser = process.env.REQUIRE_BROWSER === '1';
/** For `describe.skipIf(skipBrowserTests)`. */
export const skipBrowserTests = !hasBrowser && !requireBrowser;
if (skipBrowserTests) console.log(`[e2e] skipped: ${CHROMIUM} not found (install Debian's chromium, or set REQUIRE_BROWSER=1 to fail instead)`);

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
export const FAILURES = path.resolve(SCREENSHOTS, '../failures');
// Reduced motion, as a person may set it: antd's dialogs and popovers then open at once, so a click
// cannot land during an opening animation (under CI load such clicks were lost).
export const DESKTOP = { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' } satisfies BrowserContextOptions;
export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' } satisfies BrowserContextOptions;

/**
 * A private copy of the web build for one test file (pass `dir` as WEB_DIST to startTestServer): in
 * a work tree shared with others, another run may rebuild dist/web meanwhile, and the lazy chunks
 * of the consoles would vanish under the open pages.
 */
export function privateWebBuild(): { dir: string; remove(): void } {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fm-web-'));
  cpSync(path.join(root, 'dist/web'), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits (up to 5 s) until no antd enter/leave animation runs, so a picture shows the settled page. */
export async function settled(page: Page): Promise<void> {
  await page
    .waitForFunction(() => !document.querySelector('[class*="-appear-active"], [class*="-enter-active"], [class*="-leave-active"]'), null, { timeout: 5_000 })
    .catch(() => undefined); // a screenshot mid-animation is still a screenshot
}

/**
 * A screenshot in test-results/screenshots/`name`.png once animations are over. A full page is taken
 * by making the window as tall as the page, so sticky bars and fixed frames render where a person
 * would see them.
 */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await settled(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  const viewport = page.viewportSize();
  if (!fullPage || !viewport) return void (await page.screenshot({ path: file, animations: 'disabled' }));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  await page.waitForTimeout(300); // layout and frames settle at the new size
  await page.screenshot({ path: file, animations: 'disabled' });
  await page.setViewportSize(viewport);
}

/**
 * Fails unless the page fits its window's width (no sideways scrolling on a phone) once its layout
 * has settled: antd measures some parts (tabs, tables) after their first frame, and under CI load
 * a page was caught 10 px wide in between (it fitted a moment later).
 */
export async function expectNoSideways(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { timeout: 3_000 }).toBeLessThanOrEqual(page.viewportSize()!.width);
}

export interface BrowserSession {
  /** The shared Chromium (launched in beforeAll). */
  readonly browser: Browser;
  /** A page in a fresh context (desktop size unless `options` say otherwise), watched for errors. */
  openPage(options?: BrowserContextOptions): Promise<Page>;
  /** Watches a page opened another way (its uncaught errors fail the test; it is pictured on failure). */
  watch(page: Page): Page;
  /** A new context (desktop size by default) whose pages are watched; all close with the browser. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  shot: typeof shot;
}

/**
 * Registers, in the calling describe(), the hooks every browser test repeats: launch Chromium once,
 * collect uncaught page errors (a test with any fails), and picture every page the test opened in
 * test-results/failures/`name`-N.png when a step fails. Pages may be shared across tests; they close
 * with the browser.
 */
export function useBrowser(name: string): BrowserSession {
  let browser: Browser | undefined;
  let pageErrors: string[] = [];
  let pages: Page[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    pageErrors = [];
    pages = [];
    onTestFailed(async () => {
      mkdirSync(FAILURES, { recursive: true });
      for (const [i, page] of pages.entries()) {
        if (!page.isClosed()) await page.screenshot({ path: path.join(FAILURES, `${name}-${i}.png`), fullPage: true }).catch(() => undefined);
      }
    });
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    pages.push(page);
    return page;
  };
  const session: BrowserSession = {
    get browser() {
      if (!browser) throw new Error('useBrowser: Chromium is launched in beforeAll; use it inside a test or hook');
      return browser;
    },
    async newContext(options = {}) {
      const context = await session.browser.newContext({ ...DESKTOP, ...options });
      context.on('page', watch);
      return context;
    },
    async openPage(options = {}) {
      const context = await session.newContext(options);
      return context.newPage();
    },
    watch,
    shot,
  };
  return session;
}

/** Picks a language in the header's switch and waits until the page speaks it. */
export async function switchLanguage(page: Page, label: '中文' | 'English'): Promise<void> {
  await page.getByTestId('language-switch').first().click();
  await page.getByRole('menuitem', { name: label }).click();
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, label === 'English' ? 'en' : 'zh-CN');
}
