// The platform reviewer's day in the browser (issue 4): the admin sends off-platform contact lures
// to the manual queue instead of rejecting them outright, a store submits listings (one clean, one
// a near-duplicate, three with a WeChat id), the reviewer filters the queue by rule, opens the
// duplicate, sees its finding, claims and rejects it with a reason template, approves the lures in
// bulk (one was claimed meanwhile by a colleague and fails), and reads the dashboard.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../helpers/factories.js';
import { startTestServer } from '../helpers/server.js';
import { Caller } from './api.js';
import { expectNoSideways, PHONE, privateWebBuild, skipBrowserTests, switchLanguage, useBrowser } from './browser.js';

const ADMIN = { email: 'admin@review.test', password: 'admin-pass-123' };
const COLLEAGUE = { email: 'reviewer2@review.test', password: 'reviewer-pass-2' };
const TEMPLATE = { title: '主图不符', body: '主图与商品不符，请上传实拍图。' };

type Task = { id: string; title: string; productId: string };

describe.skipIf(skipBrowserTests)('the admin review console in the browser', { timeout: 300_000 }, () => {
  const web = useBrowser('review-admin');
  let server: { url: string; close(): Promise<void> };
  let webBuild: ReturnType<typeof privateWebBuild> | undefined;
  let admin: Caller;
  let merchant: Caller;
  let leafId: string;
  const stamp = Date.now().toString(36);
  const titles = {
    clean: `重磅纯棉圆领T恤 宽松版型 男女同款 ${stamp}`,
    duplicate: `重磅纯棉圆领T恤 宽松版型 男女同款 ${stamp}!`,
    lures: [1, 2, 3].map((n) => `山野明前白茶 ${n} 号礼盒 ${stamp}`),
  };

  beforeAll(async () => {
    webBuild = privateWebBuild();
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, WEB_DIST: webBuild.dir }, admins: [COLLEAGUE] });
    admin = await new Caller(server.url).logIn(ADMIN.email, ADMIN.password);
    const category = async (body: Record<string, unknown>) => (await admin.ok<{ category: { id: string } }>('POST', '/api/v1/admin/categories', body)).category.id;
    const root = await category({ nameZh: '服装', nameEn: 'Clothing' });
    const tops = await category({ parentId: root, nameZh: '上衣', nameEn: 'Tops' });
    leafId = await category({ parentId: tops, nameZh: 'T恤', nameEn: 'T-shirts', attributes: [{ key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec' }] });
    await admin.ok('POST', '/api/v1/admin/review/reason-templates', TEMPLATE);

    merchant = new Caller(server.url);
    await merchant.ok('POST', '/api/v1/auth/register', { email: `seller.${stamp}@review.test`, password: 'seller-pass-1', name: '陈店主' });
    const applied = await merchant.ok<{ merchant: { id: string } }>('POST', '/api/v1/merchant/application', {
      name: `棉舍服饰${stamp}`,
      contactName: '陈店主',
      contactMobile: '13812345678',
      contactEmail: `store.${stamp}@review.test`,
      creditCode: makeCreditCode(),
      description: '纯棉服饰与茶',
    });
    await admin.ok('POST', `/api/v1/admin/merchants/${applied.merchant.id}/approve`);
  });
  afterAll(async () => {
    await server?.close();
    webBuild?.remove();
  });

  const url = (pathname: string) => new URL(pathname, server.url).href;

  /** A listing with a photo, submitted; the status the review gave it at once. */
  async function submit(title: string, description: string, n: number): Promise<string> {
    const picture = await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 240 - n * 10, g: 236, b: 228 } } }).jpeg().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(picture)], { type: 'image/jpeg' }), `p${n}.jpg`);
    const image = await merchant.ok<{ image: { id: string } }>('POST', '/api/v1/merchant/images', form);
    const code = `R${stamp}${n}`.toUpperCase();
    const { product } = await merchant.ok<{ product: { id: string } }>('POST', '/api/v1/merchant/products', {
      code,
      title,
      description,
      categoryId: leafId,
      attributes: {},
      specs: [{ key: 'size', values: ['M', 'L'] }],
      imageIds: [image.image.id],
      skus: [
        { code: `${code}-M`, specs: { size: 'M' }, price: 7900, listPrice: 9900, onHand: 10, weightGrams: 220 },
        { code: `${code}-L`, specs: { size: 'L' }, price: 8900, onHand: 5, weightGrams: 230 },
      ],
    });
    return (await merchant.ok<{ product: { status: string } }>('POST', `/api/v1/merchant/products/${product.id}/submit`)).product.status;
  }

  const queued = async (rule: string) => (await admin.ok<{ items: Task[] }>('GET', `/api/v1/admin/review/tasks?rule=${rule}`)).items;

  it('a reviewer tunes a rule, filters the queue, claims and rejects with a template, bulk-approves and reads the dashboard', async () => {
    // —— Rules: contact lures go to a person instead of being rejected outright ——
    const page = await web.openPage();
    await page.goto(url('/admin/review/rules'));
    await page.waitForURL(/\/login\?next=/);
    await page.locator('form').getByLabel('账号').fill(ADMIN.email);
    await page.locator('form').getByLabel('密码', { exact: true }).fill(ADMIN.password);
    await page.locator('form').getByRole('button', { name: '登录' }).click();
    await page.waitForURL(url('/admin/review/rules'));
    const lureRule = page.getByTestId('rule-contact_lure');
    await lureRule.getByRole('combobox', { name: '处理方式' }).click();
    await page.locator('.ant-select-dropdown:visible').getByText('人工', { exact: true }).click();
    await lureRule.getByRole('button', { name: '保存' }).click();
    await lureRule.locator('.ant-card-head').getByText('已自定义').waitFor();
    await lureRule.locator('.ant-card-head').getByText('人工', { exact: true }).waitFor();
    await lureRule.getByRole('button', { name: '变更历史' }).click();
    await page.getByTestId('rule-history').getByText('处理方式：拦截 → 人工').waitFor();
    await web.shot(page, 'review-admin-rule-history', false);
    await page.keyboard.press('Escape');
    await web.shot(page, 'review-admin-rules');

    // —— Reason templates: one more, written in the console ——
    await page.getByRole('tab', { name: '驳回原因模板' }).click();
    await page.locator('.ant-table-row', { hasText: TEMPLATE.title }).waitFor();
    await page.getByRole('button', { name: '添加模板' }).click();
    const editor = page.locator('.ant-modal').filter({ hasText: '添加模板' });
    await editor.getByLabel('名称').fill('标题堆砌');
    await editor.getByLabel('原因内容').fill('标题堆砌关键词，请只写与商品相关的词。');
    await editor.getByRole('button', { name: '保存' }).click();
    await page.locator('.ant-table-row', { hasText: '标题堆砌' }).getByText('标题堆砌关键词，请只写与商品相关的词。').waitFor();
    await web.shot(page, 'review-admin-templates');

    // —— The store submits: one clean listing goes on sale, four wait for a person ——
    expect(await submit(titles.clean, '<p>260g 重磅精梳棉，宽松版型。</p>', 0)).toBe('on_sale');
    expect(await submit(titles.duplicate, '<p>260g 重磅精梳棉，宽松版型。</p>', 1)).toBe('pending_review');
    for (const [i, title] of titles.lures.entries()) {
      expect(await submit(title, `<p>明前一级白茶，春茶现货。加微信 teashop${i}88 领取试饮装。</p>`, i + 2)).toBe('pending_review');
    }

    // —— The queue, filtered by rule ——
    await page.goto(url('/admin/review'));
    const rows = page.locator('.fm-review-queue .ant-table-tbody > tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
    await page.getByRole('combobox', { name: '命中规则' }).click();
    await page.locator('.ant-select-dropdown:visible').getByText('重复铺货', { exact: true }).click();
    await page.waitForURL(/rule=duplicate_listing/);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    const dupRow = rows.filter({ hasText: titles.duplicate });
    await dupRow.getByText('重复铺货').filter({ visible: true }).waitFor();
    await dupRow.getByText('未领取').waitFor();
    await web.shot(page, 'review-admin-queue-filtered');

    // —— The duplicate: its finding, a claim, a rejection with a template ——
    await dupRow.getByRole('button', { name: titles.duplicate }).click();
    const detail = page.getByTestId('review-detail');
    const finding = detail.getByTestId('review-finding').first();
    await finding.getByText('重复铺货').waitFor();
    await finding.getByText('商品标题').waitFor();
    expect(await finding.locator('mark').textContent()).toBe(titles.clean);
    await detail.getByText('领取后才能审核').waitFor();
    expect(await detail.getByRole('button', { name: '驳回' }).isDisabled()).toBe(true);
    expect(await detail.getByRole('button', { name: '通过' }).isDisabled()).toBe(true);
    await detail.getByTestId('claim-status').getByRole('button', { name: '领取' }).click();
    await detail.getByText(/你已领取，至/).waitFor();
    await detail.locator('.ant-table').getByText('¥79.00').waitFor(); // the SKUs with their prices
    await web.shot(page, 'review-admin-task-detail');
    await detail.getByRole('button', { name: '驳回' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '驳回商品' });
    await modal.getByLabel('原因模板').click();
    await page.locator('.ant-select-dropdown:visible').getByText(TEMPLATE.title, { exact: true }).click();
    await modal.getByText(TEMPLATE.body).waitFor(); // the template's text, as the merchant will read it
    await modal.getByLabel('补充说明').fill('第 2 张图有水印');
    await web.shot(page, 'review-admin-reject-modal', false);
    await modal.getByRole('button', { name: '驳回', exact: true }).click();
    const decision = detail.getByTestId('decision');
    await decision.getByText('已驳回').waitFor();
    await decision.getByText(`${TEMPLATE.body} 第 2 张图有水印`).waitFor();
    expect(await detail.getByRole('button', { name: '通过' }).count()).toBe(0);
    const product = await merchant.ok<{ product: { status: string; rejectionReason: string } }>('GET', `/api/v1/merchant/products/${(await productOf(titles.duplicate)).productId}`);
    expect(product.product).toMatchObject({ status: 'rejected', rejectionReason: `${TEMPLATE.body} 第 2 张图有水印` });
    await page.locator('.ant-drawer-close').click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(0);

    // —— The lures in bulk; a colleague claims one of them meanwhile ——
    await page.getByRole('combobox', { name: '命中规则' }).click();
    await page.locator('.ant-select-dropdown:visible').getByText('站外联系方式', { exact: true }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    const lureFinding = await queued('contact_lure');
    const taken = lureFinding.find((t) => t.title === titles.lures[0])!;
    await page.locator('.ant-table-thead').getByRole('checkbox').check();
    await page.getByTestId('bulk-bar').getByText('已选 3 项').waitFor();
    const colleague = await new Caller(server.url).logIn(COLLEAGUE.email, COLLEAGUE.password);
    await colleague.ok('POST', `/api/v1/admin/review/tasks/${taken.id}/claim`);
    await page.getByTestId('bulk-bar').getByRole('button', { name: '批量通过' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    const result = page.getByTestId('bulk-result');
    await result.getByText('已处理 2 个，失败 1 个').waitFor();
    await result.getByText(`${titles.lures[0]}：该任务已被其他审核员领取，请刷新`).waitFor();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    await rows.first().getByText('他人领取').waitFor();
    await web.shot(page, 'review-admin-queue-bulk');

    // A task claimed by a colleague: decisions stay disabled, the holder is named.
    await rows.first().getByRole('button', { name: titles.lures[0] }).click();
    await detail.getByText(/平台管理员 正在审核/).waitFor();
    expect(await detail.getByRole('button', { name: '通过' }).isDisabled()).toBe(true);
    await page.locator('.ant-drawer-close').click();

    // —— The dashboard: 5 submitted, 1 of 4 decisions automatic, the queue now ——
    await page.getByRole('tab', { name: '审核看板' }).click();
    await page.waitForURL(url('/admin/review/dashboard'));
    const dashboard = page.getByTestId('review-dashboard');
    await dashboard.getByTestId('automatic-share').getByText('已决定 4 个').waitFor();
    expect(await dashboard.getByTestId('automatic-share').locator('.ant-statistic-content').textContent()).toBe('25%');
    const timing = dashboard.getByTestId('decision-time');
    expect(await timing.locator('tr', { hasText: '自动审核' }).locator('td').first().textContent()).toBe('1');
    expect(await timing.locator('tr', { hasText: '人工审核' }).locator('td').first().textContent()).toBe('3');
    const top = dashboard.getByTestId('top-rules').locator('li');
    expect(await top.first().textContent()).toMatch(/^站外联系方式.*3$/);
    expect(await top.nth(1).textContent()).toMatch(/^重复铺货.*1$/);
    const queueNow = dashboard.getByTestId('queue-now');
    expect(await queueNow.locator('.ant-statistic', { hasText: '待审核' }).locator('.ant-statistic-content').textContent()).toBe('1');
    expect(await queueNow.locator('.ant-statistic', { hasText: '已领取' }).locator('.ant-statistic-content').textContent()).toBe('1');
    await web.shot(page, 'review-admin-dashboard');

    // In English on request.
    await switchLanguage(page, 'English');
    await dashboard.getByTestId('automatic-share').getByText('Decided automatically').waitFor();
    await dashboard.getByTestId('top-rules').getByText('Off-platform contact').waitFor();
    await page.getByRole('tab', { name: 'Review queue' }).click();
    await rows.first().getByText('Claimed by others').waitFor();
    await web.shot(page, 'review-admin-queue-en');
    await switchLanguage(page, '中文');

    // —— The queue on a phone ——
    const phone = await web.openPage({ ...PHONE, storageState: await page.context().storageState() });
    await phone.goto(url('/admin/review'));
    await phone.locator('.fm-review-queue .ant-table-tbody > tr.ant-table-row').filter({ hasText: titles.lures[0] }).waitFor();
    await expectNoSideways(phone);
    await web.shot(phone, 'review-admin-queue-phone');

    // —— Qualifications: the store's licence, its scan shown, approved until it expires ——
    const scan = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 255, g: 253, b: 247 } } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(scan)], { type: 'image/png' }), 'licence.png');
    const image = await merchant.ok<{ image: { id: string } }>('POST', '/api/v1/merchant/images', form);
    const expiresAt = new Date(Date.now() + 400 * 24 * 60 * 60 * 1000).toISOString();
    await merchant.ok('POST', '/api/v1/merchant/qualifications', { categoryId: leafId, name: '服装生产许可证', number: `SC-${stamp}`, imageIds: [image.image.id], expiresAt });
    await page.getByRole('tab', { name: '资质审核' }).click();
    const licence = page.locator('.ant-table-row', { hasText: `SC-${stamp}` });
    await licence.getByText('服装生产许可证').waitFor();
    await licence.locator('.fm-review-scans img').waitFor();
    await expect.poll(() => licence.locator('.fm-review-scans img').evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await licence.getByText('服装 / 上衣 / T恤').waitFor();
    await web.shot(page, 'review-admin-qualifications');
    await licence.getByRole('button', { name: '通过' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await licence.waitFor({ state: 'detached' });
    await page.locator('.ant-segmented').getByText('已通过', { exact: true }).click();
    await licence.getByText('已通过', { exact: true }).waitFor();
  });

  async function productOf(title: string): Promise<Task> {
    const closed = await admin.ok<{ items: Task[] }>('GET', '/api/v1/admin/review/tasks?state=rejected');
    return closed.items.find((t) => t.title === title)!;
  }
});
