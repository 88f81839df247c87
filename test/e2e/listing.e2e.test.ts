// The listing flow (商品上架) in the browser: a new user applies for a store, the admin approves, the
// merchant lists a product with a 2×2 SKU matrix and an image, submits it, the admin approves it,
// and it is on sale. Along the way every console page is shown and photographed.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../helpers/factories.js';
import { startTestServer } from '../helpers/server.js';
import { DESKTOP, PHONE, privateWebBuild, shot, skipBrowserTests, useBrowser } from './browser.js';

const ADMIN = { email: 'admin@test.local', password: 'admin-pass-123' };

/** A product photo: a T-shirt on a soft background, as a PNG. */
function productPng(color: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800">
    <rect width="800" height="800" fill="#f4f1ec"/>
    <path d="M290 170 L200 215 L120 330 L210 385 L250 330 L250 650 L550 650 L550 330 L590 385 L680 330 L600 215 L510 170
             C495 215 455 240 400 240 C345 240 305 215 290 170 Z" fill="${color}" stroke="rgba(0,0,0,0.12)" stroke-width="6"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe.skipIf(skipBrowserTests)('listing flow in the browser', { timeout: 300_000 }, () => {
  const web = useBrowser('listing');
  let server: { url: string; close(): Promise<void> };
  let webBuild: ReturnType<typeof privateWebBuild> | undefined;

  beforeAll(async () => {
    webBuild = privateWebBuild();
    server = await startTestServer({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, WEB_DIST: webBuild.dir } });
    await sendEverySubmissionToManualReview(server.url);
  });

  afterAll(async () => {
    await server?.close();
    webBuild?.remove();
  });

  const openPage = (options?: Parameters<typeof web.openPage>[0]) => web.openPage(options);
  const url = (pathname: string) => new URL(pathname, server.url).href;
  /** antd's toast, then gone, so the next screenshot is clean. */
  const toast = async (page: Page, text: string) => {
    await page.locator('.ant-message').getByText(text).first().waitFor();
  };

  async function logIn(page: Page, login: string, password: string) {
    const form = page.locator('form');
    await form.getByLabel('账号').fill(login);
    await form.getByLabel('密码', { exact: true }).fill(password);
    await form.getByRole('button', { name: '登录' }).click();
  }

  /** 服装 › 上衣 › T恤 with colour and size specs and a required material, through the admin API. */
  async function makeCategories(admin: Page): Promise<void> {
    const create = async (data: Record<string, unknown>) => {
      const response = await admin.request.post(url('/api/v1/admin/categories'), { data });
      expect(response.status()).toBe(201);
      return ((await response.json()) as { category: { id: string } }).category.id;
    };
    const root = await create({ nameZh: '服装', nameEn: 'Clothing', sortOrder: 10 });
    await create({ nameZh: '数码', nameEn: 'Digital', sortOrder: 20 });
    const tops = await create({ parentId: root, nameZh: '上衣', nameEn: 'Tops', sortOrder: 10 });
    await create({
      parentId: tops,
      nameZh: 'T恤',
      nameEn: 'T-shirts',
      sortOrder: 10,
      attributes: [
        { key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' },
        { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', options: ['S', 'M', 'L', 'XL'] },
        { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
      ],
    });
    await create({ parentId: tops, nameZh: '衬衫', nameEn: 'Shirts', sortOrder: 20 });
  }

  it('a new seller opens a store, lists a 2×2 product with an image, and it goes on sale after review', async () => {
    const stamp = Date.now().toString(36);
    const seller = { email: `seller.${stamp}@test.local`, password: 'seller-pass-1', name: '陈小店' };
    const storeName = `山野茶铺${stamp}`;
    const title = `纯棉圆领短袖T恤 ${stamp}`;

    // —— The admin sets up the category tree ——
    const admin = await openPage();
    await admin.goto(url('/admin/categories'));
    await admin.waitForURL(/\/login\?next=/);
    await logIn(admin, ADMIN.email, ADMIN.password);
    await admin.waitForURL(url('/admin/categories'));
    await makeCategories(admin);
    await admin.reload();
    await admin.locator('.ant-tree').getByText('T恤', { exact: true }).click();
    await admin.getByRole('button', { name: '添加规格 / 属性' }).waitFor();
    await admin.locator('.fm-category-path').getByText('上衣').waitFor();
    await shot(admin, 'admin-categories');

    // A subcategory through the tree editor, with a spec and a required attribute.
    await admin.locator('.ant-tree').getByText('数码', { exact: true }).click();
    await admin.getByRole('button', { name: '添加子类目' }).click();
    const addModal = admin.locator('.ant-modal');
    await addModal.getByLabel('中文名').fill('手机');
    await addModal.getByLabel('英文名').fill('Phones');
    await addModal.getByRole('button', { name: '创建' }).click();
    await toast(admin, '类目已创建');
    await admin.locator('.fm-category-path').getByText('手机').waitFor();
    for (const [i, row] of [
      ['capacity', '容量', 'Capacity', null],
      ['brand_origin', '产地', 'Origin', '属性'],
    ].entries()) {
      await admin.getByRole('button', { name: '添加规格 / 属性' }).click();
      const cells = admin.locator('.ant-table-row').nth(i);
      await cells.getByLabel('键').fill(row[0]!);
      await cells.getByLabel('中文名').fill(row[1]!);
      await cells.getByLabel('英文名').fill(row[2]!);
      if (row[3]) {
        await cells.getByLabel('类型').click();
        await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: row[3] }).click();
        await cells.getByLabel('必填').check();
      }
    }
    await admin.getByRole('button', { name: 'save 保存' }).click();
    await toast(admin, '已保存');
    await admin.locator('.ant-tree').getByText('2 个属性').waitFor();

    // Deleting a category that still has subcategories is refused, and the page says why.
    await admin.locator('.ant-tree').getByText('服装', { exact: true }).click();
    await admin.getByRole('button', { name: '删除' }).click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: '删除' }).click();
    await admin.getByRole('alert').getByText('该类目下还有子类目或商品，不能删除').waitFor();

    // —— A shopper registers and applies for a store ——
    const page = await openPage();
    await page.goto(url('/register'));
    const register = page.locator('form');
    await register.getByLabel('邮箱', { exact: true }).fill(seller.email);
    await register.getByLabel('密码', { exact: true }).fill(seller.password);
    await register.getByLabel(/昵称/).fill(seller.name);
    await register.getByRole('button', { name: '注册' }).click();
    await page.waitForURL(url('/account'));

    await page.goto(url('/merchant/apply'));
    const apply = page.locator('form');
    await apply.getByLabel('店铺名称').fill(storeName);
    await apply.getByLabel('统一社会信用代码').fill('91350100M000100Y4X'); // wrong check character
    await apply.getByLabel('联系人').fill('陈小店');
    await apply.getByLabel('联系手机').fill('13812345678');
    await apply.getByLabel(/店铺简介/).fill('武夷山岩茶与棉麻服饰，产地直发。');
    expect(await apply.getByLabel('联系邮箱').inputValue()).toBe(seller.email); // filled from the account
    await apply.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('统一社会信用代码无效，请核对营业执照').waitFor();
    await shot(page, 'merchant-apply-form');
    await apply.getByLabel('统一社会信用代码').fill(makeCreditCode());
    await apply.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('申请审核中').waitFor();
    await shot(page, 'merchant-apply-pending');

    // —— The admin approves the application ——
    await admin.goto(url('/admin/merchants'));
    const application = admin.locator('.ant-table-row', { hasText: storeName });
    await application.waitFor();
    await shot(admin, 'admin-merchants');
    await application.getByRole('button', { name: '通过' }).click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(admin, '已通过，申请人已成为店主');
    await admin.getByRole('tab', { name: '店铺' }).click();
    await admin.locator('.ant-table-row', { hasText: storeName }).getByText('营业中').waitFor();

    // —— The seller's store is open ——
    await page.reload();
    await page.getByText(`恭喜，「${storeName}」已开店`).waitFor();
    await shot(page, 'merchant-apply-approved');
    await page.getByTestId('go-console').click();
    await page.waitForURL(url('/merchant'));
    await page.locator('.fm-store-card').getByText(storeName).waitFor();
    await shot(page, 'merchant-overview');

    // —— A product with 颜色 × 尺码 = 2×2 SKUs and an image ——
    await page.goto(url('/merchant/products/new'));
    await page.getByLabel('商品标题').fill(title);
    await page.getByLabel('副标题').fill('新疆长绒棉，透气不变形');
    await page.getByLabel('品牌').fill('棉舍');
    await page.getByLabel('商品类目').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '服装' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '上衣' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'T恤' }).click();
    await page.getByLabel('材质').fill('棉 100%');

    await page.getByTestId('image-gallery').locator('input[type=file]').setInputFiles([
      { name: 'tee-white.png', mimeType: 'image/png', buffer: await productPng('#ffffff') },
      { name: 'tee-black.png', mimeType: 'image/png', buffer: await productPng('#2b2b2b') },
    ]);
    await expect.poll(() => page.locator('.fm-image-tile img').count(), { timeout: 20_000 }).toBe(2);
    // Drag the second image onto the first: it becomes the main image.
    const firstSrc = await page.locator('.fm-image-tile img').nth(0).getAttribute('src');
    await page.locator('.fm-image-tile').nth(1).dragTo(page.locator('.fm-image-tile').nth(0));
    await expect.poll(() => page.locator('.fm-image-tile img').nth(1).getAttribute('src')).toBe(firstSrc);
    // One image is enough for this product: remove the other.
    await page.locator('.fm-image-tile').nth(1).getByRole('button', { name: '删除图片' }).click();
    await expect.poll(() => page.locator('.fm-image-tile img').count()).toBe(1);

    await page.getByRole('button', { name: /添加规格项/ }).click();
    const colour = page.getByTestId('spec-dim-0').locator('.fm-spec-values');
    await colour.click();
    await page.keyboard.type('白色');
    await page.keyboard.press('Enter');
    await page.keyboard.type('黑色');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /添加规格项/ }).click();
    await page.getByTestId('spec-dim-1').locator('.fm-spec-values').click();
    await page.locator('.ant-select-item-option', { hasText: /^XL$/ }).waitFor(); // 尺码 offers S M L XL
    for (const size of ['M', 'L']) {
      await page.keyboard.type(size);
      await page.locator('.ant-select-item-option-active', { hasText: new RegExp(`^${size}$`) }).waitFor();
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.fm-sku-table .ant-table-row').count()).toBe(4);

    const batch = page.locator('.fm-batch-fill');
    await batch.getByPlaceholder('售价（元）').fill('79.9');
    await batch.getByPlaceholder('划线价（元）').fill('99');
    await batch.getByPlaceholder('库存').fill('120');
    await batch.getByPlaceholder('重量（克）').fill('220');
    await batch.getByRole('button', { name: '填充' }).click();
    await page.getByLabel('商品编码').fill(`TEE-${stamp}`);
    await batch.getByRole('button', { name: '生成编码' }).click();
    await page.locator('textarea.fm-mono').fill('<p>200g 精梳棉，<strong>机洗不变形</strong>。</p>');
    await page.getByRole('tab', { name: '预览' }).click();
    await page.frameLocator('.fm-html-preview').getByText('机洗不变形').waitFor();
    await shot(page, 'merchant-product-editor');

    await page.getByRole('button', { name: '提交审核' }).click();
    await page.waitForURL(/\/merchant\/products\/prd_[0-9A-Z]{26}$/);
    await page.locator('.fm-page-head').getByText('审核中').waitFor();
    const productId = page.url().split('/').pop()!;

    // —— The admin reviews and approves ——
    await admin.goto(url('/admin/review'));
    await admin.locator('.fm-review-queue .ant-table-row', { hasText: title }).getByRole('button', { name: title }).click();
    const detail = admin.getByTestId('review-detail');
    await detail.getByText(storeName).waitFor();
    expect(await detail.locator('.ant-table-row').count()).toBe(4);
    await detail.getByText('¥79.90').first().waitFor();
    await detail.getByTestId('claim-status').getByRole('button', { name: '领取' }).click();
    await detail.getByText(/你已领取/).waitFor();
    await shot(admin, 'admin-review', false);
    await detail.getByRole('button', { name: '通过' }).click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await detail.getByTestId('decision').getByText('已通过').waitFor();

    // —— On sale: the public product answers, with its 4 SKUs at 79.90 元 ——
    const onSale = await page.evaluate(async (id) => {
      const response = await fetch(`/api/v1/products/${id}`);
      const body = (await response.json()) as { product: { title: string; skus: { price: number }[]; images: unknown[] } };
      return { status: response.status, title: body.product.title, prices: body.product.skus.map((s) => s.price), images: body.product.images.length };
    }, productId);
    expect(onSale).toEqual({ status: 200, title, prices: [7990, 7990, 7990, 7990], images: 1 });

    await page.goto(url('/merchant/products'));
    await page.locator('.ant-table-row', { hasText: title }).getByText('在售').waitFor();
    await page.getByPlaceholder('搜索商品标题或 SKU 编码').fill(`TEE-${stamp}-02`);
    await page.getByPlaceholder('搜索商品标题或 SKU 编码').press('Enter');
    await page.waitForURL(/q=TEE-/);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
    await page.getByRole('tab', { name: '全部' }).click();
    await page.goto(url('/merchant/products'));
    await page.locator('.ant-table-row', { hasText: title }).waitFor();
    await shot(page, 'merchant-products');

    // —— Stock: add 30 to the first SKU, with a reason, and see it in the history ——
    await page.goto(url(`/merchant/stock?product=${productId}`));
    const firstSku = page.locator('.ant-table-row').first();
    await firstSku.getByText('白色 / M').waitFor(); // in the product's dimension order
    await shot(page, 'merchant-stock');
    await firstSku.getByRole('button', { name: '调整' }).click();
    const adjust = page.locator('.ant-modal');
    await adjust.getByLabel('数量').fill('30');
    await adjust.getByLabel('原因').fill('到货入库');
    await adjust.getByRole('button', { name: '确定' }).click();
    await toast(page, '库存已更新');
    await firstSku.getByText('150').first().waitFor();
    await firstSku.getByRole('button', { name: /记录/ }).click();
    await page.locator('.ant-drawer').getByText('到货入库').waitFor();
    await shot(page, 'merchant-stock-history', false);
    await page.keyboard.press('Escape');

    // —— Staff, API keys, store settings ——
    await page.goto(url('/merchant/staff'));
    await page.locator('.ant-table-row', { hasText: seller.name }).getByText('店主').waitFor();
    await page.getByPlaceholder('员工的邮箱或手机号').fill('nobody@test.local');
    await page.getByRole('button', { name: '添加' }).click();
    await page.getByText('没有使用该邮箱或手机号的账号，请让对方先注册').waitFor();
    await shot(page, 'merchant-staff');

    await page.goto(url('/merchant/api-keys'));
    await page.getByRole('button', { name: '创建密钥' }).click();
    await page.locator('.ant-modal').getByLabel('名称').fill('ERP 同步');
    await page.locator('.ant-modal').getByRole('button', { name: '创建' }).click();
    const secret = await page.getByTestId('api-key-secret').innerText();
    expect(secret).toMatch(/^fmk_/);
    await shot(page, 'merchant-api-key-created', false);
    await page.getByRole('button', { name: '我已保存' }).click();
    await page.locator('.ant-table-row', { hasText: 'ERP 同步' }).getByText('从未使用').waitFor();
    // The key works on the API, which the list then shows as used.
    const viaKey = await page.evaluate(
      async (key) => (await fetch('/api/v1/merchant/products', { headers: { Authorization: `Bearer ${key}` } })).status,
      secret.trim(),
    );
    expect(viaKey).toBe(200);
    await page.reload();
    const keyRow = page.locator('.ant-table-row', { hasText: 'ERP 同步' });
    await keyRow.waitFor();
    expect(await keyRow.textContent()).not.toContain('从未使用');
    await shot(page, 'merchant-api-keys');

    await page.goto(url('/merchant/settings'));
    await page.getByLabel('店铺名称').waitFor();
    expect(await page.getByLabel('店铺名称').inputValue()).toBe(storeName);
    await page.getByLabel(/店铺简介/).fill('武夷山岩茶与棉麻服饰，产地直发，48 小时内发货。');
    await page.getByRole('button', { name: '保存' }).click();
    await toast(page, '已保存');
    await shot(page, 'merchant-settings');

    // —— CSV import: one good product (2 SKUs), one with a bad price ——
    await page.goto(url('/merchant/import'));
    const csv = [
      'product_code,title,category,attributes,image_ids,sku_code,sku_specs,price,stock,weight_g',
      `POLO-${stamp},POLO 衫 ${stamp},服装 / 上衣 / T恤,material=棉,,POLO-${stamp}-W,color=白色;size=M,129,10,250`,
      `POLO-${stamp},,,,,POLO-${stamp}-B,color=黑色;size=M,129,10,250`,
      `BAD-${stamp},坏数据 ${stamp},服装 / 上衣 / T恤,,,BAD-${stamp}-1,color=白色,十块,1,100`,
    ].join('\n');
    await page.locator('.ant-upload-drag input[type=file]').setInputFiles({
      name: 'products.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.locator('.fm-import-summary').getByText('有问题的行').waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.getByText('新建 2').waitFor(); // both rows of the good product
    await summary.getByText('失败 1').waitFor();
    await page.getByText('price 不是有效金额（最多两位小数）').waitFor();
    await shot(page, 'merchant-import');
    await page.goto(url('/merchant/products?status=draft'));
    await page.locator('.ant-table-row', { hasText: `POLO 衫 ${stamp}` }).waitFor();

    // —— The editor in English ——
    await page.evaluate(() => localStorage.setItem('flowmart.lang', 'en'));
    await page.goto(url(`/merchant/products/${productId}`));
    await page.getByText('Specs and prices').waitFor();
    await shot(page, 'merchant-product-editor-en');
    await page.evaluate(() => localStorage.removeItem('flowmart.lang'));

    // —— The same seller on a phone ——
    const phone = await openPage({ ...PHONE, storageState: await page.context().storageState() });
    await page.context().close();
    const noSideways = async () => (await phone.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.viewport.width;
    await phone.goto(url('/merchant/products'));
    await phone.locator('.ant-table-row', { hasText: title }).waitFor();
    expect(await noSideways()).toBe(true);
    await shot(phone, 'phone-merchant-products', false);
    await phone.goto(url(`/merchant/products/${productId}`));
    await phone.locator('.fm-sku-table .ant-table-row').first().waitFor();
    expect(await noSideways()).toBe(true);
    await shot(phone, 'phone-product-editor');
    await phone.context().close();
    await admin.context().close();
  });

  it('shows the seller why: a rejected application, a rejected product, a suspended store', async () => {
    const stamp = `r${Date.now().toString(36)}`;
    const storeName = `棉麻小铺${stamp}`;
    const admin = await openPage();
    await admin.goto(url('/login'));
    await logIn(admin, ADMIN.email, ADMIN.password);
    await admin.waitForURL(url('/account'));
    const post = async (page: Page, pathname: string, data: Record<string, unknown> = {}) => {
      const response = await page.request.post(url(pathname), { data });
      expect(response.ok(), `${pathname}: ${await response.text()}`).toBe(true);
      return response.json() as Promise<Record<string, { id: string }>>;
    };
    const home = (await post(admin, '/api/v1/admin/categories', { nameZh: `家居${stamp}`, nameEn: `Home ${stamp}` })).category!.id;
    const bedding = (await post(admin, '/api/v1/admin/categories', { parentId: home, nameZh: '床品', nameEn: 'Bedding' })).category!.id;

    // The shopper applies (through the API: the form is covered above); the admin rejects with a reason.
    const page = await openPage();
    await post(page, '/api/v1/auth/register', { email: `seller.${stamp}@test.local`, password: 'seller-pass-1', name: '林棉' });
    await post(page, '/api/v1/merchant/application', {
      name: storeName,
      contactName: '林棉',
      contactMobile: '13912345678',
      contactEmail: `seller.${stamp}@test.local`,
      creditCode: makeCreditCode(),
    });
    await admin.goto(url('/admin/merchants'));
    await admin.locator('.ant-table-row', { hasText: storeName }).getByRole('button', { name: '驳回' }).click();
    const reasonModal = admin.locator('.ant-modal');
    // The preset fills the reason.
    const preset = '营业执照信息与填写的统一社会信用代码不一致';
    await reasonModal.getByRole('button', { name: preset }).click();
    expect(await reasonModal.locator('textarea').inputValue()).toBe(preset);
    await reasonModal.getByRole('button', { name: '驳回', exact: true }).click();
    await toast(admin, '已驳回申请');

    await page.goto(url('/merchant/apply'));
    await page.getByText('申请未通过').first().waitFor();
    await page.getByText('原因：营业执照信息与填写的统一社会信用代码不一致').waitFor();
    await shot(page, 'merchant-apply-rejected');
    await page.getByRole('button', { name: '修改后重新提交' }).click();
    expect(await page.getByLabel('店铺名称').inputValue()).toBe(storeName); // the form keeps what was sent
    await page.getByLabel('统一社会信用代码').fill(makeCreditCode());
    await page.getByRole('button', { name: '重新提交' }).click();
    await page.getByText('申请审核中').waitFor();

    // Approved; a product is listed through the API and the admin rejects it in the review queue.
    const merchant = (await (await admin.request.get(url(`/api/v1/admin/merchants?state=applied&q=${encodeURIComponent(storeName)}`))).json()) as {
      items: { id: string }[];
    };
    await post(admin, `/api/v1/admin/merchants/${merchant.items[0]!.id}/approve`);
    const upload = await page.request.post(url('/api/v1/merchant/images'), {
      multipart: { file: { name: 'sheet.png', mimeType: 'image/png', buffer: await productPng('#9ec5e8') } },
    });
    expect(upload.status()).toBe(201);
    const imageId = ((await upload.json()) as { image: { id: string } }).image.id;
    const title = `天竺棉四件套 ${stamp}`;
    const created = await post(page, '/api/v1/merchant/products', {
      title,
      categoryId: bedding,
      imageIds: [imageId],
      skus: [{ code: `BED-${stamp}`, price: 29900, weightGrams: 2000, onHand: 20 }],
    });
    const productId = created.product!.id;
    await post(page, `/api/v1/merchant/products/${productId}/submit`);

    await admin.goto(url('/admin/review'));
    await admin.locator('.fm-review-queue .ant-table-row', { hasText: title }).getByRole('button', { name: title }).click();
    const reviewing = admin.getByTestId('review-detail');
    await reviewing.getByTestId('claim-status').getByRole('button', { name: '领取' }).click();
    await reviewing.getByText(/你已领取/).waitFor();
    await reviewing.getByRole('button', { name: '驳回' }).click();
    await admin.locator('.ant-modal').getByLabel('补充说明').fill('主图与商品不符，请上传实拍图');
    await admin.locator('.ant-modal').getByRole('button', { name: '驳回', exact: true }).click();
    await reviewing.getByTestId('decision').getByText('已驳回').waitFor();

    // The seller sees the reason in the editor; resubmitting unchanged is refused, changed goes through.
    await page.goto(url('/merchant/products?status=rejected'));
    await page.locator('.ant-table-row', { hasText: title }).getByRole('link', { name: title }).click();
    await page.getByTestId('rejection-reason').getByText('原因：主图与商品不符，请上传实拍图。修改后可重新提交审核。').waitFor();
    await page.getByRole('button', { name: '重新提交审核' }).click();
    await page.getByRole('alert').getByText('商品自驳回后没有修改，请修改后再提交').waitFor();
    await shot(page, 'merchant-product-rejected');
    await page.getByLabel('商品标题').fill(`${title}（实拍）`);
    await page.getByRole('button', { name: '重新提交审核' }).click();
    await page.locator('.fm-page-head').getByText('审核中').waitFor();

    // The owner adds an operator by email, and removes them again.
    const colleague = { email: `colleague.${stamp}@test.local`, password: 'colleague-pass-1', name: '周运营' };
    const other = await web.browser.newContext(DESKTOP);
    expect((await other.request.post(url('/api/v1/auth/register'), { data: colleague })).status()).toBe(201);
    await other.close();
    await page.goto(url('/merchant/staff'));
    await page.getByPlaceholder('员工的邮箱或手机号').fill(colleague.email);
    await page.getByRole('button', { name: '添加' }).click();
    await toast(page, '已添加员工');
    const operator = page.locator('.ant-table-row', { hasText: colleague.name });
    await operator.getByText('运营', { exact: true }).waitFor();
    await operator.getByRole('button', { name: '移除' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '移除' }).click();
    await toast(page, '已移除员工');
    await operator.waitFor({ state: 'detached' });

    // Suspended: the console says so on every page and stays read-only; reactivated, it is gone.
    await admin.goto(url('/admin/merchants?tab=stores'));
    await admin.locator('.ant-table-row', { hasText: storeName }).getByRole('button', { name: '暂停' }).click();
    await admin.locator('.ant-modal').getByLabel('原因').fill('近期投诉较多，暂停经营待核查');
    await admin.locator('.ant-modal').getByRole('button', { name: '暂停', exact: true }).click();
    // The row's state is the outcome; the toast may already be gone on a loaded machine.
    await admin.locator('.ant-table-row', { hasText: storeName }).getByText('已暂停').waitFor();
    await shot(admin, 'admin-stores');

    await page.goto(url('/merchant/settings'));
    await page.getByText('店铺已被暂停经营').waitFor();
    await page.getByText('原因：近期投诉较多，暂停经营待核查。暂停期间商品已从商城下架，店铺仅可查看，不能修改。').waitFor();
    expect(await page.getByLabel('店铺名称').isDisabled()).toBe(true);
    await shot(page, 'merchant-suspended');

    await admin.locator('.ant-table-row', { hasText: storeName }).getByRole('button', { name: '恢复' }).click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await toast(admin, '店铺已恢复经营');
    await page.reload();
    await page.getByLabel('店铺名称').waitFor();
    expect(await page.getByText('店铺已被暂停经营').count()).toBe(0);

    // The CSV template downloads, with the header the importer reads.
    await page.goto(url('/merchant/import'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-template').click()]);
    const template = readFileSync(await download.path(), 'utf8');
    expect(template.startsWith('\uFEFFproduct_code,title,subtitle,brand,category,')).toBe(true);

    await page.context().close();
    await admin.context().close();
  });
});

/**
 * Clean listings are approved by the automatic rules (issue 4); this journey is about the person
 * in the loop, so the spot check sends every submission to the manual queue here.
 */
async function sendEverySubmissionToManualReview(baseUrl: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('fm_session='))!.split(';')[0]!;
  const rule = await fetch(`${baseUrl}/api/v1/admin/review/rules/spot_check`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie, origin: baseUrl },
    body: JSON.stringify({ enabled: true, severity: 'review', params: { share: 1 } }),
  });
  expect(rule.status, await rule.text()).toBe(200);
}
