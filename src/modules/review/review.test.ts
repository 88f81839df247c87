import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createTestApp } from '../../../test/helpers/app.js';
import { createProduct, makeCategories, productInput, type TestCategories, uploadImage } from '../../../test/helpers/catalog.js';
import { makeApiKey, makeMerchant, type TestMerchant } from '../../../test/helpers/factories.js';
import { reviewAutomatically, reviewByHand, setRule } from '../../../test/helpers/review.js';
import { manualClock } from '../../platform/clock.js';
import { queryRows } from '../../platform/db.js';
import { defaultRuleSettings } from './rule-config.js';

const clock = manualClock(new Date('2026-03-02T08:00:00Z'));
let t: TestApp;
let admin: TestUser;
let reviewer: TestUser;
let shop: TestMerchant;
let cats: TestCategories;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await t.newAdmin();
  reviewer = await t.newAdmin();
  shop = await makeMerchant(t, admin);
  cats = await makeCategories(t, admin);
});
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, who: { cookie: string } | { authorization: string } | undefined, payload?: unknown) =>
  t.app.inject({ method, url, headers: who ? { ...who } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
const ok = async (method: Method, url: string, who: { cookie: string } | undefined, payload?: unknown) => {
  const res = await call(method, url, who, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};

let n = 0;
/** A complete product with a title of its own (so no duplicate finding), created and submitted. */
async function submitted(merchant: TestMerchant = shop, overrides: Record<string, unknown> = {}, who: { cookie: string } = merchant.owner) {
  const imageId = await uploadImage(t, who);
  n += 1;
  const product = await createProduct(t, who, productInput(cats.leafId, { imageIds: [imageId], title: `精梳棉短袖 款式${n}号 透气舒适`, ...overrides }));
  const res = await call('POST', `/api/v1/merchant/products/${product.id}/submit`, who);
  expect(res.statusCode, res.body).toBe(200);
  return { id: product.id, status: res.json().product.status as string, product: res.json().product };
}

const history = async (productId: string, who: { cookie: string } = shop.owner) => (await ok('GET', `/api/v1/merchant/products/${productId}/reviews`, who)).items;
const openTask = async (productId: string) => (await history(productId))[0];

describe('the automatic review', () => {
  it('approves a clean listing in the submitting request, with the decision in the flow log and the history', async () => {
    const { id, status } = await submitted();
    expect(status).toBe('on_sale');
    const [task] = await history(id);
    expect(task).toMatchObject({ state: 'approved', automatic: true, findings: [], decidedBy: { as: 'rules' }, content: { title: expect.stringContaining('精梳棉') } });
    const events = await queryRows<{ type: string; actor: { kind: string }; data: Record<string, unknown> }>(
      t.database.db,
      sql`select type, actor, data from flow_events where object_id = ${id} order by seq`,
    );
    expect(events.map((e) => e.type)).toEqual(['product.created', 'product.submit', 'product.approve']);
    expect(events[2]).toMatchObject({ actor: { kind: 'system' }, data: { automatic: true, taskId: task.id } });
  });

  it('rejects on a blocking finding; the merchant sees each reason and the offending text, fixes and resubmits', async () => {
    const { id, status, product } = await submitted(shop, { title: '全网最低 精梳棉短袖', description: '<p>详询 V信：shop_8888</p>' });
    expect(status).toBe('rejected');
    expect(product.rejectionReason).toContain('「全网最低」');
    expect(product.rejectionReason).toContain('shop_8888');
    const [task] = await history(id);
    expect(task.state).toBe('rejected');
    expect(task.findings.map((f: { rule: string; evidence: string }) => [f.rule, f.evidence])).toEqual([
      ['absolute_terms', '全网最低'],
      ['contact_lure', 'V信：shop_8888'],
    ]);
    await ok('PATCH', `/api/v1/merchant/products/${id}`, shop.owner, { title: '精梳棉短袖 夏季', description: '<p>透气</p>' });
    expect((await ok('POST', `/api/v1/merchant/products/${id}/submit`, shop.owner)).product.status).toBe('on_sale');
    expect((await history(id)).map((task: { state: string }) => task.state)).toEqual(['approved', 'rejected']);
  });

  it('queues a listing that needs a person: a near-duplicate of an on-sale product of the store', async () => {
    const first = await submitted(shop, { title: '重磅纯棉圆领T恤 宽松版型 男女同款' });
    expect(first.status).toBe('on_sale');
    const second = await submitted(shop, { title: '重磅纯棉圆领T恤 宽松版型 男女同款!' });
    expect(second.status).toBe('pending_review');
    expect((await openTask(second.id)).findings[0]).toMatchObject({ rule: 'duplicate_listing', severity: 'review', evidence: '重磅纯棉圆领T恤 宽松版型 男女同款' });
    // Another store may list the same title.
    const other = await makeMerchant(t, admin);
    expect((await submitted(other, { title: '重磅纯棉圆领T恤 宽松版型 男女同款' })).status).toBe('on_sale');
  });

  it('flags a price far below the category median once the category has enough on-sale products', async () => {
    await setRule(t, admin, 'price_anomaly', { enabled: true, severity: 'review', params: { minSamples: 3, lowShare: 0.1, highMultiple: 10 } });
    const cheap = productInput(cats.leafId).skus.map((s) => ({ ...s, price: 100, listPrice: null }));
    clock.advance(2 * 60_000); // category medians are cached for a minute
    const { id, status } = await submitted(shop, { skus: cheap });
    expect(status).toBe('pending_review');
    expect((await openTask(id)).findings[0]).toMatchObject({ rule: 'price_anomaly', field: 'skus.0.price' });
    await setRule(t, admin, 'price_anomaly', defaultRuleSettings.price_anomaly);
  });
});

describe('the manual queue', () => {
  let task: { id: string; productId: string };
  let templateId: string;

  beforeAll(async () => {
    await reviewByHand(t, admin);
    const { id } = await submitted();
    task = { id: (await openTask(id)).id, productId: id };
    templateId = (await ok('POST', '/api/v1/admin/review/reason-templates', admin, { title: '主图不符', body: '主图与商品不符，请上传实拍图。' })).template.id;
  });
  afterAll(() => reviewAutomatically(t, admin));

  it('lists open tasks with their findings, filtered by rule, store, category and waiting time; overdue after 24 h', async () => {
    const listed = await ok('GET', `/api/v1/admin/review/tasks?rule=spot_check&merchantId=${shop.merchantId}&categoryId=${cats.leafId}`, admin);
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(task.id);
    expect(listed.items.find((i: { id: string }) => i.id === task.id)).toMatchObject({ state: 'queued', ruleHits: ['spot_check'], overdue: false, claim: null });
    expect((await ok('GET', '/api/v1/admin/review/tasks?rule=absolute_terms', admin)).items.map((i: { id: string }) => i.id)).not.toContain(task.id);
    expect((await ok('GET', '/api/v1/admin/review/tasks?minWaitMinutes=1440', admin)).items).toEqual([]);
    clock.advance(25 * 3600_000);
    const late = await ok('GET', '/api/v1/admin/review/tasks?minWaitMinutes=1440', admin);
    expect(late.items.find((i: { id: string }) => i.id === task.id)).toMatchObject({ overdue: true, waitingMs: expect.any(Number) });
    const paged = await ok('GET', '/api/v1/admin/review/tasks?limit=1', admin);
    expect(paged.items).toHaveLength(1);
    const next = await ok('GET', `/api/v1/admin/review/tasks?limit=1&cursor=${paged.nextCursor}`, admin);
    expect(next.items[0].id).not.toBe(paged.items[0].id);
  });

  it('lets one reviewer claim a task; another can neither claim nor decide it until the claim expires', async () => {
    const claimed = await ok('POST', `/api/v1/admin/review/tasks/${task.id}/claim`, reviewer);
    expect(claimed.task.claim).toMatchObject({ reviewerId: reviewer.id });
    const stolen = await call('POST', `/api/v1/admin/review/tasks/${task.id}/claim`, admin);
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().error.code).toBe('task_claimed');
    const decided = await call('POST', `/api/v1/admin/review/tasks/${task.id}/approve`, admin, {});
    expect(decided.statusCode).toBe(409);
    expect(decided.json().error.code).toBe('task_claimed');
    // Not through the catalog's own route either.
    expect((await call('POST', `/api/v1/admin/products/${task.productId}/approve`, admin)).json().error.code).toBe('task_claimed');
    expect((await ok('GET', '/api/v1/admin/review/tasks?claim=mine', reviewer)).items.map((i: { id: string }) => i.id)).toEqual([task.id]);
    expect((await ok('GET', '/api/v1/admin/review/tasks?claim=others', admin)).items.map((i: { id: string }) => i.id)).toEqual([task.id]);
    clock.advance(31 * 60_000);
    expect((await ok('POST', `/api/v1/admin/review/tasks/${task.id}/claim`, admin)).task.claim).toMatchObject({ reviewerId: admin.id });
    expect((await call('POST', `/api/v1/admin/review/tasks/${task.id}/release`, reviewer)).json().error.code).toBe('not_claimed');
    await ok('POST', `/api/v1/admin/review/tasks/${task.id}/release`, admin);
  });

  it('rejects with a reason template; the merchant sees who decided when and why, fixes and resubmits', async () => {
    await ok('POST', `/api/v1/admin/review/tasks/${task.id}/claim`, reviewer);
    const rejected = await ok('POST', `/api/v1/admin/review/tasks/${task.id}/reject`, reviewer, { templateId, reason: '第 2 张图有水印' });
    expect(rejected.task).toMatchObject({ state: 'rejected', reason: '主图与商品不符，请上传实拍图。 第 2 张图有水印', reasonTemplateId: templateId, decidedBy: { as: 'reviewer', id: reviewer.id } });
    const [seen] = await history(task.productId);
    expect(seen).toMatchObject({ state: 'rejected', reason: rejected.task.reason, decidedBy: { as: 'reviewer', id: null }, reasonTemplateId: null, claim: null });
    expect((await ok('GET', `/api/v1/merchant/products/${task.productId}`, shop.owner)).product).toMatchObject({ status: 'rejected', rejectionReason: rejected.task.reason });
    // Decided once: a second decision is refused.
    expect((await call('POST', `/api/v1/admin/review/tasks/${task.id}/approve`, reviewer, {})).json().error.code).toBe('task_closed');

    await ok('PATCH', `/api/v1/merchant/products/${task.productId}`, shop.owner, { imageIds: [await uploadImage(t, shop.owner)] });
    await ok('POST', `/api/v1/merchant/products/${task.productId}/submit`, shop.owner);
    const [again, before] = await history(task.productId);
    expect(again).toMatchObject({ state: 'queued' });
    expect(before.id).toBe(task.id);
    // Admins see the same history with who decided (the drawer's earlier decisions); merchants may not ask there.
    const adminView = (await ok('GET', `/api/v1/admin/review/products/${task.productId}/history`, admin)).items;
    expect(adminView.map((x: { id: string }) => x.id)).toEqual([again.id, task.id]);
    expect(adminView[1]).toMatchObject({ state: 'rejected', reason: rejected.task.reason, decidedBy: { as: 'reviewer', id: reviewer.id }, reasonTemplateId: templateId });
    expect((await call('GET', `/api/v1/admin/review/products/${task.productId}/history`, shop.owner)).statusCode).toBe(403);
    // A decision on the old task id cannot land on the new submission.
    expect((await call('POST', `/api/v1/admin/products/${task.productId}/approve`, reviewer)).statusCode).toBe(200);
    expect((await history(task.productId))[0]).toMatchObject({ state: 'approved', decidedBy: { as: 'reviewer' } });
  });

  it('approves and rejects in bulk, answering task by task', async () => {
    const a = await submitted();
    const b = await submitted();
    const c = await submitted();
    const [ta, tb, tc] = [await openTask(a.id), await openTask(b.id), await openTask(c.id)];
    await ok('POST', `/api/v1/admin/review/tasks/${tc.id}/claim`, reviewer);
    const bulk = await ok('POST', '/api/v1/admin/review/tasks/bulk', admin, { action: 'approve', taskIds: [ta.id, tb.id, tc.id] });
    expect(bulk.summary).toEqual({ decided: 2, failed: 1 });
    expect(bulk.items.map((i: { result: string; error: { code: string } | null }) => [i.result, i.error?.code ?? null])).toEqual([
      ['approved', null],
      ['approved', null],
      ['failed', 'task_claimed'],
    ]);
    const noReason = await call('POST', '/api/v1/admin/review/tasks/bulk', reviewer, { action: 'reject', taskIds: [tc.id] });
    expect(noReason.statusCode).toBe(400);
    expect((await ok('POST', '/api/v1/admin/review/tasks/bulk', reviewer, { action: 'reject', taskIds: [tc.id], reason: '类目错放' })).summary).toEqual({ decided: 1, failed: 0 });
    expect((await ok('GET', `/api/v1/merchant/products/${c.id}`, shop.owner)).product.status).toBe('rejected');
  });

  it('refuses merchants on platform routes and other stores on a product history', async () => {
    const { id } = await submitted();
    const mine = await openTask(id);
    for (const [method, url] of [
      ['GET', '/api/v1/admin/review/tasks'],
      ['POST', `/api/v1/admin/review/tasks/${mine.id}/approve`],
      ['POST', `/api/v1/admin/review/tasks/${mine.id}/claim`],
      ['POST', `/api/v1/admin/products/${id}/approve`],
      ['PUT', '/api/v1/admin/review/rules/spot_check'],
      ['GET', '/api/v1/admin/review/stats'],
    ] as const) {
      const res = await call(method, url, shop.owner, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    const key = await makeApiKey(t, shop, ['products:read', 'products:write']);
    expect((await call('POST', `/api/v1/admin/review/tasks/${mine.id}/approve`, { authorization: key }, {})).statusCode).toBe(401);
    expect((await call('GET', `/api/v1/merchant/products/${id}/reviews`, { authorization: key })).statusCode).toBe(200);
    const other = await makeMerchant(t, admin);
    expect((await call('GET', `/api/v1/merchant/products/${id}/reviews`, other.owner)).statusCode).toBe(404);
    expect((await ok('GET', `/api/v1/merchant/products/${id}`, shop.owner)).product.status).toBe('pending_review');
  });
});

describe('revisions of on-sale products', () => {
  it('applies a clean revision at once, rejects one with a blocking finding while the approved version stays on sale', async () => {
    const { id } = await submitted();
    const live = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/products/${id}` })).json().product;
    const title = (await live()).title;

    const clean = await ok('PATCH', `/api/v1/merchant/products/${id}`, shop.owner, { subtitle: '新疆长绒棉 加厚' });
    expect(clean.product).toMatchObject({ status: 'on_sale', subtitle: '新疆长绒棉 加厚', revision: { state: 'approved' } });

    const bad = await ok('PATCH', `/api/v1/merchant/products/${id}`, shop.owner, { title: '国家级 精梳棉短袖' });
    expect(bad.product).toMatchObject({ status: 'on_sale', title, revision: { state: 'rejected', reason: expect.stringContaining('国家级') } });
    expect((await live()).title).toBe(title);
    const [task] = await history(id);
    expect(task).toMatchObject({ kind: 'revision', state: 'rejected', automatic: true, revisionId: bad.product.revision.id });
    // The same rejected revision is not proposed again.
    expect((await call('PATCH', `/api/v1/merchant/products/${id}`, shop.owner, { title: '国家级 精梳棉短袖' })).json().error.code).toBe('unchanged_since_rejection');
  });

  it('moves a price by more than 30% through review; smaller moves and stock apply at once', async () => {
    const { id, product } = await submitted();
    await reviewByHand(t, admin);
    const skus = product.skus.map((s: { code: string; specs: object; price: number; weightGrams: number }, i: number) => ({
      code: s.code,
      specs: s.specs,
      weightGrams: s.weightGrams,
      price: i === 0 ? s.price * 2 : s.price + 100,
      onHand: 42,
    }));
    const res = await ok('PATCH', `/api/v1/merchant/products/${id}`, shop.owner, { skus });
    expect(res.product.revision).toMatchObject({ state: 'pending', changes: { fields: [], priceMoves: [skus[0].code] } });
    expect(res.product.skus.map((s: { price: number; onHand: number }) => [s.price, s.onHand])).toEqual([
      [product.skus[0].price, 42],
      [product.skus[1].price + 100, 42],
      [product.skus[2].price + 100, 42],
      [product.skus[3].price + 100, 42],
    ]);
    const task = await openTask(id);
    expect(task).toMatchObject({ kind: 'revision', state: 'queued' });
    await ok('POST', `/api/v1/admin/review/tasks/${task.id}/approve`, reviewer, {});
    expect((await ok('GET', `/api/v1/merchant/products/${id}`, shop.owner)).product.skus[0].price).toBe(product.skus[0].price * 2);
    await reviewAutomatically(t, admin);
  });

  it('lets the merchant withdraw a pending revision', async () => {
    const { id } = await submitted();
    await reviewByHand(t, admin);
    await ok('PATCH', `/api/v1/merchant/products/${id}`, shop.owner, { brand: '新品牌' });
    const task = await openTask(id);
    const withdrawn = await ok('DELETE', `/api/v1/merchant/products/${id}/revision`, shop.owner);
    expect(withdrawn.product).toMatchObject({ status: 'on_sale', brand: '棉舍', revision: { state: 'withdrawn' } });
    expect((await history(id))[0]).toMatchObject({ id: task.id, state: 'withdrawn', decidedBy: { as: 'merchant' } });
    expect((await call('DELETE', `/api/v1/merchant/products/${id}/revision`, shop.owner)).json().error.code).toBe('no_pending_revision');
    await reviewAutomatically(t, admin);
  });
});

describe('merchant-side review (商家审核)', () => {
  let operator: TestUser;

  beforeAll(async () => {
    operator = await t.newUser();
    await ok('POST', '/api/v1/merchant/staff', shop.owner, { login: operator.email });
  });

  it('only the owner turns it on; then staff submissions wait for the owner, not the platform', async () => {
    expect((await call('PUT', '/api/v1/merchant/review/settings', operator, { ownerApproval: true })).json().error.code).toBe('owner_only');
    expect(await ok('PUT', '/api/v1/merchant/review/settings', shop.owner, { ownerApproval: true })).toMatchObject({ ownerApproval: true });

    const fromStaff = await submitted(shop, {}, operator);
    expect(fromStaff.status).toBe('pending_review');
    const task = await openTask(fromStaff.id);
    expect(task).toMatchObject({ state: 'store_review' });
    expect((await call('GET', '/api/v1/merchant/review/tasks', operator)).json().error.code).toBe('owner_only');
    const waiting = (await ok('GET', '/api/v1/merchant/review/tasks', shop.owner)).items.find((i: { id: string }) => i.id === task.id);
    // The owner sees which staff member sent it.
    expect(waiting).toMatchObject({ state: 'store_review', submittedBy: { kind: 'user', id: operator.id } });
    // The platform cannot decide before the owner.
    expect((await call('POST', `/api/v1/admin/products/${fromStaff.id}/approve`, admin)).json().error.code).toBe('awaiting_store_review');
    expect((await call('POST', `/api/v1/admin/review/tasks/${task.id}/approve`, admin, {})).json().error.code).toBe('awaiting_store_review');

    // The owner passes it on: the rules decide at once.
    expect((await ok('POST', `/api/v1/merchant/review/tasks/${task.id}/approve`, shop.owner)).task).toMatchObject({ state: 'approved', automatic: true });
    expect((await ok('GET', `/api/v1/merchant/products/${fromStaff.id}`, shop.owner)).product.status).toBe('on_sale');

    // The owner's own submissions go straight to the platform.
    expect((await submitted()).status).toBe('on_sale');
  });

  it('the owner sends a staff submission back with a reason', async () => {
    const fromStaff = await submitted(shop, {}, operator);
    const task = await openTask(fromStaff.id);
    const rejected = await ok('POST', `/api/v1/merchant/review/tasks/${task.id}/reject`, shop.owner, { reason: '价格录错了' });
    expect(rejected.task).toMatchObject({ state: 'rejected', reason: '价格录错了', decidedBy: { as: 'store_owner' } });
    expect((await ok('GET', `/api/v1/merchant/products/${fromStaff.id}`, operator)).product).toMatchObject({ status: 'rejected', rejectionReason: '价格录错了' });
    await ok('PUT', '/api/v1/merchant/review/settings', shop.owner, { ownerApproval: false });
  });
});

describe('category qualifications', () => {
  it('a regulated category needs an approved, unexpired qualification of the store', async () => {
    await setRule(t, admin, 'category_qualification', { enabled: true, severity: 'block', params: { categoryIds: [cats.rootId] } });
    const store = await makeMerchant(t, admin);
    const first = await submitted(store);
    expect(first.status).toBe('rejected');
    expect(first.product.rejectionReason).toContain('服装');

    const scan = await uploadImage(t, store.owner);
    const expiresAt = new Date(clock.now().getTime() + 10 * 24 * 3600_000).toISOString();
    const bad = await call('POST', '/api/v1/merchant/qualifications', store.owner, { categoryId: cats.rootId, name: '服装经营许可', number: 'X-1', imageIds: ['img_01JZ8Q3W5X6Y7Z8A9B0C1D2E3L'], expiresAt });
    expect(bad.json().error).toMatchObject({ code: 'invalid_qualification', details: { issues: [expect.objectContaining({ code: 'unknown_image' })] } });
    const uploaded = await ok('POST', '/api/v1/merchant/qualifications', store.owner, { categoryId: cats.rootId, name: '服装经营许可', number: 'X-1', imageIds: [scan], expiresAt });
    expect(uploaded.qualification).toMatchObject({ state: 'pending', valid: false });
    // Pending does not count yet; a product rejected by the rules may be resubmitted unchanged.
    expect((await ok('POST', `/api/v1/merchant/products/${first.id}/submit`, store.owner)).product.status).toBe('rejected');
    const pending = (await ok('GET', '/api/v1/admin/review/qualifications?state=pending', admin)).items.find((q: { id: string }) => q.id === uploaded.qualification.id);
    // The admin who checks it sees the scan itself.
    expect(pending.images).toEqual([{ id: scan, url: expect.stringMatching(/^\/uploads\//), thumbUrl: expect.any(String), smallUrl: expect.any(String) }]);
    const served = await t.app.inject({ method: 'GET', url: pending.images[0].smallUrl });
    expect(served.statusCode).toBe(200);
    expect((await call('POST', `/api/v1/admin/review/qualifications/${uploaded.qualification.id}/approve`, store.owner)).statusCode).toBe(403);
    expect((await ok('POST', `/api/v1/admin/review/qualifications/${uploaded.qualification.id}/approve`, admin)).qualification).toMatchObject({ state: 'approved', valid: true });
    expect((await ok('POST', `/api/v1/merchant/products/${first.id}/submit`, store.owner)).product.status).toBe('on_sale');

    clock.advance(11 * 24 * 3600_000);
    expect((await ok('GET', '/api/v1/merchant/qualifications', store.owner)).items[0]).toMatchObject({ state: 'approved', valid: false });
    expect((await submitted(store)).status).toBe('rejected');
    await setRule(t, admin, 'category_qualification', defaultRuleSettings.category_qualification);
  });
});

describe('rule settings', () => {
  it('lets admins change a rule, checks its parameters and keeps every change in the flow log', async () => {
    const rules = (await ok('GET', '/api/v1/admin/review/rules', admin)).items;
    expect(rules.map((r: { rule: string }) => r.rule)).toContain('absolute_terms');
    const bad = await call('PUT', '/api/v1/admin/review/rules/absolute_terms', admin, { enabled: true, severity: 'block', params: { terms: 'oops' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('invalid_rule_params');
    const terms = [...defaultRuleSettings.absolute_terms.params.terms, '秒杀全网'];
    await setRule(t, admin, 'absolute_terms', { enabled: true, severity: 'block', params: { terms, allow: defaultRuleSettings.absolute_terms.params.allow } });
    expect((await submitted(shop, { title: '精梳棉短袖 秒 杀 全 网' })).status).toBe('rejected');
    const changes = (await ok('GET', '/api/v1/admin/review/rules/absolute_terms/changes', admin)).items;
    expect(changes[0]).toMatchObject({ actor: { kind: 'user', id: admin.id }, after: { params: { terms: expect.arrayContaining(['秒杀全网']) } } });
    await setRule(t, admin, 'absolute_terms', defaultRuleSettings.absolute_terms);
  });
});

describe('measures', () => {
  it('reports the automatic share, time to decision, top rule hits and the queue', async () => {
    await reviewByHand(t, admin);
    await submitted();
    await reviewAutomatically(t, admin);
    const stats = await ok('GET', `/api/v1/admin/review/stats?from=2026-03-01T00:00:00.000Z&to=${new Date(clock.now().getTime() + 1).toISOString()}`, admin);
    expect(stats.submitted).toBeGreaterThan(10);
    expect(stats.automaticShare).toBeGreaterThan(0.3);
    expect(stats.automaticShare).toBeLessThan(1);
    expect(stats.decisionTime.automatic.p50Ms).toBe(0); // the test clock stands still
    expect(stats.decisionTime.manual.decided).toBeGreaterThan(3);
    expect(stats.decisionTime.manual.p90Ms).toBeGreaterThan(3600_000); // one task waited a day
    expect(stats.topRuleHits.map((h: { rule: string }) => h.rule)).toEqual(expect.arrayContaining(['spot_check', 'absolute_terms', 'duplicate_listing']));
    expect(stats.queue.size).toBeGreaterThan(0);
    expect(stats.queue.oldestWaitMs).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/admin/review/stats?from=2026-03-05T00:00:00.000Z&to=2026-03-01T00:00:00.000Z', admin)).statusCode).toBe(400);
  });

  it('documents the review API in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/v1/admin/review/tasks', '/api/v1/admin/review/tasks/{id}/claim', '/api/v1/admin/review/stats', '/api/v1/merchant/products/{id}/reviews', '/api/v1/merchant/review/tasks']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.components.schemas.ReviewTask).toBeDefined();
    expect(doc.components.schemas.ReviewFinding.example).toBeDefined();
  });
});
