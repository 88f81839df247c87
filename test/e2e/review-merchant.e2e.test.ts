// The merchant's side of product review in the browser (issue 4): the automatic rules reject a
// listing and the editor shows each reason with the offending text; the merchant fixes the title,
// resubmits and it goes on sale; a change of the listed product is reviewed while the approved
// version stays on sale, and is withdrawn. Then 商家审核: the owner requires approval of staff
// submissions, sends one back with a reason and approves the fixed one. Last, 资质: a licence is
// uploaded, rejected with a reason, uploaded again and approved.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../helpers/factories.js';
import { startTestServer } from '../helpers/server.js';
import { expectNoSideways, PHONE, privateWebBuild, shot, skipBrowserTests, useBrowser } from './browser.js';

const ADMIN = { email: 'admin@test.local', password: 'admin-pass-123' };

/** A letters-only stamp: digits could read as a phone number or a QQ id to the contact rule. */
const stamp = () =>
  Array.from({ length: 6 }, () => 'abcdefgh'[Math.floor(Math.random() * 8)]).join('');

function photo(color: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="#f4f1ec"/>
    <rect x="150" y="150" width="300" height="300" rx="40" fill="${color}"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A licence scan: a framed document with a few lines. */
function licence(): Promise<Buffer> {
  const lines = [0, 1, 2, 3, 4].map((i) => `<rect x="90" y="${200 + i * 50}" width="${420 - i * 40}" height="14" fill="#c9c2b4"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="600" height="800" fill="#fffdf7"/>
    <rect x="40" y="40" width="520" height="720" fill="none" stroke="#b8860b" stroke-width="8"/>
    <rect x="180" y="100" width="240" height="40" fill="#8b0000"/>${lines}<circle cx="450" cy="640" r="60" fill="none" stroke="#c00" stroke-width="6"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe.skipIf(skipBrowserTests)('the merchant side of product review in the browser', { timeout: 300_000 }, () => {
  const web = useBrowser('review-merchant');
  let server: { url: string; close(): Promise<void> };
  let admin: Page;
  let webBuild: ReturnType<typeof privateWebBuild> | undefined;

  const url = (pathname: string) => new URL(pathname, server.url).href;
  async function call<T = Record<string, { id: string }>>(page: Page, method: 'POST' | 'PUT' | 'PATCH', pathname: string, data: unknown = {}): Promise<T> {
    const response = await page.request.fetch(url(pathname), { method, data, headers: { origin: server.url } });
    expect(response.ok(), `${method} ${pathname}: ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  }
  const setSpotCheck = (share: number) =>
    call(admin, 'PUT', '/api/v1/admin/review/rules/spot_check', { enabled: share > 0, severity: 'review', params: { share } });

  /** A user with a session in a fresh desktop context. */
  async function signUp(email: string, name: string): Promise<Page> {
    const page = await web.openPage();
    await call(page, 'POST', '/api/v1/auth/register', { email, password: 'seller-pass-1', name });
    return page;
  }

  /** A new user whose store the admin approved, with a leaf category to list in. */
  async function openStore(s: string) {
    const page = await signUp(`owner.${s}@test.local`, `店主${s}`);
    await call(page, 'POST', '/api/v1/merchant/application', {
      name: `棉舍${s}`,
      contactName: '陈棉',
      contactMobile: '13812345678',
      contactEmail: `owner.${s}@test.local`,
      creditCode: makeCreditCode(),
    });
    const applied = await (await admin.request.get(url(`/api/v1/admin/merchants?state=applied&q=${encodeURIComponent(`棉舍${s}`)}`))).json();
    await call(admin, 'POST', `/api/v1/admin/merchants/${(applied as { items: { id: string }[] }).items[0]!.id}/approve`);
    const root = (await call(admin, 'POST', '/api/v1/admin/categories', { nameZh: `服装${s}`, nameEn: `Clothing ${s}` })).category!.id;
    const leaf = (await call(admin, 'POST', '/api/v1/admin/categories', { parentId: root, nameZh: 'T恤', nameEn: 'T-shirts' })).category!.id;
    return { page, root, leaf, storeName: `棉舍${s}` };
  }

  async function createProduct(page: Page, categoryId: string, title: string, code: string) {
    const upload = await page.request.post(url('/api/v1/merchant/images'), {
      headers: { origin: server.url },
      multipart: { file: { name: 'tee.png', mimeType: 'image/png', buffer: await photo('#3d6e9e') } },
    });
    expect(upload.status()).toBe(201);
    const imageId = ((await upload.json()) as { image: { id: string } }).image.id;
    const created = await call(page, 'POST', '/api/v1/merchant/products', {
      title,
      categoryId,
      description: '<p>200g 精梳棉，机洗不变形。</p>',
      imageIds: [imageId],
      skus: [{ code, price: 7990, listPrice: 9900, weightGrams: 220, onHand: 50 }],
    });
    return created.product!.id;
  }

  const panel = (page: Page) => page.getByTestId('review-panel');
  const statusTag = (page: Page, text: string) => page.locator('.fm-page-head').getByText(text, { exact: true });

  beforeAll(async () => {
    // A private copy of the web build: another run in the shared tree may rebuild dist/web meanwhile.
    webBuild = privateWebBuild();
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, WEB_DIST: webBuild.dir } });
    admin = await web.openPage();
    await call(admin, 'POST', '/api/v1/auth/login', { login: ADMIN.email, password: ADMIN.password });
  });

  afterAll(async () => {
    await server?.close();
    webBuild?.remove();
  });

  it('shows why the rules rejected a listing, with the offending text; fixed and resubmitted, it goes on sale; a change is reviewed while the listing stays on sale', async () => {
    const s = stamp();
    const { page, leaf } = await openStore(s);
    const badTitle = `全网最好的纯棉T恤 加微信 cotton_${s}`;
    const productId = await createProduct(page, leaf, badTitle, `TEE-${s}`);

    // A draft has no review yet: no panel.
    await page.goto(url(`/merchant/products/${productId}`));
    await statusTag(page, '草稿').waitFor();
    expect(await panel(page).count()).toBe(0);

    await page.getByRole('button', { name: '提交审核' }).click();
    await statusTag(page, '未通过').waitFor();
    const status = page.getByTestId('review-status');
    await status.getByText('自动审核未通过').waitFor();
    // Each reason: the rule, where, and the offending text marked inside the title as written.
    const findings = status.getByTestId('review-finding');
    await expect.poll(() => findings.count()).toBe(2);
    const absolute = findings.filter({ hasText: '广告法极限词' });
    await absolute.getByText('位置：商品标题').waitFor();
    expect(await absolute.locator('mark').innerText()).toBe('最');
    expect(await absolute.locator('.fm-evidence').innerText()).toBe(badTitle);
    // The rule's note in the page's language, not the server's English sentence.
    await absolute.getByText('审核说明：命中词「最」').waitFor();
    const contact = findings.filter({ hasText: '站外联系方式' });
    expect(await contact.locator('mark').innerText()).toContain(`cotton_${s}`);
    await contact.getByText('不能在商品信息中留手机号、微信、QQ、网址等站外联系方式，请删除。').waitFor();
    // The rules' long reason string is not repeated: their findings are the reason.
    expect(await page.getByTestId('rejection-reason').count()).toBe(0);
    await web.shot(page, 'review-merchant-rejected');

    const phone = await web.openPage({ ...PHONE, storageState: await page.context().storageState() });
    await phone.goto(url(`/merchant/products/${productId}`));
    await phone.getByTestId('review-status').getByText('自动审核未通过').waitFor();
    await expectNoSideways(phone);
    await shot(phone, 'review-merchant-rejected-phone');
    await phone.context().close();

    // 去修改 takes the merchant to the title; the fixed title goes through the rules at once.
    await absolute.getByRole('button', { name: '去修改' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('title');
    const goodTitle = `新疆长绒棉纯棉T恤 ${s}`;
    await page.getByLabel('商品标题').fill(goodTitle);
    await page.getByRole('button', { name: '重新提交审核' }).click();
    await statusTag(page, '在售').waitFor();
    await status.getByText('审核已通过').waitFor();
    await status.getByText(/自动审核于 .+ 通过，商品已上架。/).waitFor();

    // The history: the approval on top, the rejection below with its findings, each with who and when.
    await panel(page).getByText('审核记录（2）').click();
    const entries = panel(page).getByTestId('review-entry');
    await expect.poll(() => entries.count()).toBe(2);
    await entries.nth(0).getByText('已通过').waitFor();
    await entries.nth(0).getByText(goodTitle).waitFor();
    await entries.nth(1).getByText('未通过').waitFor();
    await entries.nth(1).getByText(/^自动审核 · /).waitFor();
    expect(await entries.nth(1).getByTestId('review-finding').count()).toBe(2);
    await web.shot(page, 'review-merchant-approved-history');

    // A change of the listed product is a revision: a person checks it (spot check on) while the
    // approved version stays on sale; the merchant withdraws it.
    await setSpotCheck(1);
    try {
      await page.getByLabel('商品标题').fill(`${goodTitle} 2026 新款`);
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await status.getByText('修改审核中，已上架的版本继续销售').waitFor();
      await status.getByTestId('revision-changes').getByText('本次修改：商品标题').waitFor();
      await status.getByText(`修改后的标题：${goodTitle} 2026 新款`).waitFor();
      await statusTag(page, '在售').waitFor();
      expect(await page.getByLabel('商品标题').isDisabled()).toBe(true);
      await web.shot(page, 'review-merchant-revision-pending');
      await status.getByRole('button', { name: '撤回修改' }).click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: '撤回修改' }).click();
      await status.getByText('审核已通过').waitFor();
      expect(await page.getByLabel('商品标题').isDisabled()).toBe(false);
      expect(await page.getByLabel('商品标题').inputValue()).toBe(goodTitle); // the form shows the approved version again
      await panel(page).getByText('审核记录（3）').waitFor();
      await entries.nth(0).getByText('已撤回').waitFor();
      await entries.nth(0).getByText(/^商家撤回 · /).waitFor();
    } finally {
      await setSpotCheck(0);
    }

    // In English on request.
    await page.evaluate(() => localStorage.setItem('flowmart.lang', 'en'));
    await page.goto(url(`/merchant/products/${productId}`));
    await page.getByTestId('review-status').getByText('Approved', { exact: true }).waitFor();
    await panel(page).getByText('Review history (3)').click();
    await panel(page).getByText('Absolute claims (advertising law)').first().waitFor();
    await web.shot(page, 'review-merchant-history-en');
    await page.evaluate(() => localStorage.removeItem('flowmart.lang'));
    await page.context().close();
  });

  it("lets the owner require approval of staff submissions, send one back with a reason and approve the fix; staff don't get the owner's controls", async () => {
    const s = stamp();
    const { page: owner, leaf } = await openStore(s);

    await owner.goto(url('/merchant/review'));
    await owner.getByTestId('owner-approval-state').getByText('未开启').waitFor();
    await owner.getByRole('switch', { name: '员工提交的商品需店主审核' }).click();
    await owner.getByTestId('owner-approval-state').getByText('已开启').waitFor();
    await owner.getByText('没有等待审核的员工提交').waitFor();

    // An operator joins and submits a product: it waits for the owner, not the platform.
    const staff = await signUp(`staff.${s}@test.local`, `运营${s}`);
    await call(owner, 'POST', '/api/v1/merchant/staff', { login: `staff.${s}@test.local` });
    const title = `精梳棉短袖T恤 ${s}`;
    const productId = await createProduct(staff, leaf, title, `STAFF-${s}`);
    await staff.goto(url(`/merchant/products/${productId}`));
    await staff.getByRole('button', { name: '提交审核' }).click();
    await statusTag(staff, '审核中').waitFor();
    await staff.getByTestId('review-status').getByText('等待店主审核').waitFor();

    // Staff see neither the 商家审核 entry nor its controls.
    await staff.goto(url('/merchant'));
    await staff.locator('.ant-menu').getByText('资质').waitFor();
    expect(await staff.locator('.ant-menu').getByText('商家审核').count()).toBe(0);
    await staff.goto(url('/merchant/review'));
    await staff.getByText('只有店主可以修改审核设置、审核员工提交的商品。').waitFor();
    expect(await staff.getByRole('switch').isDisabled()).toBe(true);
    expect(await staff.getByText('待店主审核', { exact: true }).count()).toBe(0);

    // The owner's overview says a submission waits; the owner opens it and sends it back with a reason.
    await owner.goto(url('/merchant'));
    await owner.getByTestId('owner-queue-notice').getByText('有 1 件员工提交的商品等待你审核').waitFor();
    await owner.getByTestId('owner-queue-notice').getByRole('link', { name: '去审核' }).click();
    await owner.waitForURL(url('/merchant/review'));
    const row = owner.locator('.ant-table-row', { hasText: title });
    await row.getByText(`商品上架 · 运营${s} 提交`).waitFor();
    await row.getByText(title).click();
    const drawer = owner.getByTestId('submission-detail');
    await drawer.getByText('79.90').first().waitFor();
    await drawer.getByText('自动审核没有发现问题').waitFor();
    await drawer.getByRole('cell', { name: `运营${s}`, exact: true }).waitFor(); // who sent it
    await web.shot(owner, 'review-merchant-owner-detail', false);
    await owner.locator('.ant-drawer').getByRole('button', { name: '退回' }).click();
    const modal = owner.locator('.ant-modal');
    await modal.getByLabel('退回原因').fill('标题请写明克重：200g');
    await modal.getByRole('button', { name: '退回' }).click();
    await row.waitFor({ state: 'detached' });

    // The operator sees the owner's reason, fixes the title and resubmits.
    await staff.goto(url(`/merchant/products/${productId}`));
    const status = staff.getByTestId('review-status');
    await status.getByText('店主退回了这次提交').waitFor();
    await status.getByTestId('rejection-reason').getByText('原因：标题请写明克重：200g。修改后可重新提交审核。').waitFor();
    await web.shot(staff, 'review-merchant-owner-sent-back');
    await staff.getByLabel('商品标题').fill(`${title} 200g`);
    await staff.getByRole('button', { name: '重新提交审核' }).click();
    await status.getByText('等待店主审核').waitFor();

    // The owner approves: the rules pass it and it goes on sale.
    await owner.reload();
    const again = owner.locator('.ant-table-row', { hasText: `${title} 200g` });
    await again.waitFor();
    await web.shot(owner, 'review-merchant-owner-queue');
    const phone = await web.openPage({ ...PHONE, storageState: await owner.context().storageState() });
    await phone.goto(url('/merchant/review'));
    await phone.locator('.ant-table-row', { hasText: `${title} 200g` }).getByText(`${title} 200g`).click();
    await phone.getByTestId('submission-detail').getByText('自动审核没有发现问题').waitFor();
    await shot(phone, 'review-merchant-owner-detail-phone', false);
    await phone.locator('.ant-drawer-close').click();
    await phone.getByTestId('submission-detail').waitFor({ state: 'detached' });
    await expectNoSideways(phone);
    await shot(phone, 'review-merchant-owner-queue-phone');
    await phone.context().close();
    await again.getByRole('button', { name: '通过' }).click();
    await owner.locator('.ant-popconfirm').getByRole('button', { name: '通过' }).click();
    await again.waitFor({ state: 'detached' });

    await staff.reload();
    await statusTag(staff, '在售').waitFor();
    await staff.getByTestId('review-panel').getByText('审核记录（2）').click();
    const entries = staff.getByTestId('review-entry');
    await entries.nth(0).getByText(/^自动审核 · /).waitFor();
    await entries.nth(1).getByText(/^店主 · /).waitFor();
    await entries.nth(1).getByText('原因：标题请写明克重：200g').waitFor();
    await staff.context().close();
    await owner.context().close();
  });

  it('uploads a qualification for a regulated category and shows its state and the reason', async () => {
    const s = stamp();
    const { page, root } = await openStore(s);
    const upload = async (number: string) => {
      await page.getByRole('button', { name: '上传资质' }).click();
      const modal = page.locator('.ant-modal');
      await modal.getByLabel('适用类目').click();
      await page.locator('.ant-cascader-menu-item', { hasText: `服装${s}` }).click();
      await page.keyboard.press('Escape');
      await modal.getByLabel('资质名称').fill('食品经营许可证');
      await modal.getByLabel('证书编号').fill(number);
      await modal.getByLabel('有效期至').click();
      await modal.getByLabel('有效期至').fill('2031-06-30');
      await page.keyboard.press('Enter');
      await modal.locator('input[type=file]').setInputFiles({ name: 'licence.png', mimeType: 'image/png', buffer: await licence() });
      await modal.locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)').first().waitFor();
      await expect.poll(() => modal.locator('.ant-upload-list-item-uploading').count(), { timeout: 20_000 }).toBe(0);
      return modal;
    };

    await page.goto(url('/merchant/qualifications'));
    await page.getByText('还没有上传资质').waitFor();
    const modal = await upload('JY0000000000001');
    await web.shot(page, 'review-merchant-qualification-form', false);
    await modal.getByRole('button', { name: '提交审核' }).click();
    const first = page.locator('.ant-table-row', { hasText: 'JY0000000000001' });
    await first.getByText('待平台审核').waitFor();
    await first.getByRole('cell', { name: `服装${s}` }).waitFor();

    // The admin rejects it with a reason; the merchant sees both, uploads again, and it is approved.
    const pending = await (await admin.request.get(url('/api/v1/admin/review/qualifications?state=pending'))).json();
    const mine = (pending as { items: { id: string; categoryId: string }[] }).items.find((q) => q.categoryId === root)!;
    await call(admin, 'POST', `/api/v1/admin/review/qualifications/${mine.id}/reject`, { reason: '证件照片模糊，请上传清晰的原件照片' });
    await page.reload();
    await first.getByText('未通过').waitFor();
    await first.getByText('原因：证件照片模糊，请上传清晰的原件照片').waitFor();

    await (await upload('JY0000000000002')).getByRole('button', { name: '提交审核' }).click();
    const second = page.locator('.ant-table-row', { hasText: 'JY0000000000002' });
    await second.getByText('待平台审核').waitFor();
    const again = await (await admin.request.get(url('/api/v1/admin/review/qualifications?state=pending'))).json();
    const next = (again as { items: { id: string; categoryId: string }[] }).items.find((q) => q.categoryId === root)!;
    await call(admin, 'POST', `/api/v1/admin/review/qualifications/${next.id}/approve`);
    await page.reload();
    await second.getByText('有效', { exact: true }).waitFor();
    // The scan shows as a thumbnail that has loaded.
    await expect.poll(() => second.locator('.fm-qualification-scans img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await web.shot(page, 'review-merchant-qualifications');

    const phone = await web.openPage({ ...PHONE, storageState: await page.context().storageState() });
    await phone.goto(url('/merchant/qualifications'));
    await phone.locator('.ant-table-row', { hasText: 'JY0000000000002' }).waitFor();
    await expectNoSideways(phone);
    await shot(phone, 'review-merchant-qualifications-phone');
    await phone.context().close();
    await page.context().close();
  });
});
