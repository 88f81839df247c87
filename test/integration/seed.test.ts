import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db.js';
import { DEMO_MERCHANT, DEMO_SHOPPER, seedDemo } from '../../src/seed/demo.js';
import { createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';

let t: TestApp;
let adminUserId: string;
beforeAll(async () => {
  t = await createTestApp();
  adminUserId = (await t.identity.service.ensurePlatformAdmin({ email: 'admin@example.com', password: 'admin-password' })).userId;
  await seedDemo(t, { adminUserId });
}, 180_000);
afterAll(() => t.close());

const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(t.database.db, query))[0]!.n;

describe('the demo marketplace', () => {
  it('has at least 8 active stores, 30 leaf categories and 300 on-sale products with SKUs', async () => {
    expect(await count(sql`select count(*)::int as n from merchants where state = 'active'`)).toBeGreaterThanOrEqual(8);
    expect(await count(sql`select count(*)::int as n from categories c where not exists (select 1 from categories k where k.parent_id = c.id)`)).toBeGreaterThanOrEqual(30);
    expect(await count(sql`select count(*)::int as n from categories where depth = 3`)).toBeGreaterThanOrEqual(30);
    expect(await count(sql`select count(*)::int as n from products where status = 'on_sale'`)).toBeGreaterThanOrEqual(300);
    expect(await count(sql`select count(*)::int as n from products p where not exists (select 1 from skus s where s.product_id = p.id)`)).toBe(0);
  });

  it('lets the demo shopper and the demo merchant log in, and the products show publicly', async () => {
    for (const account of [DEMO_SHOPPER, DEMO_MERCHANT]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: account.email, password: account.password } });
      expect(res.statusCode).toBe(200);
    }
    const merchant = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: DEMO_MERCHANT.email, password: DEMO_MERCHANT.password } });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/merchant/products?limit=5', headers: { cookie: sessionCookie(merchant) } });
    const first = list.json().items[0];
    expect(first.title).toMatch(/[\u4e00-\u9fa5]/);
    expect(first.priceMin).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/products/${first.id}` })).statusCode).toBe(200);
  });

  it('is idempotent: a second run adds nothing', async () => {
    const before = await count(sql`select count(*)::int as n from flow_events`);
    await seedDemo(t, { adminUserId });
    expect(await count(sql`select count(*)::int as n from flow_events`)).toBe(before);
  });
});
