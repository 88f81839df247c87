import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/helpers/app.js';
import { makeApiKey, makeCreditCode, makeMerchant, storeApplication } from '../../../test/helpers/factories.js';
import { queryRows } from '../../platform/db.js';
import { creditCodeCheckChar, isValidCreditCode } from './credit-code.js';
import { merchantMachine, merchantStates } from './states.js';

describe('统一社会信用代码', () => {
  it('accepts published codes and rejects any single-character change', () => {
    for (const code of ['91350100M000100Y43', '91440300708461136T']) {
      expect(isValidCreditCode(code)).toBe(true);
      for (let i = 0; i < 18; i++) {
        const changed = code.slice(0, i) + (code[i] === '0' ? '1' : '0') + code.slice(i + 1);
        expect(isValidCreditCode(changed)).toBe(false);
      }
    }
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false);
    expect(creditCodeCheckChar('9135010OM000100Y4')).toBeUndefined();
  });
});

describe('the merchant state machine', () => {
  it('walks every row and refuses everything else', () => {
    const expected: Record<string, string> = {
      'applied approve': 'active',
      'applied reject': 'rejected',
      'rejected resubmit': 'applied',
      'active suspend': 'suspended',
      'suspended reactivate': 'active',
    };
    for (const from of merchantStates) {
      for (const event of ['approve', 'reject', 'resubmit', 'suspend', 'reactivate'] as const) {
        expect(merchantMachine.next(from, event)).toBe(expected[`${from} ${event}`]);
      }
    }
  });
});

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.newAdmin();
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: { cookie?: string; authorization?: string }, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { ...(who.cookie ? { cookie: who.cookie } : {}), ...(who.authorization ? { authorization: who.authorization } : {}) } });

