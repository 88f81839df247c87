import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { createTestApp, type TestApp, type TestUser } from './app.js';

/** Kept for the catalog tests; every test app now has its own temporary DATA_DIR. */
export const createCatalogTestApp = (): Promise<TestApp> => createTestApp();

/** Either a staff session (`cookie`) or an API key (`authorization`). */
export type Auth = { cookie: string } | { authorization: string };
export const headersOf = (auth: Auth): Record<string, string> =>
  'cookie' in auth ? { cookie: auth.cookie } : { authorization: auth.authorization };

/** A multipart/form-data body with one file field. */
export function multipartFile(data: Buffer, options: { field?: string; filename?: string; contentType?: string } = {}) {
  const boundary = `----flowmart${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${options.filename ?? 'photo.jpg'}"\r\n` +
      `Content-Type: ${options.contentType ?? 'image/jpeg'}\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export function testImage(format: 'jpeg' | 'png' | 'webp' = 'jpeg', width = 1200, height = 900): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 50 } } });
  return image.toFormat(format).toBuffer();
}

export async function uploadImage(t: TestApp, auth: Auth, data?: Buffer): Promise<string> {
  const body = multipartFile(data ?? (await testImage()));
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/images', payload: body.payload, headers: { ...body.headers, ...headersOf(auth) } });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json().image.id;
}

export type TestCategories = { rootId: string; midId: string; leafId: string };

/** 服装 › 上衣 › T恤, the leaf with color and size dimensions and a required material attribute. */
export async function makeCategories(t: TestApp, admin: TestUser): Promise<TestCategories> {
  const create = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/categories', headers: { cookie: admin.cookie }, payload });
    if (res.statusCode !== 201) throw new Error(`category failed: ${res.statusCode} ${res.body}`);
    return res.json().category.id as string;
  };
  const rootId = await create({ nameZh: '服装', nameEn: 'Clothing' });
  const midId = await create({ parentId: rootId, nameZh: '上衣', nameEn: 'Tops' });
  const leafId = await create({
    parentId: midId,
    nameZh: 'T恤',
    nameEn: 'T-shirts',
    attributes: [
      { key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' },
      { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', options: ['S', 'M', 'L', 'XL'] },
      { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
      { key: 'season', nameZh: '季节', nameEn: 'Season', kind: 'attr', options: ['春', '夏', '秋', '冬'] },
    ],
  });
  return { rootId, midId, leafId };
}

let counter = 0;

/** A complete product with 2 colours × 2 sizes, ready to submit once it has images. */
export function productInput(leafId: string, overrides: Record<string, unknown> = {}) {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();
  return {
    code: `P-${n}`,
    title: '纯棉圆领短袖T恤',
    subtitle: '新疆长绒棉',
    description: '<p>200g 精梳棉，<strong>机洗不变形</strong></p>',
    brand: '棉舍',
    categoryId: leafId,
    attributes: { material: '棉 100%' },
    specs: [
      { key: 'color', values: ['白色', '黑色'] },
      { key: 'size', values: ['M', 'L'] },
    ],
    imageIds: [] as string[],
    skus: [
      { code: `${n}-WH-M`, specs: { color: '白色', size: 'M' }, price: 7900, listPrice: 9900, onHand: 10, weightGrams: 220 },
      { code: `${n}-WH-L`, specs: { color: '白色', size: 'L' }, price: 8900, onHand: 5, weightGrams: 230 },
      { code: `${n}-BK-M`, specs: { color: '黑色', size: 'M' }, price: 7900, onHand: 0, weightGrams: 220 },
      { code: `${n}-BK-L`, specs: { color: '黑色', size: 'L' }, price: 8900, onHand: 3, weightGrams: 230 },
    ],
    ...overrides,
  };
}

export async function createProduct(t: TestApp, auth: Auth, body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/products', headers: headersOf(auth), payload: body });
  if (res.statusCode !== 201) throw new Error(`create product failed: ${res.statusCode} ${res.body}`);
  return res.json().product as { id: string; skus: { id: string; code: string }[]; status: string };
}

/** A product that has passed review: created, submitted and approved (by the rules, or by the admin when it waits for a person). */
export async function makeOnSaleProduct(t: TestApp, auth: Auth, admin: TestUser, leafId: string, overrides: Record<string, unknown> = {}) {
  const imageId = await uploadImage(t, auth);
  const product = await createProduct(t, auth, productInput(leafId, { imageIds: [imageId], ...overrides }));
  const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/merchant/products/${product.id}/submit`, headers: headersOf(auth) });
  if (submitted.statusCode !== 200) throw new Error(`submit failed: ${submitted.statusCode} ${submitted.body}`);
  if (submitted.json().product.status === 'on_sale') return product;
  const approved = await t.app.inject({ method: 'POST', url: `/api/v1/admin/products/${product.id}/approve`, headers: { cookie: admin.cookie } });
  if (approved.statusCode !== 200) throw new Error(`approve failed: ${approved.statusCode} ${approved.body}`);
  return product;
}
