import { creditCodeCheckChar } from '../../src/modules/merchants/index.js';
import type { TestApp, TestUser } from './app.js';

let counter = 0;

/** A valid 统一社会信用代码, different on every call. */
export function makeCreditCode(): string {
  const body = `91310000${String(Date.now() % 1e9).padStart(9, '0')}`.slice(0, 16) + String(counter++ % 10);
  return body + creditCodeCheckChar(body)!;
}

export function storeApplication(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    name: `测试店铺${Date.now().toString(36)}${counter}`,
    contactName: '王芳',
    contactMobile: '13812345678',
    contactEmail: `store${counter}@example.com`,
    creditCode: makeCreditCode(),
    description: '测试用店铺',
    ...overrides,
  };
}

export type TestMerchant = { merchantId: string; owner: TestUser };

/** A user applies, an admin approves: an active store with its owner logged in. */
export async function makeMerchant(t: TestApp, admin?: TestUser): Promise<TestMerchant> {
  const owner = await t.newUser();
  const applied = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/application', headers: { cookie: owner.cookie }, payload: storeApplication() });
  if (applied.statusCode !== 201) throw new Error(`apply failed: ${applied.statusCode} ${applied.body}`);
  const merchantId: string = applied.json().merchant.id;
  const approver = admin ?? (await t.newAdmin());
  const approved = await t.app.inject({ method: 'POST', url: `/api/v1/admin/merchants/${merchantId}/approve`, headers: { cookie: approver.cookie } });
  if (approved.statusCode !== 200) throw new Error(`approve failed: ${approved.statusCode} ${approved.body}`);
  return { merchantId, owner };
}

/** An Open API key of the store, created by its owner; returns the `authorization` header value. */
export async function makeApiKey(t: TestApp, merchant: TestMerchant, scopes: string[]): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/api-keys',
    headers: { cookie: merchant.owner.cookie },
    payload: { name: `key ${scopes.join(' ')}`, scopes },
  });
  if (res.statusCode !== 201) throw new Error(`api key failed: ${res.statusCode} ${res.body}`);
  return `Bearer ${res.json().secret}`;
}
