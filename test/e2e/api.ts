import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { makeCreditCode } from '../helpers/factories.js';

// A logged-in API caller for browser tests that set the scene through the HTTP API (the session
// cookie it was given, kept across calls).
export class Caller {
  cookie = '';
  constructor(private readonly base: string) {}

  async call<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
    const init: RequestInit = { method, headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(new URL(pathname, this.base), init);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('fm_session='));
    if (session) this.cookie = session.split(';')[0]!;
    return { status: res.status, json: (await res.json().catch(() => ({}))) as T };
  }

  /** The call's answer; throws on any status from 300 up, with the body in the message. */
  async ok<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.call<T>(method, pathname, body, headers);
    if (res.status >= 300) throw new Error(`${method} ${pathname}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  }

  /** Logs in with a password (the session cookie is kept for the following calls). */
  async logIn(login: string, password: string): Promise<this> {
    await this.ok('POST', '/api/v1/auth/login', { login, password });
    return this;
  }
}

/**
 * The scene several browser tests start from: the category path 服装 › 上衣 › T恤, a store the admin
 * approved, and its one on-sale T-shirt (one white SKU at ¥79.00 with `onHand` units). Answers the
 * store owner (logged in), the ids, and the stamp that made the names unique.
 */
export async function storeWithTshirt(base: string, admin: Caller, options: { domain: string; onHand: number }) {
  const category = async (body: Record<string, unknown>) => (await admin.ok<{ category: { id: string } }>('POST', '/api/v1/admin/categories', body)).category.id;
  const root = await category({ nameZh: '服装', nameEn: 'Clothing' });
  const mid = await category({ parentId: root, nameZh: '上衣', nameEn: 'Tops' });
  const leaf = await category({ parentId: mid, nameZh: 'T恤', nameEn: 'T-shirts', attributes: [{ key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec' }] });

  const merchant = new Caller(base);
  const stamp = Date.now().toString(36);
  await merchant.ok('POST', '/api/v1/auth/register', { email: `seller.${stamp}@${options.domain}`, password: 'seller-pass-1', name: '店主' });
  const applied = await merchant.ok<{ merchant: { id: string } }>('POST', '/api/v1/merchant/application', {
    name: `棉舍服饰${stamp}`,
    contactName: '王芳',
    contactMobile: '13812345678',
    contactEmail: `store.${stamp}@${options.domain}`,
    creditCode: makeCreditCode(),
    description: '纯棉服饰',
  });
  await admin.ok('POST', `/api/v1/admin/merchants/${applied.merchant.id}/approve`);
  const picture = await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 240, g: 240, b: 235 } } }).jpeg().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(picture)], { type: 'image/jpeg' }), 'tee.jpg');
  const image = await merchant.ok<{ image: { id: string } }>('POST', '/api/v1/merchant/images', form);
  const product = await merchant.ok<{ product: { id: string; skus: { id: string }[] } }>('POST', '/api/v1/merchant/products', {
    code: `TEE-${stamp}`.toUpperCase(),
    title: '纯棉圆领短袖T恤',
    description: '<p>200g 精梳棉</p>',
    categoryId: leaf,
    attributes: {},
    specs: [{ key: 'color', values: ['白色'] }],
    imageIds: [image.image.id],
    skus: [{ code: `TEE-${stamp}-WH`.toUpperCase(), specs: { color: '白色' }, price: 7900, onHand: options.onHand, weightGrams: 220 }],
  });
  await merchant.ok('POST', `/api/v1/merchant/products/${product.product.id}/submit`);
  // The automatic review may have approved it already (409 then).
  const approve = await admin.call('POST', `/api/v1/admin/products/${product.product.id}/approve`);
  if (approve.status !== 200 && approve.status !== 409) throw new Error(`approving the T-shirt: ${approve.status} ${JSON.stringify(approve.json)}`);
  return { merchant, merchantId: applied.merchant.id, productId: product.product.id, skuId: product.product.skus[0]!.id, stamp };
}

/** Polls `check` every 100 ms until it holds; throws after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A new buyer (with an address in Hangzhou) buys `quantity` of a SKU now and pays in the sandbox;
 * resolves once the order awaits shipment (the store accepts automatically).
 */
export async function paidBuyNowOrder(base: string, options: { email: string; skuId: string; quantity: number }): Promise<{ buyer: Caller; orderId: string }> {
  const buyer = new Caller(base);
  await buyer.ok('POST', '/api/v1/auth/register', { email: options.email, password: 'buyer-pass-1', name: '林小满' });
  const address = await buyer.ok<{ address: { id: string } }>('POST', '/api/v1/addresses', { recipient: '林小满', mobile: '13912345678', provinceCode: '330000', cityCode: '330100', districtCode: '330106', detail: '文三路 90 号' });
  const placed = await buyer.ok<{ orders: { id: string }[]; payment: { id: string } }>(
    'POST',
    '/api/v1/checkout',
    { buyNow: { skuId: options.skuId, quantity: options.quantity }, addressId: address.address.id },
    { 'idempotency-key': randomUUID() },
  );
  await buyer.ok('POST', `/api/v1/payments/${placed.payment.id}/sandbox/pay`);
  const orderId = placed.orders[0]!.id;
  await until(async () => (await buyer.ok<{ order: { state: string } }>('GET', `/api/v1/orders/${orderId}`)).order.state === 'to_ship');
  return { buyer, orderId };
}
