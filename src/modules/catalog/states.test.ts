import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCatalogTestApp, createProduct, makeCategories, productInput, uploadImage } from '../../../test/helpers/catalog.js';
import { makeMerchant } from '../../../test/helpers/factories.js';
import { queryRows } from '../../platform/db.js';
import type { ProductEvent } from './states.js';
import { productMachine, productStatuses, revisionMachine, revisionStates } from './states.js';
import { reviewByHand } from '../../../test/helpers/review.js';

const events: ProductEvent[] = ['submit', 'approve', 'reject', 'off_shelf', 'on_shelf', 'edit'];

/** The table as the README draws it; the machine must answer exactly this. */
const expected: Record<string, string> = {
  'draft submit': 'pending_review',
  'rejected submit': 'pending_review',
  'pending_review approve': 'on_sale',
  'pending_review reject': 'rejected',
  'on_sale off_shelf': 'off_shelf',
  'off_shelf on_shelf': 'on_sale',
  'off_shelf edit': 'draft',
};

describe('productMachine', () => {
  it('answers every row of the table and refuses every other move', () => {
    for (const state of productStatuses) {
      for (const event of events) expect(productMachine.next(state, event), `${state} ${event}`).toBe(expected[`${state} ${event}`]);
    }
    expect(productMachine.initial).toBe('draft');
  });
});

describe('revisionMachine', () => {
  it('pending → approved | rejected | withdrawn, nothing else', () => {
    const rows: Record<string, string> = { 'pending approve': 'approved', 'pending reject': 'rejected', 'pending withdraw': 'withdrawn' };
    for (const state of revisionStates) {
      for (const event of ['approve', 'reject', 'withdraw'] as const) expect(revisionMachine.next(state, event), `${state} ${event}`).toBe(rows[`${state} ${event}`]);
    }
  });
});

describe('a product walks every row through the API', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createCatalogTestApp();
  });
  afterAll(() => t.close());

  it('draft → pending_review → rejected → pending_review → on_sale ⇄ off_shelf, a revision, edit; each in the flow log', async () => {
    admin = await t.newAdmin();
    await reviewByHand(t, admin);
    const merchant = await makeMerchant(t, admin);
    const cookie = merchant.owner.cookie;
    const { leafId } = await makeCategories(t, admin);
    const product = await createProduct(t, { cookie }, productInput(leafId, { imageIds: [await uploadImage(t, { cookie })] }));
    const call = async (url: string, who: string, payload?: object, method: 'POST' | 'PATCH' = 'POST') => {
      const res = await t.app.inject({ method, url, headers: { cookie: who }, ...(payload ? { payload } : {}) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().product.status as string;
    };
    const merchantUrl = `/api/v1/merchant/products/${product.id}`;
    const adminUrl = `/api/v1/admin/products/${product.id}`;

    expect(await call(`${merchantUrl}/submit`, cookie)).toBe('pending_review');
    expect(await call(`${adminUrl}/reject`, admin.cookie, { reason: '标题不规范' })).toBe('rejected');
    expect(await call(merchantUrl, cookie, { title: '规范的标题' }, 'PATCH')).toBe('rejected');
    expect(await call(`${merchantUrl}/submit`, cookie)).toBe('pending_review');
    expect(await call(`${adminUrl}/approve`, admin.cookie)).toBe('on_sale');
    expect(await call(`${merchantUrl}/off-shelf`, cookie)).toBe('off_shelf');
    expect(await call(`${merchantUrl}/on-shelf`, cookie)).toBe('on_sale');
    expect(await call(merchantUrl, cookie, { subtitle: '修订' }, 'PATCH')).toBe('on_sale'); // a revision
    expect(await call(`${adminUrl}/approve`, admin.cookie)).toBe('on_sale');
    expect(await call(`${merchantUrl}/off-shelf`, cookie)).toBe('off_shelf');
    expect(await call(merchantUrl, cookie, { subtitle: '再修订' }, 'PATCH')).toBe('draft'); // edit

    const log = await queryRows<{ type: string; from: string; to: string }>(
      t.database.db,
      sql`select type, data->>'from' as "from", data->>'to' as "to" from flow_events
          where object_id = ${product.id} and data ? 'to' order by seq`,
    );
    const walked = new Set(log.map((e) => `${e.from} ${e.type.replace('product.', '')}`));
    expect([...walked].sort()).toEqual(Object.keys(expected).sort());
    for (const e of log) expect(e.to).toBe(expected[`${e.from} ${e.type.replace('product.', '')}`]);
  });
});