describe('applying and approval', () => {
  it('a user applies, the admin approves, and the applicant becomes the owner with the merchant role', async () => {
    const user = await t.newUser();
    const applied = await call('POST', '/api/v1/merchant/application', user, storeApplication({ name: '山野茶铺', creditCode: '91350100M000100Y43' }));
    expect(applied.statusCode).toBe(201);
    const merchant = applied.json().merchant;
    expect(merchant).toMatchObject({ name: '山野茶铺', state: 'applied' });
    expect(merchant.id).toMatch(/^mer_/);
    expect((await call('GET', '/api/v1/merchant/store', user)).json().error.code).toBe('not_merchant');

    const pending = await call('GET', '/api/v1/admin/merchants?state=applied', admin);
    expect(pending.json().items.map((m: { id: string }) => m.id)).toContain(merchant.id);
    const approved = await call('POST', `/api/v1/admin/merchants/${merchant.id}/approve`, admin);
    expect(approved.json().merchant).toMatchObject({ state: 'active' });
    expect(approved.json().merchant.approvedAt).toBeTruthy();

    expect((await call('GET', '/api/v1/me', user)).json().user.roles).toEqual(['customer', 'merchant']);
    const staff = await call('GET', '/api/v1/merchant/staff', user);
    expect(staff.json().items).toMatchObject([{ userId: user.id, role: 'owner' }]);
    expect((await call('POST', `/api/v1/admin/merchants/${merchant.id}/approve`, admin)).statusCode).toBe(409);
  });

  it('a rejected application shows its reason and can be fixed and resubmitted', async () => {
    const user = await t.newUser();
    const { merchant } = (await call('POST', '/api/v1/merchant/application', user, storeApplication())).json();
    expect((await call('POST', '/api/v1/merchant/application', user, storeApplication())).json().error.code).toBe('application_pending');
    const rejected = await call('POST', `/api/v1/admin/merchants/${merchant.id}/reject`, admin, { reason: '营业执照信息不清晰' });
    expect(rejected.json().merchant).toMatchObject({ state: 'rejected', stateReason: '营业执照信息不清晰' });
    expect((await call('GET', '/api/v1/merchant/application', user)).json().merchant.stateReason).toBe('营业执照信息不清晰');
    const again = await call('POST', '/api/v1/merchant/application', user, storeApplication({ description: '补充了材料' }));
    expect(again.statusCode).toBe(201);
    expect(again.json().merchant).toMatchObject({ id: merchant.id, state: 'applied', description: '补充了材料', stateReason: null });
  });

  it.each([
    ['a bad credit code', { creditCode: '91350100M000100Y44' }, 'body.creditCode'],
    ['a bad mobile', { contactMobile: '23812345678' }, 'body.contactMobile'],
    ['a bad email', { contactEmail: 'nope' }, 'body.contactEmail'],
    ['a one-letter name', { name: 'A' }, 'body.name'],
    ['an unknown field', { owner: 'me' }, 'body.owner'],
  ])('refuses %s with 400 and stores nothing', async (_name, overrides, field) => {
    const user = await t.newUser();
    const res = await call('POST', '/api/v1/merchant/application', user, storeApplication(overrides));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect((await call('GET', '/api/v1/merchant/application', user)).statusCode).toBe(404);
  });

  it('refuses a store name that is taken (case-insensitively) and anonymous applicants', async () => {
    const first = await t.newUser();
    await call('POST', '/api/v1/merchant/application', first, storeApplication({ name: 'Green Leaf' }));
    const second = await t.newUser();
    const taken = await call('POST', '/api/v1/merchant/application', second, storeApplication({ name: 'green leaf' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('store_name_taken');
    expect((await call('POST', '/api/v1/merchant/application', {}, storeApplication())).statusCode).toBe(401);
  });

  it('admin routes answer 403 to merchants and customers', async () => {
    const { owner, merchantId } = await makeMerchant(t, admin);
    expect((await call('POST', `/api/v1/admin/merchants/${merchantId}/suspend`, owner, { reason: 'self' })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/admin/merchants', owner)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/admin/merchants/mer_nothing', admin)).statusCode).toBe(404);
  });
});

describe('staff', () => {
  it('the owner adds an operator by mobile; the operator works for the store but cannot manage staff or keys', async () => {
    const m = await makeMerchant(t, admin);
    const operator = await t.newUser({ mobile: '15900001111' });
    expect((await call('POST', '/api/v1/merchant/staff', m.owner, { login: '159 0000 1111' })).statusCode).toBe(201);
    expect((await call('GET', '/api/v1/merchant/store', operator)).json().merchant.id).toBe(m.merchantId);
    expect((await call('GET', '/api/v1/me', operator)).json().user.roles).toContain('merchant');
    expect((await call('GET', '/api/v1/merchant/api-keys', operator)).json().error.code).toBe('owner_only');
    expect((await call('POST', '/api/v1/merchant/staff', operator, { login: 'x@example.com' })).json().error.code).toBe('owner_only');
    expect((await call('PATCH', '/api/v1/merchant/store', operator, { description: 'x' })).statusCode).toBe(403);

    const other = await makeMerchant(t, admin);
    expect((await call('POST', '/api/v1/merchant/staff', other.owner, { login: '15900001111' })).json().error.code).toBe('already_merchant');
    expect((await call('POST', '/api/v1/merchant/staff', m.owner, { login: 'nobody@example.com' })).json().error.code).toBe('user_not_found');
    // Another store's owner cannot remove this operator, nor can anyone remove the owner this way.
    expect((await call('DELETE', `/api/v1/merchant/staff/${operator.id}`, other.owner)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/merchant/staff/${m.owner.id}`, m.owner)).statusCode).toBe(404);

    expect((await call('DELETE', `/api/v1/merchant/staff/${operator.id}`, m.owner)).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/merchant/store', operator)).json().error.code).toBe('not_merchant');
    // The session remembered the merchant role; the removal dropped it.
    expect((await call('GET', '/api/v1/me', operator)).json().user.roles).not.toContain('merchant');
  });
});

describe('Open API keys', () => {
  it('shows the secret once, stores only its hash, and works within its scopes and nowhere else', async () => {
    const m = await makeMerchant(t, admin);
    const created = await call('POST', '/api/v1/merchant/api-keys', m.owner, { name: 'ERP', scopes: ['products:read'] });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    expect(secret).toMatch(/^fmk_/);
    expect(key).toMatchObject({ name: 'ERP', scopes: ['products:read'], lastUsedAt: null, revokedAt: null });
    expect(secret.startsWith(key.prefix)).toBe(true);
    const listed = (await call('GET', '/api/v1/merchant/api-keys', m.owner)).json().items;
    expect(JSON.stringify(listed)).not.toContain(secret);

    const bearer = { authorization: `Bearer ${secret}` };
    expect((await call('GET', '/api/v1/merchant/store', bearer)).json().merchant.id).toBe(m.merchantId);
    const noScope = await call('PATCH', '/api/v1/merchant/store', bearer, { description: 'via key' });
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().error.code).toBe('missing_scope');
    expect((await call('GET', '/api/v1/me', bearer)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/admin/users', bearer)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/merchant/api-keys', bearer)).json().error.code).toBe('session_required');
    expect((await call('GET', '/api/v1/merchant/api-keys', m.owner)).json().items[0].lastUsedAt).toBeTruthy();

    const writer = await makeApiKey(t, m, ['store:write']);
    const edited = await call('PATCH', '/api/v1/merchant/store', { authorization: writer }, { description: '由 ERP 更新' });
    expect(edited.json().merchant.description).toBe('由 ERP 更新');

    expect((await call('DELETE', `/api/v1/merchant/api-keys/${key.id}`, m.owner)).statusCode).toBe(204);
    const revoked = await call('GET', '/api/v1/merchant/store', bearer);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('invalid_api_key');
  });

  it("never reaches another store's keys, and refuses unknown scopes", async () => {
    const a = await makeMerchant(t, admin);
    const b = await makeMerchant(t, admin);
    const { key } = (await call('POST', '/api/v1/merchant/api-keys', b.owner, { name: 'B', scopes: ['orders:read'] })).json();
    expect((await call('DELETE', `/api/v1/merchant/api-keys/${key.id}`, a.owner)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/merchant/api-keys', a.owner)).json().items).toEqual([]);
    expect((await call('POST', '/api/v1/merchant/api-keys', a.owner, { name: 'x', scopes: ['admin'] })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/merchant/api-keys', a.owner, { name: 'x', scopes: [] })).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/merchant/store', { authorization: 'Bearer fmk_forged' })).statusCode).toBe(401);
  });
});

describe('suspension', () => {
  it('leaves staff and keys read-only until the store is reactivated', async () => {
    const m = await makeMerchant(t, admin);
    const writer = await makeApiKey(t, m, ['store:write']);
    const suspended = await call('POST', `/api/v1/admin/merchants/${m.merchantId}/suspend`, admin, { reason: '售假投诉' });
    expect(suspended.json().merchant).toMatchObject({ state: 'suspended', stateReason: '售假投诉' });
    expect(await t.merchants.service.isActive(m.merchantId)).toBe(false);

    expect((await call('GET', '/api/v1/merchant/store', m.owner)).statusCode).toBe(200);
    expect((await call('PATCH', '/api/v1/merchant/store', m.owner, { description: 'x' })).json().error.code).toBe('store_suspended');
    expect((await call('PATCH', '/api/v1/merchant/store', { authorization: writer }, { description: 'x' })).json().error.code).toBe('store_suspended');
    expect((await call('GET', '/api/v1/me', m.owner)).json().user.roles).toContain('merchant');

    expect((await call('POST', `/api/v1/admin/merchants/${m.merchantId}/reactivate`, admin)).json().merchant.state).toBe('active');
    expect((await call('PATCH', '/api/v1/merchant/store', m.owner, { description: 'back' })).statusCode).toBe(200);
  });

  it('records every state change in the flow log', async () => {
    const m = await makeMerchant(t, admin);
    await call('POST', `/api/v1/admin/merchants/${m.merchantId}/suspend`, admin, { reason: 'check' });
    const events = await queryRows<{ type: string }>(t.database.db, sql`select type from flow_events where object_id = ${m.merchantId} order by seq`);
    expect(events.map((e) => e.type)).toEqual(['merchant.apply', 'merchant.approve', 'merchant.suspend']);
  });
});

it('makeCreditCode makes valid codes', () => {
  expect(isValidCreditCode(makeCreditCode())).toBe(true);
});
